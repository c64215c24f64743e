"""Working copies in the user data folder: their sidecar files, and finding those left by a crash."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.models.lock import pid_alive
from app.paths import user_data_dir

WORKING_SUFFIX = ".jxdb"
SIDECAR_SUFFIX = ".json"


@dataclass(frozen=True)
class RecoveryInfo:
    """A working copy left behind by a program that stopped without closing its document."""

    working_path: Path
    original_path: Path | None
    modified: datetime


def working_dir() -> Path:
    path = user_data_dir() / "working"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    return user_data_dir() / "backups"


def new_working_path() -> Path:
    return working_dir() / f"{uuid.uuid4().hex}{WORKING_SUFFIX}"


def sidecar_path(working: Path) -> Path:
    return working.with_suffix(SIDECAR_SUFFIX)


def write_sidecar(working: Path, original: Path | None, *, dirty: bool) -> None:
    """Record which document a working copy belongs to, which process owns it, and whether it holds
    changes not yet saved (only such copies are offered for recovery)."""
    data = {"original": str(original) if original is not None else None, "pid": os.getpid(), "dirty": dirty,
            "written": datetime.now().isoformat(timespec="seconds")}
    side = sidecar_path(working)
    tmp = side.with_name(side.name + ".tmp~")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, side)


def read_sidecar(working: Path) -> dict[str, object] | None:
    try:
        data = json.loads(sidecar_path(working).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def remove_working(working: Path) -> None:
    for path in (working, sidecar_path(working), *(working.with_name(working.name + s)
                                                   for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            path.unlink()


def remove_stale() -> int:
    """Remove working copies of processes that are gone and hold no unsaved changes (left by a killed
    export or a crash); copies with unsaved changes stay for recovery. Returns how many were removed."""
    before = len(list(working_dir().glob(f"*{WORKING_SUFFIX}")))
    find_recoverable()  # removes them on the way
    return before - len(list(working_dir().glob(f"*{WORKING_SUFFIX}")))


def find_recoverable() -> list[RecoveryInfo]:
    """Working copies whose owning process is gone and which hold unsaved changes, newest first.
    Copies of dead processes without unsaved changes are removed on the way."""
    out: list[RecoveryInfo] = []
    for working in sorted(working_dir().glob(f"*{WORKING_SUFFIX}")):
        data = read_sidecar(working)
        pid = data.get("pid") if data else None
        if isinstance(pid, int) and pid_alive(pid):
            continue
        if data is None or not data.get("dirty"):
            remove_working(working)
            continue
        original = data.get("original")
        try:
            modified = datetime.fromtimestamp(working.stat().st_mtime)
        except OSError:
            continue
        out.append(RecoveryInfo(working, Path(original) if isinstance(original, str) else None, modified))
    out.sort(key=lambda info: info.modified, reverse=True)
    return out
