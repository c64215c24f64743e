"""A streaming pass over a workbook's sheet XML that stops at the first limit passed (rows, columns, cells,
text), before openpyxl builds anything; it also notes which cells hold formulas."""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import IO, Any

import defusedxml.ElementTree as SafeET

from app.importers.workbook_guard import Limits, WorkbookError

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, part name in the zip) of every worksheet, in workbook order."""
    book = SafeET.fromstring(zf.read("xl/workbook.xml"))
    try:
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        rels = None
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
    out: list[tuple[str, str]] = []
    for elem in book.iter():
        if _local(elem.tag) == "sheet":
            part = targets.get(elem.get(f"{{{_REL}}}id", ""), "")
            if part.startswith("xl/worksheets/"):
                out.append((elem.get("name", ""), part))
    return out


def scan(zf: zipfile.ZipFile, file_name: str, limits: Limits) -> dict[str, set[tuple[int, int]]]:
    """Check every sheet against ``limits``; return the formula cells per sheet title."""
    from app.importers.workbook_cells import address

    sheets = sheet_parts(zf)
    if len(sheets) > limits.max_sheets:
        raise WorkbookError(f"{file_name}：工作表过多（{len(sheets)} 个），不是正常的自评表，已拒绝读取")
    names = set(zf.namelist())
    if "xl/sharedStrings.xml" in names:
        with zf.open("xl/sharedStrings.xml") as fh:
            for _, elem in SafeET.iterparse(fh, events=("end",)):
                if _local(elem.tag) == "t" and elem.text and len(elem.text) > limits.max_cell_chars:
                    raise WorkbookError(f"{file_name}：有单元格文字过长（{len(elem.text)} 字），"
                                        f"超过 {limits.max_cell_chars} 字的上限，已拒绝读取")
                if _local(elem.tag) == "si":
                    elem.clear()
    formulas: dict[str, set[tuple[int, int]]] = {}
    for title, part in sheets:
        if part not in names:
            continue
        with zf.open(part) as fh:
            formulas[title] = _scan_sheet(fh, title, file_name, limits, address)
    return formulas


def _scan_sheet(fh: IO[bytes], title: str, file_name: str, limits: Limits, address: Any) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    used = scanned = cells = 0
    row_number = 0
    col = 0
    row_used = False
    too_many_rows = f"{file_name}：工作表“{title}”的行数过多（超过 {limits.max_rows} 行），不是正常的自评表，已拒绝读取"
    for event, elem in SafeET.iterparse(fh, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "row":
                r = elem.get("r")
                row_number = int(r) if r and r.isdigit() else row_number + 1
                col, row_used = 0, False
            continue
        if tag == "c":
            ref = _CELL_REF.match(elem.get("r", ""))
            col = _column_number(ref.group(1)) if ref else col + 1
            has_value = False
            for child in elem:
                name = _local(child.tag)
                if name == "f":
                    found.add((row_number, col))
                    has_value = True
                text = child.text if name == "v" else "".join(child.itertext()) if name == "is" else None
                if text:
                    has_value = True
                    if len(text) > limits.max_cell_chars:
                        raise WorkbookError(f"{address(title, row_number, col)}：单元格文字过长（{len(text)} 字），"
                                            f"超过 {limits.max_cell_chars} 字的上限，已拒绝读取")
            if has_value:
                row_used = True
                cells += 1
                if col > limits.max_columns:
                    raise WorkbookError(f"{file_name}：工作表“{title}”的列数过多（超过 {limits.max_columns} 列），"
                                        "不是正常的自评表，已拒绝读取")
                if cells > limits.max_cells:
                    raise WorkbookError(f"{file_name}：工作表“{title}”的单元格过多，不是正常的自评表，已拒绝读取")
            elem.clear()
        elif tag == "row":
            scanned += 1
            used += row_used
            if used > limits.max_rows or scanned > limits.max_rows * 20:
                raise WorkbookError(too_many_rows)
            elem.clear()
    return found
