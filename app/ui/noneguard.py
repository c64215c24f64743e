"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on Python 3.11, whose bindings drop references.

Each call of e.g. ``QLabel.setText`` or ``QPainter.drawEllipse`` lowers ``sys.getrefcount(None)`` by one; after
a few thousand calls CPython aborts with "none_dealloc: deallocating None". From Python 3.12 on ``None`` is
immortal and nothing is needed. Until the binding is fixed, the count is raised here when it runs low (the
reference count is the first field of every CPython object; no memory is used)."""

from __future__ import annotations

import ctypes
import platform
import sys

from PySide6.QtCore import QObject, QTimer

_NEEDED = sys.version_info < (3, 12) and platform.python_implementation() == "CPython"
_LOW, _STEP = 1_000_000, 10_000_000


def top_up() -> None:
    """Raise the reference counts of None, True and False when they are low (cheap to call often)."""
    if not _NEEDED:
        return
    for singleton in (None, True, False):
        if sys.getrefcount(singleton) < _LOW:
            ctypes.c_ssize_t.from_address(id(singleton)).value += _STEP


top_up()  # as soon as the window package is imported


def install(owner: QObject) -> QTimer:
    """Top up now and four times a second for as long as ``owner`` lives."""
    top_up()
    timer = QTimer(owner)
    timer.timeout.connect(top_up)
    timer.start(250)
    return timer
