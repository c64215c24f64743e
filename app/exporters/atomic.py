"""Write a document under a temporary name in the target folder, then rename it: never a half-written file."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.models.errors import reason

# mkstemp creates 0600 files; a finished document gets the ordinary permissions (0666 less the umask).
_UMASK = os.umask(0)
os.umask(_UMASK)


#: The words every disk-full message starts with (a batch stops at the first one).
DISK_FULL = "磁盘空间不足"


class ExportError(Exception):
    """A document could not be written; the message is one Chinese sentence saying what to do."""


def _message(exc: OSError, path: Path) -> str:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"{DISK_FULL}，无法保存“{path.name}”。请清理磁盘或换一个文件夹后重试。"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"没有权限写入“{path}”。如果该文件正在 Word、WPS 或 Excel 中打开，请先关闭它；"
            "否则请换一个有写入权限的文件夹。"
        )
    if isinstance(exc, FileNotFoundError):
        return f"文件夹“{path.parent}”不存在，请先创建它或换一个文件夹。"
    return f"无法保存“{path}”：{reason(exc)}。请检查文件夹后重试。"


#: Temporary files being filled by atomic_write in this thread: a writer that itself calls atomic_write on
#: one (export_docx inside a batch) writes it directly instead of making a temporary file of the temporary.
_filling = threading.local()


def _quietly_drop(exc: BaseException) -> None:
    """Release the frames of a failed writer now, while the OSErrors its half-written zip or PDF raises on
    being closed again are swallowed: otherwise Python prints them later as "Exception ignored in …",
    a traceback naming the temporary file."""
    old = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, OSError):
            old(unraisable)

    sys.unraisablehook = hook
    try:
        for item in (exc, exc.__cause__, exc.__context__):
            if item is not None and item.__traceback__ is not None:
                traceback.clear_frames(item.__traceback__)
                item.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = old


def check_target(path: Path, overwrite: bool) -> None:
    """Refuse a target that exists (unless ``overwrite``) or whose folder is missing, before any work is done."""
    if path.exists() and not overwrite:
        raise ExportError(f"文件“{path}”已存在。如需替换，请确认覆盖或换一个文件名。")
    if path.is_dir():
        raise ExportError(f"“{path}”是一个文件夹，请换一个文件名。")
    if not path.parent.is_dir():
        raise ExportError(f"文件夹“{path.parent}”不存在，请先创建它或换一个文件夹。")


def atomic_write(path: Path, write: Callable[[Path], None], *, overwrite: bool = True) -> None:
    """Call ``write(tmp)`` to fill a temporary file next to ``path``, then replace ``path`` with it.

    On any failure the temporary file is removed and ``path`` is left as it was; OS errors become ExportError.
    ``overwrite=False`` refuses an existing target (the caller asks the user first).
    """
    path = Path(path)
    filling: set[Path] = _filling.__dict__.setdefault("paths", set())
    if path in filling:  # already a temporary file of an outer atomic_write: it does the rest
        write(path)
        return
    check_target(path, overwrite)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".~{path.stem[:40]}.", suffix=path.suffix + ".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(_message(exc, path)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    failure: ExportError | None = None
    try:
        filling.add(tmp)
        try:
            write(tmp)
        finally:
            filling.discard(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if not overwrite and path.exists():
            raise ExportError(f"文件“{path}”已存在。如需替换，请确认覆盖或换一个文件名。")
        os.replace(tmp, path)
    except OSError as exc:
        failure = ExportError(_message(exc, path))
        _quietly_drop(exc)
    except BaseException as exc:
        _quietly_drop(exc)
        raise
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    if failure is not None:
        raise failure
