"""文件 → 导入 (Ctrl+I) of a real .xlsx, and pasting an Excel block over a tab with several 二级指标."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.exporters.excel import export_xlsx
from app.scoring.engine import score_project
from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_ACTUAL, COL_NAME, COL_RULE, COL_TARGET, COL_WEIGHT
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.conftest import Modals, Picker, answer
from tests.ui.e2e.keys import give_focus, press


def test_import_an_xlsx_with_ctrl_i(shown_window: MainWindow, modals: Modals, picker: Picker, tmp_path: Path,
                                     seed000) -> None:  # type: ignore[no-untyped-def]
    window = shown_window
    project, template = seed000
    table = tmp_path / "大宁自评表.xlsx"
    export_xlsx(project, template, score_project(project, template), table)
    picker.will_choose(table)
    modals.expect("导入项目", answer("导入", contains="找到 1 个项目"))
    give_focus(window.project_list.view)
    before = window.project_list.model.rowCount()
    press(Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    modals.check()
    mode, title, _ = picker.asked[0]
    assert mode is prompts.Pick.OPEN_MANY and title == "导入项目"
    assert window.project_list.model.rowCount() == before + 1
    assert window.ctl.project is not None and window.ctl.project.name == project.name
    assert window.panel.total.text() == "93.08"
    assert window.isWindowModified()


def test_import_cancelled_in_the_picker_does_nothing(shown_window: MainWindow, modals: Modals,
                                                     picker: Picker) -> None:
    window = shown_window
    picker.will_choose()  # 取消 in the file picker
    before = window.project_list.model.rowCount()
    window.act_import.trigger()
    assert window.project_list.model.rowCount() == before
    assert picker.asked


def test_paste_skips_group_rows_and_appends_in_the_last_group(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "大宁")
    editor = window.category_editors[1]  # 产出: 数量 / 质量 / 时效 / 成本, one indicator each
    model = editor.model
    window.tabs.setCurrentWidget(editor)
    groups_before = [(g.name, g.weight) for g in model.category.groups]  # type: ignore[union-attr]
    rows_before = model.rowCount()
    give_focus(editor.table)
    editor.table.setCurrentIndex(model.index(model.row_of(0, 0), model.column_of(COL_NAME)))
    block = ("甲\t5\t≥10套\t10套\n"
             "乙\t5\t100%\t100%\n"
             "丙\t5\t及时\t及时\n"
             "丁\t5\t≤100万元\t90万元\n"
             "戊\t30\t≥95%\t95%\n")
    QGuiApplication.clipboard().setText(block)
    undo_before = window.ctl.undo_stack.index()
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cat = model.category
    assert cat is not None
    assert [(g.name, g.weight) for g in cat.groups] == groups_before  # no 二级指标 touched
    assert [[i.name for i in g.indicators] for g in cat.groups] == [["甲"], ["乙"], ["丙"], ["丁", "戊"]]
    assert model.rowCount() == rows_before + 1
    assert window.ctl.undo_stack.index() == undo_before + 1  # one step
    last = model.row_of(3, 1)
    assert model.index(last, model.column_of(COL_TARGET)).data() == "≥95%"
    assert model.index(last, model.column_of(COL_WEIGHT)).data() == "30"
    assert model.index(model.row_of(2, 0), model.column_of(COL_RULE)).data() == "定性（分档）"
    assert model.index(model.row_of(3, 0), model.column_of(COL_ACTUAL)).data() == "90万元"
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.rowCount() == rows_before
    assert window.panel.total.text() == "93.08"


def test_paste_starting_on_a_group_row_goes_to_its_indicators(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "馆藏档案保护")
    editor = window.category_editors[0]  # 决策: 项目立项 / 绩效目标 / 资金投入, two indicators each
    model = editor.model
    window.tabs.setCurrentWidget(editor)
    cat = model.category
    assert cat is not None and len(cat.groups) >= 3
    first_group = [i.name for i in cat.groups[0].indicators]
    group_names = [g.name for g in cat.groups]
    give_focus(editor.table)
    editor.table.setCurrentIndex(model.index(model.row_of(1, None), model.column_of(COL_NAME)))
    QGuiApplication.clipboard().setText("一\n二\n三\n")
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    cat = model.category
    assert cat is not None
    assert [g.name for g in cat.groups] == group_names
    assert [i.name for i in cat.groups[1].indicators] == ["一", "二"]
    assert cat.groups[2].indicators[0].name == "三"
    assert [i.name for i in cat.groups[0].indicators] == first_group
