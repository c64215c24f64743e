"""Sub-indicators of an average-completion indicator and the template's penalty items, edited in the window."""

from __future__ import annotations

from typing import Any

from app.ui.editors.penalties import DECISIONS
from app.ui.main_window import MainWindow
from tests.ui.conftest import select


def test_subitems_table_edits_and_rescores(window: MainWindow, qtmodeltester: Any) -> None:
    select(window, "馆藏档案保护")
    editor = window.category_editors[3]  # 效益 / 项目效益 / 项目效益 (average_completion)
    model = editor.model
    editor.table.setCurrentIndex(model.index(model.row_of(0, 0), 0))
    assert not editor.subitems.isHidden()
    sub = editor.subitems.model
    assert sub.rowCount() >= 2
    qtmodeltester.check(sub)
    actual = sub.index(0, 2)
    before = window.panel.total.text()
    assert sub.setData(actual, "50%")
    assert window.panel.total.text() != before
    assert window.ctl.project is not None
    assert window.ctl.project.categories[3].groups[0].indicators[0].subitems[0].actual == "50%"
    window.act_undo.trigger()
    assert window.panel.total.text() == before
    count = sub.rowCount()
    sub.add()
    assert sub.rowCount() == count + 1
    sub.remove(count)
    assert sub.rowCount() == count
    editor.table.setCurrentIndex(model.index(model.row_of(1, 0), 0))  # 可持续影响: levels, no sub-items
    assert editor.subitems.isHidden()


def test_penalty_decision_changes_total_and_grade(window: MainWindow) -> None:
    select(window, "馆藏档案保护")
    budget = window.budget_editor
    assert budget is not None and budget.penalties is not None
    key = budget.penalties.keys[0]
    combo = budget.penalties.decisions[key]
    combo.activated.emit([d for _, d in DECISIONS].index(True))
    assert window.panel.total.text() == "87.80"
    assert "优" not in window.panel.grade.text()
    assert budget.penalties.states[key].text() == "已扣分"
    window.act_undo.trigger()
    assert window.panel.total.text() == "97.80"
    assert budget.penalties.decisions[key].currentIndex() == 0
