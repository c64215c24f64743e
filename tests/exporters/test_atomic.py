"""Atomic writes: never a half file, never a silent overwrite when the caller says no, Chinese messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.exporters.atomic import ExportError, atomic_write
from app.exporters.word import export_docx


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    atomic_write(target, lambda tmp: tmp.write_text("一"))
    atomic_write(target, lambda tmp: tmp.write_text("二"))
    assert target.read_text() == "二"
    assert _leftovers(tmp_path) == []


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "报告.docx"
    target.write_text("旧内容")

    def broken(tmp: Path) -> None:
        tmp.write_text("半个文件")
        raise OSError(28, "No space left on device")

    with pytest.raises(ExportError, match="磁盘空间不足"):
        atomic_write(target, broken)
    assert target.read_text() == "旧内容"
    assert _leftovers(tmp_path) == []


def test_exception_from_the_writer_is_not_swallowed(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"

    def bug(tmp: Path) -> None:
        raise ValueError("bug")

    with pytest.raises(ValueError):
        atomic_write(target, bug)
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_no_overwrite_refuses_an_existing_file(tmp_path: Path, seed000: tuple) -> None:
    from app.scoring.engine import score_project

    project, template = seed000
    target = tmp_path / "报告.docx"
    target.write_bytes(b"user's file")
    with pytest.raises(ExportError, match="已存在"):
        export_docx(project, template, score_project(project, template), target, overwrite=False)
    assert target.read_bytes() == b"user's file"


def test_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="不存在"):
        atomic_write(tmp_path / "没有" / "a.pdf", lambda tmp: tmp.write_text("x"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_folder_is_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="没有权限"):
            atomic_write(folder / "a.pdf", lambda tmp: tmp.write_text("x"))
    finally:
        folder.chmod(0o700)


def test_permission_error_message_names_the_open_file_case(tmp_path: Path) -> None:
    def denied(tmp: Path) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.raises(ExportError) as info:
        atomic_write(tmp_path / "a.xlsx", denied)
    assert "没有权限" in str(info.value) and "关闭" in str(info.value)
