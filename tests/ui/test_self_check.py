"""The window: switching the 计分口径 in the score panel, and 项目 → 自查 with its 整改清单 (real widgets)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt

from app.models.document import Document
from app.scoring.selfcheck import self_check
from app.ui.dialogs import prompts
from app.ui.main_window import MainWindow
from tests.scoring.helpers import messy_project
from tests.ui.conftest import select

D = Decimal


@pytest.fixture
def messy_window(qtbot: Any, tmp_path: Path, templates: dict) -> Iterator[MainWindow]:
    """A window on a file with the messy project (a ≤ row over its ceiling, kept published scores, …) and
    seed 000 beside it."""
    mof = templates["mof-2020"]
    path = tmp_path / "待查.jxdb"
    doc = Document.new()
    doc.add_project(messy_project(mof), mof)
    from tests.conftest import _load_sample

    seed, seed_template = _load_sample("seed000-daning.json", templates)
    doc.add_project(seed, seed_template)
    doc.save_as(path)
    doc.close()
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(1400, 900)
    assert win.open_path(path)
    yield win
    win.set_document(None)
    win.close()


def _line(win: MainWindow, name: str) -> Any:
    assert win.ctl.report is not None
    return next(ln for ln in win.ctl.report.lines if ln.path[-1] == name)


def test_switching_the_convention_rescores_is_undoable_and_saved(messy_window: MainWindow, qtbot: Any,
                                                                  tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    win = messy_window
    select(win, "农村公路")
    combo = win.panel.convention
    assert combo.isEnabled() and combo.currentData() == "mof-2020"
    # put a ≤ ceiling overrun in the table through the controller's one edit path, as the table does
    win.ctl.update(lambda p: _with_cost(p, "≤90万元", "135万元"), "修改指标值")
    assert _line(win, "每公里养护成本").score == D("13.33")  # 20 × 90/135
    before = win.ctl.report.total
    # the user picks 一体化 in the panel with the keyboard
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == "一体化"
    assert win.ctl.project.convention == "一体化"
    assert _line(win, "每公里养护成本").score == D("10.00")  # 20 × (1 − 45/90)
    assert win.ctl.report.total == before - D("3.33")
    assert "计分口径：预算管理一体化系统绩效模块规则" in combo.toolTip()
    # undo brings the MoF rule back, and the combo follows
    win.act_undo.trigger()
    assert win.ctl.project.convention == "" and combo.currentData() == "mof-2020"
    assert _line(win, "每公里养护成本").score == D("13.33")
    win.act_redo.trigger()
    assert combo.currentData() == "一体化"
    # saved in the file and shown again after reopening
    target = tmp_path / "另存.jxdb"
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: target)  # the OS picker
    assert win.save_as()
    assert win.open_path(target)
    select(win, "农村公路")
    assert combo.currentData() == "一体化" and _line(win, "每公里养护成本").score == D("10.00")
    # another project keeps its own convention
    select(win, "大宁")
    assert combo.currentData() == "mof-2020" and str(win.ctl.report.total) == "93.08"


def _with_cost(project: Any, target: str, actual: str) -> Any:
    from dataclasses import replace

    cats = []
    for cat in project.categories:
        groups = []
        for grp in cat.groups:
            inds = tuple(replace(i, target=target, actual=actual, deviation_reason="材料涨价，超出预算")
                         if i.name == "每公里养护成本" else i for i in grp.indicators)
            groups.append(replace(grp, indicators=inds))
        cats.append(replace(cat, groups=tuple(groups)))
    return replace(project, categories=tuple(cats))


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen: the dialog is a shown top-level window
def test_self_check_lists_locates_follows_edits_and_exports(messy_window: MainWindow, qtbot: Any,
                                                            tmp_path: Path, templates: dict,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    win = messy_window
    select(win, "农村公路")
    assert win.act_self_check.isEnabled() and win.act_self_check.shortcut().toString() == "F7"
    menu = next(a.menu() for a in win.menuBar().actions() if a.text().startswith("项目"))
    assert win.act_self_check in menu.actions()
    win.act_self_check.trigger()
    dialog = win.self_check_dialog
    assert dialog is not None and dialog.isVisible()
    expected = self_check(win.ctl.project, win.ctl.template)
    table = dialog.table
    assert table.rowCount() == len(expected) > 8
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert [r[1:4] for r in rows] == [[f.indicator, f.problem, f.advice] for f in expected]
    assert table.isColumnHidden(0) and f"发现 {len(expected)} 个问题" in dialog.summary.text()
    # double-clicking the placeholder row goes to the 指标值 cell of 培训人次 on the 产出指标 tab
    row = next(i for i, r in enumerate(rows) if "占位符" in r[2])
    rect = table.visualRect(table.model().index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # press sets the index
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = win.category_editors[0]
    assert win.tabs.currentWidget() is editor
    current = editor.table.currentIndex()
    assert editor.model.indicator_at(current.row()).name == "培训人次"
    # fixing the placeholder in the project removes the line from the open list
    from dataclasses import replace

    def fix(p: Any) -> Any:
        cat = p.categories[0]
        grp = cat.groups[0]
        first = replace(grp.indicators[0], target="≥40人次")
        cat = replace(cat, groups=(replace(grp, indicators=(first, *grp.indicators[1:])), *cat.groups[1:]))
        return replace(p, categories=(cat, *p.categories[1:]))

    win.ctl.update(fix, "修改指标值")
    texts = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert not any("占位符" in t for t in texts) and dialog.table.rowCount() < len(expected)
    # every project of the file: the project column appears, seed 000 adds nothing
    dialog.all_projects.setChecked(True)
    assert not table.isColumnHidden(0)
    assert {table.item(r, 0).text() for r in range(table.rowCount())} == {"农村公路养护工程（2023年）"}
    # 导出整改清单: the OS picker is the only thing patched
    target = tmp_path / "整改清单.xlsx"
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: target)
    shown: list[str] = []
    monkeypatch.setattr(prompts, "info", lambda parent, title, text: shown.append(text))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.exists() and str(target) in shown[0]
    ws = openpyxl.load_workbook(target).active
    assert [c.value for c in ws[3]] == ["序号", "项目", "指标", "问题", "整改建议", "类别"]
    assert ws.max_row - 3 == table.rowCount()
    # closing the file closes the list: its findings belong to that file
    win.set_document(None)
    assert not dialog.isVisible()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_self_check_on_a_clean_project_says_so(window: MainWindow) -> None:
    select(window, "大宁")
    dialog = window.self_check()
    assert dialog is not None
    assert dialog.table.rowCount() == 0 and dialog.summary.text() == "未发现问题，可以提交。"
    dialog.close()


def test_print_preview_shows_convention_notes_and_the_row_sum(templates: dict) -> None:
    """打印 prints the exported PDF: its text carries the convention, the notes and the row sum."""
    from app.scoring.engine import score_project
    from app.ui import printing

    mof = templates["mof-2020"]
    project = messy_project(mof)
    report = score_project(project, mof)
    with printing.form_pdf(project, mof, report) as pages:
        text = "".join(pages.text(i) for i in range(len(pages)))
    flat = "".join(text.split())
    assert "计分口径：财政部自评规则（财预〔2020〕10号）" in flat
    assert "注：群众满意度，原表得分9，按规则9.58" in flat and "注：原表总分95，各项得分之和94" in flat
    assert "94.00" in flat


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_self_check_with_warnings_only_does_not_say_zero_must_be_fixed(window: MainWindow) -> None:
    select(window, "馆藏")
    dialog = window.self_check()
    assert dialog is not None
    assert dialog.table.rowCount() == 2
    assert dialog.summary.text().startswith("发现 2 个问题，没有必须改正的，请逐条核对。")
    assert "0 个" not in dialog.summary.text()
    dialog.close()
