"""Reading 自评表 workbooks in several provincial layouts: the same project and scores come out."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.importers.workbook import KEPT_REASON, read_workbook
from app.scoring.engine import score_project
from app.scoring.records import Project, Template
from tests.importing import builders

D = Decimal


def _scores(project: Project, template: Template) -> dict[str, Decimal]:
    report = score_project(project, template)
    return {ln.path[-1]: ln.score for ln in report.lines}


def _only(path: Path, templates: dict[str, Template]) -> tuple[Project, Template, list[str]]:
    result = read_workbook(path, templates)
    assert len(result.projects) == 1
    item = result.projects[0]
    return item.project, item.template, [str(p) for p in result.problems]


def test_mof_form_reads_identity_funds_and_scores(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "mof.xlsx")
    got, tpl, problems = _only(path, templates)
    assert problems == []
    assert tpl.id == "mof-2020"
    assert (got.year, got.name, got.department, got.unit) == (2021, project.name, "大宁县档案馆", "大宁县档案馆")
    assert got.budget.adjusted.county == D("107.26") and got.budget.executed.county == D("106.49")
    assert got.budget.adjusted.stated_total == D("107.26")
    assert got.budget.received.is_empty()
    assert got.narrative["goal_annual"] == project.narrative["goal_annual"]
    # 预算执行率 came from the funds block (分值 10, 得分 9.93) and is scored from the budget
    first = got.categories[0]
    assert (first.name, first.groups[0].indicators[0].name, first.groups[0].indicators[0].rule.kind) == (
        "预算执行指标", "预算执行率", "execution_rate")
    report = score_project(got, tpl)
    assert report.total == D("93.08") and report.grade == "优"
    assert _scores(got, tpl) == _scores(project, template)
    assert not any(ln.overridden for ln in report.lines)
    kinds = {ind.name: ind.rule.kind for _, ind in got.indicators()}
    assert kinds["安装及时性"] == "qualitative" and kinds["软件采购数量（套）"] == "proportional"
    assert [c.short_name for c in got.categories] == ["预算执行", "产出", "效益", "满意度"]


def test_seed_attachment_layout(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    """Seed 000's 附件1: 目标指标 / 权重 / 目标值 / 业绩值 / 指标得分, “项目名称：…” cells, 合计 row."""
    project, template = seed000
    got, tpl, problems = _only(builders.seed_attachment(project, template, tmp_path / "a.xlsx"), templates)
    assert problems == []
    assert (got.year, got.name, got.unit) == (2021, project.name, "大宁县档案馆")
    assert got.budget.is_empty()
    assert score_project(got, tpl).total == D("93.08")
    assert _scores(got, tpl) == _scores(project, template)
    targets = {ind.name: (ind.target, ind.actual) for _, ind in got.indicators()}
    assert targets["业务运行成本"] == ("＜=107.26万元", "90%")
    assert targets["预算执行率"] == ("100%", "99.28%")


def test_comparator_column_unit_column_yuan_and_levels(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    """指标性质 and 度量单位 in their own columns under a two-row header, amounts in 元 with the four levels of
    government, 一级/二级 written once without merging, blank and note rows inside the table."""
    project, template = seed000
    got, tpl, problems = _only(builders.comparator_layout(project, template, tmp_path / "c.xlsx"), templates)
    assert problems == []
    assert got.region == "大宁县" and got.contact == ""
    assert got.budget.adjusted.county == D("107.26") and got.budget.adjusted.central == 0
    assert got.budget.executed.total == D("106.49")
    targets = {ind.name: ind.target for _, ind in got.indicators()}
    assert targets["业务运行成本"] == "≤107.26万元"
    assert targets["安装及时性"] == "及时"
    assert score_project(got, tpl).total == D("93.08")
    assert _scores(got, tpl) == _scores(project, template)


def test_comparator_inside_target_and_counts(tmp_path: Path, templates: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2022年度项目支出绩效自评表"])
    ws.append(["项目名称", "乡村道路养护"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "全年实际值", "权重", "得分"])
    ws.append(["产出指标", "数量指标", "养护里程", "≥50公里", "40公里", 60, 48])
    ws.append(["产出指标", "成本指标", "每公里成本", "≤2万元", "2.5万元", 20, 16])
    ws.append(["满意度指标", "满意度", "群众满意度", "≧90%", "95%", 20, 20])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    got, tpl, problems = _only(path, templates)
    assert problems == []
    assert got.year == 2022 and got.name == "乡村道路养护"
    assert {ind.name: ind.rule.kind for _, ind in got.indicators()} == {
        "养护里程": "proportional", "每公里成本": "proportional", "群众满意度": "proportional"}
    assert _scores(got, tpl) == {"养护里程": D("48.00"), "每公里成本": D("16.00"), "群众满意度": D("20.00")}


def test_published_score_kept_as_override_and_flagged(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "m.xlsx", scores={"安装及时性": 14.5}, total=94.08)
    result = read_workbook(path, templates)
    got = result.projects[0].project
    ind = next(i for _, i in got.indicators() if i.name == "安装及时性")
    assert ind.override_score == D("14.5") and ind.override_reason == KEPT_REASON
    messages = [str(p) for p in result.problems]
    assert len(messages) == 1
    assert messages[0].startswith("自评表!H15：原表得分与计分规则结果不同")
    assert "14.5" in messages[0] and "13.5" in messages[0]
    report = score_project(got, result.projects[0].template)
    assert report.total == D("94.08")  # the published total
    line = next(ln for ln in report.lines if ln.path[-1] == "安装及时性")
    assert line.overridden and line.computed == D("13.5")
    assert [i for i in report.issues if i.code == "override_reason"] == []


def test_total_row_that_disagrees_is_flagged(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "m.xlsx", total=95)
    result = read_workbook(path, templates)
    assert [str(p) for p in result.problems] == ["自评表!H19：原表总分 95 与各项得分之和 93.08 不一致，请核对"]
    assert result.projects[0].published_total == 95


def test_unreadable_cells_are_reported_with_their_address(tmp_path: Path, templates: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表 1"
    ws.append(["项目名称：测试项目", None, None, "年度", "2023年"])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"])
    ws.append(["产出指标", "数量指标", "培训人数", "≥100人", "9O人", "十分", "八分"])
    ws.append(["产出指标", "质量指标", "合格率", "12 34", "98%", 20, None])
    ws.append(["产出指标", "时效指标", "完成时间", None, "按时", None, 5])
    ws.append(["合计", None, None, None, None, None, "=SUM(G3:G5)"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    result = read_workbook(path, templates)
    text = "\n".join(str(p) for p in result.problems)
    assert result.projects[0].project.year == 2023
    for expected in ("'表 1'!E3：无法识别实际完成值“9O人”", "'表 1'!F3：无法识别分值“十分”，按 0 分导入",
                     "'表 1'!G3：无法识别得分“八分”", "'表 1'!D4：无法识别指标值“12 34”",
                     "'表 1'!F5：“完成时间”未填写分值，按 0 分导入", "'表 1'!G6：公式没有保存计算结果"):
        assert expected in text, text
    weights = {ind.name: ind.weight for _, ind in result.projects[0].project.indicators()}
    assert weights == {"培训人数": 0, "合格率": 20, "完成时间": 0}


def test_missing_year_and_name_are_reported_not_guessed_silently(tmp_path: Path, templates: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "道路"
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "里程", "10公里", "10公里", 100, 100])
    path = tmp_path / "n.xlsx"
    wb.save(path)
    result = read_workbook(path, templates, default_year=2020)
    project = result.projects[0].project
    assert (project.name, project.year) == ("道路", 2020)
    text = "\n".join(str(p) for p in result.problems)
    assert "未找到“项目名称”" in text and "暂按 2020 年导入" in text


def test_two_projects_on_two_sheets(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    project, template = seed000
    a = builders.mof_form(project, template, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(a)
    other = wb.copy_worksheet(wb["自评表"])
    other["B3"] = "第二个项目"
    other["A2"] = "（2022年度）"
    wb.save(tmp_path / "two.xlsx")
    result = read_workbook(tmp_path / "two.xlsx", templates)
    assert [(p.project.name, p.project.year) for p in result.projects] == [(project.name, 2021), ("第二个项目", 2022)]


def test_stated_total_disagreeing_with_parts_is_flagged_by_the_scorer(tmp_path: Path, seed000: tuple,
                                                                      templates: dict) -> None:
    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["自评表"]["D6"] = 0  # 全年预算数 of 年度资金总额 printed as 0 beside a 财政拨款 of 107.26
    wb.save(path)
    got, tpl, _ = _only(path, templates)
    assert got.budget.adjusted.stated_total == 0 and got.budget.adjusted.county == D("107.26")
    codes = [i.code for i in score_project(got, tpl).issues]
    assert "budget_total_mismatch" in codes


@pytest.mark.parametrize("sample", ["seed000", "seed003"])
def test_export_then_import_gives_the_same_scores(tmp_path: Path, sample: str, request: pytest.FixtureRequest,
                                                   templates: dict) -> None:
    from app.exporters.excel import export_xlsx

    project, template = request.getfixturevalue(sample)
    report = score_project(project, template)
    path = tmp_path / "out.xlsx"
    export_xlsx(project, template, report, path)
    result = read_workbook(path, templates)
    assert len(result.projects) == 1
    got, tpl = result.projects[0].project, result.projects[0].template
    again = score_project(got, tpl)
    assert again.total == report.total
    assert (got.name, got.year) == (project.name, project.year)
    if sample == "seed000":
        assert _scores(got, tpl) == _scores(project, template)
        assert not any(ln.overridden for ln in again.lines)
    else:  # four-part rules are not MoF rules: the published scores are kept, each one visible
        assert [c.score for c in again.categories] == [c.score for c in report.categories]
        mine = {ln.path[-1]: ln.score for ln in again.lines if ln.weight}
        theirs = {ln.path[-1]: ln.score for ln in report.lines}
        assert {k: v for k, v in mine.items() if k in theirs} == {k: v for k, v in theirs.items() if k in mine}


def test_two_tables_one_below_the_other_on_one_sheet(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    project, template = seed000
    second = replace(project, name="第二个项目", year=2022)
    out = openpyxl.Workbook()
    ws = out.active
    offset = 0
    for i, p in enumerate((project, second)):
        src = openpyxl.load_workbook(builders.mof_form(p, template, tmp_path / f"{i}.xlsx"))["自评表"]
        for row in src.iter_rows():
            for cell in row:
                if cell.value is not None:
                    ws.cell(cell.row + offset, cell.column, cell.value).number_format = cell.number_format
        for rng in src.merged_cells.ranges:
            ws.merge_cells(start_row=rng.min_row + offset, start_column=rng.min_col,
                           end_row=rng.max_row + offset, end_column=rng.max_col)
        offset += src.max_row + 2
    out.save(tmp_path / "both.xlsx")
    result = read_workbook(tmp_path / "both.xlsx", templates)
    assert [str(p) for p in result.problems] == []
    assert [(p.project.name, p.project.year) for p in result.projects] == [(project.name, 2021), ("第二个项目", 2022)]
    for item in result.projects:
        assert score_project(item.project, item.template).total == D("93.08")
        assert len(item.project.indicators()) == 7


def test_weights_in_category_names_and_percent_weights(tmp_path: Path, templates: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2023年度项目支出绩效自评表"])
    ws.append(["项目名称", "农村饮水"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "权重(%)", "得分"])
    ws.append(["产出指标（60分）", "数量指标（30分）", "供水户数", "≥100户", "100户", "30%", 30])
    ws.append(["产出指标（60分）", "质量指标（30分）", "水质达标率", "100%", "100%", "30%", 30])
    ws.append(["满意度指标（40分）", "满意度", "群众满意度", "≥90%", "90%", "40%", 40])
    ws.append(["小计", None, None, None, None, None, 100])
    wb.save(tmp_path / "w.xlsx")
    got, tpl, problems = _only(tmp_path / "w.xlsx", templates)
    assert problems == []
    assert [(c.name, c.weight, [(g.name, g.weight) for g in c.groups]) for c in got.categories] == [
        ("产出指标", 60, [("数量指标", 30), ("质量指标", 30)]), ("满意度指标", 40, [("满意度", None)])]
    assert score_project(got, tpl).total == 100


def test_inline_year_and_worded_comparators(tmp_path: Path, templates: dict) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称：校舍维修", None, "年度：2020"])
    ws.append(["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "维修面积", "正向指标", 1000, "平方米", 800, 50, 40])
    ws.append(["产出指标", "成本指标", "维修成本", "反向指标", 50, "万元", 40, 30, 30])
    ws.append(["效益指标", "社会效益指标", "安全隐患", "定性", "消除", None, "消除", 20, 20])
    wb.save(tmp_path / "w.xlsx")
    got, tpl, problems = _only(tmp_path / "w.xlsx", templates)
    assert problems == []
    assert (got.name, got.year) == ("校舍维修", 2020)
    assert [(i.target, i.actual, i.rule.kind) for _, i in got.indicators()] == [
        ("≥1000平方米", "800平方米", "proportional"), ("≤50万元", "40万元", "proportional"),
        ("消除", "消除", "qualitative")]
    assert score_project(got, tpl).total == 90
