"""打印预览/打印: the exported PDF form, rasterised page by page with pdfium, so print and PDF look the same."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from app.exporters.atomic import ExportError
from app.models.errors import reason
from app.scoring.records import Project, ScoreReport, Template
from app.ui.dialogs import prompts
from app.ui.screen_fit import fit_to_screen

log = logging.getLogger(__name__)
#: Resolution of the page images: the preview needs less than paper.
PREVIEW_DPI = 150
PRINT_DPI = 300


class FormPages:
    """An exported PDF opened with pdfium: how many pages, and each page as a QImage."""

    def __init__(self, path: Path) -> None:
        import pypdfium2 as pdfium  # 0.1 s to import: only when printing

        self._pdf = pdfium.PdfDocument(str(path))

    def __len__(self) -> int:
        return len(self._pdf)

    def landscape(self, index: int) -> bool:
        width, height = self._pdf[index].get_size()
        return bool(width > height)

    def image(self, index: int, dpi: int) -> QImage:
        """Page ``index`` as a grey image of ``dpi`` dots per inch (the form is black on white; one byte a pixel
        keeps a 30-page preview near 60 MB instead of 250 MB)."""
        page = self._pdf[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True, draw_annots=False)
        try:
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_Grayscale8).copy()
        finally:
            bitmap.close()
            page.close()
        image.setDotsPerMeterX(round(dpi / 0.0254))
        image.setDotsPerMeterY(round(dpi / 0.0254))
        return image

    def text(self, index: int) -> str:
        """The text on page ``index`` (what a reader of the printed form sees)."""
        page = self._pdf[index]
        textpage = page.get_textpage()
        try:
            return str(textpage.get_text_range())
        finally:
            textpage.close()
            page.close()

    def close(self) -> None:
        self._pdf.close()


@contextmanager
def form_pdf(project: Project, template: Template, report: ScoreReport) -> Iterator[FormPages]:
    """Write the 自评表 with the PDF exporter to a temporary folder and open it; both go away afterwards."""
    from app.exporters.pdf import export_pdf

    folder = Path(tempfile.mkdtemp(prefix="jixiao-print-"))
    pages: FormPages | None = None
    try:
        path = folder / "自评表.pdf"
        export_pdf(project, template, report, path)
        pages = FormPages(path)
        yield pages
    finally:
        if pages is not None:
            pages.close()
        shutil.rmtree(folder, ignore_errors=True)


def make_printer(pages: FormPages | None = None) -> QPrinter:
    """A4, the form's orientation, the whole sheet addressable (the PDF page carries its own margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    landscape = pages is None or not len(pages) or pages.landscape(0)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0),
                                      QPageLayout.Unit.Millimeter))
    printer.setFullPage(True)
    printer.setDocName("绩效自评表")
    return printer


def paint(printer: QPrinter, pages: FormPages, dpi: int | None = None) -> int:
    """Draw every page image onto the printer, scaled to the sheet; returns the number of pages drawn.

    Without ``dpi``: preview resolution while the preview dialog records the pages, paper resolution when
    the user prints from the preview (the same printer object, a real paint engine)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("打印机无法开始打印")
    try:
        engine = painter.paintEngine()
        if dpi is None:
            previewing = engine is not None and engine.type() == QPaintEngine.Type.Picture
            dpi = PREVIEW_DPI if previewing else PRINT_DPI
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        first, last = 0, len(pages) - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage() - 1, min(printer.toPage() - 1, last)
        for index in range(first, last + 1):
            if index > first:
                printer.newPage()
            image = pages.image(index, dpi)
            sheet = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            scale = min(sheet.width() / image.width(), sheet.height() / image.height())
            width, height = image.width() * scale, image.height() * scale
            target = QRectF((sheet.width() - width) / 2, (sheet.height() - height) / 2, width, height)
            painter.drawImage(target, image)
        return last - first + 1
    finally:
        painter.end()


def _failed(parent: QWidget | None, exc: Exception) -> None:
    if isinstance(exc, ExportError):
        text = str(exc)
    else:  # the OS's and pdfium's own texts are English: say it in Chinese, the details go to the log
        why = reason(exc) if isinstance(exc, OSError) else "生成的页面无法读取"
        text = f"无法生成打印页面（{why}）。请检查临时文件夹所在磁盘的空间，或先导出 PDF 再打印。"
    prompts.error(parent, "无法打印", text)


def preview(parent: QWidget | None, project: Project, template: Template, report: ScoreReport) -> int:
    """Qt's print preview of the exported form; returns the number of pages (0 when it could not be made)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    waiting = True
    try:
        with form_pdf(project, template, report) as pages:
            QGuiApplication.restoreOverrideCursor()
            waiting = False
            printer = make_printer(pages)
            dialog = QPrintPreviewDialog(printer, parent)
            dialog.setWindowTitle(f"打印预览 - 绩效自评表（共 {len(pages)} 页）")
            dialog.paintRequested.connect(lambda p: paint(p, pages))
            fit_to_screen(dialog, 1100, 800)
            dialog.exec()
            return len(pages)
    except (ExportError, OSError, RuntimeError) as exc:  # RuntimeError: pypdfium2.PdfiumError
        if waiting:
            QGuiApplication.restoreOverrideCursor()
        log.warning("print preview: %s", exc)
        _failed(parent, exc)
        return 0


def print_form(parent: QWidget | None, project: Project, template: Template, report: ScoreReport) -> bool:
    """Choose a printer, then print the exported form."""
    try:
        with form_pdf(project, template, report) as pages:
            printer = make_printer(pages)
            printer.setFromTo(1, len(pages))
            dialog = QPrintDialog(printer, parent)
            dialog.setWindowTitle("打印绩效自评表")
            dialog.setMinMax(1, len(pages))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                paint(printer, pages, PRINT_DPI)
            finally:
                QGuiApplication.restoreOverrideCursor()
            return True
    except (ExportError, OSError, RuntimeError) as exc:  # RuntimeError: pypdfium2.PdfiumError
        log.warning("print: %s", exc)
        _failed(parent, exc)
        return False
