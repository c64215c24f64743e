"""The owner file ``~$name.jxdb`` beside a document: who has it open, and stale-lock detection."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import time
from datetime import datetime
from pathlib import Path

from app.models.errors import LockedError, LockInfo, current_machine, current_user, reason

LOCK_PREFIX = "~$"
#: A lock file that cannot be read is treated as being written right now for this many seconds.
UNREADABLE_GRACE_SECONDS = 10.0


def lock_path(document: Path) -> Path:
    return document.with_name(LOCK_PREFIX + document.name)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return False
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_lock(document: Path) -> LockInfo | None:
    """The owner named in the lock file, or None when there is no readable lock."""
    try:
        data = json.loads(lock_path(document).read_text(encoding="utf-8"))
        return LockInfo(str(data["user"]), str(data["machine"]), int(data["pid"]),
                        datetime.fromisoformat(str(data["since"])))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_ours(info: LockInfo) -> bool:
    return info.machine == current_machine() and info.pid == os.getpid()


def is_stale(info: LockInfo) -> bool:
    """A lock left by a process that no longer runs on this machine (a crash). Locks of other machines
    are never stale: we cannot see their processes."""
    return info.machine == current_machine() and not pid_alive(info.pid)


def _describe_locked(document: Path, owner: LockInfo) -> str:
    return (f"文件“{document.name}”已被 {owner.describe()} 打开。可以以只读方式打开查看，"
            "或等对方关闭后再编辑。")


def acquire(document: Path) -> LockInfo:
    """Write our lock beside ``document``. Raises LockedError when someone else holds a live lock, and
    OSError (e.g. PermissionError) when the folder cannot be written."""
    path = lock_path(document)
    if _is_dir(path):  # a folder has taken the lock's name: say so, never "someone has it open"
        raise IsADirectoryError(errno.EISDIR, "lock name taken by a folder", str(path))
    me = LockInfo(current_user(), current_machine(), os.getpid(), datetime.now().replace(microsecond=0))
    payload = json.dumps({"user": me.user, "machine": me.machine, "pid": me.pid,
                          "since": me.since.isoformat()}, ensure_ascii=False).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        owner = read_lock(document)
        if owner is None:
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime < UNREADABLE_GRACE_SECONDS:
                    raise LockedError(_describe_locked(document, _unknown_owner()), _unknown_owner()) from None
        elif not is_ours(owner) and not is_stale(owner):
            raise LockedError(_describe_locked(document, owner), owner) from None
        _replace(path, payload)
    else:
        try:
            os.write(fd, payload)
        finally:
            os.close(fd)
    _hide(path)
    return me


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:  # Path.is_dir raises for a name that is too long
        return False


def lock_problem(document: Path, exc: OSError) -> str:
    """Why the lock beside ``document`` cannot be written, in Chinese (the document then opens read-only)."""
    name = lock_path(document).name
    if isinstance(exc, IsADirectoryError) or _is_dir(lock_path(document)):
        return f"同一文件夹中有一个名为“{name}”的文件夹，占用了锁定文件的名字；请删除或改名该文件夹"
    if exc.errno == errno.ENAMETOOLONG:
        return "文件名过长，无法在旁边创建锁定文件；请把文件改成较短的名字"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "所在文件夹是只读的"
    return f"无法创建锁定文件（{reason(exc)}）"


def _unknown_owner() -> LockInfo:
    return LockInfo("未知用户", "未知计算机", 0, datetime.now().replace(microsecond=0))


def _replace(path: Path, payload: bytes) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp~")
    try:
        tmp.write_bytes(payload)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _hide(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows only: hidden like Office's owner files
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)  # type: ignore[attr-defined]


def release(document: Path) -> None:
    """Remove the lock beside ``document`` if it is ours (never someone else's)."""
    owner = read_lock(document)
    if owner is not None and is_ours(owner):
        with contextlib.suppress(OSError):
            lock_path(document).unlink()
