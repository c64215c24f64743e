"""Excel tables: 附件1 项目支出绩效自评表 (MoF layout) and, for four-part templates, the seed 003 scoring table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.exporters import xlsxkit as xk
from app.exporters.atomic import atomic_write
from app.exporters.content import (
    IndicatorRow,
    by_category,
    by_group,
    by_indicator,
    category_label,
    document_notes,
    execution_line,
    funds_lines,
    group_label,
    indicator_rows,
    penalty_applied,
    runs,
    score_total,
    weight_total,
)
from app.exporters.text import (
    AMOUNT_FORMAT,
    DASH,
    RATE_FORMAT,
    SCORE_FORMAT,
    clean,
    deviation_text,
    narrative,
    review_note_text,
    score_text,
    weight_text,
)
from app.scoring.records import Project, ScoreReport, Template

MOF_SHEET = "项目支出绩效自评表"
SCORING_SHEET = "绩效评分表"


def _grade_text(report: ScoreReport) -> str:
    if report.grade_long and report.grade_long != report.grade:
        return f"{report.grade}（{report.grade_long}）"
    return report.grade


def _merge_indicator_runs(ws: Worksheet, rows: list[IndicatorRow], first_row: int, columns: dict[int, str]) -> None:
    keys = {"cat": by_category, "group": by_group, "ind": by_indicator}
    for col, kind in columns.items():
        for a, b in runs(rows, keys[kind]):
            xk.merge(ws, first_row + a, col, first_row + b, col)


# --------------------------------------------------------------------------- MoF form


def mof_sheet(ws: Worksheet, project: Project, template: Template, report: ScoreReport) -> None:
    """财预〔2020〕10号 附件1: identity, funds block, 年度总体目标, indicator rows, 总分 and 等级."""
    reviewer = template.has_reviewer
    widths = [7.0, 12, 13, 24, 14, 14, 10, 8, 9] + ([9.0] if reviewer else []) + [30.0]
    last = len(widths)
    xk.set_widths(ws, widths)
    xk.put(ws, 1, 1, "项目支出绩效自评表", bold=True, size=16)
    xk.merge(ws, 1, 1, 1, last)
    xk.put(ws, 2, 1, f"（{project.year}年度）", size=11)
    xk.merge(ws, 2, 1, 2, last)

    xk.put(ws, 3, 1, "项目名称", bold=True)
    xk.merge(ws, 3, 1, 3, 2)
    xk.put(ws, 3, 3, project.name, align="left")
    xk.merge(ws, 3, 3, 3, last)
    xk.put(ws, 4, 1, "主管部门", bold=True)
    xk.merge(ws, 4, 1, 4, 2)
    xk.put(ws, 4, 3, project.department, align="left")
    xk.merge(ws, 4, 3, 4, 6)
    xk.put(ws, 4, 7, "实施单位", bold=True)
    xk.merge(ws, 4, 7, 4, 8)
    xk.put(ws, 4, 9, project.unit, align="left")
    xk.merge(ws, 4, 9, 4, last)

    # funds block
    top = 5
    xk.put(ws, top, 1, "项目资金（万元）", bold=True)
    xk.merge(ws, top, 1, top + 4, 1)
    for col, head in enumerate(["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=2):
        if head:
            xk.put(ws, top, col, head, bold=True)
    xk.merge(ws, top, 2, top, 3)
    xk.merge(ws, top, 10, top, last)
    exec_line = execution_line(project, report)
    for i, fund in enumerate(funds_lines(project, template, report), start=1):
        r = top + i
        xk.put(ws, r, 2, fund.label, align="left")
        xk.merge(ws, r, 2, r, 3)
        xk.put(ws, r, 4, fund.initial, fmt=AMOUNT_FORMAT, align="right")
        xk.put(ws, r, 5, fund.adjusted, fmt=AMOUNT_FORMAT, align="right")
        xk.put(ws, r, 6, fund.executed, fmt=AMOUNT_FORMAT, align="right")
        if i == 1 and exec_line is not None:
            xk.put(ws, r, 7, exec_line.weight, fmt="General", align="right")
            xk.put(ws, r, 9, exec_line.score, fmt=SCORE_FORMAT, align="right")
        else:
            xk.put(ws, r, 7, DASH)
            xk.put(ws, r, 9, DASH)
        xk.put(ws, r, 8, xk.as_number(fund.rate, 6), fmt=RATE_FORMAT, align="right")
        xk.merge(ws, r, 10, r, last)

    # 年度总体目标
    g = top + 5
    xk.put(ws, g, 1, "年度总体目标", bold=True)
    xk.merge(ws, g, 1, g + 1, 1)
    xk.put(ws, g, 2, "预期目标", bold=True)
    xk.merge(ws, g, 2, g, 6)
    xk.put(ws, g, 7, "实际完成情况", bold=True)
    xk.merge(ws, g, 7, g, last)
    actual = narrative(project, "analysis_output") or narrative(project, "analysis_budget")
    actual = actual or narrative(project, "conclusion")
    xk.put(ws, g + 1, 2, narrative(project, "goal_annual"), align="left")
    xk.merge(ws, g + 1, 2, g + 1, 6)
    xk.put(ws, g + 1, 7, actual, align="left")
    xk.merge(ws, g + 1, 7, g + 1, last)

    # indicators
    h = g + 2
    heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"]
    heads += (["第三方复核"] if reviewer else []) + ["偏差原因分析及改进措施"]
    xk.put(ws, h, 1, "绩效指标", bold=True)
    for col, head in enumerate(heads, start=2):
        xk.put(ws, h, col, head, bold=True)
    rows = indicator_rows(project, report)
    first = h + 1
    for i, row in enumerate(rows):
        r = first + i
        line = row.line
        xk.put(ws, r, 2, row.category.name)
        xk.put(ws, r, 3, row.group.name)
        xk.put(ws, r, 4, row.name, align="left")
        xk.put(ws, r, 5, row.target)
        xk.put(ws, r, 6, row.actual)
        completion = line.completion if line is not None else None
        xk.put(
            ws, r, 7, xk.as_number(completion, 6) if completion is not None else DASH, fmt=RATE_FORMAT, align="right"
        )
        xk.put(ws, r, 8, row.indicator.weight, fmt="General", align="right")
        xk.put(ws, r, 9, line.score if line else None, fmt=SCORE_FORMAT, align="right")
        if reviewer:
            xk.put(ws, r, 10, line.reviewer_score if line else None, fmt=SCORE_FORMAT, align="right")
        xk.put(ws, r, last, deviation_text(row.indicator, line), align="left")
    merges = {2: "cat", 3: "group", 7: "ind", 8: "ind", 9: "ind", last: "ind"}
    if reviewer:
        merges[10] = "ind"
    _merge_indicator_runs(ws, rows, first, merges)
    r = first + len(rows)
    pen_start = r
    for pen in template.penalties:
        applied = penalty_applied(report, pen)
        score = -applied if applied is not None else Decimal(0)
        xk.put(ws, r, 2, "扣分项")
        xk.put(ws, r, 3, pen.group)
        xk.put(ws, r, 4, pen.name, align="left")
        xk.put(ws, r, 5, pen.benchmark)
        xk.put(ws, r, 7, DASH)
        xk.put(ws, r, 8, -pen.points, fmt="General", align="right")
        xk.put(ws, r, 9, score, fmt=SCORE_FORMAT, align="right")
        if reviewer:
            xk.put(ws, r, 10, score, fmt=SCORE_FORMAT, align="right")
        xk.put(ws, r, last, "已扣分" if applied is not None else "", align="left")
        r += 1
    xk.merge(ws, pen_start, 2, r - 1, 2) if r - 1 > pen_start else None
    xk.merge(ws, h, 1, r - 1, 1)
    xk.put(ws, r, 1, "总分", bold=True)
    xk.merge(ws, r, 1, r, 7)
    _totals(ws, r, 8, 9, project, report)
    if reviewer:
        xk.put(ws, r, 10, report.reviewer_total, fmt=SCORE_FORMAT, align="right", bold=True)
    xk.put(ws, r, last, "")
    r += 1
    xk.put(ws, r, 1, "评价等级", bold=True)
    xk.merge(ws, r, 1, r, 7)
    xk.put(ws, r, 8, _grade_text(report), bold=True)
    xk.merge(ws, r, 8, r, last)
    xk.borders(ws, 3, r, 1, last)
    xk.fit_row_heights(ws, 3, _notes(ws, r, last, report))
    ws.row_dimensions[1].height = 30
    xk.print_setup(ws, f"{h}:{h}")


def _totals(ws: Worksheet, r: int, weight_col: int, score_col: int, project: Project, report: ScoreReport) -> None:
    """The 总分 row: sums of the printed rows (numbers), or text with the declared figure beside when it differs."""
    weight, score = weight_total(project, report), score_total(report)
    xk.put(ws, r, weight_col, weight.value if weight.plain else weight.text(weight_text), fmt="General",
           align="right", bold=True)
    xk.put(ws, r, score_col, score.value if score.plain else score.text(score_text), fmt=SCORE_FORMAT,
           align="right", bold=True)


def _notes(ws: Worksheet, r: int, last: int, report: ScoreReport) -> int:
    """计分口径 and the published-vs-rule differences under the table; returns the last row written."""
    for text in document_notes(report):
        r += 1
        xk.put(ws, r, 1, text, align="left")
        xk.merge(ws, r, 1, r, last)
    return r


# --------------------------------------------------------------------------- four-part scoring table


def scoring_sheet(ws: Worksheet, project: Project, template: Template, report: ScoreReport) -> None:
    """Seed 003's table: 一级/二级/三级指标, 单项分值, 指标解释, 标杆值, 评分标准, 部门自评分数, 复核, 扣分事项."""
    reviewer = template.has_reviewer
    widths = [10.0, 11, 13, 7, 32, 9, 42, 9] + ([9.0] if reviewer else []) + [12.0]
    last = len(widths)
    xk.set_widths(ws, widths)
    xk.put(ws, 1, 1, f"{clean(project.region)}项目支出绩效自评表", bold=True, size=16)
    xk.merge(ws, 1, 1, 1, last)
    xk.put(ws, 2, 1, f"项目实施单位：{clean(project.unit)}", align="left", size=11)
    xk.merge(ws, 2, 1, 2, 5)
    xk.put(ws, 2, 6, f"项目名称：{clean(project.name)}", align="left", size=11)
    xk.merge(ws, 2, 6, 2, last)
    heads = ["一级指标", "二级指标", "三级指标", "单项分值", "指标解释", "标杆值", "评分标准", "部门自评分数"]
    heads += (["第三方复核"] if reviewer else []) + ["扣分事项"]
    for col, head in enumerate(heads, start=1):
        xk.put(ws, 3, col, head, bold=True)
    rows = indicator_rows(project, report)
    first = 4
    for i, row in enumerate(rows):
        r = first + i
        line = row.line
        xk.put(ws, r, 1, category_label(row.category, True))
        xk.put(ws, r, 2, group_label(row.group, True))
        xk.put(ws, r, 3, row.name)
        xk.put(ws, r, 4, row.indicator.weight, fmt="General", align="right")
        xk.put(ws, r, 5, row.explanation, align="left", size=9)
        xk.put(ws, r, 6, row.benchmark)
        xk.put(ws, r, 7, row.indicator.criteria, align="left", size=9)
        xk.put(ws, r, 8, line.score if line else None, fmt=SCORE_FORMAT, align="right")
        if reviewer:
            xk.put(ws, r, 9, line.reviewer_score if line else None, fmt=SCORE_FORMAT, align="right")
        xk.put(ws, r, last, review_note_text(row.indicator, line), align="left", size=9)
    merges = {1: "cat", 2: "group", 4: "ind", 7: "ind", 8: "ind", last: "ind"}
    if reviewer:
        merges[9] = "ind"
    _merge_indicator_runs(ws, rows, first, merges)
    r = first + len(rows)
    pen_start = r
    for pen in template.penalties:
        applied = penalty_applied(report, pen)
        score = -applied if applied is not None else Decimal(0)
        xk.put(ws, r, 1, f"扣分项(-{clean(pen.points)}分)")
        xk.put(ws, r, 2, f"{clean(pen.group)}(-{clean(pen.points)}分)")
        xk.put(ws, r, 3, pen.name)
        xk.put(ws, r, 4, pen.points, fmt="General", align="right")
        xk.put(ws, r, 5, pen.explanation, align="left", size=9)
        xk.put(ws, r, 6, pen.benchmark)
        xk.put(ws, r, 7, pen.criteria, align="left", size=9)
        xk.put(ws, r, 8, score, fmt=SCORE_FORMAT, align="right")
        if reviewer:
            xk.put(ws, r, 9, score, fmt=SCORE_FORMAT, align="right")
        xk.put(ws, r, last, "已扣分" if applied is not None else "", align="left")
        r += 1
    if r - 1 > pen_start:
        xk.merge(ws, pen_start, 1, r - 1, 1)
    xk.put(ws, r, 1, "总分值", bold=True)
    xk.merge(ws, r, 1, r, 3)
    _totals(ws, r, 4, 8, project, report)
    xk.put(ws, r, 5, DASH)
    xk.put(ws, r, 6, DASH)
    if reviewer:
        xk.put(ws, r, 9, report.reviewer_total, fmt=SCORE_FORMAT, align="right", bold=True)
    xk.put(ws, r, last, DASH)
    r += 1
    xk.put(ws, r, 1, "评分等级", bold=True)
    xk.merge(ws, r, 1, r, 3)
    xk.put(ws, r, 4, _grade_text(report), bold=True)
    xk.merge(ws, r, 4, r, last)
    xk.borders(ws, 3, r, 1, last)
    r = _notes(ws, r, last, report)
    xk.fit_row_heights(ws, 2, r)
    ws.row_dimensions[1].height = 30
    if reviewer:
        review = project.review
        r += 2
        xk.put(ws, r, 1, f"第三方机构盖章：{clean(review.agency)}", align="left", size=11)
        xk.merge(ws, r, 1, r, 5)
        xk.put(ws, r, 6, f"第三方复核人员签名：{clean(review.reviewers)}", align="left", size=11)
        xk.merge(ws, r, 6, r, last)
        ws.row_dimensions[r].height = 36
    xk.print_setup(ws, "3:3")


def build_workbook(project: Project, template: Template, report: ScoreReport) -> Workbook:
    """The workbook (not saved): the MoF form, plus the scoring table for four-part templates."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = MOF_SHEET
    mof_sheet(ws, project, template, report)
    if template.layout == "four_part":
        scoring = wb.create_sheet(SCORING_SHEET, 0)
        scoring_sheet(scoring, project, template, report)
        wb.active = 0
    return wb


def export_xlsx(
    project: Project, template: Template, report: ScoreReport, path: Path, *, overwrite: bool = True
) -> None:
    """Write the tables to ``path`` (atomically; ExportError with a Chinese message on failure)."""
    workbook = build_workbook(project, template, report)
    atomic_write(Path(path), lambda tmp: workbook.save(str(tmp)), overwrite=overwrite)
