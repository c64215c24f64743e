"""A helper process for the crash tests: it imports the program once, then forks a worker per round that
edits, imports and saves a document in a loop until the test kills it with SIGKILL.

Protocol on stdin/stdout, one line each: ``save PATH LOG XLSX FIRST_STEP`` or ``edit PATH LOG`` → the worker's pid;
``wait PID`` → its exit status. A worker writes one line to LOG before and after every step, with os.write
(no buffering), so what the killed worker got to is on disk."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

from app.importers.workbook import read_workbook
from app.models.document import Document
from app.scoring.templates import load_directory

TEMPLATES = load_directory(Path(__file__).resolve().parents[2] / "resources" / "templates")


def _log(fd: int, **fields: object) -> None:
    os.write(fd, (json.dumps(fields, ensure_ascii=False) + "\n").encode())


def _state(doc: Document) -> list[str]:
    return sorted(s.name for s in doc.list_projects())


def save_loop(path: Path, log: int, xlsx: Path, step: int) -> None:
    """Edit or import, then save, forever; each save is announced with the state it will write."""
    doc = Document.open(path)
    first = doc.list_projects()[0].id
    while True:
        step += 1
        before = _state(doc)
        if step % 3 == 0:
            for project, template in read_workbook(xlsx, TEMPLATES).pairs:
                doc.add_project(replace(project, name=f"导入{step}"), template)
        else:
            doc.update_project(replace(doc.load_project(first), name=f"版本{step}"))
        after = _state(doc)
        _log(log, event="saving", before=before, after=after, t=time.monotonic())
        doc.save()
        _log(log, event="saved", state=after, t=time.monotonic())


def edit_loop(path: Path, log: int) -> None:
    """Edits committed to the working copy, never saved; each announced once committed."""
    doc = Document.open(path)
    first = doc.list_projects()[0].id
    step = 0
    while True:
        step += 1
        doc.update_project(replace(doc.load_project(first), name=f"未保存的修改{step}"))
        _log(log, event="committed", step=step)


def main() -> None:
    for line in sys.stdin:
        parts = line.split()
        if parts[0] == "wait":
            _, status = os.waitpid(int(parts[1]), 0)
            print(status, flush=True)
            continue
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                log = os.open(parts[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                if parts[0] == "save":
                    save_loop(Path(parts[1]), log, Path(parts[3]), int(parts[4]))
                else:
                    edit_loop(Path(parts[1]), log)
            except BaseException:
                traceback.print_exc()
                code = 3
            os._exit(code)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
