"""What a user reads on screen: every visible widget's text, and the checks the polish tests apply to it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

#: Words that stay in Latin letters on a Chinese office PC: key names, file types, product names.
ALLOWED = {"ctrl", "alt", "shift", "enter", "tab", "del", "delete", "insert", "pgup", "pgdn", "home", "end", "esc",
           "excel", "wps", "word", "pdf", "docx", "xlsx", "json", "jxdb", "png", "xx", "postgresql", "python",
           "app", "push", "pull", "www", "gov", "vba", "ok"}
WORD = re.compile(r"[A-Za-z]{2,}")
#: Host names, addresses and paths (czj-server, 192.168.1.10, postgresql://…) are typed, not read.
TECHNICAL = re.compile(r"[A-Za-z0-9_]+(?:[-./@:]+[A-Za-z0-9_]+)+")


def texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """(widget, text) for every visible text under ``root``: labels, buttons, tabs, headers, combos, placeholders."""
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget, widget.text()
        elif isinstance(widget, QGroupBox):
            yield widget, widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield widget, widget.tabText(i)
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield widget, widget.itemText(i)
        elif isinstance(widget, QLineEdit):
            yield widget, widget.placeholderText()
        elif isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
            model = widget.model()
            for col in range(model.columnCount()):
                yield widget, str(model.headerData(col, Qt.Orientation.Horizontal) or "")


def english(text: str) -> list[str]:
    """Latin words in ``text`` a clerk would not expect (rich-text tags and allowed words left out)."""
    plain = re.sub(r"<[^>]+>", "", text)
    plain = re.sub(r"&[a-z]+;", "", plain)
    plain = TECHNICAL.sub("", plain)
    return [w for w in WORD.findall(plain) if w.lower() not in ALLOWED]
