"""The 比较符 / 数值 / 单位 picker and the 指标值 context menu: they write text through the controller, undoably."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QMenu, QWidget

from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal
from app.ui.editors.comparator import NONE_LABEL, Parts, compose, split, swap_comparator
from app.ui.editors.indicator_model import COL_ACTUAL, COL_TARGET
from app.ui.editors.indicators import IndicatorEditor
from app.ui.main_window import MainWindow
from tests.ui.conftest import select


def _choose(combo: QComboBox, text: str) -> None:
    """What a click on an entry of the drop-down does."""
    pos = combo.findText(text)
    assert pos >= 0, text
    combo.setCurrentIndex(pos)
    combo.activated.emit(pos)


def _software(window: MainWindow) -> IndicatorEditor:
    """The 产出 tab of 大宁 with 软件采购数量（套） (target "6", 定量（按比例）) selected."""
    select(window, "大宁")
    editor = window.category_editors[1]
    editor.select(0, 0, COL_TARGET)
    return editor


def _cell(editor: IndicatorEditor, key: str) -> Any:
    return editor.model.index(editor.model.row_of(0, 0), editor.model.column_of(key)).data()


def test_split_and_compose_follow_the_parser() -> None:
    assert split("＜=107.26万元") == Parts("≤", "107.26", "万元")
    assert split("50个以上") == Parts("≥", "50", "个")
    assert split("100.00%") == Parts("", "100.00", "%")
    assert split("及时") is None and split("5O个") is None and split("") is None
    assert compose(Parts("≤", "90", "万元")) == "≤90万元"
    assert compose(Parts("", "95", "")) == "95"
    assert compose(Parts("≥", "", "个")) is None  # no number: nothing to write
    assert compose(Parts("≥", "5", "个2")) is None  # the parser would not read it back
    assert swap_comparator("≥50个", "≤") == "≤50个"
    assert swap_comparator("不低于95%", "") == "95%"
    assert swap_comparator("及时", "≥") is None


def test_picker_prefills_from_the_text(window: MainWindow) -> None:
    editor = _software(window)
    bar = editor.pickers
    assert bar.target.isEnabled() and bar.actual.isEnabled()
    assert (bar.target.comparator.currentText(), bar.target.number.text(), bar.target.unit.currentText()) == (
        NONE_LABEL, "6", "")
    assert (bar.actual.comparator.currentText(), bar.actual.number.text(), bar.actual.unit.currentText()) == (
        NONE_LABEL, "6", "套")
    editor.select(3, 0, COL_TARGET)  # 业务运行成本: ＜=107.26万元
    assert (bar.target.comparator.currentText(), bar.target.number.text(), bar.target.unit.currentText()) == (
        "≤", "107.26", "万元")
    editor.select(2, 0, COL_TARGET)  # 安装及时性 is 定性: the picker is off
    assert not bar.target.isEnabled() and bar.target.number.text() == ""
    assert "定量（按比例）" in bar.note.text()


def test_choose_le_and_wan_yuan_rescores_and_undoes_in_one_step(window: MainWindow) -> None:
    editor = _software(window)
    assert editor.model.setData(editor.model.index(1, editor.model.column_of(COL_ACTUAL)), "7.5万元")
    assert window.panel.total.text() == "93.08"  # ≥ by default: 7.5 of 6 is full marks
    stack = window.ctl.undo_stack
    before = stack.index()
    bar = editor.pickers
    _choose(bar.target.comparator, "≤")
    assert _cell(editor, COL_TARGET) == "≤6"
    _choose(bar.target.unit, "万元")
    assert _cell(editor, COL_TARGET) == "≤6万元"
    assert window.panel.total.text() == "91.08"  # ≤: 10 × 6/7.5 = 8
    assert window.ctl.project is not None and window.ctl.template is not None
    ind = window.ctl.project.categories[1].groups[0].indicators[0]
    assert ind.target == "≤6万元"
    assert window.panel.total.text() == fmt_decimal(score_project(window.ctl.project, window.ctl.template).total, 2)
    assert stack.index() == before + 1  # picks in a row on one cell: one undo step
    window.act_undo.trigger()
    assert _cell(editor, COL_TARGET) == "6"
    assert window.panel.total.text() == "93.08"
    assert bar.target.comparator.currentText() == NONE_LABEL and bar.target.unit.currentText() == ""
    window.act_redo.trigger()
    assert _cell(editor, COL_TARGET) == "≤6万元"
    # after the undo/redo a new pick is a step of its own
    _choose(bar.target.comparator, "=")
    assert _cell(editor, COL_TARGET) == "=6万元" and stack.index() == before + 2
    window.act_undo.trigger()
    assert _cell(editor, COL_TARGET) == "≤6万元"


def test_number_field_writes_on_enter(window: MainWindow, qtbot: Any) -> None:
    editor = _software(window)
    bar = editor.pickers
    bar.actual.number.setFocus()
    bar.actual.number.selectAll()
    qtbot.keyClicks(bar.actual.number, "3")
    assert _cell(editor, COL_ACTUAL) == "6套"  # nothing written while typing
    qtbot.keyClick(bar.actual.number, Qt.Key.Key_Return)
    assert _cell(editor, COL_ACTUAL) == "3套"
    assert window.panel.total.text() == "88.08"
    qtbot.keyClicks(bar.actual.number, "x")  # the validator keeps letters out
    assert bar.actual.number.text() == "3"


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: no popup grabs
def test_context_menu_swaps_the_comparator(window: MainWindow) -> None:
    editor = _software(window)
    index = editor.model.index(editor.model.row_of(3, 0), editor.model.column_of(COL_TARGET))
    assert index.data() == "＜=107.26万元"
    menu = editor.target_menu(index)
    assert menu is not None
    texts = {a.text(): a for a in menu.actions()}
    assert set(texts) == {"比较符 ≥", "比较符 ≤", "比较符 =", "比较符 >", "比较符 <", "去掉比较符"}
    assert texts["比较符 ≤"].isChecked() and not texts["比较符 ≤"].isEnabled()
    before = window.ctl.undo_stack.index()
    texts["比较符 ≥"].trigger()
    assert index.data() == "≥107.26万元"
    assert window.ctl.undo_stack.index() == before + 1
    window.act_undo.trigger()
    assert index.data() == "＜=107.26万元"

    # the real right click: the menu pops up on the cell (without blocking)
    rect = editor.table.visualRect(index)
    editor.table.customContextMenuRequested.emit(QPoint(rect.center()))
    popup = QApplication.activePopupWidget()
    assert isinstance(popup, QMenu)
    next(a for a in popup.actions() if a.text() == "比较符 <").trigger()
    popup.close()
    assert index.data() == "<107.26万元"
    assert editor.target_menu(editor.model.index(index.row(), editor.model.column_of(COL_ACTUAL))) is None


def test_unreadable_target_leaves_the_fields_empty(window: MainWindow) -> None:
    editor = _software(window)
    bar = editor.pickers
    target = editor.model.index(editor.model.row_of(0, 0), editor.model.column_of(COL_TARGET))
    assert editor.model.setData(target, "5O个")  # a letter O typed for a zero
    assert bar.target.isEnabled()
    assert bar.target.number.text() == "" and bar.target.unit.currentText() == ""
    assert bar.target.comparator.currentText() == NONE_LABEL
    assert "5O个" in bar.note.text() and "无法识别" in bar.note.text()
    assert bar.actual.number.text() == "6"  # the readable actual is still offered
    _choose(bar.target.comparator, "≥")  # no number chosen yet: nothing is written
    assert target.data() == "5O个"
    menu = editor.target_menu(target)
    assert menu is not None
    assert not any(a.isEnabled() for a in menu.actions())
    assert editor.model.setData(target, "及时")
    assert bar.target.number.text() == "" and "文字（定性）" in bar.note.text()


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen window manager
def test_no_layout_jump_between_indicators(window: MainWindow, qtbot: Any) -> None:
    window.show()
    qtbot.waitExposed(window)
    editor = _software(window)
    window.tabs.setCurrentWidget(editor)
    geometry = (editor.pickers.geometry(), editor.detail.geometry().top())
    for gi in (2, 3, 1, 0):
        editor.select(gi, 0, COL_TARGET)
        assert (editor.pickers.geometry(), editor.detail.geometry().top()) == geometry


def test_keyboard_reaches_the_picker(window: MainWindow) -> None:
    editor = _software(window)
    bar = editor.pickers
    buddies = {label.text(): label.buddy() for label in bar.findChildren(QLabel) if label.buddy() is not None}
    assert buddies == {"指标值(&Z)：": bar.target.comparator, "实际完成值(&J)：": bar.actual.comparator}
    chain: list[QWidget] = [bar.target.comparator]
    skipped = (bar.target.unit.lineEdit(), bar.actual.unit.lineEdit())
    while len(chain) < 6:
        widget = chain[-1].nextInFocusChain()
        while widget is not None and (not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget in skipped):
            widget = widget.nextInFocusChain()
        assert widget is not None
        chain.append(widget)
    assert chain == [bar.target.comparator, bar.target.number, bar.target.unit,
                     bar.actual.comparator, bar.actual.number, bar.actual.unit]
