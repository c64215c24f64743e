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
    cell.font = Font(name=_FONT, size=10, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)


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
    ]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总表"
    years = sorted({r.year for r in rows})
    year_text = "、".join(str(y) for y in years)
    ws.cell(row=1, column=1, value=f"{year_text}年度{title}" if years else title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
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
    widths = [6, 18, 18, 34, 14, 14, 10, *[10] * len(cats), 10, 8, *([10] if has_reviewer else [])]
    for c, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    wb.save(path)
