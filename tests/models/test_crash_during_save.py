"""Like SQLite's crash tests: a process saving in a loop is killed at random moments; the file is always
either the previous or the next saved state, and passes quick_check."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from app.models.document import Document
from app.scoring.records import Template

from .helpers import run_python, sample_pairs, write_document

SAVER = """
import sys
from dataclasses import replace
from pathlib import Path
from app.models.document import Document
doc = Document.open(Path(sys.argv[1]))
pid = doc.list_projects()[0].id
n = 0
while True:
    n += 1
    doc.update_project(replace(doc.load_project(pid), name=f"第{n}版"))
    doc.save()
    print(n, flush=True)
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_while_saving(tmp_path: Path, templates: dict[str, Template]) -> None:
    path = tmp_path / "保存中.jxdb"
    write_document(path, sample_pairs(templates)[:1])
    rng = random.Random(20240501)
    for _round in range(3):
        proc = run_python(SAVER, str(path))
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.strip().isdigit(), proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        rest = proc.stdout.read().split()
        last_reported = int(rest[-1]) if rest else int(first)
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            [name] = [r[0] for r in conn.execute("SELECT name FROM projects")]
        finally:
            conn.close()
        saved = int(name.removeprefix("第").removesuffix("版"))
        assert saved in (last_reported, last_reported + 1)  # old state or the one being saved
        for leftover in (path.with_name(path.name + ".tmp~"), path.with_name(path.name + ".bak.tmp~")):
            leftover.unlink(missing_ok=True)  # a kill mid-save may leave a temp file; the next save removes it
        # the stale lock and the working copy of the killed process do not block the next round
        with Document.open(path) as doc:
            assert doc.list_projects()[0].name == name
        for info in Document.find_recoverable():
            Document.discard_recoverable(info)
