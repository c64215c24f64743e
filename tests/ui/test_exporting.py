"""Printing paints the exporter's PDF pages; 批量导出 saves first."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter

from app.ui.dialogs import prompts
from app.ui.main_window import MainWindow
from tests.ui.conftest import select

# Exports through the window (picker, replace question, 导出完成 box) are in tests/ui/e2e/test_export_print.py.


def test_print_paints_the_exported_pdf_pages(window: MainWindow, tmp_path: Path) -> None:
    """The printer gets the exporter's own pages (4 for seed 003), not a separate layout."""
    import pypdfium2 as pdfium

    from app.ui import printing

    select(window, "馆藏档案保护")
    ctl = window.ctl
    assert ctl.project is not None and ctl.template is not None and ctl.report is not None
    with printing.form_pdf(ctl.project, ctl.template, ctl.report) as pages:
        count = len(pages)
        printer = printing.make_printer(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "form.pdf"))
        assert printing.paint(printer, pages, 72) == count
    assert count == 4
    printed = pdfium.PdfDocument(str(tmp_path / "form.pdf"))
    assert len(printed) == count
    width, height = printed[0].get_size()
    assert width > height  # A4 landscape like the export
    printed.close()
    assert window.act_preview.isEnabled() and window.act_print.isEnabled()


def test_batch_export_saves_first_then_opens_the_dialog(window: MainWindow, sample_file: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.dialogs.batch_export import BatchExportDialog

    select(window, "大宁")
    model = window.category_editors[1].model
    model.setData(model.index(model.row_of(0, 0), model.column_of("actual")), "3套")
    opened: list[BatchExportDialog] = []
    monkeypatch.setattr(BatchExportDialog, "exec", lambda self: opened.append(self) or 0)
    monkeypatch.setattr(prompts, "confirm", lambda *a: False)
    window.batch_export()
    assert opened == [] and window.isWindowModified()
    monkeypatch.setattr(prompts, "confirm", lambda *a: True)
    window.batch_export()
    assert not window.isWindowModified()
    assert len(opened) == 1 and opened[0].project_list.count() >= 1


def test_paint_chooses_paper_resolution_outside_the_preview(window: MainWindow, tmp_path: Path) -> None:
    """Printing from the preview dialog reuses its printer: without a dpi, paper gets PRINT_DPI."""
    import pypdfium2 as pdfium

    from app.ui import printing

    select(window, "大宁")
    ctl = window.ctl
    assert ctl.project is not None and ctl.template is not None and ctl.report is not None
    with printing.form_pdf(ctl.project, ctl.template, ctl.report) as pages:
        printer = printing.make_printer(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "paper.pdf"))
        printing.paint(printer, pages)
    printed = pdfium.PdfDocument(str(tmp_path / "paper.pdf"))
    images = printed[0].get_objects()
    widths = [obj.get_px_size()[0] for obj in images if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    printed.close()
    assert widths and max(widths) >= 297 / 25.4 * printing.PRINT_DPI * 0.99  # A4 landscape width at 300 dpi
