"""The exceptions of the .jxdb layer; every message is one Chinese sentence for the user."""

from __future__ import annotations

import errno
import getpass
import os
import socket
from dataclasses import dataclass
from datetime import datetime


class JxdbError(Exception):
    """Any problem with a .jxdb file; str(exc) says in Chinese what is wrong and what to do."""


@dataclass(frozen=True)
class LockInfo:
    """Who has a document open: the content of its ``~$name.jxdb`` lock file."""

    user: str
    machine: str
    pid: int
    since: datetime

    def describe(self) -> str:
        return f"{self.user}（计算机 {self.machine}，{self.since:%Y-%m-%d %H:%M} 起）"


class LockedError(JxdbError):
    """Someone else has the document open; ``owner`` says who."""

    def __init__(self, message: str, owner: LockInfo) -> None:
        super().__init__(message)
        self.owner = owner


_ERRNO_TEXT = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "文件正被占用",
    errno.EIO: "磁盘读写错误",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EINVAL: "文件名无效",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EEXIST: "文件已存在",
}
_WINERROR_TEXT = {32: "文件正被其他程序占用", 33: "文件的一部分被其他程序锁定", 53: "找不到网络路径",
                  64: "网络连接已断开", 112: "磁盘空间不足"}


def reason(exc: BaseException) -> str:
    """A short Chinese reason for an OS or SQLite error (their own texts are English)."""
    if exc.__class__.__name__ == "NotRegularFileError":
        return "不是普通文件（可能是设备或管道）"
    winerror = getattr(exc, "winerror", None)
    if isinstance(winerror, int) and winerror in _WINERROR_TEXT:
        return _WINERROR_TEXT[winerror]
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _ERRNO_TEXT:
        return _ERRNO_TEXT[code]
    text = str(exc).lower()
    if "disk is full" in text:
        return "磁盘空间不足"
    if "readonly" in text or "read-only" in text:
        return "文件或磁盘是只读的"
    if "locked" in text or "busy" in text:
        return "文件正被其他程序占用"
    if isinstance(code, int):
        return f"系统错误代码 {code}"
    return "数据库错误" if exc.__class__.__module__.startswith("sqlite3") else "未知错误"


def current_user() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # getpass raises OSError/KeyError when no user name can be found
        return os.environ.get("USERNAME") or "未知用户"


def current_machine() -> str:
    return socket.gethostname() or "未知计算机"
