"""Crash safety as SQLite tests itself: a worker saves (and imports) in a loop and is killed with SIGKILL at
random moments; the file must always pass quick_check and hold the state before or after the interrupted save.
A working copy left by a killed editor is recovered with every committed edit."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.models.document import Document
from app.scoring.records import Template
from tests.importing import hostile
from tests.models.helpers import sample_pairs, write_document

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
ROOT = Path(__file__).resolve().parents[2]
SAVE_ROUNDS = 100
EDIT_ROUNDS = 12


class Zygote:
    def __init__(self) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.robustness.zygote"], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, line: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture()
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    yield z
    z.close()


def _events(log: Path) -> list[dict[str, object]]:
    # the last line may be cut short by the kill
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):
            out.append(json.loads(line))
    return out


def _quick_check(path: Path) -> str:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA quick_check").fetchone()[0])
    finally:
        conn.close()


def _names(path: Path) -> list[str]:
    """The project names in the file, read with plain SQLite (read-only) so the check changes nothing."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted(str(r[0]) for r in conn.execute("SELECT name FROM projects"))
    finally:
        conn.close()


def _kill_at_random(z: Zygote, pid: int, log: Path, rng: random.Random, after: bytes, count: int,
                    pause: float) -> None:
    """Wait until the worker has logged ``after`` ``count`` times, pause at random, kill it with SIGKILL."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not log.exists() or log.read_bytes().count(after) < count):
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, pause))
    os.kill(pid, signal.SIGKILL)
    status = z.ask(f"wait {pid}")
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
        f"the worker stopped by itself (status {status}): {log.read_text(encoding='utf-8')[-2000:]}"


def test_save_and_import_killed_at_random_moments(tmp_path: Path, templates: dict[str, Template],
                                                  zygote: Zygote) -> None:
    path = tmp_path / "项目.jxdb"
    write_document(path, sample_pairs(templates)[:1])
    xlsx = hostile.small_workbook(tmp_path / "自评表.xlsx")
    rng = random.Random(20240501)
    state = _names(path)
    outcomes = {"before": 0, "after": 0}  # kills inside a save, by the state the file was left in
    durations: list[float] = []  # of the saves seen so far: the kills aim at that window
    for round_no in range(SAVE_ROUNDS):
        log = tmp_path / f"save{round_no}.log"
        pid = zygote.ask(f"save {path} {log} {xlsx} {round_no * 10}")
        # aim at a save: after the 1st-3rd "saving", a pause up to a little more than a save takes
        window = 1.2 * sorted(durations)[len(durations) // 2] if durations else 0.02
        _kill_at_random(zygote, pid, log, rng, b'"saving"', rng.randint(1, 3), window)
        events = _events(log)
        durations += [float(b["t"]) - float(a["t"])  # type: ignore[arg-type]
                      for a, b in itertools.pairwise(events) if a["event"] == "saving" and b["event"] == "saved"]
        # the state the file held when the interrupted save began, and the one it was writing
        saved = [e for e in events if e["event"] == "saved"]
        if saved:
            state = saved[-1]["state"]  # type: ignore[assignment]
        last = events[-1] if events else None
        assert _quick_check(path) == "ok", f"round {round_no}"
        bak = path.with_name(path.name + ".bak")
        if bak.exists():
            assert _quick_check(bak) == "ok", f"round {round_no}: .bak"
        now = _names(path)
        if last is not None and last["event"] == "saving":
            assert now in (last["before"], last["after"]), f"round {round_no}: {now} vs {last}"
            outcomes["after" if now == last["after"] and now != last["before"] else "before"] += 1
        else:
            assert now == state, f"round {round_no}: {now} vs {state}"
        state = now
    print(f"{SAVE_ROUNDS} kills: {outcomes}")
    assert sum(outcomes.values()) >= SAVE_ROUNDS // 3  # most kills landed inside a save
    assert len(state) > 1  # imports did happen and were saved


def test_killed_editor_is_recovered_with_every_committed_edit(tmp_path: Path, templates: dict[str, Template],
                                                              zygote: Zygote) -> None:
    rng = random.Random(7)
    for round_no in range(EDIT_ROUNDS):
        path = tmp_path / f"编辑{round_no}.jxdb"
        write_document(path, sample_pairs(templates)[:1])
        original = path.read_bytes()
        log = tmp_path / f"edit{round_no}.log"
        pid = zygote.ask(f"edit {path} {log}")
        _kill_at_random(zygote, pid, log, rng, b"committed", 1, 0.05)
        committed = max(int(e["step"]) for e in _events(log))  # type: ignore[call-overload]
        assert path.read_bytes() == original  # never saved: the user's file is untouched
        infos = [i for i in Document.find_recoverable() if i.original_path == path]
        assert len(infos) == 1, f"round {round_no}"
        doc = Document.recover(infos[0])
        try:
            assert doc.integrity_check() == []
            name = doc.load_project(doc.list_projects()[0].id).name
            # every edit reported as committed is there (the next one may have committed unreported)
            assert name in (f"未保存的修改{committed}", f"未保存的修改{committed + 1}"), (name, committed)
            doc.save()
        finally:
            doc.close()
        assert _names(path)[0].startswith("未保存的修改")
    with Document.open(path, read_only=True) as last:  # and the program opens what was saved
        assert last.integrity_check() == []
