"""Issue 12, classes 1 and 2 through the real window: numbers beyond Decimal's range, an exception inside an
undo step, and a project that cannot be loaded (the edit must never land in another project)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.models import recovery
from app.models.document import Document, JxdbError
from app.models.recovery import RecoveryInfo
from app.ui import application
from app.ui import controller as controller_mod
from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_ACTUAL, COL_WEIGHT
from app.ui.main_window import MainWindow
from tests.ui.conftest import select

HUGE = "1" + "0" * 30
TINY = "0.0000000000000000000000000001"


def _cell(window: MainWindow, key: str) -> tuple[Any, Any]:
    model = window.category_editors[1].model
    return model, model.index(model.row_of(0, 0), model.column_of(key))


def test_a_31_digit_actual_is_kept_as_text_and_scored_as_unreadable(window: MainWindow) -> None:
    select(window, "大宁")
    model, index = _cell(window, COL_ACTUAL)
    assert model.setData(index, HUGE)
    assert window.ctl.project is not None
    assert window.ctl.project.categories[1].groups[0].indicators[0].actual == HUGE  # kept as typed
    assert window.ctl.report is not None
    found = [i.message for i in window.ctl.report.issues_at((1, 0, 0))]
    assert any("数值过大" in m for m in found), found
    line = window.ctl.report.line((1, 0, 0))
    assert line is not None and line.score == 0
    assert window.panel.total.text()  # the panel still shows a total


def test_a_30_digit_weight_is_refused_with_a_hint(window: MainWindow) -> None:
    select(window, "大宁")
    model, index = _cell(window, COL_WEIGHT)
    before = window.ctl.project
    assert not model.setData(index, HUGE)
    assert window.ctl.project == before
    assert "数值过大" in window.statusBar().currentMessage()


def test_a_tiny_budget_amount_is_refused_with_a_hint(window: MainWindow) -> None:
    select(window, "大宁")
    budget = window.budget_editor
    assert budget is not None
    before = window.ctl.project
    assert not budget.model.setData(budget.model.index(1, 3), TINY)  # 全年预算资金, 县区级
    assert window.ctl.project == before
    assert "数值过小" in window.statusBar().currentMessage()
    assert budget.model.setData(budget.model.index(3, 3), "1" + "0" * 20) is False
    assert "数值过大" in window.statusBar().currentMessage()


def test_an_exception_inside_an_undo_step_is_a_message_not_a_crash(window: MainWindow,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    select(window, "大宁")
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    before, total = window.ctl.project, window.panel.total.text()
    steps = window.ctl.undo_stack.count()
    doc = window.ctl.document
    assert doc is not None
    written: list[Any] = []
    monkeypatch.setattr(doc, "update_project", lambda project: written.append(project))

    def broken(project: Any, template: Any) -> Any:
        raise ArithmeticError("injected")

    monkeypatch.setattr(controller_mod, "score_project", broken)
    model, index = _cell(window, COL_ACTUAL)
    model.setData(index, "3套")
    assert shown and "已撤回" in shown[0] and "Error" not in shown[0]
    assert window.ctl.project == before and window.panel.total.text() == total  # reverted
    assert window.ctl.undo_stack.count() == steps  # the failed step is not on the stack
    assert written == []  # nothing poisoned reached the working copy (so recovery cannot bring it back)


def test_a_project_that_fails_to_load_never_receives_the_next_edit(window: MainWindow,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    select(window, "大宁")
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    doc = window.ctl.document
    assert doc is not None
    old_id = window.ctl.project.id  # type: ignore[union-attr]
    other = next(i for i in window.project_list.model.items if i.id != old_id)
    real_load = doc.load_project

    def load(project_id: int) -> Any:
        if project_id == other.id:
            raise JxdbError("文件“示例.jxdb”中的数据已损坏，无法读取。")
        return real_load(project_id)

    monkeypatch.setattr(doc, "load_project", load)
    window.project_list.select_id(other.id)
    assert shown == ["文件“示例.jxdb”中的数据已损坏，无法读取。"]
    assert window.ctl.project is not None and window.ctl.project.id == old_id  # nothing switched
    current = window.project_list.view.currentIndex()
    assert window.project_list.model.items[current.row()].id == old_id  # the list shows the project in the table
    model, index = _cell(window, COL_ACTUAL)
    assert model.setData(index, "3套")
    monkeypatch.setattr(doc, "load_project", real_load)
    assert doc.load_project(old_id).categories[1].groups[0].indicators[0].actual == "3套"
    assert doc.load_project(other.id) == real_load(other.id)


def test_a_project_that_cannot_be_scored_is_not_switched_to(window: MainWindow,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    select(window, "大宁")
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    old_id = window.ctl.project.id  # type: ignore[union-attr]
    other = next(i for i in window.project_list.model.items if i.id != old_id)

    def broken(project: Any, template: Any) -> Any:
        raise RuntimeError("injected")

    monkeypatch.setattr(controller_mod, "score_project", broken)
    window.project_list.select_id(other.id)
    assert shown and "仍显示原来的项目" in shown[0]
    assert window.ctl.project is not None and window.ctl.project.id == old_id


def test_recovery_refuses_a_poisoned_working_copy(tmp_path: Path, sample_file: Path) -> None:
    doc = Document.open(sample_file)
    try:
        working = doc.working_path
        doc._dispose()
        conn = sqlite3.connect(working)
        conn.execute("UPDATE indicators SET weight = '1e999999999' WHERE id = (SELECT min(id) FROM indicators)")
        conn.commit()
        conn.close()
        with pytest.raises(JxdbError, match="无法恢复"):
            Document.recover(RecoveryInfo(working, sample_file, datetime.now()))
    finally:
        doc.close()


_REAL_BOX_EXEC = QMessageBox.exec  # before tests/ui/conftest.py forbids dialogs; this test clicks a real one


def _replace_on_disk(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".other~")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize(("button", "kept"), [("取消", "theirs"), ("覆盖", "ours"), ("另存为…", "both")])
def test_save_asks_when_the_file_was_replaced_on_disk(window: MainWindow, sample_file: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, button: str,
                                                     kept: str) -> None:
    select(window, "大宁")
    theirs_doc = Document.new()  # another program writes a file of one project over ours
    try:
        doc = window.ctl.document
        assert doc is not None
        pid = doc.list_projects()[0].id
        project = doc.load_project(pid)
        theirs_doc.add_project(project, doc.template_for(project))
        theirs_doc.save_as(tmp_path / "theirs.jxdb")
    finally:
        theirs_doc.close()
    theirs = (tmp_path / "theirs.jxdb").read_bytes()
    _replace_on_disk(sample_file, theirs)
    model, index = _cell(window, COL_ACTUAL)
    assert model.setData(index, "3套")

    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        target = next(b for b in box.buttons() if b.text() == button)
        target.click()

    monkeypatch.setattr(QMessageBox, "exec", _REAL_BOX_EXEC)
    copy = tmp_path / "另存.jxdb"
    monkeypatch.setattr(prompts, "save_file", lambda parent, suggested, *a: copy)
    QTimer.singleShot(0, click)
    saved = window.save()
    assert seen and "已被其他程序修改" in seen[0]
    with Document.open(sample_file, read_only=True) as on_disk:
        count = len(on_disk.list_projects())
    if kept == "theirs":
        assert not saved and sample_file.read_bytes() == theirs and window.ctl.modified
    elif kept == "ours":
        assert saved and count == 2
    else:
        assert saved and sample_file.read_bytes() == theirs
        with Document.open(copy, read_only=True) as ours:
            assert len(ours.list_projects()) == 2


def test_the_banner_says_why_a_file_opened_read_only(window: MainWindow, sample_file: Path) -> None:
    window.set_document(None)
    (sample_file.parent / f"~${sample_file.name}").mkdir()
    assert window.open_path(sample_file)
    text = window.banner_text.text()
    assert window.banner.isVisibleTo(window) and "~$示例.jxdb" in text and "文件夹" in text, text


def test_starting_with_a_file_removes_working_copies_of_killed_runs(qtbot: Any, tmp_path: Path,
                                                                    sample_file: Path) -> None:
    doc = Document.open(sample_file, read_only=True)
    working = doc.working_path
    doc._dispose()  # as if the process had been killed
    side = recovery.sidecar_path(working)
    side.write_text(side.read_text(encoding="utf-8").replace(f'"pid": {os.getpid()}', '"pid": 4194000'),
                    encoding="utf-8")
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    application.start(win, str(sample_file), smoke=False)
    assert not working.exists() and not side.exists()
    win.set_document(None)
