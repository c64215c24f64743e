"""The Excel tables, reopened with openpyxl: values equal to the score report, merges, print setup, no formulas."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from app.exporters.excel import MOF_SHEET, SCORING_SHEET, export_xlsx
from app.scoring.engine import score_project

from .conftest import SCORING_HEADER, Output


def dec(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def row_of(ws: Worksheet, col: int, text: str) -> int:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, col).value == text:
            return r
    raise AssertionError(f"{text} not in column {col}")


def merged_with(ws: Worksheet, row: int, col: int) -> tuple[int, int, int, int] | None:
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col, rng.max_row, rng.max_col
    return None


def test_sheets(out000: Output, out003: Output) -> None:
    assert openpyxl.load_workbook(out000.xlsx).sheetnames == [MOF_SHEET]
    assert openpyxl.load_workbook(out003.xlsx).sheetnames == [SCORING_SHEET, MOF_SHEET]


def test_mof_form_identity_and_funds(out000: Output) -> None:
    ws = openpyxl.load_workbook(out000.xlsx)[MOF_SHEET]
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws["A2"].value == "（2021年度）"
    assert ws.cell(row_of(ws, 1, "项目名称"), 3).value == out000.project.name
    head = row_of(ws, 4, "年初预算数")
    assert [ws.cell(head, c).value for c in range(4, 10)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    total = row_of(ws, 2, "年度资金总额")
    assert [dec(ws.cell(total, c).value) for c in (4, 5, 6)] == [
        Decimal("107.26"),
        Decimal("107.26"),
        Decimal("106.49"),
    ]
    assert ws.cell(total, 4).number_format == "#,##0.00"
    assert ws.cell(total, 8).number_format == "0.00%"
    assert abs(Decimal(str(ws.cell(total, 8).value)) - out000.report.execution_rate) < Decimal("0.000001")
    assert dec(ws.cell(total, 9).value) == Decimal("9.93")
    assert ws.cell(total, 9).number_format == "0.00"
    assert [ws.cell(total + i, 2).value for i in range(4)] == [
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    goal = row_of(ws, 1, "年度总体目标")
    assert ws.cell(goal, 2).value == "预期目标" and ws.cell(goal, 7).value == "实际完成情况"
    assert ws.cell(goal + 1, 2).value == out000.project.narrative["goal_annual"]
    assert ws.cell(goal + 1, 7).value.startswith("2021年档案馆负责")


def test_mof_form_indicator_rows_scores_and_merges(out: Output) -> None:
    ws = openpyxl.load_workbook(out.xlsx)[MOF_SHEET]
    header = row_of(ws, 2, "一级指标")
    assert ws.cell(header, 4).value == "三级指标"
    report = out.report
    names = [ws.cell(r, 4).value for r in range(header + 1, ws.max_row + 1)]
    for line in report.lines:
        if line.path[2] == "项目效益":
            r = header + 1 + names.index("经济效益")
        else:
            r = header + 1 + names.index(line.path[2])
        assert dec(ws.cell(r, 9).value) == line.score, line.path
        assert Decimal(str(ws.cell(r, 8).value)) == line.weight
        if line.completion is not None:
            assert abs(Decimal(str(ws.cell(r, 7).value)) - line.completion) < Decimal("0.000001")
    total = row_of(ws, 1, "总分")
    assert dec(ws.cell(total, 9).value) == report.total
    assert Decimal(str(ws.cell(total, 8).value)) == report.template_total
    grade = row_of(ws, 1, "评价等级")
    assert ws.cell(grade, 8).value == "优（优秀）"
    # the 一级 cell of the first category is merged over its rows; "绩效指标" spans the block
    first_cat = out.project.categories[0].name
    r = header + 1
    assert ws.cell(r, 2).value == first_cat
    count = sum(1 for line in report.lines if line.path[0] == first_cat)
    span = merged_with(ws, r, 2)
    if count > 1:
        assert span is not None and span[2] - span[0] + 1 >= count
    assert merged_with(ws, header, 1) == (header, 1, total - 1, 1)


def test_mof_form_of_seed000_merges_produce_rows(out000: Output) -> None:
    ws = openpyxl.load_workbook(out000.xlsx)[MOF_SHEET]
    r = row_of(ws, 2, "产出指标")
    assert merged_with(ws, r, 2) == (r, 2, r + 3, 2)
    assert ws.cell(r, 10).value is None  # 软件采购数量 has no deviation reason: empty, not "None"
    assert ws.cell(r + 2, 10).value == "提高工作效率，认真完成财务工作"


def test_scoring_table_of_seed003(out003: Output) -> None:
    ws = openpyxl.load_workbook(out003.xlsx)[SCORING_SHEET]
    assert ws["A1"].value == "罗定市项目支出绩效自评表"
    assert [ws.cell(3, c).value for c in range(1, 11)] == SCORING_HEADER
    names = [ws.cell(r, 3).value for r in range(1, ws.max_row + 1)]
    for line in out003.report.lines:
        name = "经济效益" if line.path[2] == "项目效益" else line.path[2]
        r = names.index(name) + 1
        assert dec(ws.cell(r, 8).value) == line.score, line.path
        assert dec(ws.cell(r, 9).value) == dec(line.reviewer_score), line.path
        assert ws.cell(r, 8).number_format == "0.00"
    benefit = names.index("经济效益") + 1
    assert [ws.cell(benefit + i, 3).value for i in range(3)] == ["经济效益", "社会效益", "生态效益"]
    for col in (4, 7, 8, 9):  # weight, criteria, scores merged over the three sub-items
        assert merged_with(ws, benefit, col) == (benefit, col, benefit + 2, col)
    assert ws.cell(benefit, 1).value == "效益(30分)" and ws.cell(benefit, 2).value == "项目效益(20分)"
    penalty = names.index("财政资金支出率") + 1
    assert ws.cell(penalty, 1).value == "扣分项(-10分)"
    assert dec(ws.cell(penalty, 8).value) == Decimal("0.00")
    total = row_of(ws, 1, "总分值")
    assert dec(ws.cell(total, 8).value) == Decimal("97.80") == out003.report.total
    assert dec(ws.cell(total, 9).value) == dec(out003.report.reviewer_total)
    sign = [ws.cell(r, c).value for r in range(total, ws.max_row + 1) for c in (1, 6)]
    assert "第三方机构盖章：" in sign and "第三方复核人员签名：阳江市 师强 吴有礼" in sign
    decision = row_of(ws, 1, "决策(24分)")
    assert merged_with(ws, decision, 1) == (decision, 1, decision + 5, 1)


def test_print_setup(out: Output) -> None:
    wb = openpyxl.load_workbook(out.xlsx)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape"
        assert int(setup.paperSize) == 9
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.print_title_rows
        assert ws.print_options.horizontalCentered
        cell = ws.cell(ws.print_title_rows and int(ws.print_title_rows.split(":")[0].lstrip("$")), 2)
        assert cell.border.left.style == "thin" and cell.alignment.wrap_text


def test_no_none_text(out: Output) -> None:
    wb = openpyxl.load_workbook(out.xlsx)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.value != "None" and "None" not in str(cell.value or "")


@pytest.mark.parametrize("reason", ['=HYPERLINK("http://x","点击")', "=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)"])
def test_user_text_never_becomes_a_formula(seed003: tuple, tmp_path: Path, reason: str) -> None:
    project, template = seed003
    cat = project.categories[0]
    grp = cat.groups[0]
    ind = replace(grp.indicators[0], deviation_reason=reason, reviewer_note=reason, explanation=reason)
    cat = replace(cat, groups=(replace(grp, indicators=(ind, *grp.indicators[1:])), *cat.groups[1:]))
    project = replace(project, categories=(cat, *project.categories[1:]), name=reason, unit=reason)
    path = tmp_path / "x.xlsx"
    export_xlsx(project, template, score_project(project, template), path)
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and reason in cell.value:
                    assert cell.data_type == "s"
                    found += 1
    assert found >= 4  # name, deviation reason, 扣分事项, 指标解释
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            assert "<f>" not in z.read(name).decode("utf-8")
