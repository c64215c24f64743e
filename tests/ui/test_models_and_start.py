"""Table models pass qtmodeltester; projects new/copy/delete; read-only, locks, recovery, first run, --smoke."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.models.document import Document, LockedError, LockInfo, RecoveryInfo
from app.ui import application, files
from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_ASSESS, ChangesRole
from app.ui.editors.rule_editors import AssessmentEditor
from app.ui.main_window import MainWindow
from tests.ui.conftest import select

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("words", ["大宁", "馆藏档案保护"])
def test_every_table_model_passes_the_model_tester(window: MainWindow, qtmodeltester: Any, words: str) -> None:
    select(window, words)
    for editor in window.category_editors.values():
        qtmodeltester.check(editor.model)
    assert window.budget_editor is not None
    qtmodeltester.check(window.budget_editor.model)
    qtmodeltester.check(window.project_list.model)


def test_year_filter_and_search(window: MainWindow) -> None:
    plist = window.project_list
    plist.year.setCurrentIndex(plist.year.findData(2019))
    assert [i.name for i in plist.model.items] == ["馆藏档案保护"]
    plist.year.setCurrentIndex(0)
    plist.search.setText("大宁")
    assert len(plist.model.items) == 1 and "大宁" in plist.model.items[0].name
    plist.search.setText("没有这个")
    assert plist.model.rowCount() == 0


def test_assessment_editors_set_tier_and_checks(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    model = window.category_editors[1].model  # 产出 / 时效指标 / 安装及时性 (qualitative, actual 90%)
    index = model.index(model.row_of(2, 0), model.column_of(COL_ASSESS))
    assert model.setData(index, {"tier": 1, "tier_percent": Decimal(70)}, ChangesRole)
    assert "部分达成" in index.data()
    assert window.panel.total.text() == "90.08"  # 15 × 70% = 10.5 instead of 13.5
    template = window.ctl.template
    assert template is not None
    editor = AssessmentEditor(model.indicator_at(index.row()), template)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    assert editor.tier is not None and editor.percent is not None
    editor.tier.setCurrentIndex(1)  # 达成预期指标: 80–100
    assert editor.percent.minimum() == 80 and editor.percent.value() == 100
    assert editor.changes() == {"tier": 0, "tier_percent": Decimal(100)}
    assert model.setData(index, "未达成预期指标且效果较差 30%")
    assert window.ctl.project is not None
    assert window.ctl.project.categories[1].groups[2].indicators[0].tier == 2
    select(window, "馆藏档案保护")
    model = window.category_editors[0].model  # 决策 / 项目立项 / 立项程序规范性: checklist, ① is a veto
    index = model.index(model.row_of(0, 1), model.column_of(COL_ASSESS))
    ind = model.indicator_at(index.row())
    assert ind is not None and ind.checks is not None
    editor = AssessmentEditor(ind, window.ctl.template)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    assert len(editor.checks) == len(ind.checks) and "否决" in editor.checks[0].text()
    editor.checks[0].setChecked(False)
    assert model.setData(index, editor.changes(), ChangesRole)
    assert window.panel.total.text() == "94.80"  # the veto: 3 points lost
    assert index.data() == "未满足：①"


def test_read_only_shows_banner_and_save_goes_to_save_as(qtbot: Any, tmp_path: Path, sample_file: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    original = Document.open

    def locked_open(path: Path, *, read_only: bool = False) -> Document:
        if not read_only:
            raise LockedError("locked", LockInfo("张三", "PC-01", 42, datetime(2024, 5, 6, 9, 30)))
        return original(path, read_only=True)

    monkeypatch.setattr(Document, "open", staticmethod(locked_open))
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text, *a: asked.append(text) or True)
    assert win.open_path(sample_file)
    assert "张三" in asked[0] and "PC-01" in asked[0]
    assert win.ctl.document is not None and win.ctl.document.read_only
    assert win.banner.isVisibleTo(win)
    assert "只读" in win.banner_text.text()
    target = tmp_path / "copy.jxdb"
    monkeypatch.setattr(prompts, "pick", lambda *a, **k: [target])  # the OS picker seam
    assert win.save()  # goes to Save As
    assert target.exists()
    assert not win.banner.isVisibleTo(win)
    win.set_document(None)


def test_damaged_file_gives_a_message(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    bad = tmp_path / "坏文件.jxdb"
    bad.write_bytes(b"this is not a database" * 100)
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    assert not win.open_path(bad)
    assert shown and "坏文件.jxdb" in shown[0]
    assert bad.read_bytes() == b"this is not a database" * 100


def test_first_run_opens_a_copy_of_the_sample(qtbot: Any, tmp_path: Path) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    application.start(win, None, smoke=False)
    doc = win.ctl.document
    assert doc is not None and doc.path is not None and doc.path.name == files.SAMPLE_NAME
    assert len(doc.list_projects()) == 2
    assert files.last_file(win.settings) == doc.path
    win.set_document(None)
    # next start: the last file again, no new sample
    application.start(win, None, smoke=False)
    assert win.ctl.document is not None and win.ctl.document.path == doc.path
    win.set_document(None)


def test_recovery_is_offered(qtbot: Any, tmp_path: Path, sample_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    info = RecoveryInfo(tmp_path / "w.jxdb", sample_file, datetime(2024, 1, 2, 3, 4))
    monkeypatch.setattr(Document, "find_recoverable", staticmethod(lambda: [info]))
    monkeypatch.setattr(Document, "recover", classmethod(lambda cls, i: Document.open(i.original_path)))
    texts: list[str] = []
    monkeypatch.setattr(prompts, "choose", lambda parent, title, text, options: texts.append(text) or 0)
    application.start(win, None, smoke=False)
    assert "示例.jxdb" in texts[0]
    assert win.ctl.document is not None and win.ctl.document.path == sample_file
    win.set_document(None)


def test_translator_loads(qapp: QApplication) -> None:
    assert application.install_translator(qapp)


def test_smoke_run_exits_zero(sample_file: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "app", "--smoke", str(sample_file)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    missing = subprocess.run([sys.executable, "-m", "app", "--smoke", str(tmp_path / "无.jxdb")], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "文件不存在" in missing.stderr
    no_file = subprocess.run([sys.executable, "-m", "app", "--smoke"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60)
    assert no_file.returncode == 0, no_file.stderr


def test_enter_moves_down(window: MainWindow, qtbot: Any) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    table = editor.table
    table.setCurrentIndex(editor.model.index(1, 2))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert table.currentIndex().row() == 2


def test_recent_files_menu(window: MainWindow, sample_file: Path) -> None:
    assert files.recent_files(window.settings)[0] == sample_file
    window._fill_recent()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert str(sample_file) in texts


