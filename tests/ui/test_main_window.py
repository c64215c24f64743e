"""The window on the sample file: live score, undo/redo, paste, rows, save and reopen, closing, issues."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from app.models.document import Document
from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal
from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_ACTUAL, COL_DEVIATION, COL_NAME, COL_TARGET, IndicatorTableModel
from app.ui.main_window import MainWindow
from tests.ui.conftest import select


def test_platform_is_offscreen(qapp: QApplication) -> None:
    assert QApplication.platformName() == "offscreen"


def _cell(model: IndicatorTableModel, gi: int, ii: int | None, key: str) -> Any:
    return model.index(model.row_of(gi, ii), model.column_of(key))


def test_window_shows_the_sample_and_its_tabs(window: MainWindow) -> None:
    select(window, "大宁")
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["基本信息", "预算执行", "产出", "效益", "满意度", "分析与建议"]
    assert window.panel.total.text() == "93.08"
    assert "优秀" in window.panel.grade.text()
    assert window.windowTitle() == "示例.jxdb[*] - 绩效自评"
    assert not window.isWindowModified()
    select(window, "馆藏档案保护")
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs == ["基本信息", "预算执行", "决策", "过程", "产出", "效益", "分析与建议"]
    assert window.panel.total.text() == "97.80"
    assert "复核得分：97.80" in window.panel.detail.text()
    assert "复核得分" in [window.category_editors[0].model.headerData(c, Qt.Orientation.Horizontal)
                          for c in range(window.category_editors[0].model.columnCount())]


def test_edit_actual_updates_total_and_undo_redo(window: MainWindow) -> None:
    select(window, "大宁")
    model = window.category_editors[1].model
    index = _cell(model, 0, 0, COL_ACTUAL)
    assert index.data() == "6套"
    assert model.setData(index, "3套")
    assert window.panel.total.text() == "88.08"  # 软件采购数量 10 × 3/6 = 5
    assert window.isWindowModified()
    assert window.ctl.project is not None
    expected = score_project(window.ctl.project, window.ctl.template)  # type: ignore[arg-type]
    assert window.panel.total.text() == fmt_decimal(expected.total, 2)
    # the panel's bar for 产出 follows
    assert any(bar.format() == "42.20 / 50" for _, bar in window.panel._bar_widgets)
    window.act_undo.trigger()
    assert window.panel.total.text() == "93.08"
    assert _cell(model, 0, 0, COL_ACTUAL).data() == "6套"
    window.act_redo.trigger()
    assert window.panel.total.text() == "88.08"
    # the working copy has what the window shows
    doc = window.ctl.document
    assert doc is not None
    stored = doc.load_project(window.ctl.project.id or 0)
    assert stored.categories[1].groups[0].indicators[0].actual == "3套"


def test_edit_target_updates_total(window: MainWindow) -> None:
    select(window, "大宁")
    model = window.category_editors[3].model  # 满意度: target 95, actual 85%
    assert model.setData(_cell(model, 0, 0, COL_TARGET), "85")
    assert window.panel.total.text() == "94.13"  # 8.95 → 10


def test_unreadable_cell_is_marked_not_blocked(window: MainWindow) -> None:
    select(window, "大宁")
    model = window.category_editors[1].model
    index = _cell(model, 0, 0, COL_ACTUAL)
    assert model.setData(index, "很多")
    assert index.data() == "很多"
    assert "无法" in (index.data(Qt.ItemDataRole.ToolTipRole) or "")
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert window.panel.issues.count() >= 1
    assert window.panel.total.text() == "83.08"


def test_paste_block_is_one_undo_step(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    model = editor.model
    table = editor.table
    start = _cell(model, 0, 0, COL_TARGET)
    table.setCurrentIndex(start)
    # two rows × two columns (target, actual), rows 1 and 2 of the table (a group row between them is skipped
    # for target/actual: group rows have no such cells)
    QGuiApplication.clipboard().setText("8\t4套\r\n")
    table.paste()
    assert _cell(model, 0, 0, COL_TARGET).data() == "8"
    assert _cell(model, 0, 0, COL_ACTUAL).data() == "4套"
    assert window.panel.total.text() == "88.08"
    before = window.ctl.undo_stack.index()
    rows = [model.row_of(1, 0), model.row_of(2, 0)]
    QGuiApplication.clipboard().setText("100%\t50%\n及时\t50%\n")
    table.setCurrentIndex(model.index(rows[0], model.column_of(COL_TARGET)))
    table.paste()
    assert window.ctl.undo_stack.index() == before + 1
    assert _cell(model, 1, 0, COL_ACTUAL).data() == "50%"
    window.act_undo.trigger()
    assert _cell(model, 1, 0, COL_ACTUAL).data() == "100%"
    assert window.panel.total.text() == "88.08"


def test_paste_beyond_the_end_adds_rows(window: MainWindow) -> None:
    select(window, "大宁")
    editor = window.category_editors[3]
    model = editor.model
    rows_before = model.rowCount()
    editor.table.setCurrentIndex(_cell(model, 0, 0, COL_NAME))
    QGuiApplication.clipboard().setText("满意度一\t5\t≥90%\t95%\n满意度二\t5\t≥90%\t80%")
    editor.table.paste()
    assert model.rowCount() == rows_before + 1
    assert _cell(model, 0, 1, COL_NAME).data().strip() == "满意度二"
    assert _cell(model, 0, 1, COL_ACTUAL).data() == "80%"
    window.act_undo.trigger()
    assert model.rowCount() == rows_before


def test_add_move_remove_rows_are_undoable(window: MainWindow) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    model = editor.model
    n = model.rowCount()
    editor.table.setCurrentIndex(_cell(model, 0, 0, COL_NAME))
    editor.insert_row()
    assert model.rowCount() == n + 1
    assert _cell(model, 0, 1, COL_NAME).data().strip() == "新指标"
    editor.move_row(-1)
    assert _cell(model, 0, 0, COL_NAME).data().strip() == "新指标"
    window.act_undo.trigger()
    assert _cell(model, 0, 1, COL_NAME).data().strip() == "新指标"
    window.act_undo.trigger()
    assert model.rowCount() == n
    editor.table.setCurrentIndex(_cell(model, 0, 0, COL_NAME))
    editor.remove_rows()
    assert model.rowCount() == n - 1
    assert window.panel.total.text() == "83.08"
    window.act_undo.trigger()
    assert model.rowCount() == n
    assert window.panel.total.text() == "93.08"
    editor.table.setCurrentIndex(_cell(model, 3, None, COL_NAME))
    editor.insert_group()
    assert model.row_of(4, None) >= 0
    window.act_undo.trigger()
    assert model.row_of(4, None) < 0


def test_save_then_reopen_is_equal(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    select(window, "馆藏档案保护")
    model = window.category_editors[1].model  # 过程
    assert model.setData(_cell(model, 0, 0, COL_DEVIATION), "资金到位略有延迟，已督促拨付")
    window.budget_editor.model.setData(window.budget_editor.model.index(0, 3), "50")  # type: ignore[union-attr]
    edited = window.ctl.project
    target = tmp_path / "另存.jxdb"
    monkeypatch.setattr(prompts, "pick", lambda *a, **k: [target])  # the OS picker seam
    assert window.save_as()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("另存.jxdb")
    with Document.open(target, read_only=True) as doc:
        assert edited is not None and edited.id is not None
        assert doc.load_project(edited.id) == edited
    # and saving in place works too
    assert model.setData(_cell(model, 0, 1, COL_DEVIATION), "执行率偏低")
    assert window.isWindowModified()
    assert window.save()
    with Document.open(target, read_only=True) as doc:
        assert window.ctl.project is not None
        assert doc.load_project(window.ctl.project.id or 0) == window.ctl.project


@pytest.mark.parametrize("answer", [prompts.Answer.CANCEL, prompts.Answer.DISCARD, prompts.Answer.SAVE])
def test_close_with_unsaved_changes_asks(window: MainWindow, sample_file: Path, monkeypatch: pytest.MonkeyPatch,
                                         answer: prompts.Answer) -> None:
    select(window, "大宁")
    model = window.category_editors[1].model
    model.setData(_cell(model, 0, 0, COL_ACTUAL), "3套")
    asked: list[str] = []

    def ask(parent: Any, name: str) -> prompts.Answer:
        asked.append(name)
        return answer

    monkeypatch.setattr(prompts, "ask_save", ask)
    before = sample_file.read_bytes()
    closed = window.close_file()
    assert asked == ["示例.jxdb"]
    assert closed is (answer is not prompts.Answer.CANCEL)
    assert (window.ctl.document is None) is closed
    if answer is prompts.Answer.SAVE:
        with Document.open(sample_file, read_only=True) as doc:
            names = {p.name: p.id for p in doc.list_projects()}
            project = doc.load_project(next(v for k, v in names.items() if "大宁" in k))
            assert project.categories[1].groups[0].indicators[0].actual == "3套"
    else:
        assert sample_file.read_bytes() == before
    if answer is prompts.Answer.CANCEL:
        assert window.ctl.modified


def test_close_event_without_changes_does_not_ask(window: MainWindow) -> None:
    window.close()  # the autouse fixture fails the test if a dialog appears
    assert window.ctl.document is None


def test_clicking_an_issue_selects_its_cell(window: MainWindow) -> None:
    select(window, "馆藏档案保护")
    issue = next(i for i in window.ctl.report.issues if i.code == "deviation_reason")  # type: ignore[union-attr]
    item = next(window.panel.issues.item(r) for r in range(window.panel.issues.count())
                if window.panel.issues.item(r).toolTip() == issue.message)
    window.panel.issues.itemClicked.emit(item)
    editor = window.category_editors[issue.where.index[0]]
    assert window.tabs.currentWidget() is editor
    current = editor.table.currentIndex()
    assert editor.model.columns[current.column()] == COL_DEVIATION
    assert editor.model.rows[current.row()].ii == issue.where.index[2]


def test_budget_grid_derives_and_rescores(window: MainWindow) -> None:
    select(window, "大宁")
    budget = window.budget_editor
    assert budget is not None
    model = budget.model
    assert model.index(1, 7).data() == "107.26"  # 全年预算 年度总金额
    assert model.index(6, 7).data() == "99.28%"  # 执行率
    assert not model.flags(model.index(1, 7)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(3, 3), "107.26")  # 全年执行 县区级
    assert model.index(6, 7).data() == "100.00%"
    assert model.index(3, 4).data() == "107.26"  # 财政资金小计
    assert window.panel.total.text() == "93.15"  # 预算执行率 9.93 → 10
    assert not model.setData(model.index(3, 3), "很多钱")
    assert model.index(3, 3).data() == "很多钱"
    assert model.index(3, 3).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert window.ctl.project is not None
    assert window.ctl.project.budget.executed.county == Decimal("107.26")
    window.act_undo.trigger()
    assert window.panel.total.text() == "93.08"


def test_typing_in_a_narrative_merges_into_one_undo_step(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    overview = window.editors[0]
    text = overview._texts["necessity"]  # type: ignore[union-attr]
    before = window.ctl.undo_stack.count()
    qtbot.keyClicks(text, "need")  # QTest types Latin-1 only
    assert window.ctl.project is not None
    assert window.ctl.project.narrative["necessity"] == "need"
    assert window.ctl.undo_stack.count() == before + 1
    window.act_undo.trigger()
    assert "necessity" not in window.ctl.project.narrative
    assert text.toPlainText() == ""


def test_identity_edit_renames_list_entry(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    line = window.editors[0]._lines["unit"]  # type: ignore[union-attr]
    line.selectAll()
    qtbot.keyClicks(line, "Archive")
    assert window.ctl.project is not None and window.ctl.project.unit == "Archive"
    assert any(i.unit == "Archive" for i in window.project_list.model.items)


def test_save_commits_a_cell_still_being_edited(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    window.tabs.setCurrentWidget(window.category_editors[1])
    editor = window.category_editors[1]
    index = _cell(editor.model, 0, 0, COL_ACTUAL)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    line = editor.table.viewport().findChild(QLineEdit)
    assert line is not None and line.text() == "6套"
    line.setText("3")
    assert window.save()
    assert index.data() == "3"
    assert not window.isWindowModified()


def test_weights_that_do_not_add_up_are_shown_not_blocked(window: MainWindow) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    model = editor.model
    assert editor.warning.isHidden()
    assert model.setData(_cell(model, 0, 0, "weight"), "5")
    assert not editor.warning.isHidden()
    assert "权重之和为 45" in editor.warning.text()
    assert window.save()  # unfinished work can always be saved


def test_review_fields_for_a_reviewed_framework(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    assert window.editors[0]._review == {}  # type: ignore[union-attr]
    select(window, "馆藏档案保护")
    line = window.editors[0]._review["agency"]  # type: ignore[union-attr]
    line.clear()
    qtbot.keyClicks(line, "ABC")
    assert window.ctl.project is not None and window.ctl.project.review.agency == "ABC"
    window.act_undo.trigger()
    assert window.ctl.project.review.agency == ""
    assert line.text() == ""


def test_budget_derived_rows_follow_typing(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    budget = window.budget_editor
    assert budget is not None
    window.tabs.setCurrentWidget(budget)
    index = budget.model.index(3, 3)  # 全年执行 县区级
    budget.table.setCurrentIndex(index)
    budget.table.edit(index)
    line = budget.table.viewport().findChild(QLineEdit)
    assert line is not None
    line.clear()
    qtbot.keyClicks(line, "107.26")
    assert line.text() == "107.26", line.text()
    assert budget.model.index(6, 7).data() == "100.00%"  # before Enter
    assert window.panel.total.text() == "93.15"
    before = window.ctl.undo_stack.count()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: budget.table.viewport().findChild(QLineEdit) is None or not line.isVisible())
    QApplication.processEvents()  # the delegate commits through a queued call
    assert window.ctl.undo_stack.count() == before
    window.act_undo.trigger()  # the whole typing is one step
    assert budget.model.index(6, 7).data() == "99.28%"


def test_typing_then_enter_commits_and_moves_down(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    index = _cell(editor.model, 0, 0, COL_ACTUAL)
    editor.table.setCurrentIndex(index)
    qtbot.keyClick(editor.table, Qt.Key.Key_3)  # type to edit: the key opens the editor with "3"
    line = editor.table.viewport().findChild(QLineEdit)
    assert line is not None and line.text() == "3"
    qtbot.keyClicks(line, "A")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index.data() == "3A")
    assert editor.table.currentIndex().row() == index.row() + 1
    assert window.panel.total.text() == "88.08"  # "3A" is read as 3 of 6
