"""复制项目 and 删除项目 through the real dialogs (the 新建项目 flow is in test_new_project.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QSpinBox, QWidget

from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.conftest import Modals, answer, click
from tests.ui.e2e.test_new_project import fill_project_dialog


def test_new_copy_and_delete_project(shown_window: MainWindow, modals: Modals) -> None:
    window = shown_window
    modals.expect("新建项目", fill_project_dialog("新项目", "某单位", "共性指标", 2024))
    window.act_new_project.trigger()
    modals.check()
    assert window.ctl.project is not None and window.ctl.project.name == "新项目"
    assert [window.tabs.tabText(i) for i in range(2, 6)] == ["决策", "过程", "产出", "效益"]
    assert window.project_list.model.rowCount() == 3
    assert window.project_list.year.findData(2024) >= 0

    def copy_as(dialog: QWidget) -> None:
        assert dialog.findChild(QCheckBox) is not None  # 清空实际完成值…
        spin = dialog.findChild(QSpinBox)
        assert spin is not None and spin.value() == 2025  # next year proposed
        click(dialog, "确定")

    modals.expect("复制项目", copy_as)
    window.act_copy_project.trigger()
    modals.check()
    assert window.ctl.project.name == "新项目" and window.ctl.project.year == 2025
    assert window.project_list.model.rowCount() == 4
    modals.expect("删除项目", answer("取消", contains="新项目"))
    window.act_delete_project.trigger()
    modals.check()
    assert window.project_list.model.rowCount() == 4
    modals.expect("删除项目", answer("删除"))
    click(window.project_list, "删除")
    modals.check()
    assert window.project_list.model.rowCount() == 3


def test_copy_to_next_year_clears_the_results(shown_window: MainWindow, modals: Modals) -> None:
    window = shown_window
    select(window, "大宁")
    original = window.ctl.project
    assert original is not None
    modals.expect("复制项目", answer("确定"))  # the proposed year, name and unit; 清空 is ticked
    click(window.project_list, "复制")
    modals.check()
    copy = window.ctl.project
    assert copy is not None and copy.id != original.id and copy.year == original.year + 1
    assert all(ind.actual == "" and ind.target == old.target
               for (_, ind), (_, old) in zip(copy.indicators(), original.indicators(), strict=True))
    assert copy.budget.executed.is_empty() and copy.budget.adjusted == original.budget.adjusted
    assert window.panel.total.text() != "93.08"
    assert window.panel.issues.count() > 0  # missing actuals are listed, not blocked


def test_an_empty_name_is_refused_in_the_dialog(shown_window: MainWindow, modals: Modals) -> None:
    window = shown_window
    before = window.project_list.model.rowCount()

    def empty_then_cancel(dialog: QWidget) -> None:
        click(dialog, "确定")  # no name yet: the dialog stays and says why
        assert dialog.isVisible()
        assert "请填写项目名称" in "".join(w.text() for w in dialog.findChildren(QWidget) if hasattr(w, "text")
                                        and isinstance(w.text(), str))
        click(dialog, "取消")

    modals.expect("新建项目", empty_then_cancel)
    window.act_new_project.trigger()
    modals.check()
    assert window.project_list.model.rowCount() == before
