"""The exceptions of the .jxdb layer; every message is one Chinese sentence for the user."""

from __future__ import annotations

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


def current_user() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # getpass raises OSError/KeyError when no user name can be found
        return os.environ.get("USERNAME") or "未知用户"


def current_machine() -> str:
    return socket.gethostname() or "未知计算机"
