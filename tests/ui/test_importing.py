"""文件 → 导入: workbooks and JSON files are read, shown, and added only after confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.exporters.excel import export_xlsx
from app.scoring.engine import score_project
from app.ui.dialogs import prompts
from app.ui.main_window import MainWindow

from ..conftest import SAMPLES


def _count(window: MainWindow) -> int:
    assert window.ctl.document is not None
    return len(window.ctl.document.list_projects())


def test_import_workbook_and_json(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    table = tmp_path / "自评表.xlsx"
    export_xlsx(project, template, score_project(project, template), table)
    monkeypatch.setattr(prompts, "import_files", lambda *a: [table, SAMPLES / "seed003-luoding.json"])
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text, *a: asked.append(text) or True)
    before = _count(window)
    ids = window.import_files()
    assert len(ids) == 2 and _count(window) == before + 2
    assert "找到 2 个项目" in asked[0] and "自评表.xlsx" in asked[0] and "馆藏档案保护" in asked[0]
    assert window.ctl.project is not None and window.ctl.project.id == ids[0]
    assert window.ctl.report is not None and window.ctl.report.total == score_project(project, template).total
    assert window.isWindowModified()


def test_import_cancelled_adds_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "confirm", lambda *a: False)
    before = _count(window)
    assert window.import_files([SAMPLES / "seed000-daning.json"]) == []
    assert _count(window) == before


def test_refused_files_are_explained(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "旧表.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)  # an old .xls renamed
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    before = _count(window)
    assert window.import_files([fake, tmp_path / "没有.json"]) == []
    assert _count(window) == before
    assert "旧表.xlsx：" in shown[0] and "没有.json：文件不存在" in shown[0]
    assert fake.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
