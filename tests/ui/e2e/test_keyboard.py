"""Keyboard only: every indicator action by its shortcut and menu, Tab out of the tables, Ctrl+Tab between pages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.ui.editors.indicator_model import COL_NAME, COL_TARGET
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.keys import give_focus, press, type_char

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def names(window: MainWindow, ci: int) -> list[list[str]]:
    cat = window.category_editors[ci].model.category
    assert cat is not None
    return [[i.name for i in g.indicators] for g in cat.groups]


def test_every_indicator_action_by_keyboard(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "馆藏档案保护")
    press_tab_pages = 0
    give_focus(window.tabs.tabBar())
    window.tabs.setCurrentIndex(0)
    while window.tabs.tabText(window.tabs.currentIndex()) != "过程":  # Ctrl+Tab to the 过程 page
        press(Qt.Key.Key_Tab, CTRL)
        press_tab_pages += 1
        assert press_tab_pages < 10
    editor = window.current_indicator_editor()
    assert editor is window.category_editors[1]
    assert QApplication.focusWidget() is editor.table  # the page's table has the keyboard
    model = editor.model
    press(Qt.Key.Key_Home, CTRL)  # the first cell (the 二级指标 row), then down to the first indicator
    press(Qt.Key.Key_Down)
    assert editor.table.currentIndex() == model.index(model.row_of(0, 0), model.column_of(COL_NAME))
    start = names(window, 1)
    first, second = start[0][0], start[0][1]

    press(Qt.Key.Key_Insert, ALT)                                     # 插入指标
    assert names(window, 1)[0] == [first, "新指标", *start[0][1:]]
    assert editor.current_position() == (0, 1)
    press(Qt.Key.Key_Up, ALT)                                         # 上移
    assert names(window, 1)[0][:2] == ["新指标", first]
    press(Qt.Key.Key_Down, ALT)                                       # 下移
    press(Qt.Key.Key_Down, ALT)
    assert names(window, 1)[0][:3] == [first, second, "新指标"]
    press(Qt.Key.Key_Delete, ALT)                                     # 删除指标
    assert names(window, 1) == start
    press(Qt.Key.Key_Insert, ALT | SHIFT)                             # 新增二级指标
    cat = model.category
    assert cat is not None and cat.groups[1].name == "新二级指标" and len(cat.groups) == len(start) + 1
    for _ in range(6):  # insert, up, down, down, delete, new group: six undo steps
        press(Qt.Key.Key_Z, CTRL)
    assert names(window, 1) == start

    labels = [a.text() for a in window.indicator_menu.actions() if a.text()]
    assert labels[:5] == ["插入指标", "删除指标", "上移", "下移", "新增二级指标"]
    assert all(not a.shortcut().isEmpty() for a in window.indicator_menu.actions() if a.text())
    menu = editor.context_menu(editor.table.currentIndex())
    assert [a.text() for a in menu.actions()][-5:] == labels[:5]


def test_tab_leaves_the_tables(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "大宁")
    editor = window.category_editors[1]
    window.tabs.setCurrentWidget(editor)
    table, model = editor.table, editor.model
    give_focus(table)
    table.setCurrentIndex(model.index(model.row_of(0, 0), 0))
    presses = 0
    while QApplication.focusWidget() is table:
        press(Qt.Key.Key_Tab)
        presses += 1
        assert presses <= model.columnCount()
    assert presses == model.columnCount()  # along the row, then out
    press(Qt.Key.Key_Tab, SHIFT)
    assert QApplication.focusWidget() is table  # Shift+Tab comes back

    # typing in a cell: Tab commits and moves right; at the row's end it leaves
    table.setCurrentIndex(model.index(model.row_of(0, 0), model.column_of(COL_TARGET)))
    type_char(table, "9")
    press(Qt.Key.Key_Tab)
    assert model.indicator_at(model.row_of(0, 0)).target == "9"  # type: ignore[union-attr]
    assert table.currentIndex().column() == model.column_of(COL_TARGET) + 1

    budget = window.budget_editor
    assert budget is not None
    window.tabs.setCurrentWidget(budget)
    give_focus(budget.table)
    budget.table.setCurrentIndex(budget.table.model().index(0, 0))
    presses = 0
    while QApplication.focusWidget() is budget.table:
        press(Qt.Key.Key_Tab)
        presses += 1
        assert presses <= budget.table.model().columnCount()
    assert presses == budget.table.model().columnCount()


def test_ctrl_page_down_cycles_the_pages(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "大宁")
    give_focus(window.budget_editor.table)  # type: ignore[union-attr]
    start = window.tabs.currentIndex()
    seen = []
    for _ in range(window.tabs.count()):
        press(Qt.Key.Key_PageDown, CTRL)
        seen.append(window.tabs.currentIndex())
    assert sorted(seen) == list(range(window.tabs.count())) and seen[-1] == start
    press(Qt.Key.Key_PageUp, CTRL)
    assert window.tabs.currentIndex() == (start - 1) % window.tabs.count()


def test_an_inserted_row_takes_its_rule_from_the_typed_target(shown_window: MainWindow) -> None:
    from app.ui.editors.indicator_model import COL_RULE
    from tests.ui.e2e.keys import type_cell

    window = shown_window
    select(window, "大宁")
    editor = window.category_editors[1]
    window.tabs.setCurrentWidget(editor)
    model = editor.model
    give_focus(editor.table)
    editor.table.setCurrentIndex(model.index(model.row_of(2, 0), 0))  # 安装及时性, 定性（分档）
    press(Qt.Key.Key_Insert, ALT)
    row = model.row_of(2, 1)
    assert model.index(row, model.column_of(COL_RULE)).data() == "定性（分档）"  # like its neighbour
    type_cell(editor.table, row, model.column_of(COL_TARGET), "≥90%")
    assert model.index(row, model.column_of(COL_RULE)).data() == "定量（按比例）"
    type_cell(editor.table, row, model.column_of(COL_TARGET), "及时")
    assert model.index(row, model.column_of(COL_RULE)).data() == "定性（分档）"
