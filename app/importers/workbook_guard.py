"""Checks a workbook file before openpyxl touches it: real .xlsx, no zip bomb, no XML entities, sane size."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.models.errors import JxdbError
from app.models.regular import NOT_A_FILE, is_special

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx


@dataclass(frozen=True)
class Limits:
    """What a 自评表 workbook may hold; a real one is far below every figure."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_entries: int = 2_000
    max_total_bytes: int = 100 * 1024 * 1024  # sum of uncompressed sizes
    max_entry_bytes: int = 60 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per entry and overall
    max_rows: int = 5_000  # used rows per sheet
    max_columns: int = 200
    max_cells: int = 200_000  # cells holding a value, per sheet
    max_cell_chars: int = 10_000
    max_sheets: int = 100
    max_row_number: int = 10_000  # no valued cell below this row (A1048576 would make every loop long)
    max_merged_cells: int = 100_000  # cells covered by merged ranges, per sheet (openpyxl makes one object each)
    max_cell_elements: int = 500_000  # <c> elements per sheet, with or without a value


DEFAULT_LIMITS = Limits()
_SCAN_CHUNK = 1 << 16
_FORBIDDEN_XML = (b"<!DOCTYPE", b"<!ENTITY")


class WorkbookError(JxdbError, ValueError):
    """A workbook that cannot be imported; str(exc) says in Chinese what is wrong and what to do.
    Nothing is imported when it is raised."""


def check_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse anything that is not a plain, reasonably sized .xlsx before it is parsed."""
    name = path.name
    if path.is_dir():
        raise WorkbookError(f"{name}：这是一个文件夹，请选择 Excel 工作簿（.xlsx）")
    if is_special(path):
        raise WorkbookError(f"{name}：{NOT_A_FILE}，请选择 Excel 工作簿（.xlsx）")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(f"{name}：文件是空的（0 字节），不是 Excel 工作簿，请检查文件是否完整")
    if size > limits.max_file_bytes:
        raise WorkbookError(f"{name}：文件过大（{size // (1024 * 1024)} MB），不像是自评表，请检查文件")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise WorkbookError(f"{name}：这是旧版 Excel（.xls）文件或加密的工作簿，本程序只能读取 .xlsx。"
                            "请在 Excel 或 WPS 中打开它，去掉密码后“另存为”Excel 工作簿（.xlsx）再导入")
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookError(f"{name}：不是 Excel 工作簿（.xlsx），文件内容与扩展名不符。"
                            "请在 Excel 或 WPS 中另存为 .xlsx 后再导入")
    try:
        with zipfile.ZipFile(path) as zf:
            _check_archive(zf, name, limits)
    except WorkbookError:
        raise
    except Exception as exc:  # zipfile, zlib and struct raise many kinds on a damaged archive
        raise WorkbookError(f"{name}：文件已损坏（压缩包结构有误），无法读取。"
                            "请重新获取或在 Excel 中另存后再导入") from exc


def _check_archive(zf: zipfile.ZipFile, name: str, limits: Limits) -> None:
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if len(infos) > limits.max_entries:
        raise WorkbookError(f"{name}：压缩包内文件过多（{len(infos)} 个），不是正常的自评表，已拒绝读取")
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise WorkbookError(f"{name}：这是 Word 文档（.docx），不是 Excel 工作簿。请选择自评表的 .xlsx 文件")
        if "ppt/presentation.xml" in names:
            raise WorkbookError(f"{name}：这是 PowerPoint 演示文稿，不是 Excel 工作簿。请选择自评表的 .xlsx 文件")
        raise WorkbookError(f"{name}：不是 Excel 工作簿（压缩包中没有工作簿内容）。请选择自评表的 .xlsx 文件")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.max_total_bytes or any(i.file_size > limits.max_entry_bytes for i in infos):
        raise WorkbookError(f"{name}：解压后内容过大（{total // (1024 * 1024)} MB），可能是恶意构造的文件，已拒绝读取")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise WorkbookError(f"{name}：压缩比异常（可能是“压缩炸弹”），已拒绝读取")
    if total > 1024 * 1024 and total > limits.max_ratio * max(packed, 1):
        raise WorkbookError(f"{name}：压缩比异常（可能是“压缩炸弹”），已拒绝读取")
    for info in infos:
        if info.filename.endswith((".xml", ".rels", ".vml")):
            _scan_xml(zf, info, name, limits)


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    """Refuse DTDs and entity declarations (billion laughs, external entities); read with a hard cap so a
    lying size header cannot make us inflate more than the limit."""
    read = 0
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > limits.max_entry_bytes:
                raise WorkbookError(f"{name}：解压后内容过大，可能是恶意构造的文件，已拒绝读取")
            window = (tail + chunk).upper()
            if any(marker in window for marker in _FORBIDDEN_XML) or _utf16_marker(tail + chunk):
                raise WorkbookError(f"{name}：工作簿中含有不允许的 XML 声明（DOCTYPE/ENTITY），"
                                    "可能是恶意构造的文件，已拒绝读取")
            tail = chunk[-32:]


def _utf16_marker(data: bytes) -> bool:
    """The same declarations written in UTF-16 (either byte order)."""
    for marker in _FORBIDDEN_XML:
        text = marker.decode("ascii")
        if text.encode("utf-16-le") in data or text.encode("utf-16-be") in data:
            return True
    return False
