"""项目 → 复制单位的项目到新年度… through the real window and dialog: targets kept, actuals cleared, all at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt

from app.models.document import Document
from app.scoring import edits
from app.ui.dialogs.copy_year import CopyYearDialog
from app.ui.main_window import MainWindow
from tests.bureau.helpers import unit_projects

from .drive import modals


@pytest.fixture
def unit_window(qtbot: Any, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "单位.jxdb"
    with Document.new() as doc:
        for project, template in unit_projects("甲单位", ["甲一", "甲二", "甲三"], year=2024):
            index, _ = project.indicators()[0]
            doc.add_project(edits.set_indicator(project, index, reviewer_score=project.indicators()[0][1].weight),
                            template)
        for project, template in unit_projects("甲单位", ["甲三"], year=2025):
            doc.add_project(project, template)  # already carried over
        for project, template in unit_projects("乙单位", ["乙一"], year=2024):
            doc.add_project(project, template)
        doc.save_as(path)
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert win.open_path(path)
    yield win
    win.set_document(None)
    win.close()
    win.deleteLater()


def test_copy_a_units_projects_to_the_next_year(unit_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    win = unit_window
    first = next(i for i in win.project_list.model.items if i.name == "甲一")
    win.project_list.select_id(first.id)
    seen: list[str] = []

    def choose(dialog: CopyYearDialog) -> None:
        assert dialog.unit.currentText() == "甲单位" and dialog.year.currentData() == 2024
        assert dialog.target.value() == 2025
        names = [dialog.projects.item(i).text() for i in range(dialog.projects.count())]
        assert sorted(names) == ["甲一", "甲三（新年度已有同名项目）", "甲二"]
        taken = names.index("甲三（新年度已有同名项目）")
        assert dialog.projects.item(taken).checkState() == Qt.CheckState.Unchecked
        seen.append(dialog.ok.text())
        dialog.target.setValue(2024)
        assert not dialog.ok.isEnabled()  # the same year is no copy
        dialog.target.setValue(2025)
        dialog.ok.click()

    modals(monkeypatch, choose)
    ids = win.copy_unit_to_year()
    assert seen == ["复制 2 个项目"] and len(ids) == 2
    doc = win.ctl.document
    assert doc is not None
    copies = [doc.load_project(i) for i in ids]
    assert sorted(p.name for p in copies) == ["甲一", "甲二"] and {p.year for p in copies} == {2025}
    original = doc.load_project(first.id)
    copy = next(p for p in copies if p.name == "甲一")
    for (_, old), (_, new) in zip(original.indicators(), copy.indicators(), strict=True):
        assert new.target == old.target and new.weight == old.weight and new.rule == old.rule
        assert new.actual == "" and new.reviewer_score is None and new.override_score is None
    assert copy.budget.initial == original.budget.initial and copy.budget.executed.total == 0
    assert copy.review.status == "待复核"
    assert original.indicators()[0][1].reviewer_score is not None  # the original is untouched
    assert win.ctl.project is not None and win.ctl.project.id == ids[0] and win.isWindowModified()


def test_cancel_copies_nothing(unit_window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    win = unit_window
    before = len(win.project_list.model.items)
    modals(monkeypatch, lambda dialog: dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click())
    assert win.copy_unit_to_year() == []
    assert len(win.project_list.model.items) == before and not win.isWindowModified()
