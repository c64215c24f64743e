"""Typing as a user does: select a cell, type (the first key opens the cell editor), press Enter."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def type_char(widget: QWidget, ch: str) -> None:
    """One typed character (QTest.keyClicks knows only ASCII; Chinese arrives as text, like from an IME)."""
    if ch.isascii():
        QTest.keyClicks(widget, ch)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def give_focus(widget: QWidget) -> None:
    """Activate the widget's window and focus the widget (after a dialog closes, as a click would)."""
    widget.window().activateWindow()
    widget.setFocus()
    for _ in range(100):
        if widget.hasFocus():
            return
        QTest.qWait(10)
    raise AssertionError(f"{widget} cannot take the keyboard focus")


def type_cell(view: QAbstractItemView, row: int, column: int, text: str) -> None:
    """Go to a cell, type ``text`` into it and press Enter (committing it like a user)."""
    give_focus(view)
    view.setCurrentIndex(view.model().index(row, column))
    for ch in text:
        type_char(focused(), ch)
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    for _ in range(100):  # Qt closes the editor on the next turn of the event loop
        if view.state() != QAbstractItemView.State.EditingState:
            return
        QTest.qWait(10)
    raise AssertionError("the cell editor stayed open after Enter")


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed wherever the keyboard focus is (shortcuts included)."""
    QTest.keyClick(focused(), key, modifiers)
