"""The printable 自评表 as a PDF (A4 landscape, embedded CJK font): the MoF form or the four-part scoring table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, SimpleDocTemplate, Spacer
from reportlab.platypus.doctemplate import LayoutError

from app.exporters import pdfkit as pk
from app.exporters.atomic import ExportError, atomic_write
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
    runs,
    score_total,
    weight_total,
)
from app.exporters.fonts import CjkFont
from app.exporters.text import (
    DASH,
    amount_text,
    clean,
    deviation_text,
    narrative,
    rate_text,
    review_note_text,
    score_text,
    weight_text,
)
from app.scoring.records import Project, ScoreReport, Template

PAGE = landscape(A4)
NBSP = "\u00a0"  # a space reportlab keeps (blanks to write a date into)
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN
#: The tallest a table row may be: the frame less the repeated header row and the page-number room.
ROW_MAX = PAGE[1] - 2 * MARGIN - 30 * mm


def _grade_text(report: ScoreReport) -> str:
    if report.grade_long and report.grade_long != report.grade:
        return f"{report.grade}（{report.grade_long}）"
    return report.grade


def _scaled(widths: list[float]) -> list[float]:
    total = sum(widths)
    return [w * WIDTH / total for w in widths]


def _merge_runs(grid: pk.Grid, rows: list[IndicatorRow], first: int, columns: dict[int, str]) -> None:
    keys = {"cat": by_category, "group": by_group, "ind": by_indicator}
    for col, kind in columns.items():
        for a, b in runs(rows, keys[kind]):
            grid.span(first + a, col, first + b, col)


def _penalty_score(report: ScoreReport, points: Decimal, key: str) -> tuple[str, bool]:
    for applied in report.penalties:
        if applied.key == key:
            return score_text(-applied.points), True
    return score_text(Decimal(0) * points), False


# --------------------------------------------------------------------------- MoF form


def _mof_head(project: Project, template: Template, report: ScoreReport, font: str, widths: list[float]) -> pk.Grid:
    """Identity, funds block and 年度总体目标 (a table of its own, printed once)."""
    last = len(widths) - 1
    g = pk.Grid(widths, font, max_height=ROW_MAX)
    g.set(0, 0, "项目名称", bold=True)
    g.span(0, 0, 0, 1)
    g.set(0, 2, project.name, "left")
    g.span(0, 2, 0, last)
    g.set(1, 0, "主管部门", bold=True)
    g.span(1, 0, 1, 1)
    g.set(1, 2, project.department, "left")
    g.span(1, 2, 1, 5)
    g.set(1, 6, "实施单位", bold=True)
    g.span(1, 6, 1, 7)
    g.set(1, 8, project.unit, "left")
    g.span(1, 8, 1, last)
    g.set(2, 0, "项目资金（万元）", bold=True)
    g.span(2, 0, 6, 0)
    for col, head in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=3):
        g.set(2, col, head, bold=True)
    g.span(2, 1, 2, 2)
    g.span(2, 9, 2, last)
    exec_line = execution_line(project, report)
    for i, fund in enumerate(funds_lines(project, template, report), start=3):
        g.set(i, 1, fund.label, "left")
        g.span(i, 1, i, 2)
        g.set(i, 3, amount_text(fund.initial), "right")
        g.set(i, 4, amount_text(fund.adjusted), "right")
        g.set(i, 5, amount_text(fund.executed), "right")
        if i == 3 and exec_line is not None:
            g.set(i, 6, weight_text(exec_line.weight), "right")
            g.set(i, 8, score_text(exec_line.score), "right")
        else:
            g.set(i, 6, DASH)
            g.set(i, 8, DASH)
        g.set(i, 7, rate_text(fund.rate), "right")
        g.span(i, 9, i, last)
    g.set(7, 0, "年度总体目标", bold=True)
    g.span(7, 0, 8, 0)
    g.set(7, 1, "预期目标", bold=True)
    g.span(7, 1, 7, 5)
    g.set(7, 6, "实际完成情况", bold=True)
    g.span(7, 6, 7, last)
    actual = narrative(project, "analysis_output") or narrative(project, "analysis_budget")
    g.set(8, 1, narrative(project, "goal_annual"), "left")
    g.span(8, 1, 8, 5)
    g.set(8, 6, actual or narrative(project, "conclusion"), "left")
    g.span(8, 6, 8, last)
    return g


def _mof_body(project: Project, template: Template, report: ScoreReport, font: str, widths: list[float]) -> pk.Grid:
    """The indicator rows under a header row that repeats on every page, then 总分 and 评价等级."""
    reviewer = template.has_reviewer
    last = len(widths) - 1
    g = pk.Grid(widths, font, max_height=ROW_MAX)
    heads = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"]
    heads += (["第三方复核"] if reviewer else []) + ["偏差原因分析及改进措施"]
    for col, head in enumerate(heads):
        g.set(0, col, head, bold=True)
    rows = indicator_rows(project, report)
    for i, row in enumerate(rows, start=1):
        line = row.line
        g.set(i, 0, "绩效指标")
        g.set(i, 1, row.category.name)
        g.set(i, 2, row.group.name)
        g.set(i, 3, row.name, "left")
        g.set(i, 4, row.target)
        g.set(i, 5, row.actual)
        g.set(i, 6, rate_text(line.completion) if line and line.completion is not None else DASH, "right")
        g.set(i, 7, weight_text(row.indicator.weight), "right")
        g.set(i, 8, score_text(line.score) if line else "", "right")
        if reviewer:
            g.set(i, 9, score_text(line.reviewer_score) if line else "", "right")
        g.set(i, last, deviation_text(row.indicator, line), "left")
    merges = {1: "cat", 2: "group", 6: "ind", 7: "ind", 8: "ind", last: "ind"}
    if reviewer:
        merges[9] = "ind"
    _merge_runs(g, rows, 1, merges)
    r = len(rows) + 1
    for pen in template.penalties:
        score, applied = _penalty_score(report, pen.points, pen.key)
        g.set(r, 0, "绩效指标")
        g.set(r, 1, "扣分项")
        g.set(r, 2, pen.group)
        g.set(r, 3, pen.name, "left")
        g.set(r, 4, pen.benchmark)
        g.set(r, 6, DASH)
        g.set(r, 7, f"-{weight_text(pen.points)}", "right")
        g.set(r, 8, score, "right")
        if reviewer:
            g.set(r, 9, score, "right")
        g.set(r, last, "已扣分" if applied else "", "left")
        r += 1
    if len(template.penalties) > 1:
        g.span(len(rows) + 1, 1, r - 1, 1)
    if r > 1:
        # the 绩效指标 label spans the body rows; on a page break reportlab splits the span
        g.cells[(1, 0)] = ("绩效指标", "center", True)
        g.span(1, 0, r - 1, 0)
    g.set(r, 0, "总分", bold=True)
    g.span(r, 0, r, 6)
    g.set(r, 7, weight_total(project, report).text(weight_text), "right", bold=True)
    g.set(r, 8, score_total(report).text(score_text), "right", bold=True)
    if reviewer:
        g.set(r, 9, score_text(report.reviewer_total), "right", bold=True)
    g.set(r + 1, 0, "评价等级", bold=True)
    g.span(r + 1, 0, r + 1, 6)
    g.set(r + 1, 7, _grade_text(report), bold=True)
    g.span(r + 1, 7, r + 1, last)
    return g


def _mof_story(project: Project, template: Template, report: ScoreReport, font: str) -> list[Flowable]:
    reviewer = template.has_reviewer
    widths = _scaled([7.0, 12, 13, 24, 14, 14, 10, 8, 9] + ([9.0] if reviewer else []) + [30.0])
    story: list[Flowable] = [
        pk.para("项目支出绩效自评表", pk.style(font, 18)),
        Spacer(1, 2 * mm),
        pk.para(f"（{project.year}年度）", pk.style(font, 11)),
        Spacer(1, 3 * mm),
    ]
    story.append(_mof_head(project, template, report, font, widths).table())
    story.append(_mof_body(project, template, report, font, widths).table(repeat_rows=1))
    return story


# --------------------------------------------------------------------------- four-part scoring table


def _scoring_story(project: Project, template: Template, report: ScoreReport, font: str) -> list[Flowable]:
    reviewer = template.has_reviewer
    widths = _scaled([10.0, 11, 13, 7, 32, 9, 42, 9] + ([9.0] if reviewer else []) + [12.0])
    last = len(widths) - 1
    g = pk.Grid(widths, font, size=8, max_height=ROW_MAX)
    heads = ["一级指标", "二级指标", "三级指标", "单项分值", "指标解释", "标杆值", "评分标准", "部门自评分数"]
    heads += (["第三方复核"] if reviewer else []) + ["扣分事项"]
    for col, head in enumerate(heads):
        g.set(0, col, head, bold=True)
    rows = indicator_rows(project, report)
    for i, row in enumerate(rows, start=1):
        line = row.line
        g.set(i, 0, category_label(row.category, True))
        g.set(i, 1, group_label(row.group, True))
        g.set(i, 2, row.name)
        g.set(i, 3, weight_text(row.indicator.weight), "right")
        g.set(i, 4, row.explanation, "left")
        g.set(i, 5, row.benchmark)
        g.set(i, 6, row.indicator.criteria, "left")
        g.set(i, 7, score_text(line.score) if line else "", "right")
        if reviewer:
            g.set(i, 8, score_text(line.reviewer_score) if line else "", "right")
        g.set(i, last, review_note_text(row.indicator, line), "left")
    merges = {0: "cat", 1: "group", 3: "ind", 6: "ind", 7: "ind", last: "ind"}
    if reviewer:
        merges[8] = "ind"
    _merge_runs(g, rows, 1, merges)
    r = len(rows) + 1
    start = r
    for pen in template.penalties:
        score, applied = _penalty_score(report, pen.points, pen.key)
        g.set(r, 0, f"扣分项(-{weight_text(pen.points)}分)")
        g.set(r, 1, f"{clean(pen.group)}(-{weight_text(pen.points)}分)")
        g.set(r, 2, pen.name)
        g.set(r, 3, weight_text(pen.points), "right")
        g.set(r, 4, pen.explanation, "left")
        g.set(r, 5, pen.benchmark)
        g.set(r, 6, pen.criteria, "left")
        g.set(r, 7, score, "right")
        if reviewer:
            g.set(r, 8, score, "right")
        g.set(r, last, "已扣分" if applied else "", "left")
        r += 1
    if r - 1 > start:
        g.span(start, 0, r - 1, 0)
    g.set(r, 0, "总分值", bold=True)
    g.span(r, 0, r, 2)
    g.set(r, 3, weight_total(project, report).text(weight_text), "right", bold=True)
    g.set(r, 4, DASH)
    g.set(r, 5, DASH)
    g.set(r, 7, score_total(report).text(score_text), "right", bold=True)
    if reviewer:
        g.set(r, 8, score_text(report.reviewer_total), "right", bold=True)
    g.set(r, last, DASH)
    g.set(r + 1, 0, "评分等级", bold=True)
    g.span(r + 1, 0, r + 1, 2)
    g.set(r + 1, 3, _grade_text(report), bold=True)
    g.span(r + 1, 3, r + 1, last)
    info = f"项目实施单位：{clean(project.unit)}        项目名称：{clean(project.name)}"
    return [
        pk.para(f"{clean(project.region)}项目支出绩效自评表", pk.style(font, 18)),
        Spacer(1, 4 * mm),
        pk.para(info, pk.style(font, 10.5, "left")),
        Spacer(1, 2 * mm),
        g.table(repeat_rows=1),
    ]


def _signatures(project: Project, font: str) -> Flowable:
    """第三方机构盖章 / 第三方复核人员签名 / 复核日期, kept together on one page."""
    st = pk.style(font, 11, "left")
    review = project.review
    lines: list[Flowable] = [Spacer(1, 6 * mm)]
    for text in (
        f"第三方机构盖章：{clean(review.agency)}",
        f"第三方复核人员签名：{clean(review.reviewers)}",
        f"复核日期：{clean(review.date) or NBSP * 10 + '年' + NBSP * 6 + '月' + NBSP * 6 + '日'}",
    ):
        lines += [pk.para(text, st), Spacer(1, 5 * mm)]
    return KeepTogether(lines)


def _page_number(font: str) -> object:
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(font, 10.5)
        canvas.drawCentredString(PAGE[0] / 2, 8 * mm, f"— {doc.page} —")
        canvas.restoreState()

    return draw


def build_story(project: Project, template: Template, report: ScoreReport, font: str) -> list[Flowable]:
    story = (
        _scoring_story(project, template, report, font)
        if template.layout == "four_part"
        else _mof_story(project, template, report, font)
    )
    notes = document_notes(report)
    if notes:
        st = pk.style(font, 9.5, "left")
        story.append(Spacer(1, 2 * mm))
        story += [pk.para(text, st) for text in notes]
    if template.has_reviewer:
        story.append(_signatures(project, font))
    return story


def export_pdf(
    project: Project,
    template: Template,
    report: ScoreReport,
    path: Path,
    *,
    font: CjkFont | None = None,
    overwrite: bool = True,
) -> list[str]:
    """Write the printable form to ``path``; returns warnings in Chinese (e.g. the font could not be embedded)."""
    font_name, warnings = pk.register_font(font)
    story = build_story(project, template, report, font_name)
    on_page = _page_number(font_name)

    def write(tmp: Path) -> None:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"{clean(project.name)} 项目支出绩效自评表",
            author=clean(project.unit),
            subject="项目支出绩效自评表",
            creator="绩效自评",
            initialFontName=font_name,  # the canvas starts in the CJK font: no unembedded Helvetica
        )
        doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)

    try:
        atomic_write(Path(path), write, overwrite=overwrite)
    except LayoutError as exc:
        raise ExportError("PDF 排版失败：表格中有内容过长，无法排入一页。请缩短过长的说明文字后重新导出。") from exc
    return warnings
