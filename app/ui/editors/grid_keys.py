"""Tab in the spreadsheet-like tables: it moves right along a row and leaves the table at the row's end."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView


def _at_edge(view: QAbstractItemView, forward: bool) -> bool:
    cur = view.currentIndex()
    model = view.model()
    if not cur.isValid() or model is None:
        return True
    return cur.column() >= model.columnCount() - 1 if forward else cur.column() <= 0


def tab_leaves(view: QAbstractItemView, event: QKeyEvent) -> bool:
    """True when this key is Tab at the last column or Shift+Tab at the first: the table lets it go.

    QAbstractItemView.focusNextPrevChild offers Tab to keyPressEvent first; an ignored event makes Qt
    move the focus to the next (or previous) widget, as in any dialog."""
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
        return False
    backward = event.key() == Qt.Key.Key_Backtab or (
        event.key() == Qt.Key.Key_Tab and bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
    if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or not _at_edge(view, not backward):
        return False
    event.ignore()
    return True


def leave(view: QAbstractItemView, forward: bool) -> None:
    """Move the keyboard focus out of the table, to the next (or previous) widget."""
    view.setTabKeyNavigation(False)
    try:
        view.focusNextPrevChild(forward)
    finally:
        view.setTabKeyNavigation(True)


def editor_tab_leaves(view: QAbstractItemView, hint: QAbstractItemDelegate.EndEditHint) -> bool:
    """Tab typed inside a cell editor at the row's end: close the editor without wrapping to the next row."""
    if hint == QAbstractItemDelegate.EndEditHint.EditNextItem:
        return _at_edge(view, True)
    if hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem:
        return _at_edge(view, False)
    return False
