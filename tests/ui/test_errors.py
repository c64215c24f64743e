"""Unexpected errors and failing writes: a short Chinese message, details in the log, the user's data kept."""

from __future__ import annotations

import errno
import logging
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from app.models.document import JxdbError
from app.ui import application
from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_ACTUAL
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.visible_text import english


def test_excepthook_logs_and_shows_a_short_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = application.setup_logging()
    assert handler is not None
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        raise RuntimeError("boom-for-the-log")
    except RuntimeError as exc:
        application._excepthook(RuntimeError, exc, exc.__traceback__)
    assert shown and "RuntimeError" in shown[0] and "日志" in shown[0]
    assert "Traceback" not in shown[0]
    handler.flush()
    logging.getLogger().removeHandler(handler)
    handler.close()
    assert "boom-for-the-log" in application.log_file().read_text(encoding="utf-8")


def test_failed_write_keeps_the_edit_and_says_why(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    select(window, "大宁")
    doc = window.ctl.document
    assert doc is not None

    def full(project: Any, **kwargs: Any) -> None:
        raise JxdbError("本机磁盘空间不足，无法记录修改。")

    monkeypatch.setattr(doc, "update_project", full)
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    model = window.category_editors[1].model
    assert model.setData(model.index(model.row_of(0, 0), model.column_of(COL_ACTUAL)), "3套")
    assert shown == ["本机磁盘空间不足，无法记录修改。"]
    assert window.panel.total.text() == "88.08"  # the edit stays in the window
    assert window.ctl.project is not None
    assert window.ctl.project.categories[1].groups[0].indicators[0].actual == "3套"


def test_budget_issue_selects_the_budget_cell(window: MainWindow) -> None:
    select(window, "大宁")
    budget = window.budget_editor
    assert budget is not None
    assert budget.model.setData(budget.model.index(3, 3), "200")  # spent more than received
    issue = next(i for i in window.ctl.report.issues if i.code == "budget_overspent")  # type: ignore[union-attr]
    window.go_to_issue(issue)
    assert window.tabs.currentWidget() is budget
    assert budget.table.currentIndex().row() == 3


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device", "/tmp/jixiao-print/自评表.pdf"),
                                     RuntimeError("Failed to load document (PDFium: Data format error).")])
def test_print_preview_failure_is_said_in_chinese(window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                                  failure: Exception) -> None:
    """The OS's and pdfium's English texts stayed in the message (无法生成打印页面（[Errno 28] No space left…））."""
    from app.exporters import pdf

    def fails(*args: Any) -> None:
        raise failure

    monkeypatch.setattr(pdf, "export_pdf", fails)  # the disk fills up while the form is written
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    select(window, "大宁")
    window.print_preview()
    assert len(shown) == 1 and shown[0].startswith("无法生成打印页面")
    assert not english(shown[0]), shown[0]
    if isinstance(failure, OSError):
        assert "磁盘空间不足" in shown[0]
