"""Save and Save As: atomic replace, the .bak generation, full disk, read-only files and folders."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.models import jxdb, lock
from app.models.document import Document, JxdbError, LockedError
from app.scoring.records import Template

from .helpers import sample_pairs, write_document


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def doc_file(tmp_path: Path, templates: dict[str, Template]) -> Path:
    path = tmp_path / "项目.jxdb"
    write_document(path, sample_pairs(templates))
    return path


def _rename_first(doc: Document, name: str) -> None:
    pid = doc.list_projects()[0].id
    doc.update_project(replace(doc.load_project(pid), name=name))


def test_save_replaces_the_file_and_keeps_the_previous_one(doc_file: Path) -> None:
    original = doc_file.read_bytes()
    with Document.open(doc_file) as doc:
        _rename_first(doc, "第二版")
        assert doc.modified
        doc.save()
        assert not doc.modified
        assert (doc_file.parent / "项目.jxdb.bak").read_bytes() == original
        _rename_first(doc, "第三版")
        doc.save()
    listing = sorted(p.name for p in doc_file.parent.iterdir())
    assert listing == ["项目.jxdb", "项目.jxdb.bak"]  # no temp file, no lock
    with Document.open(doc_file / ".." / "项目.jxdb", read_only=True) as doc:
        assert doc.list_projects()[0].name == "第三版"
    with Document.open(doc_file.parent / "项目.jxdb.bak".replace(".bak", ""), read_only=True):
        pass
    conn = sqlite3.connect(doc_file.parent / "项目.jxdb.bak")
    assert "第二版" in [r[0] for r in conn.execute("SELECT name FROM projects")]
    conn.close()


def test_close_without_saving_discards_changes(doc_file: Path) -> None:
    before = _digest(doc_file)
    doc = Document.open(doc_file)
    working = doc.working_path
    _rename_first(doc, "不保存")
    doc.close()
    doc.close()  # twice is harmless
    assert _digest(doc_file) == before
    assert not working.exists() and not lock.lock_path(doc_file).exists()
    with pytest.raises(JxdbError, match="已关闭"):
        doc.list_projects()


@pytest.mark.parametrize("where", ["copy", "fsync"])
def test_full_disk_during_save(doc_file: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    before = _digest(doc_file)
    doc = Document.open(doc_file)
    _rename_first(doc, "写不下")

    def partial_copy(source: sqlite3.Connection, tmp: Path) -> None:
        tmp.write_bytes(b"SQLite format 3\x00" + b"\x00" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device")

    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "copy":
        monkeypatch.setattr(jxdb, "_copy_database", partial_copy)
    else:
        monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(JxdbError, match="磁盘空间不足") as info:
        doc.save()
    assert "原文件未被改动" in str(info.value)
    assert _digest(doc_file) == before
    assert sorted(p.name for p in doc_file.parent.iterdir()) == ["~$项目.jxdb", "项目.jxdb"]
    assert doc.modified  # nothing was lost: save again once there is room
    monkeypatch.setattr(os, "fsync", real_fsync)
    monkeypatch.undo()
    doc.save()
    doc.close()
    with Document.open(doc_file, read_only=True) as again:
        assert again.list_projects()[0].name == "写不下"


def test_sqlite_full_error_is_reported_as_full_disk(doc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(source: sqlite3.Connection, tmp: Path) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(jxdb, "_copy_database", full)
    with Document.open(doc_file) as doc, pytest.raises(JxdbError, match="磁盘空间不足"):
        doc.save()


def test_read_only_folder_opens_read_only_and_offers_save_as(doc_file: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("app.models.document._writable", lambda path: False)
    before = _digest(doc_file)
    doc = Document.open(doc_file)
    try:
        assert doc.read_only
        assert not lock.lock_path(doc_file).exists()
        _rename_first(doc, "只读时的修改")
        with pytest.raises(JxdbError, match=r"只读方式打开.*另存为"):
            doc.save()
        assert _digest(doc_file) == before
        elsewhere = tmp_path / "其他位置" / "副本.jxdb"
        elsewhere.parent.mkdir()
        doc.save_as(elsewhere)
        assert doc.path == elsewhere and not doc.read_only and not doc.modified
        assert lock.read_lock(elsewhere) is not None
    finally:
        doc.close()
    assert not lock.lock_path(elsewhere).exists()
    with Document.open(elsewhere, read_only=True) as copy:
        assert copy.list_projects()[0].name == "只读时的修改"


def test_folder_that_refuses_the_lock_opens_read_only(doc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(document: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(lock, "acquire", refuse)
    with Document.open(doc_file) as doc:
        assert doc.read_only


def test_save_into_a_folder_without_write_permission(doc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(source: sqlite3.Connection, tmp: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(jxdb, "_copy_database", denied)
    before = _digest(doc_file)
    with Document.open(doc_file) as doc, pytest.raises(JxdbError, match=r"没有权限写入文件夹.*另存为"):
        doc.save()
    assert _digest(doc_file) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_real_read_only_folder(doc_file: Path) -> None:  # pragma: no cover - runs as a normal user
    doc_file.parent.chmod(0o555)
    try:
        with Document.open(doc_file) as doc:
            assert doc.read_only
            with pytest.raises(JxdbError, match="另存为"):
                doc.save()
    finally:
        doc_file.parent.chmod(0o755)


def test_new_document_needs_save_as(tmp_path: Path, seed000: tuple) -> None:
    project, template = seed000
    with Document.new() as doc:
        assert doc.path is None and not doc.modified
        doc.add_project(project, template)
        with pytest.raises(JxdbError, match="另存为"):
            doc.save()
        target = tmp_path / "新建.jxdb"
        doc.save_as(target)
        assert doc.path == target and not doc.modified
        assert lock.read_lock(target) is not None
        with pytest.raises(JxdbError, match="文件夹"):
            doc.save_as(tmp_path)
    with Document.open(target) as again:
        assert again.load_project(1).name == project.name


def test_save_as_moves_the_lock(doc_file: Path, tmp_path: Path) -> None:
    with Document.open(doc_file) as doc:
        target = tmp_path / "另一个.jxdb"
        doc.save_as(target)
        assert not lock.lock_path(doc_file).exists()
        assert lock.read_lock(target) is not None
        _rename_first(doc, "只改了副本")
        doc.save()
    with Document.open(doc_file, read_only=True) as first:
        assert first.list_projects()[0].name != "只改了副本"


def test_save_as_onto_a_file_someone_else_has_open(doc_file: Path, tmp_path: Path) -> None:
    import json

    other = tmp_path / "别人的.jxdb"
    other.write_bytes(doc_file.read_bytes())
    lock.lock_path(other).write_text(json.dumps({"user": "孙七", "machine": "PC-2", "pid": 3,
                                                 "since": "2024-01-01T08:00:00"}), encoding="utf-8")
    with Document.open(doc_file) as doc:
        with pytest.raises(LockedError, match="孙七"):
            doc.save_as(other)
        assert doc.path == doc_file
    assert other.read_bytes() == doc_file.read_bytes()


def test_working_copy_write_failure_is_a_clear_error(doc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models import mapping

    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    with Document.open(doc_file) as doc:
        project = doc.load_project(1)
        monkeypatch.setattr(mapping, "update_project", full)
        with pytest.raises(JxdbError, match="本机磁盘空间不足"):
            doc.update_project(project)


def test_save_as_into_a_missing_folder(doc_file: Path, tmp_path: Path) -> None:
    with Document.open(doc_file) as doc:
        with pytest.raises(JxdbError, match="不存在") as info:
            doc.save_as(tmp_path / "没有这个文件夹" / "x.jxdb")
        assert doc.path == doc_file
    assert all(ord(ch) > 127 or not ch.isalpha() or ch in "jxdb" for ch in str(info.value).replace(str(tmp_path), ""))


def test_os_errors_are_explained_in_chinese() -> None:
    from app.models.errors import reason

    assert reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足"
    assert reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert reason(sqlite3.OperationalError("attempt to write a readonly database")) == "文件或磁盘是只读的"
    assert reason(OSError(errno.ELOOP, "Too many levels")) == f"系统错误代码 {errno.ELOOP}"
    assert reason(sqlite3.DatabaseError("file is not a database")) == "数据库错误"


def test_no_room_for_the_working_copy(doc_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models import recovery

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recovery, "write_sidecar", full)
    with pytest.raises(JxdbError, match="无法在本机创建工作副本（磁盘空间不足）"):
        Document.open(doc_file)
    assert not lock.lock_path(doc_file).exists()
    with pytest.raises(JxdbError, match="无法在本机创建工作副本"):
        Document.new()
