"""Hostile and broken workbooks, built cheaply (the big ones are streamed into the zip, never held in memory)."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from pathlib import Path

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def small_workbook(path: Path) -> Path:
    """A genuine, tiny 自评表 (header and two indicator rows)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2021年度项目支出绩效自评表"])
    ws.append(["项目名称", "测试项目"])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    ws.append(["产出指标", "数量指标", "培训人数", "≥100人", "100人", 50, 50])
    ws.append(["效益指标", "社会效益指标", "群众满意", "提高", "90%", 50, 45])
    wb.save(path)
    return path


def replace_entry(source: Path, target: Path, name: str, writer: object) -> Path:
    """Copy the zip ``source`` to ``target`` with entry ``name`` replaced: ``writer`` is bytes, or a callable
    that writes into the open entry (for content too big to hold in memory)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == name:
                continue
            zout.writestr(info, zin.read(info.filename))
        if callable(writer):
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            info._compresslevel = 1  # type: ignore[attr-defined]  # fast: these entries are large
            with zout.open(info, "w", force_zip64=True) as fh:
                writer(fh)
        else:
            assert isinstance(writer, bytes)
            zout.writestr(name, writer)
    return target


def million_rows(path: Path, tmp: Path, rows: int = 1_000_000) -> Path:
    """A valid workbook whose sheet has ``rows`` used rows, written as XML straight into the zip stream."""
    base = small_workbook(tmp / "_base_million.xlsx")

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(_SHEET_HEAD.encode())
        chunk: list[str] = []
        for r in range(1, rows + 1):
            chunk.append(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>')
            if len(chunk) == 10_000:
                fh.write("".join(chunk).encode())
                chunk.clear()
        fh.write("".join(chunk).encode())
        fh.write(_SHEET_TAIL.encode())

    return replace_entry(base, path, SHEET, write)


def zip_bomb(path: Path, tmp: Path, megabytes: int = 30) -> Path:
    """A workbook whose sheet inflates from a few KB to ``megabytes`` MB of blanks."""
    base = small_workbook(tmp / "_base_bomb.xlsx")
    block = b" " * (1 << 20)

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(_SHEET_HEAD.encode())
        for _ in range(megabytes):
            fh.write(block)
        fh.write(_SHEET_TAIL.encode())

    return replace_entry(base, path, SHEET, write)


def many_entries(path: Path, count: int = 3000) -> Path:
    base = small_workbook(path.with_name("_base_many.xlsx"))
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        for i in range(count):
            zout.writestr(f"xl/media/x{i}.bin", b"")
    return path


def billion_laughs(path: Path, tmp: Path) -> Path:
    lol = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                     for i in range(1, 10)]
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE worksheet [' + "".join(lol) + "]>\n"
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return replace_entry(small_workbook(tmp / "_base_lol.xlsx"), path, SHEET, xml.encode())


def external_entity(path: Path, tmp: Path) -> Path:
    xml = ('<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')
    return replace_entry(small_workbook(tmp / "_base_xxe.xlsx"), path, SHEET, xml.encode())


def utf16_doctype(path: Path, tmp: Path) -> Path:
    xml = ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE w [<!ENTITY a "b">]>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    return replace_entry(small_workbook(tmp / "_base_u16.xlsx"), path, SHEET, xml.encode("utf-16"))


def long_cell(path: Path, chars: int = 20_000) -> Path:
    wb = openpyxl.load_workbook(small_workbook(path))
    wb.active["H4"] = "很" * chars  # type: ignore[index]
    wb.save(path)
    return path


def wide_sheet(path: Path, columns: int = 300) -> Path:
    wb = openpyxl.load_workbook(small_workbook(path))
    wb.active.cell(4, columns, "x")  # type: ignore[union-attr]
    wb.save(path)
    return path


def no_header(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for i in range(20):
        ws.append([f"第{i}行", i, "随便写的内容"])
    wb.save(path)
    return path


def old_xls(path: Path) -> Path:
    """The start of an OLE2 compound file (.xls, .doc, encrypted .xlsx)."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    path.write_bytes(ole + os.urandom(3000))
    return path


def docx(path: Path) -> Path:
    import docx as python_docx

    doc = python_docx.Document()
    doc.add_paragraph("这是一份 Word 文档，不是自评表。")
    doc.save(str(path))
    return path


def truncated(path: Path, good: Path, rng: random.Random) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: rng.randrange(1, len(data) - 1)])
    return path


def bit_flipped(path: Path, good: Path, rng: random.Random, flips: int = 8) -> Path:
    data = bytearray(good.read_bytes())
    for _ in range(flips):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return path


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(SHEET).decode("utf-8")


def merged_everything(path: Path, tmp: Path, ref: str = "A1:XFD1048576") -> Path:
    """A genuine small 自评表 whose sheet declares one merged range over the whole sheet (6 KB on disk)."""
    base = small_workbook(tmp / "_base_merged.xlsx")
    xml = _sheet_xml(base)
    xml = xml.replace("</sheetData>", f'</sheetData><mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>', 1)
    return replace_entry(base, path, SHEET, xml.encode())


def far_cell(path: Path, tmp: Path, ref: str) -> Path:
    """A genuine small 自评表 with one more valued cell at ``ref`` (GR1048576, A1048576)."""
    base = small_workbook(tmp / f"_base_far_{ref}.xlsx")
    xml = _sheet_xml(base)
    row = "".join(ch for ch in ref if ch.isdigit())
    xml = xml.replace("</sheetData>", f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>远</t></is></c></row>'
                      "</sheetData>", 1)
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{ref}"/>', xml)
    return replace_entry(base, path, SHEET, xml.encode())


def sheet_elsewhere(path: Path, tmp: Path, rows: int = 200_000) -> Path:
    """A workbook whose worksheet part lives outside xl/worksheets/ (found only through the relationships),
    holding far more rows than the limit."""
    base = million_rows(tmp / "_base_elsewhere.xlsx", tmp, rows)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = info.filename
            if name == SHEET:
                name = "xl/other/data1.xml"
            elif name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
                data = data.replace(b"worksheets/sheet1.xml", b"other/data1.xml")
            zout.writestr(name, data)
    return path


def declared_everywhere(path: Path, tmp: Path) -> Path:
    """A small 自评表 whose dimension claims the whole sheet."""
    base = small_workbook(tmp / "_base_dimension.xlsx")
    xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', _sheet_xml(base))
    return replace_entry(base, path, SHEET, xml.encode())


def decoy_workbook(path: Path, tmp: Path) -> Path:
    """The workbook openpyxl would read lives at xl/real.xml (named in [Content_Types].xml) with a sheet of
    200 000 rows; a harmless xl/workbook.xml is left as a decoy for the checks."""
    base = sheet_elsewhere(tmp / "_base_decoy.xlsx", tmp)
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b'PartName="/xl/workbook.xml"', b'PartName="/xl/real.xml"')
            elif info.filename == "_rels/.rels":
                data = data.replace(b"xl/workbook.xml", b"xl/real.xml")
            zout.writestr(info.filename, data)
            if info.filename == "xl/workbook.xml":
                zout.writestr("xl/real.xml", data)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                zout.writestr("xl/_rels/real.xml.rels", data)
        zout.writestr("xl/decoy.txt", b"")
    return path
