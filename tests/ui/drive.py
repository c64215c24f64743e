"""Drive real modal dialogs in tests: each ``exec`` runs Qt's own modal loop while a step fills the dialog's
widgets and clicks its buttons (nothing of the dialog is replaced; a failing step closes it and fails the test)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

ORIGINAL_EXEC = QDialog.exec  # saved before tests/ui/conftest.py forbids unexpected dialogs

Step = Callable[[Any], None]


class Modals:
    """The steps, in the order the dialogs open; ``opened`` records each dialog's class name."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.opened: list[str] = []
        self.errors: list[BaseException] = []

    def exec(self, dialog: QDialog) -> int:
        self.opened.append(type(dialog).__name__)
        if not self.steps:
            raise AssertionError(f"unexpected dialog {type(dialog).__name__}")
        step = self.steps.pop(0)

        def run() -> None:
            try:
                step(dialog)
            except BaseException as exc:  # close everything so the test does not hang, then fail it
                self.errors.append(exc)
                for widget in QApplication.topLevelWidgets():
                    if isinstance(widget, QDialog) and widget.isVisible():
                        widget.reject()
            if dialog.isVisible():
                self.errors.append(AssertionError(f"{type(dialog).__name__} was left open by its step"))
                dialog.reject()

        QTimer.singleShot(0, run)
        result = int(ORIGINAL_EXEC(dialog))
        if self.errors:
            raise self.errors[0]
        return result


def modals(monkeypatch: pytest.MonkeyPatch, *steps: Step) -> Modals:
    """Let the next dialogs run for real, driven by ``steps`` (one per dialog, in order)."""
    driver = Modals(list(steps))
    monkeypatch.setattr(QDialog, "exec", lambda self: driver.exec(self))
    return driver


def picks(monkeypatch: pytest.MonkeyPatch, *answers: list[Any]) -> list[tuple[Any, str]]:
    """The OS file picker through its one seam (``prompts.pick``): each call takes the next answer (a list of
    paths). Returns the (mode, title) of every call."""
    from app.ui.dialogs import prompts

    queue = list(answers)
    asked: list[tuple[Any, str]] = []

    def pick(parent: Any, mode: Any, title: str, start: str, file_filter: str = "") -> list[Any]:
        asked.append((mode, title))
        assert queue, f"file picker “{title}” opened, but the test chose nothing"
        return list(queue.pop(0))

    monkeypatch.setattr(prompts, "pick", pick)
    return asked


def answer_message(monkeypatch: pytest.MonkeyPatch, label: str) -> list[str]:
    """Let the next real message box (QMessageBox.information/warning/question) open and click ``label`` in it;
    the texts of the box answered are returned (the watcher stops after one box, or after a minute)."""
    from PySide6.QtWidgets import QAbstractButton, QMessageBox

    texts: list[str] = []
    timer = QTimer()
    timer.setInterval(20)
    started = time.monotonic()

    def tick() -> None:
        if time.monotonic() - started > 60:
            timer.stop()
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            texts.append(box.text())
            timer.stop()
            for button in box.findChildren(QAbstractButton):
                if button.text().replace("&", "") == label:
                    button.click()
                    return
            box.reject()

    timer.timeout.connect(tick)
    timer.start()
    for name in ("information", "warning", "question", "critical", "exec"):
        monkeypatch.setattr(QMessageBox, name, _REAL_BOXES[name])
    _WATCHERS[:] = [timer]  # kept alive while it runs
    return texts


def _real_boxes() -> dict[str, Any]:
    from PySide6.QtWidgets import QMessageBox

    return {name: getattr(QMessageBox, name) for name in ("information", "warning", "question", "critical", "exec")}


_REAL_BOXES = _real_boxes()  # saved before tests/ui/conftest.py replaces them
_WATCHERS: list[QTimer] = []
