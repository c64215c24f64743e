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


_WORKBOOK_PART = "xl/workbook.xml"
_WORKSHEET_TYPE = "/worksheet"
_SHARED_STRINGS_TYPE = "/sharedStrings"


def _relationships(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(id, type, part name in the zip) of every relationship of the workbook part."""
    try:
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    out = []
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append((rel.get("Id", ""), rel.get("Type", ""), part))
    return out


def _check_workbook_part(zf: zipfile.ZipFile, file_name: str) -> None:
    """openpyxl finds the workbook through [Content_Types].xml; it must be the part the checks read."""
    try:
        types = SafeET.fromstring(zf.read("[Content_Types].xml"))
    except KeyError:
        return
    for elem in types.iter():
        if _local(elem.tag) == "Override" and ".main+xml" in elem.get("ContentType", "") \
                and "sheet" in elem.get("ContentType", "") and elem.get("PartName", "").lstrip("/") != _WORKBOOK_PART:
            raise WorkbookError(f"{file_name}：工作簿结构不规范（工作簿内容不在标准位置），已拒绝读取。"
                                "请在 Excel 或 WPS 中另存为 .xlsx 后再导入")


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, part name in the zip) of every worksheet, in workbook order, found through the
    workbook's relationships wherever the part lives (openpyxl reads them from there too)."""
    book = SafeET.fromstring(zf.read(_WORKBOOK_PART))
    targets = {rid: part for rid, _, part in _relationships(zf)}
    out: list[tuple[str, str]] = []
    for elem in book.iter():
        if _local(elem.tag) == "sheet":
            part = targets.get(elem.get(f"{{{_REL}}}id", ""), "")
            if part:
                out.append((elem.get("name", ""), part))
    return out


def _merged_area(ref: str) -> int:
    """How many cells a merged range such as "A1:C3" covers; a malformed range counts as huge."""
    parts = ref.upper().split(":")
    corners = [_CELL_REF.match(p) for p in parts]
    if len(parts) != 2 or not all(corners):
        return 1 if len(parts) == 1 and corners[0] else 10**12
    (c1, r1), (c2, r2) = ((_column_number(m.group(1)), int(m.group(2))) for m in corners if m)
    return (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)


def scan(zf: zipfile.ZipFile, file_name: str, limits: Limits) -> dict[str, set[tuple[int, int]]]:
    """Check every sheet against ``limits``; return the formula cells per sheet title."""
    from app.importers.workbook_cells import address

    _check_workbook_part(zf, file_name)
    sheets = sheet_parts(zf)
    if len(sheets) > limits.max_sheets:
        raise WorkbookError(f"{file_name}：工作表过多（{len(sheets)} 个），不是正常的自评表，已拒绝读取")
    names = set(zf.namelist())
    strings = {part for _, kind, part in _relationships(zf) if kind.endswith(_SHARED_STRINGS_TYPE)}
    for shared in sorted((strings | {"xl/sharedStrings.xml"}) & names):
        with zf.open(shared) as fh:
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
    used = scanned = cells = elements = merged = 0
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
            elements += 1
            if elements > limits.max_cell_elements:
                raise WorkbookError(f"{file_name}：工作表“{title}”的单元格过多，不是正常的自评表，已拒绝读取")
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
                if ((ref and int(ref.group(2))) or row_number) > limits.max_row_number:
                    raise WorkbookError(f"{file_name}：工作表“{title}”第 {ref.group(2) if ref else row_number} 行"
                                        f"有内容，超出自评表的范围（{limits.max_row_number} 行），已拒绝读取")
                if col > limits.max_columns:
                    raise WorkbookError(f"{file_name}：工作表“{title}”的列数过多（超过 {limits.max_columns} 列），"
                                        "不是正常的自评表，已拒绝读取")
                if cells > limits.max_cells:
                    raise WorkbookError(f"{file_name}：工作表“{title}”的单元格过多，不是正常的自评表，已拒绝读取")
            elem.clear()
        elif tag == "mergeCell":
            merged += _merged_area(elem.get("ref", ""))
            if merged > limits.max_merged_cells:
                raise WorkbookError(f"{file_name}：工作表“{title}”的合并单元格范围过大"
                                    f"（{elem.get('ref', '')[:30]}），不是正常的自评表，已拒绝读取")
            elem.clear()
        elif tag == "row":
            scanned += 1
            used += row_used
            if used > limits.max_rows or scanned > limits.max_rows * 20:
                raise WorkbookError(too_many_rows)
            elem.clear()
    return found
