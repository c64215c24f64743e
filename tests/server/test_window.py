"""The window on a server database: 文件 → 连接服务器… through the real dialog, edit, live score, undo,
a conflict with another PC, the server stopped mid-edit, and batch export."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.models.server import ServerDocument
from app.ui.dialogs import prompts
from app.ui.dialogs.connect_dialog import ConnectDialog
from app.ui.main_window import MainWindow
from tests.server.conftest import PASSWORD
from tests.ui.conftest import _no_dialogs  # noqa: F401  (autouse: no dialog may block)

UNIT = "大宁县档案馆"


@pytest.fixture()
def served(bureau, seed000) -> tuple[Any, str, int]:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT, f"clerk{bureau.n}")
    with ServerDocument.connect(bureau.url(login)) as doc:
        pid = doc.add_project(*seed000)
    return bureau, login, pid




def _drive_connect(monkeypatch: pytest.MonkeyPatch, bureau: Any, login: str, seen: list[str]) -> None:
    """The real dialog: type a wrong password, click 连接, read the message, type the right one, click 连接."""
    def run(dialog: ConnectDialog) -> int:
        dialog.host.setText("127.0.0.1")
        dialog.port.setValue(bureau.cluster.port)
        dialog.database.setText(bureau.name)
        dialog.user.setText(login)
        dialog.password.setText("wrong-password")
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
        seen.append(dialog.status.text())
        assert not dialog.result() and dialog.password.text() == ""
        dialog.password.setText(PASSWORD)
        ok.click()
        return int(dialog.result())

    monkeypatch.setattr(ConnectDialog, "exec", run)


def _actual_on_server(bureau: Any, login: str, pid: int) -> str:
    with ServerDocument.connect(bureau.url(login)) as doc:
        return str(doc.load_project(pid).categories[1].groups[0].indicators[0].actual)


def _type_actual(window: MainWindow, text: str) -> None:
    model = window.category_editors[1].model
    model.setData(model.index(model.row_of(0, 0), model.column_of("actual")), text)


def test_connect_edit_score_undo_and_batch_export(window: MainWindow, served, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                  qtbot) -> None:
    bureau, login, pid = served
    seen: list[str] = []
    _drive_connect(monkeypatch, bureau, login, seen)
    window.act_connect.trigger()
    assert "密码不正确" in seen[0]
    doc = window.ctl.document
    assert isinstance(doc, ServerDocument) and doc.account.unit == UNIT
    assert bureau.name in window.windowTitle() and login in window.windowTitle()
    window.settings.sync()
    settings_text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert login in settings_text and PASSWORD not in settings_text  # the password is never stored
    assert [i.id for i in window.project_list.model.items] == [pid]
    window.project_list.select_id(pid)
    total_before = window.ctl.report.total if window.ctl.report else None
    _type_actual(window, "3套")
    assert _actual_on_server(bureau, login, pid) == "3套"
    assert window.ctl.report is not None and window.ctl.report.total != total_before
    assert total_before is not None
    assert not window.isWindowModified()  # nothing to save: it is on the server
    window.act_undo.trigger()
    assert _actual_on_server(bureau, login, pid) == "6套"
    assert window.ctl.report.total == total_before
    window.act_redo.trigger()
    assert _actual_on_server(bureau, login, pid) == "3套"
    assert window.save()  # 保存 says it is all on the server
    assert "服务器" in window.statusBar().currentMessage()

    monkeypatch.setattr(prompts, "save_file", lambda parent, start, flt: tmp_path / "自评表.xlsx")
    monkeypatch.setattr(prompts, "choose", lambda parent, title, text, options: len(options) - 1)  # 关闭
    exported = window.export("xlsx")
    assert exported == tmp_path / "自评表.xlsx" and exported.stat().st_size > 0
    from openpyxl import load_workbook

    cells = {str(c.value) for row in load_workbook(exported).active.iter_rows() for c in row if c.value}
    assert "3套" in cells  # the export is of what is on the server, edits included

    from app.ui.dialogs.batch_export import BatchExportDialog

    opened: list[BatchExportDialog] = []
    monkeypatch.setattr(BatchExportDialog, "exec", lambda self: opened.append(self) or 0)
    window.batch_export()
    assert len(opened) == 1 and opened[0].project_list.count() == 1
    assert bureau.name in opened[0].folder.text()


def test_conflict_keeps_mine_as_a_copy_and_loads_theirs(window: MainWindow, served, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid = served
    monkeypatch.setattr(ConnectDialog, "exec", lambda self: 0)
    assert window.act_connect.isEnabled()
    from app.ui import server_mode

    assert server_mode.connect(window, bureau.url(login))
    window.project_list.select_id(pid)
    with ServerDocument.connect(bureau.url(login)) as other:  # another PC edits first
        from tests.server.helpers import set_actual

        other.update_project(set_actual(other.load_project(pid), 1, 0, 0, "对方的值"))
    asked: list[str] = []
    monkeypatch.setattr(prompts, "choose", lambda parent, title, text, options: asked.append(text) or 1)
    _type_actual(window, "我的值")
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert login in asked[0] and "软件采购数量" in asked[0]
    qtbot.waitUntil(lambda: window.ctl.project is not None and
                    window.ctl.project.categories[1].groups[0].indicators[0].actual == "对方的值", timeout=5000)
    names = {i.name: i.id for i in window.project_list.model.items}
    copy_id = next(i for n, i in names.items() if n.endswith("（我的修改）"))
    assert _actual_on_server(bureau, login, copy_id) == "我的值"
    assert _actual_on_server(bureau, login, pid) == "对方的值"
    assert window.ctl.undo_stack.count() == 0


def test_server_stopped_mid_edit_banner_queue_and_replay(window: MainWindow, served, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid = served
    from app.ui import server_mode

    assert server_mode.connect(window, bureau.url(login))
    window.project_list.select_id(pid)
    bureau.cluster.stop()
    try:
        _type_actual(window, "断网时的值")  # no error dialog: _no_dialogs would fail the test
        assert window.banner.isVisibleTo(window)
        assert "服务器暂时无法连接" in window.banner_text.text() and "保存在本机" in window.banner_text.text()
        assert window.isWindowModified()
        window.project_list.reload_years()  # the list stays (as last read), no error
        assert [i.id for i in window.project_list.model.items] == [pid]
        told: list[str] = []
        monkeypatch.setattr(prompts, "info", lambda parent, title, text: told.append(text))
        assert window.maybe_save()  # closing while edits wait: say where they are, lose nothing
        assert "下次连接同一服务器时自动上传" in told[0]
        for _ in range(3):  # still away: the probe finds nothing, nothing is sent, the window never blocks
            window.reconnector.tick()
            qtbot.wait(200)
        assert window.banner.isVisibleTo(window)
    finally:
        bureau.cluster.start()

    def sent() -> bool:
        window.reconnector.tick()
        return not window.banner.isVisibleTo(window)

    qtbot.waitUntil(sent, timeout=10000)
    assert not window.isWindowModified()
    assert _actual_on_server(bureau, login, pid) == "断网时的值"


def test_db_option_opens_the_server_at_start(window: MainWindow, served, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from app.ui import application

    bureau, login, pid = served
    url = bureau.url(login, password=None)
    # no password anywhere: the dialog comes up filled in from the address, asking only for the password
    monkeypatch.delenv("PGPASSWORD", raising=False)
    shown: list[tuple[str, int, str, str, str]] = []
    monkeypatch.setattr(ConnectDialog, "exec", lambda d: shown.append(
        (d.host.text(), d.port.value(), d.database.text(), d.user.text(), d.status.text())) or 0)
    application.start(window, None, smoke=False, db=url)
    assert shown == [("127.0.0.1", bureau.cluster.port, bureau.name, login, "")]
    # with the password in PGPASSWORD (libpq's own variable) it opens straight away
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    application.start(window, None, smoke=False, db=url)
    assert isinstance(window.ctl.document, ServerDocument)
    assert [i.id for i in window.project_list.model.items] == [pid]
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PGPASSWORD=PASSWORD)
    done = subprocess.run([sys.executable, "-m", "app", "--smoke", "--db", url], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    env["PGPASSWORD"] = "wrong-password"
    done = subprocess.run([sys.executable, "-m", "app", "--smoke", "--db", url], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "密码不正确" in done.stderr


def test_reviewer_reviews_in_the_window_and_a_refused_edit_is_undone(window: MainWindow, bureau, seed003,  # type: ignore[no-untyped-def]
                                                                     monkeypatch, qtbot) -> None:
    from app.ui import server_mode
    from app.ui.editors.indicator_model import COL_REVIEWER

    unit = bureau.account("unit", "罗定市档案馆")
    with ServerDocument.connect(bureau.url(unit)) as doc:
        pid = doc.add_project(replace(seed003[0], unit="罗定市档案馆"), seed003[1])
        original = doc.load_project(pid)
    reviewer = bureau.account("reviewer")
    assert server_mode.connect(window, bureau.url(reviewer))
    window.project_list.select_id(pid)
    editor = window.category_editors[0]
    model = editor.model
    errors: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: errors.append(text))
    actual_cell = model.index(model.row_of(0, 0), model.column_of("actual"))
    assert not model.flags(actual_cell) & Qt.ItemFlag.ItemIsEditable  # a reviewer is not offered 自评 cells...
    assert model.flags(model.index(model.row_of(0, 0), model.column_of(COL_REVIEWER))) & Qt.ItemFlag.ItemIsEditable
    model.setData(actual_cell, "被复核人改动")  # ...and the server refuses them when they come anyway
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "复核账号只能填写复核得分" in errors[0]
    qtbot.waitUntil(lambda: window.ctl.project == original, timeout=5000)  # shows what is stored again
    model = window.category_editors[0].model
    model.setData(model.index(model.row_of(0, 0), model.column_of(COL_REVIEWER)), "2")
    with ServerDocument.connect(bureau.url(unit)) as doc:
        stored = doc.load_project(pid).categories[0].groups[0].indicators[0]
    assert str(stored.reviewer_score) == "2" and stored.actual == original.categories[0].groups[0].indicators[0].actual
    assert len(errors) == 1


def test_unit_clerk_creates_a_project_on_the_server(window: MainWindow, served, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog
    from PySide6.QtWidgets import QDialogButtonBox as Buttons

    from app.ui import server_mode
    from app.ui.dialogs.project_dialog import ProjectDialog

    bureau, login, _ = served
    assert server_mode.connect(window, bureau.url(login))
    seen: list[str] = []

    def fill(dialog: ProjectDialog) -> QDialog.DialogCode:
        seen.append(dialog.unit.text())
        dialog.name.setText("档案数字化二期")
        dialog.findChild(Buttons).button(Buttons.StandardButton.Ok).click()
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(ProjectDialog, "exec", fill)
    window.act_new_project.trigger()
    assert seen == [UNIT]  # the unit account’s unit is filled in
    names = {i.name: i.id for i in window.project_list.model.items}
    assert set(names) == {"大宁县精准扶贫档案规范化、数字化整理项目工作运行经费", "档案数字化二期"}
    assert window.ctl.project is not None and window.ctl.project.id == names["档案数字化二期"]
    with ServerDocument.connect(bureau.url(login)) as doc:
        assert doc.load_project(names["档案数字化二期"]).unit == UNIT


def test_admin_manages_accounts_in_the_window(window: MainWindow, bureau, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui import server_mode
    from app.ui.dialogs.accounts_dialog import AccountsDialog

    clerk = bureau.account("unit", UNIT)
    assert server_mode.connect(window, bureau.url(clerk))
    assert window.act_accounts.isVisible() and not window.act_accounts.isEnabled()  # not for a unit account
    admin = bureau.account("admin")
    assert server_mode.connect(window, bureau.url(admin))
    assert window.act_accounts.isEnabled()
    log: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda *a: True)

    def drive(dialog: AccountsDialog) -> int:
        logins = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        assert clerk in logins and admin in logins
        dialog.login.setText("luoding")
        dialog.kind.setCurrentIndex(dialog.kind.findData("unit"))
        dialog.unit.setCurrentText("罗定市档案馆")  # a new unit: added with the account
        dialog.password.setText("first-pass-1")
        dialog.again.setText("other-pass-1")
        dialog.add_button.click()
        log.append(dialog.status.text())  # the two passwords differ
        dialog.again.setText("first-pass-1")
        dialog.add_button.click()
        log.append(dialog.status.text())
        row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "luoding")
        assert dialog.table.item(row, 2).text() == "罗定市档案馆"
        dialog.table.selectRow(row)
        dialog.password.setText("second-pass-2")
        dialog.again.setText("second-pass-2")
        dialog.password_button.click()
        log.append(dialog.status.text())
        with ServerDocument.connect(bureau.url("luoding", "second-pass-2")) as doc:
            assert doc.account.unit == "罗定市档案馆" and doc.list_projects() == []
        dialog.table.selectRow(row)
        dialog.remove_button.click()
        log.append(dialog.status.text())
        assert "luoding" not in [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        return 1

    monkeypatch.setattr(AccountsDialog, "exec", drive)
    window.act_accounts.trigger()
    assert log == ["两次输入的密码不一致。", "已添加单位账号“luoding”（罗定市档案馆）。",
                   "已修改账号“luoding”的密码。", "已删除账号“luoding”。"]


def test_unit_typing_a_review_score_is_refused_in_chinese_and_reloaded(window: MainWindow, bureau, seed003,  # type: ignore[no-untyped-def]
                                                                       monkeypatch, qtbot) -> None:
    """Seed 003's template shows the 复核得分 column; the server refuses it from a unit account."""
    from app.ui import server_mode
    from app.ui.editors.indicator_model import COL_REVIEWER

    login = bureau.account("unit", "罗定市档案馆")
    with ServerDocument.connect(bureau.url(login)) as doc:
        pid = doc.add_project(replace(seed003[0], unit="罗定市档案馆"), seed003[1])
        original = doc.load_project(pid)
    assert server_mode.connect(window, bureau.url(login))
    window.project_list.select_id(pid)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: errors.append((title, text)))
    model = window.category_editors[0].model
    review_cell = model.index(model.row_of(0, 0), model.column_of(COL_REVIEWER))
    assert not model.flags(review_cell) & Qt.ItemFlag.ItemIsEditable  # not offered to a unit account...
    assert model.flags(model.index(model.row_of(0, 0), model.column_of("actual"))) & Qt.ItemFlag.ItemIsEditable
    model.setData(review_cell, "1")  # ...and refused by the server when it comes anyway
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors[0][0] == "没有权限" and "单位账号不能修改复核得分" in errors[0][1] and "没有写入" in errors[0][1]
    qtbot.waitUntil(lambda: window.ctl.project == original, timeout=5000)  # shows what is stored again
    model = window.category_editors[0].model
    model.setData(model.index(model.row_of(0, 0), model.column_of("actual")), "95%")  # its 自评 values go through
    qtbot.waitUntil(lambda: window.ctl.project != original, timeout=5000)
    with ServerDocument.connect(bureau.url(login)) as doc:
        stored = doc.load_project(pid).categories[0].groups[0].indicators[0]
    before = original.categories[0].groups[0].indicators[0]
    assert stored.actual == "95%" and stored.reviewer_score == before.reviewer_score
    assert len(errors) == 1


def test_review_page_is_view_only_for_a_unit_account(window: MainWindow, served, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from app.ui import server_mode

    bureau, login, pid = served
    assert server_mode.connect(window, bureau.url(login))
    window.project_list.select_id(pid)
    window.show_review()
    page = window.review_editor
    assert page is not None
    assert not page.status.isEnabled() and page.reviewers.isReadOnly() and page.opinion.isReadOnly()
    assert not page.unit_note.isHidden() and "单位账号" in page.unit_note.text()
    window.grab().save(str(tmp_path / "review-unit.png"))
    reviewer = bureau.account("reviewer")
    assert server_mode.connect(window, bureau.url(reviewer))
    window.project_list.select_id(pid)
    window.show_review()
    page = window.review_editor
    assert page is not None and page.status.isEnabled() and not page.opinion.isReadOnly()
    assert page.unit_note.isHidden()


def test_unit_deleting_a_reviewed_project_is_refused_in_the_window(window: MainWindow, served, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.ui import server_mode

    bureau, login, pid = served
    with ServerDocument.connect(bureau.url(bureau.account("reviewer"))) as r:
        project = r.load_project(pid)
        r.update_project(replace(project, review=replace(project.review, status="已复核")))
    assert server_mode.connect(window, bureau.url(login))
    window.project_list.select_id(pid)
    asked: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text, *a, **k: asked.append(text) or True)
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: errors.append(text))
    window.act_delete_project.trigger()
    assert "立即从服务器上删除" in asked[0] and "不保存" not in asked[0]
    assert "单位账号不能删除或替换它" in errors[0]
    assert [i.id for i in window.project_list.model.items] == [pid]
