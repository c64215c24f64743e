"""Closing with unsaved changes asks 保存/不保存/取消 for real; 批量导出 opens its dialog from its own entry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from app.ui.editors.indicator_model import COL_ACTUAL
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.conftest import Modals, Picker, answer, click
from tests.ui.e2e.keys import press, type_cell


def test_quitting_with_changes_asks_and_cancel_keeps_the_window(shown_window: MainWindow, modals: Modals) -> None:
    window = shown_window
    select(window, "大宁")
    editor = window.category_editors[1]
    window.tabs.setCurrentWidget(editor)
    type_cell(editor.table, editor.model.row_of(0, 0), editor.model.column_of(COL_ACTUAL), "5套")
    assert window.isWindowModified()
    modals.expect("保存修改", answer("取消", contains="示例.jxdb"))
    press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    modals.check()
    assert window.isVisible() and window.ctl.document is not None
    modals.expect("保存修改", answer("不保存"))
    window.act_close.trigger()
    modals.check()
    assert window.ctl.document is None


def test_batch_export_entry_saves_first_and_opens_the_dialog(shown_window: MainWindow, modals: Modals,
                                                            picker: Picker, tmp_path: Path) -> None:
    window = shown_window
    select(window, "大宁")
    editor = window.category_editors[1]
    window.tabs.setCurrentWidget(editor)
    type_cell(editor.table, editor.model.row_of(0, 0), editor.model.column_of(COL_ACTUAL), "5套")
    seen: dict[str, object] = {}

    def look(dialog: QWidget) -> None:
        picker.will_choose(tmp_path)
        click(dialog, "浏览…")  # the folder picker goes through the same seam
        seen["chosen"] = next(e.text() for e in dialog.findChildren(QLineEdit))
        click(dialog, "取消")

    modals.expect("批量导出", answer("保存", contains="先保存"))
    modals.expect("批量导出", look)
    press(Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    modals.check()
    assert not window.isWindowModified()  # saved before the batch read the file
    assert seen["chosen"] == str(tmp_path)
    assert picker.asked[-1][1] == "选择导出文件夹"
