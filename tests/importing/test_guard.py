"""Hostile workbooks are refused before openpyxl parses them, with one Chinese sentence and nothing imported."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from app.importers.workbook import WorkbookError, read_workbook
from app.importers.workbook_guard import Limits
from app.importers.workbook_scan import sheet_parts
from tests.importing import hostile


def test_openpyxl_uses_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True


def test_defusedxml_alone_would_stop_billion_laughs(tmp_path: Path) -> None:
    """Belt and braces: even without our DOCTYPE scan, openpyxl (with defusedxml) refuses the entities."""
    path = hostile.billion_laughs(tmp_path / "lol.xlsx", tmp_path)
    with pytest.raises(Exception) as info:
        openpyxl.load_workbook(path)
    chain: list[BaseException] = []
    exc: BaseException | None = info.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(type(e).__module__.startswith("defusedxml") for e in chain), chain


@pytest.mark.parametrize(("make", "message"), [
    (lambda p, t: hostile.billion_laughs(p, t), "DOCTYPE/ENTITY"),
    (lambda p, t: hostile.external_entity(p, t), "DOCTYPE/ENTITY"),
    (lambda p, t: hostile.utf16_doctype(p, t), "DOCTYPE/ENTITY"),
    (lambda p, t: hostile.zip_bomb(p, t), "压缩炸弹"),
    (lambda p, t: hostile.many_entries(p), "文件过多"),
    (lambda p, t: hostile.long_cell(p), "单元格文字过长（20000 字）"),
    (lambda p, t: hostile.wide_sheet(p), "列数过多"),
    (lambda p, t: hostile.no_header(p), "没有找到项目支出绩效自评表"),
    (lambda p, t: hostile.old_xls(p), "旧版 Excel（.xls）"),
    (lambda p, t: hostile.docx(p), "这是 Word 文档（.docx）"),
], ids=["billion_laughs", "xxe", "utf16_doctype", "zip_bomb", "many_entries", "long_cell", "wide", "no_header",
        "xls", "docx"])
def test_hostile_workbooks_are_refused(tmp_path: Path, templates: dict, make: object, message: str) -> None:
    path = make(tmp_path / "x.xlsx", tmp_path)  # type: ignore[operator]
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, templates)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_limits_are_settings(tmp_path: Path, templates: dict) -> None:
    path = hostile.small_workbook(tmp_path / "s.xlsx")
    assert read_workbook(path, templates).projects
    with pytest.raises(WorkbookError, match="行数过多（超过 3 行）"):
        read_workbook(path, templates, Limits(max_rows=3))
    with pytest.raises(WorkbookError, match="列数过多"):
        read_workbook(path, templates, Limits(max_columns=5))
    with pytest.raises(WorkbookError, match="解压后内容过大"):
        read_workbook(path, templates, Limits(max_total_bytes=1000))
    with pytest.raises(WorkbookError, match="单元格文字过长"):
        read_workbook(path, templates, Limits(max_cell_chars=5))
    with pytest.raises(WorkbookError, match="单元格过多"):
        read_workbook(path, templates, Limits(max_cells=4))


def test_a_million_rows_stop_early(tmp_path: Path, templates: dict) -> None:
    path = hostile.million_rows(tmp_path / "m.xlsx", tmp_path, rows=200_000)
    with pytest.raises(WorkbookError, match="行数过多（超过 5000 行）"):
        read_workbook(path, templates)


def test_sheet_parts_follow_the_relationships(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "甲"  # type: ignore[union-attr]
    wb.create_sheet("乙 表")
    wb.save(tmp_path / "two.xlsx")
    with zipfile.ZipFile(tmp_path / "two.xlsx") as zf:
        assert sheet_parts(zf) == [("甲", "xl/worksheets/sheet1.xml"), ("乙 表", "xl/worksheets/sheet2.xml")]


@pytest.mark.parametrize("seed", range(12))
def test_damaged_copies_of_a_good_workbook(tmp_path: Path, templates: dict, seed: int) -> None:
    """Truncated or bit-flipped: either still readable or a WorkbookError, never anything else."""
    import random

    rng = random.Random(seed)
    good = hostile.small_workbook(tmp_path / "good.xlsx")
    for i in range(5):
        bad = hostile.truncated(tmp_path / f"t{i}.xlsx", good, rng) if i % 2 else hostile.bit_flipped(
            tmp_path / f"f{i}.xlsx", good, rng)
        try:
            read_workbook(bad, templates)
        except WorkbookError as exc:
            assert "\n" not in str(exc) and str(exc)
