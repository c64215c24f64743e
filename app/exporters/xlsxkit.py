"""openpyxl helpers: a formula-safe cell writer, borders on merged ranges, row heights, A4 landscape print setup."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.exporters.text import clean

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LINE_PT = 14.0  # height of one line of 10 pt text
EXCEL_MAX_TEXT = 32767  # characters a cell can hold
TRUNCATED = "……（内容过长，已截断，完整内容见 Word 报告）"
MAX_ROW_HEIGHT = 409.0  # Excel's limit, in points


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    *,
    fmt: str | None = None,
    align: str = "center",
    bold: bool = False,
    size: float = 10,
) -> Cell:
    """Write one cell. Text is always stored as text (data_type 's'), so "=1+1" never becomes a formula."""
    cell: Cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        cell.value = value
        if fmt:
            cell.number_format = fmt
    else:
        text = clean(value)
        if len(text) > EXCEL_MAX_TEXT:
            text = text[: EXCEL_MAX_TEXT - len(TRUNCATED)] + TRUNCATED
        cell.value = text
        cell.data_type = "s"
    cell.font = Font(name=FONT_NAME, size=size, bold=bold)
    cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    return cell


def merge(ws: Worksheet, row1: int, col1: int, row2: int, col2: int) -> None:
    if (row1, col1) != (row2, col2):
        ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


def borders(ws: Worksheet, row1: int, row2: int, col1: int, col2: int) -> None:
    """Thin borders on every cell of the block (merged cells included, so the edges of merges show)."""
    for r in range(row1, row2 + 1):
        for c in range(col1, col2 + 1):
            ws.cell(row=r, column=c).border = BORDER


def text_units(text: str) -> float:
    """Approximate width of a text in Excel column units (a CJK character is about two digits wide)."""
    return sum(1.9 if ord(ch) > 0x2E80 else 1.05 for ch in text)


def lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in clean(text).split("\n"))


def fit_row_heights(ws: Worksheet, first: int, last: int, minimum: float = 20.0) -> None:
    """Set each row tall enough for its wrapped text (Excel does not grow rows by itself on open)."""
    widths: dict[int, float] = {}
    for c in range(1, ws.max_column + 1):
        dim = ws.column_dimensions[get_column_letter(c)]
        widths[c] = float(dim.width or 8.43)
    spans: dict[tuple[int, int], tuple[int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.min_col, rng.max_col)
    columns = range(1, ws.max_column + 1)  # max_column scans every cell: ask once, not per row
    for r in range(first, last + 1):
        need = 1
        for c in columns:
            value = ws.cell(row=r, column=c).value
            if value is None or not isinstance(value, str):
                continue
            nrows, c1, c2 = spans.get((r, c), (1, c, c))
            width = sum(widths[k] for k in range(c1, c2 + 1))
            size = ws.cell(row=r, column=c).font.sz or 10
            lines = lines_needed(value, width * 10 / float(size))
            need = max(need, math.ceil(lines / nrows))
        ws.row_dimensions[r].height = min(max(minimum, need * LINE_PT + 6), MAX_ROW_HEIGHT)


def print_setup(ws: Worksheet, title_rows: str) -> None:
    """A4 landscape, one page wide (fitToPage set, or Excel ignores fitTo), title rows repeated, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 10


def set_widths(ws: Worksheet, widths: list[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def as_number(value: Decimal | None, places: int | None = None) -> Any:
    """A Decimal for a numeric cell (rounded for display-only fractions), or None."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places)) if places is not None else value
