"""Issue 12, classes 9 and 11: a file left in WAL mode by another SQLite tool, and a file replaced on disk
while it was open."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.models.document import Document, JxdbError
from app.scoring.records import Template
from tests.models.helpers import run_app, sample_pairs, write_document


def _wal_snapshot(good: Path, target: Path) -> str:
    """``target``: ``good`` changed by a WAL-mode writer that has not checkpointed (as if it had crashed):
    the new project name is only in ``target-wal``. Returns the new name."""
    work = good.with_name("wal-work.jxdb")
    shutil.copyfile(good, work)
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE projects SET name = '只在WAL里的新名称' WHERE id = (SELECT min(id) FROM projects)")
    shutil.copyfile(work, target)
    shutil.copyfile(work.with_name(work.name + "-wal"), target.with_name(target.name + "-wal"))
    conn.close()
    return "只在WAL里的新名称"


@pytest.fixture
def good(tmp_path: Path, templates: dict[str, Template]) -> Path:
    path = tmp_path / "good.jxdb"
    write_document(path, sample_pairs(templates))
    return path


def test_the_newest_data_of_a_wal_file_is_read(good: Path, tmp_path: Path) -> None:
    target = tmp_path / "wal.jxdb"
    name = _wal_snapshot(good, target)
    with Document.open(target, read_only=True) as doc:
        assert name in [p.name for p in doc.list_projects()]
    res = run_app("dump", str(target))
    assert res.returncode == 0 and name in res.stdout, res.stderr


def test_saving_a_wal_file_leaves_no_stale_sidecar(good: Path, tmp_path: Path) -> None:
    target = tmp_path / "wal.jxdb"
    name = _wal_snapshot(good, target)
    doc = Document.open(target)
    try:
        project = doc.load_project(doc.list_projects()[0].id)
        doc.update_project(project)
        doc.save()
    finally:
        doc.close()
    assert not target.with_name(target.name + "-wal").exists()
    assert not target.with_name(target.name + "-shm").exists()
    conn = sqlite3.connect(target)  # what any SQLite tool sees: sound, with the newer data
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert name in [r[0] for r in conn.execute("SELECT name FROM projects")]
    conn.close()
    res = run_app("check", str(target))
    assert res.returncode == 0, res.stderr


def test_a_stale_wal_beside_a_saved_file_is_removed_by_save(good: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.jxdb"
    _wal_snapshot(good, other)  # a -wal of a different state of the file
    doc = Document.open(good)
    try:
        shutil.copyfile(other.with_name(other.name + "-wal"), good.with_name(good.name + "-wal"))
        doc.save()
    finally:
        doc.close()
    assert not good.with_name(good.name + "-wal").exists()
    res = run_app("check", str(good))
    assert res.returncode == 0, res.stderr


def test_save_refuses_to_overwrite_a_file_replaced_on_disk(good: Path, tmp_path: Path,
                                                            templates: dict[str, Template]) -> None:
    doc = Document.open(good)
    try:
        newer = tmp_path / "newer.jxdb"
        write_document(newer, sample_pairs(templates) * 2)
        data = newer.read_bytes()
        good.with_name(good.name + ".tmp-replace").write_bytes(data)
        good.with_name(good.name + ".tmp-replace").replace(good)  # another program saved over it
        assert doc.changed_on_disk()
        with pytest.raises(JxdbError, match="已被其他程序修改"):
            doc.save()
        assert good.read_bytes() == data  # untouched
        doc.save(overwrite=True)  # the user chose 覆盖
        assert not doc.changed_on_disk()
    finally:
        doc.close()
    with Document.open(good) as again:
        assert len(again.list_projects()) == 2
