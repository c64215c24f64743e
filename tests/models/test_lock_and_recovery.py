"""The owner file seen from a second process, stale locks, and recovery after the program is killed."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from app.models import lock
from app.models.document import Document, LockedError
from app.models.errors import current_machine
from app.scoring.records import Template

from .helpers import run_python, sample_pairs, write_document

HOLDER = """
import sys
from dataclasses import replace
from pathlib import Path
from app.models.document import Document
doc = Document.open(Path(sys.argv[1]))
if len(sys.argv) > 2:
    pid = doc.list_projects()[0].id
    doc.update_project(replace(doc.load_project(pid), name=sys.argv[2]))
print("ready", flush=True)
sys.stdin.readline()
doc.close()
print("closed", flush=True)
"""


@pytest.fixture()
def doc_file(tmp_path: Path, templates: dict[str, Template]) -> Path:
    path = tmp_path / "共享.jxdb"
    write_document(path, sample_pairs(templates))
    return path


def _start_holder(path: Path, *extra: str) -> object:
    proc = run_python(HOLDER, str(path), *extra)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read() if proc.stderr else ""
    return proc


def test_second_process_sees_the_lock_and_can_open_read_only(doc_file: Path) -> None:
    proc = _start_holder(doc_file)
    try:
        with pytest.raises(LockedError) as info:
            Document.open(doc_file)
        assert info.value.owner.pid == proc.pid  # type: ignore[attr-defined]
        assert info.value.owner.machine == current_machine()
        assert "已被" in str(info.value) and info.value.owner.user in str(info.value)
        assert "只读" in str(info.value)
        with Document.open(doc_file, read_only=True) as ro:
            assert ro.read_only and len(ro.list_projects()) == 2
        assert lock.read_lock(doc_file) is not None  # the read-only opener left the lock alone
    finally:
        proc.stdin.write("\n")  # type: ignore[attr-defined]
        proc.stdin.flush()  # type: ignore[attr-defined]
        assert proc.stdout.readline().strip() == "closed"  # type: ignore[attr-defined]
        proc.wait(timeout=30)  # type: ignore[attr-defined]
    assert not lock.lock_path(doc_file).exists()
    with Document.open(doc_file) as doc:
        assert not doc.read_only
        assert lock.read_lock(doc_file) is not None
    assert not lock.lock_path(doc_file).exists()


def test_lock_of_another_machine_is_respected_and_never_stale(doc_file: Path) -> None:
    lock.lock_path(doc_file).write_text(json.dumps({"user": "王五", "machine": "CAIZHENGJU-PC", "pid": 1,
                                                    "since": "2024-05-01T09:30:00"}), encoding="utf-8")
    with pytest.raises(LockedError, match="王五（计算机 CAIZHENGJU-PC，2024-05-01 09:30 起）"):
        Document.open(doc_file)
    owner = lock.read_lock(doc_file)
    assert owner is not None and owner.since == datetime(2024, 5, 1, 9, 30) and not lock.is_stale(owner)


def test_unreadable_lock_counts_as_busy_only_while_fresh(doc_file: Path) -> None:
    path = lock.lock_path(doc_file)
    path.write_bytes(b"\x00garbage")
    with pytest.raises(LockedError, match="未知用户"):
        Document.open(doc_file)
    old = time.time() - 3600
    os.utime(path, (old, old))
    with Document.open(doc_file) as doc:
        assert not doc.read_only
        owner = lock.read_lock(doc_file)
        assert owner is not None and owner.pid == os.getpid()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_process_leaves_a_stale_lock_and_a_recoverable_working_copy(doc_file: Path) -> None:
    before = doc_file.read_bytes()
    proc = _start_holder(doc_file, "崩溃前的修改")
    os.kill(proc.pid, signal.SIGKILL)  # type: ignore[attr-defined]
    proc.wait(timeout=30)  # type: ignore[attr-defined]
    assert doc_file.read_bytes() == before  # the user's file is untouched by the edit
    owner = lock.read_lock(doc_file)
    assert owner is not None and owner.pid == proc.pid and lock.is_stale(owner)  # type: ignore[attr-defined]

    [info] = Document.find_recoverable()
    assert info.original_path == doc_file
    doc = Document.recover(info)
    try:
        assert doc.modified and not doc.read_only and doc.path == doc_file
        names = [s.name for s in doc.list_projects()]
        assert "崩溃前的修改" in names
        assert lock.read_lock(doc_file).pid == os.getpid()  # type: ignore[union-attr]
        assert Document.find_recoverable() == []  # it is ours now
        doc.save()
        assert not doc.modified
    finally:
        doc.close()
    with Document.open(doc_file, read_only=True) as again:
        assert "崩溃前的修改" in [s.name for s in again.list_projects()]
    assert Document.find_recoverable() == []


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_discarding_a_recoverable_copy(doc_file: Path) -> None:
    proc = _start_holder(doc_file, "不要了")
    os.kill(proc.pid, signal.SIGKILL)  # type: ignore[attr-defined]
    proc.wait(timeout=30)  # type: ignore[attr-defined]
    [info] = Document.find_recoverable()
    Document.discard_recoverable(info)
    assert not info.working_path.exists()
    assert Document.find_recoverable() == []
    with Document.open(doc_file) as doc:  # the stale lock is taken over
        assert "不要了" not in [s.name for s in doc.list_projects()]


def test_clean_working_copies_of_dead_processes_are_not_offered(doc_file: Path) -> None:
    from app.models import recovery

    doc = Document.open(doc_file)
    working = doc.working_path
    data = json.loads(recovery.sidecar_path(working).read_text(encoding="utf-8"))
    assert data == {"original": str(doc_file), "pid": os.getpid(), "dirty": False, "written": data["written"]}
    assert Document.find_recoverable() == []  # our own process is alive
    doc.update_project(replace(doc.load_project(1), name="改"))
    assert json.loads(recovery.sidecar_path(working).read_text(encoding="utf-8"))["dirty"] is True
    doc.close()
    assert not working.exists() and not recovery.sidecar_path(working).exists()


def test_recover_when_the_original_is_locked_by_someone_else(doc_file: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from app.models import recovery

    doc = Document.open(doc_file)
    doc.update_project(replace(doc.load_project(1), name="恢复"))
    working = doc.working_path
    doc._dispose()  # simulate a crash: the engine goes away, files stay
    data = json.loads(recovery.sidecar_path(working).read_text(encoding="utf-8"))
    data["pid"] = 999_999_999
    recovery.sidecar_path(working).write_text(json.dumps(data), encoding="utf-8")
    lock.lock_path(doc_file).write_text(json.dumps({"user": "赵六", "machine": "OTHER", "pid": 5,
                                                    "since": "2024-01-01T00:00:00"}), encoding="utf-8")
    [info] = Document.find_recoverable()
    with Document.recover(info) as rec:
        assert rec.modified and rec.read_only  # the other user has the file: save as elsewhere
        assert "恢复" in [s.name for s in rec.list_projects()]
        target = doc_file.with_name("恢复的副本.jxdb")
        rec.save_as(target)
        assert rec.path == target and not rec.read_only and not rec.modified
    with Document.open(target, read_only=True) as saved:
        assert "恢复" in [s.name for s in saved.list_projects()]
