"""End-to-end window tests: real dialogs answered by a script, OS file pickers through the one seam."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox, QWidget

from app.ui.dialogs import prompts
from app.ui.main_window import MainWindow

Handler = Callable[[QWidget], None]


class Modals:
    """Answers the modal dialogs a test expects, in order. Each handler gets the real dialog widget and must
    close it (click 确定, 取消, a message-box button...). An unexpected dialog is closed and fails the test."""

    def __init__(self) -> None:
        self.handlers: deque[tuple[str, Handler]] = deque()
        self.seen: list[str] = []
        self.errors: list[str] = []
        self._current: QWidget | None = None
        self._timer = QTimer()
        self._timer.setInterval(15)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def expect(self, title: str, handler: Handler) -> None:
        """The next modal dialog must have ``title`` in its window title; ``handler`` answers it."""
        self.handlers.append((title, handler))

    def _tick(self) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or widget is self._current or not widget.isVisible():
            return
        self._current = widget
        title = widget.windowTitle()
        self.seen.append(title)
        if not self.handlers:
            self.errors.append(f"unexpected dialog “{title}”: {_text(widget)}")
            _dismiss(widget)
            return
        expected, handler = self.handlers.popleft()
        if expected not in title:
            self.errors.append(f"expected a dialog “{expected}”, got “{title}”: {_text(widget)}")
            _dismiss(widget)
            return
        try:
            handler(widget)
        except Exception as exc:  # report after the dialog is closed, never block
            self.errors.append(f"{title}: {type(exc).__name__}: {exc}")
            _dismiss(widget)

    def check(self) -> None:
        """All expected dialogs came and were answered without error."""
        errors, self.errors = self.errors, []
        assert not errors, errors
        left = [t for t, _ in self.handlers]
        self.handlers.clear()
        assert not left, f"dialogs that never came: {left}"

    def stop(self) -> None:
        self._timer.stop()


def _text(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QMessageBox) else ""


def _dismiss(widget: QWidget) -> None:
    if isinstance(widget, QDialog):
        widget.reject()
    else:
        widget.close()


def click(dialog: QWidget, label: str) -> None:
    """Click the button whose text is ``label`` (ignoring the & of mnemonics)."""
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.text().replace("&", "") == label]
    assert buttons, f"no button “{label}” in “{dialog.windowTitle()}”: " + ", ".join(
        b.text() for b in dialog.findChildren(QAbstractButton))
    buttons[0].click()


def answer(label: str, *, contains: str = "") -> Handler:
    """A handler that checks the message text and clicks ``label``."""
    def handler(dialog: QWidget) -> None:
        if contains:
            assert contains in _text(dialog), _text(dialog)
        click(dialog, label)
    return handler


@pytest.fixture(autouse=True)
def _no_dialogs() -> None:
    """Overrides tests/ui's fixture: here the real QDialog.exec runs, answered by ``modals``."""


@pytest.fixture
def modals() -> Iterator[Modals]:
    found = Modals()
    yield found
    found.stop()
    found.check()


class Picker:
    """The OS file picker, through its one seam (``prompts.pick``): hands out the queued answers in order."""

    def __init__(self) -> None:
        self.answers: deque[list[Path]] = deque()
        self.asked: list[tuple[prompts.Pick, str, str]] = []

    def __call__(self, parent: QWidget | None, mode: prompts.Pick, title: str, start: str,
                 file_filter: str = "") -> list[Path]:
        self.asked.append((mode, title, start))
        assert self.answers, f"file picker “{title}” opened, but the test chose no file"
        return self.answers.popleft()

    def will_choose(self, *paths: Path) -> None:
        self.answers.append(list(paths))


@pytest.fixture
def picker(monkeypatch: pytest.MonkeyPatch) -> Picker:
    chosen = Picker()
    monkeypatch.setattr(prompts, "pick", chosen)
    return chosen


@pytest.fixture
def blank_window(qtbot: Any, tmp_path: Path) -> Iterator[MainWindow]:
    """The window with a new, empty, unsaved file (文件 → 新建文件)."""
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.act_new.trigger()
    assert win.ctl.document is not None
    yield win
    win.set_document(None)
    win.close()
    win.deleteLater()


@pytest.fixture
def shown_window(window: MainWindow, qtbot: Any) -> MainWindow:
    """The sample-file window of tests/ui, shown (keyboard focus needs a visible window)."""
    window.show()
    qtbot.waitExposed(window)
    return window
