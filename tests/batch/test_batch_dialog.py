"""文件 → 批量导出 dialog: runs in the background, reports progress and failures, can be cancelled."""

from __future__ import annotations

from pathlib import Path

from app.ui.dialogs.batch_export import BatchExportDialog

from .test_batch import year_file  # noqa: F401  (fixture)


def _projects(path: Path) -> list[tuple[int, int, str, str]]:
    from app.exporters.batch import open_read_only

    doc = open_read_only(path)
    try:
        return [(s.id, s.year, s.unit, s.name) for s in doc.list_projects()]  # type: ignore[attr-defined]
    finally:
        doc.close()


def test_dialog_exports_the_chosen_year(qtbot, year_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out = tmp_path / "导出"
    dlg = BatchExportDialog(year_file, _projects(year_file), default_folder=out, workers=1)
    qtbot.addWidget(dlg)
    assert dlg.year.currentData() == 2021 and len(dlg.chosen()) == 4
    dlg.year.setCurrentIndex(dlg.year.findData(2019))
    assert len(dlg.chosen()) == 1
    dlg.format_boxes["pdf"].setChecked(False)
    dlg.start()
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=60000)
    assert dlg.outcome is not None and not dlg.outcome.failed
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".xlsx", ".xlsx"]
    assert "已导出 1 个项目" in dlg.status.text()
    assert dlg.open_button.isVisible() or not dlg.isVisible()


def test_dialog_lists_failures(qtbot, year_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    out = tmp_path / "导出"
    out.mkdir()
    (out / "罗定市档案馆-馆藏档案保护.xlsx").write_bytes(b"keep me")
    dlg = BatchExportDialog(year_file, _projects(year_file), default_folder=out, workers=1)
    qtbot.addWidget(dlg)
    dlg.year.setCurrentIndex(dlg.year.findData(2019))
    for key in ("docx", "pdf"):
        dlg.format_boxes[key].setChecked(False)
    dlg.start()
    qtbot.waitUntil(lambda: dlg.outcome is not None, timeout=60000)
    assert "已存在" in dlg.log.toPlainText()
    assert (out / "罗定市档案馆-馆藏档案保护.xlsx").read_bytes() == b"keep me"
