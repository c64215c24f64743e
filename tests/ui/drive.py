"""Drive real modal dialogs in tests: each ``exec`` runs Qt's own modal loop while a step fills the dialog's
widgets and clicks its buttons (nothing of the dialog is replaced; a failing step closes it and fails the test)."""

from __future__ import annotations

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
