"""Open only regular files: a FIFO would block the open or the read, /dev/zero would be read for ever."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFileError(OSError):
    """The path names a device, a pipe or a socket (perhaps through a symbolic link), not a file."""


def regular_file_opener(path: str | os.PathLike[str], flags: int) -> int:
    """An ``opener`` for ``open()``: never blocks on a FIFO (O_NONBLOCK), refuses everything but a regular
    file (after following symbolic links) with NotRegularFileError."""
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
    return fd


def is_special(path: Path) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder (without opening it)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


NOT_A_FILE = "不是普通文件（可能是设备、管道或指向它们的快捷方式），无法打开"
