"""Importing tables scored by the 一体化 system: its scores come back without overrides; differences stay visible."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from app.importers.workbook import KEPT_REASON, read_workbook
from app.models.document import Document
from app.scoring.engine import score_project
from app.scoring.records import Project, Template
from tests.importing import builders

D = Decimal


def _fasp_project(seed000: tuple) -> tuple[Project, Template]:
    """Seed 000 with a cost ceiling overrun (≤90万元, 135万元), an 等于 target missed upwards (=8, 10) and a
    定性 row in the 年度 wording, scored by the 一体化 system."""
    project, template = seed000

    def change(name: str, **kw: str) -> None:
        nonlocal project
        cats = []
        for cat in project.categories:
            groups = []
            for grp in cat.groups:
                inds = tuple(replace(i, **kw) if i.name == name else i for i in grp.indicators)  # type: ignore[arg-type]
                groups.append(replace(grp, indicators=inds))
            cats.append(replace(cat, groups=tuple(groups)))
        project = replace(project, categories=tuple(cats))

    change("业务运行成本", target="≤90万元", actual="135万元", deviation_reason="材料涨价超支")
    change("软件采购数量（套）", target="=8套", actual="10套", deviation_reason="追加采购")
    change("档案整理工作达标，提高工作效率", target="达成年度指标", actual="部分达成年度指标并具有一定效果")
    return replace(project, convention="一体化"), template


def test_fasp_scored_table_is_reproduced_without_overrides(tmp_path: Path, seed000: tuple,
                                                           templates: dict) -> None:
    fasp, template = _fasp_project(seed000)
    published = {ln.path[-1]: ln.score for ln in score_project(fasp, template).lines}
    assert published["业务运行成本"] == D("6.50") and published["软件采购数量（套）"] == D("10.00")
    mof = score_project(replace(fasp, convention=""), template)
    assert {ln.path[-1]: ln.score for ln in mof.lines}["业务运行成本"] == D("8.67")  # 13 × 90/135
    total = score_project(fasp, template).total - D("23.70") + D("22.50")  # 定性 23.7 (79%) printed as 22.5
    path = builders.mof_form(fasp, template, tmp_path / "fasp.xlsx",
                             scores={"档案整理工作达标，提高工作效率": 22.5}, total=float(total))
    result = read_workbook(path, templates)
    got = result.projects[0].project
    assert got.convention == "一体化"
    assert [i.name for _, i in got.indicators() if i.override_score is not None] == []
    report = score_project(got, result.projects[0].template)
    scores = {ln.path[-1]: ln.score for ln in report.lines}
    assert scores["业务运行成本"] == D("6.50") and scores["软件采购数量（套）"] == D("10.00")
    # the 定性 score 22.5 of 30 (75%) lies in the 部分达成 band: kept as that tier and percentage
    qual = next(i for _, i in got.indicators() if i.name.startswith("档案整理"))
    assert (qual.tier, qual.tier_percent) == (1, D("75"))
    assert scores["档案整理工作达标，提高工作效率"] == D("22.50")
    notes = [str(p) for p in result.problems]
    assert any("已按该计分口径（一体化）导入" in n for n in notes)
    assert not [n for n in notes if "原表得分与计分规则结果不同" in n]
    assert report.convention == "一体化" and not [i for i in report.issues if i.code.startswith("published")]


def test_mixed_table_stays_on_the_template_convention_with_flagged_overrides(
        tmp_path: Path, seed000: tuple, templates: dict) -> None:
    fasp, template = _fasp_project(seed000)
    path = builders.mof_form(fasp, template, tmp_path / "mixed.xlsx", scores={"社会公众满意度（%）": 9, })
    result = read_workbook(path, templates)
    got = result.projects[0].project
    assert got.convention == ""
    kept = {i.name: i.override_score for _, i in got.indicators() if i.override_reason == KEPT_REASON}
    assert kept == {"业务运行成本": D("6.5"), "软件采购数量（套）": D("10"), "社会公众满意度（%）": D("9")}
    report = score_project(got, result.projects[0].template)
    messages = sorted(i.message for i in report.issues if i.code == "published_differs")
    assert messages == ["原表得分 10，按规则 8", "原表得分 6.5，按规则 8.67", "原表得分 9，按规则 8.95"]


def test_published_total_and_convention_are_kept_in_the_file(tmp_path: Path, seed000: tuple,
                                                            templates: dict) -> None:
    fasp, template = _fasp_project(seed000)
    path = builders.mof_form(fasp, template, tmp_path / "t.xlsx", total=94)
    item = read_workbook(path, templates).projects[0]
    assert item.project.published_total == D(94)
    doc = Document.new()
    pid = doc.add_project(item.project, item.template)
    doc.save_as(tmp_path / "t.jxdb")
    doc.close()
    doc = Document.open(tmp_path / "t.jxdb", read_only=True)
    try:
        back = doc.load_project(pid)
        report = score_project(back, doc.template_for(back))
    finally:
        doc.close()
    assert (back.convention, back.published_total) == ("一体化", D(94))
    assert [i.message for i in report.issues if i.code == "published_total"] == [
        f"原表总分 94，各项得分之和 {report.total}"]


def test_our_own_export_carries_its_convention_back(tmp_path: Path, seed000: tuple, templates: dict) -> None:
    from app.exporters.excel import export_xlsx

    fasp, template = _fasp_project(seed000)
    report = score_project(fasp, template)
    export_xlsx(fasp, template, report, tmp_path / "out.xlsx")
    got = read_workbook(tmp_path / "out.xlsx", templates).projects[0].project
    assert got.convention == "一体化"
    again = score_project(got, template)
    assert again.total == report.total and not any(ln.overridden for ln in again.lines)


def test_funds_block_that_disagrees_with_its_amounts_stays_visible(tmp_path: Path, seed000: tuple,
                                                                   templates: dict) -> None:
    import openpyxl

    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "funds.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws["F5"].value == "分值" and ws["G5"].value == "执行率" and ws["H5"].value == "得分"
    ws["G6"] = 0.97  # the amounts say 99.28%
    ws["H6"] = 10  # the rule says 9.93
    wb.save(path)
    got = read_workbook(path, templates).projects[0].project
    report = score_project(got, template)
    messages = [i.message for i in report.issues]
    assert "原表得分 10，按规则 9.93" in messages
    assert any(i.code == "rate_mismatch" and "97%" in i.message and "99.28%" in i.message for i in report.issues)
    from app.exporters.content import document_notes

    notes = document_notes(report)
    assert "注：预算执行率，原表得分 10，按规则 9.93" in notes
    assert "注：预算执行率，填写的执行率 97% 与预算表计算的 99.28% 不一致，按预算表计分" in notes
    assert "注：原表总分 93.08，各项得分之和 93.15" in notes  # the printed 总分 was the old one


def test_cli_import_of_a_fasp_table_then_score(tmp_path: Path, seed000: tuple, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from app import cli

    fasp, template = _fasp_project(seed000)
    path = builders.mof_form(fasp, template, tmp_path / "一体化.xlsx")
    target = tmp_path / "导入.jxdb"
    assert cli.run(["import", str(target), str(path)]) == 0
    out, err = capsys.readouterr()
    assert "已导入 1 个项目" in out and "已按该计分口径（一体化）导入" in err
    assert cli.run(["score", str(target), "--json"]) == 0
    project = json.loads(capsys.readouterr()[0])["projects"][0]
    assert project["convention"] == "一体化"
    assert project["total"] == f"{score_project(fasp, template).total:.2f}"
    assert not any(x["overridden"] for x in project["indicators"])
    cost = next(x for x in project["indicators"] if x["path"][-1] == "业务运行成本")
    assert (cost["score"], cost["computed"]) == ("6.50", "6.50")
