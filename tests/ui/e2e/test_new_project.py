"""New file → 新建项目 through the real dialog → budget and five indicators typed → total → save → reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QToolBar, QToolButton, QWidget

from app.ui.editors.budget import BudgetEditor
from app.ui.editors.indicator_model import COL_ACTUAL, COL_ASSESS, COL_NAME, COL_RULE, COL_TARGET, COL_WEIGHT
from app.ui.main_window import MainWindow
from tests.ui.e2e.conftest import Modals, Picker, answer, click
from tests.ui.e2e.keys import give_focus, press, type_cell


def fill_project_dialog(name: str, unit: str, framework: str, year: int) -> Any:
    def handler(dialog: QWidget) -> None:
        combo = dialog.findChild(QComboBox)
        assert combo is not None
        index = combo.findText(framework, Qt.MatchFlag.MatchContains)
        assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
        combo.setCurrentIndex(index)
        spin = dialog.findChild(QSpinBox)
        assert spin is not None
        spin.setValue(year)
        edits = dialog.findChildren(QLineEdit)
        edits = [e for e in edits if not isinstance(e.parent(), QSpinBox)]
        edits[0].setText(name)
        edits[1].setText(unit)
        click(dialog, "确定")
    return handler


def add_indicator(window: MainWindow, ci: int, group: str, cells: tuple[str, str, str, str]) -> None:
    """Select the group row, 插入指标 with its shortcut, type name, weight, 指标值 and 实际完成值."""
    editor = window.category_editors[ci]
    model = editor.model
    window.tabs.setCurrentWidget(editor)
    gi = next(i for i, g in enumerate(model.category.groups) if g.name == group)  # type: ignore[union-attr]
    give_focus(editor.table)
    editor.table.setCurrentIndex(model.index(model.row_of(gi, None), 0))
    before = len(model.category.groups[gi].indicators)  # type: ignore[union-attr]
    press(Qt.Key.Key_Insert, Qt.KeyboardModifier.AltModifier)
    assert len(model.category.groups[gi].indicators) == before + 1  # type: ignore[union-attr]
    row = model.row_of(gi, before)
    for key, text in zip((COL_NAME, COL_WEIGHT, COL_TARGET, COL_ACTUAL), cells, strict=True):
        type_cell(editor.table, row, model.column_of(key), text)


def test_new_project_typed_scored_saved_and_reopened(blank_window: MainWindow, modals: Modals, picker: Picker,
                                                     tmp_path: Path) -> None:
    window = blank_window
    assert window.panel.issues_title.text() == "需要注意的问题"  # nothing stale in an empty file
    modals.expect("新建项目", fill_project_dialog("农村饮水安全巩固提升", "某某县水利局", "财预", 2025))
    window.act_new_project.trigger()
    modals.check()
    project = window.ctl.project
    assert project is not None and project.name == "农村饮水安全巩固提升" and project.unit == "某某县水利局"
    assert project.year == 2025 and project.template_id == "mof-2020"
    assert window.project_list.model.items[0].name == "农村饮水安全巩固提升"

    # 预算执行: 全年预算数 100, 全年执行数 95 (万元) → 执行率 95% → 10 × 0.95 = 9.50
    budget = window.budget_editor
    assert isinstance(budget, BudgetEditor)
    window.tabs.setCurrentWidget(budget)
    type_cell(budget.table, 1, 0, "100")
    type_cell(budget.table, 2, 0, "100")
    type_cell(budget.table, 3, 0, "95")
    assert window.panel.total.text() == "9.50"

    add_indicator(window, 1, "数量指标", ("培训人数", "20", "≥100人", "100人"))      # 20 × 1        = 20.00
    add_indicator(window, 1, "质量指标", ("水质合格率", "15", "≥95%", "90%"))        # 15 × 90/95    = 14.21
    add_indicator(window, 1, "时效指标", ("完成时间", "15", "按时", "按时"))          # 定性, 达成     = 15.00
    add_indicator(window, 2, "社会效益指标", ("受益人口覆盖率", "30", "≥80%", "72%"))  # 30 × 72/80    = 27.00
    add_indicator(window, 3, "服务对象满意度指标", ("群众满意度", "10", "≥90%", "93%"))  # 10 × 1       = 10.00
    # hand total: 9.50 + 20 + 14.21 + 15 + 27 + 10 = 95.71
    assert window.panel.total.text() == "95.71"
    assert "优" in window.panel.grade.text()
    timely = window.category_editors[1].model
    row = timely.row_of(2, 0)
    assert timely.index(row, timely.column_of(COL_RULE)).data() == "定性（分档）"  # chosen from the typed 按时
    assert timely.index(row, timely.column_of(COL_ASSESS)).data() == "达成预期指标 100%"
    quality = timely.row_of(1, 0)
    assert timely.index(quality, timely.column_of(COL_RULE)).data() == "定量（按比例）"
    assert window.isWindowModified()

    target = tmp_path / "饮水项目.jxdb"
    picker.will_choose(target)
    press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.exists() and not window.isWindowModified()
    assert "饮水项目.jxdb" in window.windowTitle()

    window.act_close.trigger()  # saved: no question
    assert window.ctl.document is None
    picker.will_choose(target)
    window.act_open.trigger()
    assert window.ctl.project is not None and window.ctl.project.name == "农村饮水安全巩固提升"
    assert window.panel.total.text() == "95.71"
    modals.check()


def test_undo_back_to_the_saved_state_is_clean(blank_window: MainWindow, modals: Modals, picker: Picker,
                                                tmp_path: Path) -> None:
    window = blank_window
    modals.expect("新建项目", fill_project_dialog("道路养护", "交通局", "财预", 2025))
    click(window.project_list, "新建")  # the left button
    modals.check()
    picker.will_choose(tmp_path / "a.jxdb")
    window.act_save.trigger()
    assert not window.isWindowModified()
    add_indicator(window, 1, "数量指标", ("养护里程", "50", "≥10公里", "10公里"))
    assert window.isWindowModified() and "*" not in window.windowTitle().replace("[*]", "")
    while window.ctl.undo_stack.canUndo() and not window.ctl.undo_stack.isClean():
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.ctl.undo_stack.isClean()
    assert not window.isWindowModified()
    window.close()  # quitting does not ask: no dialog is expected
    assert not window.isVisible()
    modals.check()


def _toolbar_button(window: MainWindow) -> QToolButton:
    bar = window.findChild(QToolBar, "main-toolbar")
    assert bar is not None
    button = bar.widgetForAction(window.act_new_project)
    assert isinstance(button, QToolButton) and button.text() == "新建项目"
    return button


def test_every_new_project_entry_opens_the_dialog(blank_window: MainWindow, modals: Modals) -> None:
    window = blank_window
    assert window.centre.currentWidget() is window.start_page and window.start_buttons.isVisible()
    for name, trigger in (("开始页", lambda: click(window.start_page, "新建项目…")),
                          ("菜单", window.act_new_project.trigger),
                          ("工具栏", lambda: _toolbar_button(window).click()),
                          ("快捷键", lambda: press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                                                 | Qt.KeyboardModifier.ShiftModifier)),
                          ("左侧按钮", lambda: click(window.project_list, "新建"))):
        modals.expect("新建项目", fill_project_dialog(f"项目{name}", "", "共性指标", 2024))
        give_focus(window.project_list.view)
        trigger()
        modals.check()
        assert window.ctl.project is not None and window.ctl.project.name == f"项目{name}"
        assert window.ctl.project.template_id == "four-part-2019"
    modals.expect("新建项目", answer("取消"))
    window.act_new_project.trigger()
    assert len(window.project_list.model.items) == 5
