"""GUI fixtures: a window on a fresh copy of the sample file, and no modal dialog ever left blocking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.ui import files
from app.ui.main_window import MainWindow


def _unexpected(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"unexpected modal dialog: {args[1:3] if len(args) > 2 else args}")


@pytest.fixture(autouse=True)
def _no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any dialog a test did not patch fails the test instead of blocking it."""
    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, _unexpected)
    monkeypatch.setattr(QMessageBox, "exec", _unexpected)
    monkeypatch.setattr(QDialog, "exec", _unexpected)
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, _unexpected)


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("sample")
    return files.make_sample_file(folder / "示例.jxdb").read_bytes()


@pytest.fixture
def sample_file(tmp_path: Path, sample_master: bytes) -> Path:
    path = tmp_path / "示例.jxdb"
    path.write_bytes(sample_master)
    return path


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, sample_file: Path) -> Iterator[MainWindow]:
    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(1400, 900)
    assert win.open_path(sample_file)
    yield win
    win.set_document(None)  # discard: closing must not ask
    win.close()
    win.deleteLater()


def select(win: MainWindow, words: str) -> None:
    """Select the project whose name contains ``words``."""
    item = next(i for i in win.project_list.model.items if words in i.name)
    win.project_list.select_id(item.id)
    assert win.ctl.project is not None and win.ctl.project.id == item.id
