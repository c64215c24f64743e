"""文件 → 汇集… through the real window: pick a folder and a file, answer a duplicate, read the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from app.importers.collect import Decision
from app.ui.dialogs import prompts
from app.ui.dialogs.collect import CollectDialog, DuplicateDialog
from app.ui.main_window import MainWindow
from tests.bureau.helpers import unit_json, unit_jxdb

from .drive import answer_message, modals, picks


def _names(window: MainWindow) -> list[str]:
    return [i.name for i in window.project_list.model.items]


def test_collect_a_folder_and_a_file_answering_a_duplicate(window: MainWindow, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    unit_jxdb(inbox / "乙单位.jxdb", "乙单位", ["乙项目一", "乙项目二"])
    again = unit_json(tmp_path / "乙单位补报.json", "乙单位", ["乙项目一"], contact="补报")
    bad = inbox / "坏表.xlsx"
    bad.write_bytes(b"broken")
    asked = picks(monkeypatch, [inbox], [again])
    before = len(_names(window))
    report_text: list[str] = []

    def fill(dialog: CollectDialog) -> None:
        dialog.add_folder_button.click()
        dialog.add_files_button.click()
        assert dialog.chosen() == [inbox, again]
        assert dialog.on_duplicate.currentData() == "ask"
        dialog.start_button.click()  # runs, asks about 乙项目一 (the next step), shows the report
        assert dialog.results.rowCount() == 3
        report_text.extend(sorted(dialog.results.item(r, 1).text() for r in range(3)))
        report_text.append(dialog.status.text())
        dialog.close_button.click()

    def answer(dialog: DuplicateDialog) -> None:
        assert "乙项目一" in dialog.text.text() and "本次汇集的“乙单位.jxdb”中" in dialog.text.text()
        dialog.buttons[Decision.REPLACE].click()

    driver = modals(monkeypatch, fill, answer)
    window.act_collect.trigger()
    assert driver.opened == ["CollectDialog", "DuplicateDialog"]
    assert [mode for mode, _ in asked] == [prompts.Pick.FOLDER, prompts.Pick.OPEN_MANY]
    assert {"汇集 1 个项目（替换 1 个）", "汇集 2 个项目"} <= set(report_text[:3])
    assert any(t.startswith("未汇集：不是 Excel 工作簿") for t in report_text[:3])  # 坏表.xlsx
    assert "已汇集 3 个项目，1 个文件未汇集" in report_text[3]
    names = _names(window)
    assert len(names) == before + 2 and names.count("乙项目一") == 1
    assert window.isWindowModified()
    assert bad.read_bytes() == b"broken"
    item = next(i for i in window.project_list.model.items if i.name == "乙项目一")
    window.project_list.select_id(item.id)
    assert window.ctl.project is not None and window.ctl.project.contact == "补报"


def test_collect_on_a_read_only_file_is_refused(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = window.ctl.document
    assert doc is not None
    monkeypatch.setattr(doc, "read_only", True)
    shown = answer_message(monkeypatch, "OK")
    window.collect_files()
    assert "只读" in shown[0]


def test_collect_only_one_year(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = unit_json(tmp_path / "两年.json", "丁单位", ["丁项目"], year=2023)
    picks(monkeypatch, [source])
    before = _names(window)
    results: list[str] = []

    def run(dialog: CollectDialog) -> None:
        dialog.add_files_button.click()
        dialog.year.setValue(2024)
        dialog.start_button.click()
        results.append(dialog.results.item(0, 1).text())
        dialog.close_button.click()

    modals(monkeypatch, run)
    window.act_collect.trigger()
    assert results == ["汇集 0 个项目，其他年度未汇集 1 个"] and _names(window) == before


def test_closing_the_dialog_without_collecting_changes_nothing(window: MainWindow,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = _names(window)

    def close(dialog: QDialog) -> None:
        assert not dialog.start_button.isEnabled()  # type: ignore[attr-defined]
        dialog.close_button.click()  # type: ignore[attr-defined]

    modals(monkeypatch, close)
    window.act_collect.trigger()
    assert _names(window) == before and not window.isWindowModified()
