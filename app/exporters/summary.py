"""汇总表.xlsx: one row per project with budget, category scores, total and grade, plus totals and grade counts."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exporters import yearstats
from app.exporters.batch import SummaryRow
from app.exporters.text import AMOUNT_FORMAT, RATE_FORMAT, SCORE_FORMAT, clean

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_FONT = "宋体"


def _put(
    ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, bold: bool = False, align: str = "center"
) -> None:
    """Write one bordered cell; text is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = clean(value)
        cell.data_type = "s"
    else:
        cell.value = float(value) if isinstance(value, Decimal) else value
    if fmt:
        cell.number_format = fmt
    cell.border = _BORDER
    cell.font = Font(name=_FONT, size=CELL_PT, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


#: Printable width of A4 landscape with 1.3 cm margins, in millimetres; a column width unit is about 2 mm
#: (the width of "0" in the default 11 pt font, plus padding). A CJK character takes two units.
PRINTABLE_MM = 297 - 2 * 13
UNIT_MM = 2.0
CELL_PT = 10  # the cell font
MIN_PRINTED_PT = 9  # no cell prints smaller than this


def print_layout(ws: Worksheet, widths: list[float]) -> int:
    """Landscape A4, fitted to one page wide when the text stays at 9 pt or more, else two pages wide
    (the caller repeats the identity columns). Returns the number of pages wide."""
    total_mm = sum(widths) * UNIT_MM
    pages = 1 if PRINTABLE_MM / total_mm * CELL_PT >= MIN_PRINTED_PT else 2
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    return pages


def printed_size(widths: list[float], pages_wide: int) -> float:
    """The point size cells print at: 10 pt scaled down as far as fitting the width needs (never up)."""
    scale = min(1.0, PRINTABLE_MM * pages_wide / (sum(widths) * UNIT_MM))
    return CELL_PT * scale


def text_units(text: str) -> int:
    """Column-width units a text needs: two for a CJK or full-width character, one otherwise."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _row_heights(ws: Worksheet, widths: list[float], first: int, last: int) -> None:
    """Heights for wrapped cells (Excel and WPS do not grow rows written by a program): lines × line height."""
    line_pt = CELL_PT * 1.35
    for r in range(first, last + 1):
        lines = 1
        for c, width in enumerate(widths, 1):
            value = ws.cell(row=r, column=c).value
            if isinstance(value, str) and value:
                per_line = max(1, int(width) - 1)
                lines = max(lines, *(-(-text_units(part) // per_line) for part in value.split("\n")))
        ws.row_dimensions[r].height = round(lines * line_pt + 4, 1)


def _widths(categories: int, has_reviewer: bool) -> list[float]:
    # the last column: 复核状态 (待复核 / 已复核 / 退回修改: four characters, eight units, plus padding)
    return [4.5, 12, 13, 24, 10, 10, 8.5, *[7.5] * categories, 7.5, 5, *([7.5] if has_reviewer else []), 9.5]


def _first_page_columns(heads: list[str], categories: int, has_reviewer: bool) -> int:
    """How many columns the first printed page shows (all of them when the table fits one page wide)."""
    widths = _widths(categories, has_reviewer)
    if printed_size(widths, 1) >= MIN_PRINTED_PT:
        return len(heads)
    used, count = 0.0, 0
    for width in widths:
        if (used + width) * UNIT_MM > PRINTABLE_MM:
            break
        used += width
        count += 1
    return max(count, 4)


def _category_names(rows: list[SummaryRow]) -> list[str]:
    names: list[str] = []
    for r in rows:
        for name, _, _ in r.categories:
            if name not in names:
                names.append(name)
    return names


def export_summary(rows: list[SummaryRow], path: Path, title: str = "项目支出绩效自评结果汇总表") -> None:
    """Write the summary workbook to ``path`` (the caller makes the write atomic)."""
    rows = sorted(rows, key=lambda r: (r.department, r.unit, r.name))
    cats = _category_names(rows)
    has_reviewer = any(r.reviewer_total is not None for r in rows)
    heads = [
        "序号",
        "主管部门",
        "实施单位",
        "项目名称",
        "全年预算（万元）",
        "全年执行（万元）",
        "执行率",
        *cats,
        "总分",
        "等级",
        *(["复核得分"] if has_reviewer else []),
        "复核状态",
    ]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总表"
    years = sorted({r.year for r in rows})
    year_text = "、".join(str(y) for y in years)
    ws.cell(row=1, column=1, value=f"{year_text}年度{title}" if years else title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=_first_page_columns(heads, len(cats),
                                                                                      has_reviewer))
    ws.cell(row=1, column=1).font = Font(name="黑体", size=16, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    for c, head in enumerate(heads, 1):
        _put(ws, 2, c, head, bold=True)
        ws.cell(row=2, column=c).fill = _HEAD_FILL
    r = 3
    for i, row in enumerate(rows, 1):
        scores = {name: score for name, score, _ in row.categories}
        values: list[tuple[Any, str | None, str]] = [
            (i, None, "center"),
            (row.department, None, "left"),
            (row.unit, None, "left"),
            (row.name, None, "left"),
            (row.adjusted, AMOUNT_FORMAT, "right"),
            (row.executed, AMOUNT_FORMAT, "right"),
            (row.execution_rate if row.execution_rate is not None else "—", RATE_FORMAT, "right"),
            *[(scores.get(c, "—"), SCORE_FORMAT, "right") for c in cats],
            (row.total, SCORE_FORMAT, "right"),
            (row.grade, None, "center"),
        ]
        if has_reviewer:
            values.append((row.reviewer_total if row.reviewer_total is not None else "—", SCORE_FORMAT, "right"))
        values.append((row.status, None, "center"))
        for c, (value, fmt, align) in enumerate(values, 1):
            _put(ws, r, c, value, fmt, align=align)
        r += 1
    adjusted = sum((x.adjusted for x in rows), Decimal(0))
    executed = sum((x.executed for x in rows), Decimal(0))
    _put(ws, r, 1, "合计", bold=True)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
    for c in range(2, 5):
        ws.cell(row=r, column=c).border = _BORDER
    _put(ws, r, 5, adjusted, AMOUNT_FORMAT, bold=True, align="right")
    _put(ws, r, 6, executed, AMOUNT_FORMAT, bold=True, align="right")
    _put(ws, r, 7, executed / adjusted if adjusted else "—", RATE_FORMAT, bold=True, align="right")
    for c in range(8, len(heads) + 1):
        _put(ws, r, c, "")
    counts = Counter(x.grade for x in rows)
    r += 2
    ws.cell(row=r, column=1, value="等级分布").font = Font(name=_FONT, size=10, bold=True)
    r += 1
    grades = [g for g in ("优", "良", "中", "差") if g in counts] + sorted(g for g in counts if g not in "优良中差")
    for c, grade in enumerate(["等级", *grades, "合计"], 1):
        _put(ws, r, c, grade, bold=True)
    for c, value in enumerate(["项目数", *[counts[g] for g in grades], len(rows)], 1):
        _put(ws, r + 1, c, value)
    widths = _widths(len(cats), has_reviewer)
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    _row_heights(ws, widths, first=2, last=r + 1)
    pages_wide = print_layout(ws, widths)
    ws.freeze_panes = "E3"
    ws.print_title_rows = "2:2"
    if pages_wide > 1:
        ws.print_title_cols = "A:D"  # 序号 to 项目名称 again on the second page
        # The repeated columns would carry a slice of the merged title row onto the second page ("2019、20"):
        # print the title whole in the page header of every page instead, and leave row 1 out of the print area.
        heading = ws.cell(row=1, column=1).value
        ws.oddHeader.center.text = str(heading).replace("&", "&&")
        ws.oddHeader.center.size = 16
        ws.oddHeader.center.font = "黑体,Bold"
        ws.page_margins.top = 0.9
        ws.page_margins.header = 0.35
        ws.print_area = f"A2:{get_column_letter(len(heads))}{r + 1}"
    _charts_sheet(wb, rows, year_text)
    wb.save(path)


def _charts_sheet(wb: Workbook, rows: list[SummaryRow], year_text: str) -> None:
    """图表: the overview's four charts (native Excel charts) on the first page, their figures in tables below."""
    from openpyxl.chart import BarChart, Reference, ScatterChart, Series

    ws = wb.create_sheet("图表")
    ws.cell(row=1, column=1, value=f"{year_text}年度绩效自评结果图表" if year_text else "绩效自评结果图表")
    ws.cell(row=1, column=1).font = Font(name="黑体", size=14, bold=True)
    for col, width in zip("ABCDEFGHIJKLMNOPQR", (16, 10, 3, 18, 10, 3, 16, 10) + (9,) * 10, strict=True):
        ws.column_dimensions[col].width = width
    data_top = 40  # the charts take rows 3–38 (one landscape page); their figures follow
    # The left charts (15.5 cm) end inside column H; the right ones start at column I so none covers another's
    # axis labels (at G they hid the unit names under the scatter chart).

    def table(top: int, col: int, heads: tuple[str, str], items: list[tuple[Any, Any]], fmt: str | None) -> int:
        for c, head in enumerate(heads):
            _put(ws, top, col + c, head, bold=True)
        for i, (label, value) in enumerate(items, 1):
            _put(ws, top + i, col, label, AMOUNT_FORMAT if isinstance(label, Decimal) else None)
            _put(ws, top + i, col + 1, value, fmt, align="right")
        return top + len(items)

    def size(chart: BarChart | ScatterChart) -> None:
        chart.height, chart.width = 8.4, 15.5
        chart.legend = None

    def bar(title: str, top: int, bottom: int, col: int, anchor: str, horizontal: bool = False,
            most: Any = None) -> None:
        """A bar chart of the table at ``top``; ``most`` (a count) gives whole-number steps, else a 0–100 score axis."""
        chart = BarChart()
        chart.type = "bar" if horizontal else "col"
        chart.title = title
        size(chart)
        chart.y_axis.scaling.min = 0
        chart.y_axis.number_format = "0"
        if most is None:
            chart.y_axis.scaling.max = 100  # averages on the same 0–100 scale as the grades, not a zoomed axis
            chart.y_axis.majorUnit = 10
        else:
            chart.y_axis.majorUnit = max(1, -(-int(most) // 5))  # counts: never 0.5 of a project
        chart.add_data(Reference(ws, min_col=col + 1, min_row=top, max_row=bottom), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=col, min_row=top + 1, max_row=bottom))
        ws.add_chart(chart, anchor)

    grades = list(yearstats.grade_counts(rows))
    end = table(data_top, 1, ("等级", "项目数"), grades, None)
    bar("等级分布（项目数）", data_top, end, 1, "A3", most=max((n for _, n in grades), default=1))
    top = end + 2
    rates = list(yearstats.rate_bins(rows))
    end = table(top, 1, ("预算执行率", "项目数"), rates, None)
    bar("预算执行率分布（项目数）", top, end, 1, "I3", most=max((n for _, n in rates), default=1))
    units = yearstats.unit_averages(rows)
    end = table(data_top, 4, ("单位", "平均得分"), [(u.unit, u.average) for u in reversed(units)], SCORE_FORMAT)
    bar("各单位平均得分", data_top, end, 4, "I21", horizontal=True)
    pts = yearstats.points(rows)
    end = table(data_top, 7, ("全年预算（万元）", "自评得分"), [(pt.budget, pt.score) for pt in pts], SCORE_FORMAT)
    scatter = ScatterChart()
    scatter.title = "自评得分与全年预算"
    size(scatter)
    scatter.x_axis.title = "全年预算（万元）"
    scatter.y_axis.title = "自评得分"
    scatter.y_axis.scaling.min, scatter.y_axis.scaling.max = 0, 100
    scatter.x_axis.number_format = scatter.y_axis.number_format = "0"
    series = Series(Reference(ws, min_col=8, min_row=data_top + 1, max_row=max(end, data_top + 1)),
                    Reference(ws, min_col=7, min_row=data_top + 1, max_row=max(end, data_top + 1)))
    series.marker.symbol = "circle"
    series.marker.size = 6
    series.marker.graphicalProperties.solidFill = "1D4F91"
    series.marker.graphicalProperties.line.solidFill = "1D4F91"
    series.graphicalProperties.line.noFill = True
    scatter.series.append(series)
    ws.add_chart(scatter, "A21")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 1
    ws.print_area = f"A1:R{data_top - 3}"  # one page of charts; their figures stay in the sheet, unprinted
