"""Read a checked .xlsx into plain grids of cell text, merged cells filled in, within the size limits."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from app.importers.workbook_guard import DEFAULT_LIMITS, Limits, WorkbookError, check_file
from app.importers.workbook_scan import scan
from app.models.errors import reason
from app.scoring.numbers import fmt_decimal

_UNIT_FORMAT = re.compile(r'"([^"]{1,8})"\s*$')
_PERCENT_PLACES = re.compile(r"0(?:\.(0*))?%")
_COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MAX_MERGED_FILL = 1_000_000


def column_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = _COLUMN_LETTERS[rem] + out
    return out


def address(sheet: str, row: int, col: int) -> str:
    """'Sheet1!C7', the sheet name quoted as Excel does when it has spaces or punctuation."""
    name = sheet if re.fullmatch(r"[\w\u4e00-\u9fff]+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letter(col)}{row}"


@dataclass
class Grid:
    """One worksheet as text: ``cells[(row, col)]`` (1-based), merged cells carry their top-left text."""

    name: str
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas_without_value: set[tuple[int, int]] = field(default_factory=set)
    merged_origin: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    max_row: int = 0
    max_col: int = 0

    def text(self, row: int, col: int | None) -> str:
        if col is None:
            return ""
        return self.cells.get((row, col), "").strip()

    def at(self, row: int, col: int) -> str:
        return address(self.name, row, col)

    def row_texts(self, row: int) -> list[tuple[int, str]]:
        """(column, text) of the non-empty cells of a row, left to right."""
        return [(c, t) for c in range(1, self.max_col + 1) if (t := self.text(row, c))]

    def is_merged_copy(self, row: int, col: int) -> bool:
        origin = self.merged_origin.get((row, col))
        return origin is not None and origin != (row, col)

    def rows(self, first: int = 1, last: int | None = None) -> Iterator[int]:
        """The numbers of the rows that hold text, in order, from ``first`` to ``last`` (inclusive)."""
        return iter(sorted(r for r in {r for r, _ in self.cells} if r >= first and (last is None or r <= last)))


def cell_text(value: Any, number_format: str = "General") -> str:
    """What a person sees in the cell: 0.9928 formatted as a percentage reads '99.28%'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        try:
            number = Decimal(value) if isinstance(value, int) else Decimal(format(value, ".15g"))
        except InvalidOperation:
            return str(value)
        fmt = number_format or "General"
        if "%" in fmt:
            places = _PERCENT_PLACES.search(fmt)  # what the person sees: 0.992821 as 0.00% reads 99.28%
            shown = number * 100
            if places is not None:
                shown = shown.quantize(Decimal(1).scaleb(-len(places.group(1) or "")), rounding=ROUND_HALF_UP)
            return fmt_decimal(shown) + "%"
        text = fmt_decimal(number)
        unit = _UNIT_FORMAT.search(fmt)
        return text + unit.group(1) if unit else text
    return str(value)


def read_grids(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Grid]:
    """Every worksheet of ``path`` as a Grid. Raises WorkbookError for anything refused or unreadable."""
    check_file(path, limits)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise WorkbookError("程序缺少安全组件 defusedxml，无法安全读取 Excel 文件。请重新安装本程序")
    name = path.name
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unknown extensions, data validation…
            formulas = _scan_limits(path, limits)
            with path.open("rb") as fh:  # a file object: openpyxl then does not judge by the name (.xls)
                book = openpyxl.load_workbook(fh, data_only=True, read_only=False)
        try:
            return [_grid(ws, formulas.get(ws.title, set())) for ws in book.worksheets]
        finally:
            book.close()
    except (WorkbookError, PermissionError, FileNotFoundError, IsADirectoryError):
        raise
    except DefusedXmlException as exc:
        raise WorkbookError(f"{name}：工作簿中含有不允许的 XML 内容（DOCTYPE/ENTITY），可能是恶意构造的文件，"
                            "已拒绝读取") from exc
    except Exception as exc:
        raise WorkbookError(f"{name}：工作簿内容已损坏或格式不规范，无法读取{_reason(exc)}。"
                            "请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入") from exc


def _reason(exc: BaseException) -> str:
    """A Chinese aside for the refusal; openpyxl's own words (English, e.g. "list index out of range") never."""
    if isinstance(exc, MemoryError):
        return "（内存不足）"
    if isinstance(exc, OSError):
        return f"（{reason(exc)}）"
    return ""


def _scan_limits(path: Path, limits: Limits) -> dict[str, set[tuple[int, int]]]:
    """The streaming limits pass of app.importers.workbook_scan, which also finds the formula cells."""
    with zipfile.ZipFile(path) as zf:
        return scan(zf, path.name, limits)


def _grid(ws: Any, formulas: set[tuple[int, int]]) -> Grid:
    grid = Grid(ws.title)
    # only the cells the sheet holds (iter_rows would create every cell of the rectangle up to the farthest one)
    stored = getattr(ws, "_cells", None)
    cells = sorted(stored.values(), key=lambda c: (c.row, c.column)) if isinstance(stored, dict) else \
        [cell for row in ws.iter_rows() for cell in row]
    for cell in cells:
        value = cell.value
        key = (cell.row, cell.column)
        if value is None:
            if key in formulas:
                grid.formulas_without_value.add(key)
            continue
        text = cell_text(value, cell.number_format)
        if text:
            grid.cells[key] = text
            grid.max_row = max(grid.max_row, cell.row)
            grid.max_col = max(grid.max_col, cell.column)
    budget = _MAX_MERGED_FILL
    for rng in ws.merged_cells.ranges:
        top = (rng.min_row, rng.min_col)
        value = grid.cells.get(top, "")
        # only the area that holds data matters; a hostile A1:XFD1048576 is clipped to it
        last_row, last_col = min(rng.max_row, grid.max_row), min(rng.max_col, grid.max_col)
        for r in range(rng.min_row, last_row + 1):
            for c in range(rng.min_col, last_col + 1):
                budget -= 1
                if budget < 0:
                    raise WorkbookError(f"工作表“{ws.title}”的合并单元格过多，不是正常的自评表，已拒绝读取")
                grid.merged_origin[(r, c)] = top
                if value and (r, c) != top:
                    grid.cells[(r, c)] = value
    return grid
