"""The tables of the Word report: per-category tables, the MoF 自评表, the four-part scoring table, signatures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table

from app.exporters import wordkit as wk
from app.exporters.content import (
    IndicatorRow,
    Total,
    by_category,
    by_group,
    by_indicator,
    category_label,
    category_weight_total,
    group_label,
    indicator_rows,
    penalty_applied,
    runs,
    score_total,
    weight_total,
)
from app.exporters.fonts import FontSettings
from app.exporters.text import (
    DASH,
    clean,
    deviation_text,
    rate_text,
    review_note_text,
    score_text,
    weight_text,
)
from app.scoring.records import Project, ScoreReport, Template

Cell = tuple[str, str]  # (text, alignment)


@dataclass
class Grid:
    """Table content before it becomes a docx table: header, rows, merges (in body-row coordinates)."""

    headers: list[str]
    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    vmerges: list[tuple[int, int, int]] = field(default_factory=list)  # (col, first, last)
    hmerges: list[tuple[int, int, int]] = field(default_factory=list)  # (row, first col, last col)
    size: float = wk.TABLE_PT

    def add(self, cells: Sequence[Cell]) -> int:
        self.rows.append(list(cells))
        return len(self.rows) - 1


def render(doc: DocxDocument, fonts: FontSettings, grid: Grid) -> Table:
    """Write the grid: a bold repeated header row, body rows, then the merges (cells emptied first)."""
    table = wk.new_table(doc, 1 + len(grid.rows), grid.widths)
    doc_cells = [row.cells for row in table.rows]  # table.cell() rescans the whole table on every call
    for c, text in enumerate(grid.headers):
        wk.write_cell(doc_cells[0][c], text, fonts.body, size=grid.size, bold=True)
    covered: set[tuple[int, int]] = set()
    for col, first, last in grid.vmerges:
        covered.update((r, col) for r in range(first + 1, last + 1))
    for row, first, last in grid.hmerges:
        covered.update((row, c) for c in range(first + 1, last + 1))
    for r, cells in enumerate(grid.rows):
        for c, (text, align) in enumerate(cells):
            if (r, c) not in covered:
                wk.write_cell(doc_cells[r + 1][c], text, fonts.body, size=grid.size, align=align)
    wk.merge_grid(
        doc_cells,
        [(col, first + 1, last + 1) for col, first, last in grid.vmerges],
        [(row + 1, first, last) for row, first, last in grid.hmerges],
    )
    # LibreOffice lets a tall merged cell stretch only the last row of its block, which leaves the other merged
    # cells' text at the top: share the height over the rows instead
    heights: dict[int, float] = {}
    for col, first, last in grid.vmerges:
        text = grid.rows[first][col][0]
        share = wk.text_height_mm(text, grid.widths[col], grid.size) / (last - first + 1)
        for r in range(first, last + 1):
            heights[r + 1] = max(heights.get(r + 1, 0.0), share)
    wk.mark_header(table, 1, min_height_mm=8 if grid.size >= 12 else 6, row_heights_mm=heights)
    return table


def _merge_runs(grid: Grid, rows: list[IndicatorRow], offset: int, columns: dict[int, str]) -> None:
    """Vertical merges for 一级 ("cat"), 二级 ("group") and per-indicator columns ("ind", for sub-items)."""
    keys = {"cat": by_category, "group": by_group, "ind": by_indicator}
    for col, kind in columns.items():
        for first, last in runs(rows, keys[kind]):
            if last > first:
                grid.vmerges.append((col, offset + first, offset + last))


def category_table(
    doc: DocxDocument, fonts: FontSettings, project: Project, template: Template, report: ScoreReport, ci: int
) -> Table:
    """二级指标 / 三级指标 / 权重 / 目标值 / 业绩值 / 得分 of one category, with its 合计 row."""
    reviewer = template.has_reviewer
    headers = ["二级指标", "三级指标", "权重", "目标值", "业绩值", "得分"]
    widths = [28.0, 40, 12, 30, 26, 18]
    if reviewer:
        headers.append("第三方复核")
        widths = [24.0, 34, 12, 28, 22, 16, 18]
    grid = Grid(headers, widths, size=12)
    rows = indicator_rows(project, report, ci)
    for row in rows:
        line = row.line
        cells: list[Cell] = [
            (row.group.name, "center"),
            (row.name, "left"),
            (weight_text(row.indicator.weight), "right"),
            (clean(row.target), "center"),
            (clean(row.actual), "center"),
            (score_text(line.score) if line else "", "right"),
        ]
        if reviewer:
            cells.append((score_text(line.reviewer_score) if line else "", "right"))
        grid.add(cells)
    merges = {0: "group", 2: "ind", 5: "ind"}
    if reviewer:
        merges[6] = "ind"
    _merge_runs(grid, rows, 0, merges)
    cat = report.categories[ci] if ci < len(report.categories) else None
    total: list[Cell] = [
        ("合计", "center"),
        ("", "center"),
        (category_weight_total(project, ci).text(weight_text), "right"),
        ("", "center"),
        ("", "center"),
        (score_text(cat.score) if cat else "", "right"),
    ]
    if reviewer:
        total.append((score_text(cat.reviewer_score) if cat else "", "right"))
    r = grid.add(total)
    grid.hmerges.append((r, 0, 1))
    return render(doc, fonts, grid)


def _grade_text(report: ScoreReport) -> str:
    if report.grade_long and report.grade_long != report.grade:
        return f"{report.grade}（{report.grade_long}）"
    return report.grade


def mof_form_table(
    doc: DocxDocument, fonts: FontSettings, project: Project, template: Template, report: ScoreReport
) -> Table:
    """附件1 项目支出绩效自评表: 一级 / 二级 / 三级指标 / 权重 / 目标值 / 业绩值 / 完成率 / 指标得分 / 偏差原因."""
    reviewer = template.has_reviewer
    headers = ["一级指标", "二级指标", "三级指标", "权重", "目标值", "业绩值", "完成率", "指标得分"]
    widths = [22.0, 24, 34, 12, 24, 22, 20, 17]
    if reviewer:
        headers.append("第三方复核")
        widths.append(16)
    headers.append("偏差原因分析及改进措施")
    widths.append(225 - sum(widths))
    last = len(headers) - 1
    grid = Grid(headers, widths)
    rows = indicator_rows(project, report)
    for row in rows:
        line = row.line
        cells: list[Cell] = [
            (row.category.name, "center"),
            (row.group.name, "center"),
            (row.name, "left"),
            (weight_text(row.indicator.weight), "right"),
            (clean(row.target), "center"),
            (clean(row.actual), "center"),
            (rate_text(line.completion) if line and line.completion is not None else DASH, "right"),
            (score_text(line.score) if line else "", "right"),
        ]
        if reviewer:
            cells.append((score_text(line.reviewer_score) if line else "", "right"))
        cells.append((deviation_text(row.indicator, line), "left"))
        grid.add(cells)
    merges = {0: "cat", 1: "group", 3: "ind", 6: "ind", 7: "ind", last: "ind"}
    if reviewer:
        merges[8] = "ind"
    _merge_runs(grid, rows, 0, merges)
    _penalty_rows(grid, template, report, reviewer, last)
    weights = weight_total(project, report).text(weight_text)
    total: list[Cell] = [("总分", "center"), ("", ""), ("", ""), (weights, "right")]
    total += [("", ""), ("", ""), ("", ""), (score_total(report).text(score_text), "right")]
    if reviewer:
        total.append((score_text(report.reviewer_total), "right"))
    total.append(("", ""))
    r = grid.add(total)
    grid.hmerges.append((r, 0, 2))
    grade = [("评价等级", "center"), ("", ""), ("", ""), (_grade_text(report), "left")] + [("", "")] * (last - 3)
    r = grid.add(grade)
    grid.hmerges.extend([(r, 0, 2), (r, 3, last)])
    return render(doc, fonts, grid)


def _penalty_rows(grid: Grid, template: Template, report: ScoreReport, reviewer: bool, last: int) -> None:
    """扣分项 rows of the MoF form (only when the template has penalty items)."""
    start = len(grid.rows)
    for pen in template.penalties:
        applied = penalty_applied(report, pen)
        score = score_text(-applied) if applied is not None else score_text(0 * pen.points)
        cells: list[Cell] = [
            ("扣分项", "center"),
            (clean(pen.group), "center"),
            (clean(pen.name), "left"),
            (f"-{weight_text(pen.points)}", "right"),
            (clean(pen.benchmark), "center"),
            ("", ""),
            (DASH, "right"),
            (score, "right"),
        ]
        if reviewer:
            cells.append((score, "right"))
        cells.append(("已扣分" if applied is not None else "", "left"))
        grid.add(cells)
    if len(grid.rows) - 1 > start:
        grid.vmerges.append((0, start, len(grid.rows) - 1))


def scoring_table(
    doc: DocxDocument, fonts: FontSettings, project: Project, template: Template, report: ScoreReport
) -> Table:
    """The four-part scoring table of seed 003, with the 扣分项, 总分值 and 评分等级 rows."""
    para = doc.add_paragraph(style="Normal")
    wk.fixed_pitch(para, 20)
    unit = clean(project.unit)
    wk.add_run(para, f"项目实施单位：{unit}        项目名称：{clean(project.name)}", fonts.body, 12)
    reviewer = template.has_reviewer
    headers = ["一级指标", "二级指标", "三级指标", "单项分值", "指标解释", "标杆值", "评分标准", "部门自评分数"]
    widths = [17.0, 19, 22, 11, 48, 14, 56, 13]
    if reviewer:
        headers.append("第三方复核")
        widths.append(13)
    headers.append("扣分事项")
    widths.append(225 - sum(widths))
    last = len(headers) - 1
    grid = Grid(headers, widths, size=9)
    rows = indicator_rows(project, report)
    for row in rows:
        line = row.line
        cells: list[Cell] = [
            (category_label(row.category, True), "center"),
            (group_label(row.group, True), "center"),
            (row.name, "center"),
            (weight_text(row.indicator.weight), "right"),
            (clean(row.explanation), "left"),
            (clean(row.benchmark), "center"),
            (clean(row.indicator.criteria), "left"),
            (score_text(line.score) if line else "", "right"),
        ]
        if reviewer:
            cells.append((score_text(line.reviewer_score) if line else "", "right"))
        cells.append((review_note_text(row.indicator, line), "left"))
        grid.add(cells)
    merges = {0: "cat", 1: "group", 3: "ind", 6: "ind", 7: "ind", last: "ind"}
    if reviewer:
        merges[8] = "ind"
    _merge_runs(grid, rows, 0, merges)
    start = len(grid.rows)
    for pen in template.penalties:
        applied = penalty_applied(report, pen)
        score = score_text(-applied) if applied is not None else score_text(0 * pen.points)
        cells = [
            (f"扣分项(-{weight_text(pen.points)}分)", "center"),
            (f"{clean(pen.group)}(-{weight_text(pen.points)}分)", "center"),
            (clean(pen.name), "center"),
            (weight_text(pen.points), "right"),
            (clean(pen.explanation), "left"),
            (clean(pen.benchmark), "center"),
            (clean(pen.criteria), "left"),
            (score, "right"),
        ]
        if reviewer:
            cells.append((score, "right"))
        cells.append(("已扣分" if applied is not None else "", "left"))
        grid.add(cells)
    if len(grid.rows) - 1 > start:
        grid.vmerges.append((0, start, len(grid.rows) - 1))
    weights = weight_total(project, report).text(weight_text)
    total: list[Cell] = [("总分值", "center"), ("", ""), ("", ""), (weights, "right")]
    total += [(DASH, "center"), (DASH, "center"), ("", ""), (score_total(report).text(score_text), "right")]
    if reviewer:
        total.append((score_text(report.reviewer_total), "right"))
    total.append((DASH, "center"))
    r = grid.add(total)
    grid.hmerges.append((r, 0, 2))
    grade = [("评分等级", "center"), ("", ""), ("", ""), (_grade_text(report), "left")] + [("", "")] * (last - 3)
    r = grid.add(grade)
    grid.hmerges.extend([(r, 0, 2), (r, 3, last)])
    return render(doc, fonts, grid)


def category_summary_table(doc: DocxDocument, fonts: FontSettings, template: Template, report: ScoreReport) -> Table:
    """一级指标 / 权重 / 自评得分 (/ 第三方复核) with 扣分项 and 总分 rows (the evaluation report's summary)."""
    reviewer = template.has_reviewer
    headers = ["一级指标", "权重", "部门自评得分"] + (["第三方复核得分"] if reviewer else [])
    widths = [56.0, 30, 36] + ([34.0] if reviewer else [])
    grid = Grid(headers, widths, size=12)
    for cat in report.categories:
        cells: list[Cell] = [(cat.name, "center"), (weight_text(cat.weight), "right"), (score_text(cat.score), "right")]
        if reviewer:
            cells.append((score_text(cat.reviewer_score), "right"))
        grid.add(cells)
    for pen in template.penalties:
        applied = penalty_applied(report, pen)
        score = score_text(-applied) if applied is not None else score_text(0 * pen.points)
        cells = [(f"扣分项：{clean(pen.name)}", "center"), (f"-{weight_text(pen.points)}", "right"), (score, "right")]
        if reviewer:
            cells.append((score, "right"))
        grid.add(cells)
    weights = sum((c.weight for c in report.categories), 0 * report.template_total)
    weight = Total(weights) if weights == report.template_total else Total(weights, report.template_total, "满分")
    total: list[Cell] = [("总分", "center"), (weight.text(weight_text), "right")]
    total.append((score_total(report).text(score_text), "right"))
    if reviewer:
        total.append((score_text(report.reviewer_total), "right"))
    grid.add(total)
    grade: list[Cell] = [("等级", "center"), (_grade_text(report), "center"), ("", "")] + (
        [("", "")] if reviewer else []
    )
    r = grid.add(grade)
    grid.hmerges.append((r, 1, len(headers) - 1))
    return render(doc, fonts, grid)


def signature_lines(doc: DocxDocument, fonts: FontSettings, project: Project) -> None:
    """第三方机构盖章 and 复核人员签名 lines under a reviewed table (seed 003)."""
    review = project.review
    lines = [
        f"第三方机构盖章：{clean(review.agency)}",
        f"第三方复核人员签名：{clean(review.reviewers)}",
        f"复核日期：{clean(review.date) or '    年    月    日'}",
    ]
    for text in lines:
        para = doc.add_paragraph(style="Normal")
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT
        wk.fixed_pitch(para, 26)
        wk.add_run(para, text, fonts.body, 12)
