"""Write a document under a temporary name in the target folder, then rename it: never a half-written file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

# mkstemp creates 0600 files; a finished document gets the ordinary permissions (0666 less the umask).
_UMASK = os.umask(0)
os.umask(_UMASK)


class ExportError(Exception):
    """A document could not be written; the message is one Chinese sentence saying what to do."""


def _message(exc: OSError, path: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法保存“{path.name}”。请清理磁盘或换一个文件夹后重试。"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"没有权限写入“{path}”。如果该文件正在 Word、WPS 或 Excel 中打开，请先关闭它；"
            "否则请换一个有写入权限的文件夹。"
        )
    if isinstance(exc, FileNotFoundError):
        return f"文件夹“{path.parent}”不存在，请先创建它或换一个文件夹。"
    return f"无法保存“{path}”：{exc.strerror or exc}。请检查文件夹后重试。"


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
    check_target(path, overwrite)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".~{path.stem[:40]}.", suffix=path.suffix + ".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(_message(exc, path)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if not overwrite and path.exists():
            raise ExportError(f"文件“{path}”已存在。如需替换，请确认覆盖或换一个文件名。")
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(_message(exc, path)) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
