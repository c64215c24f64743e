"""导出 through the save picker seam and the real 导出完成 box; 打印预览 of the exported PDF pages."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QWidget

from app.exporters.pdf import export_pdf
from app.ui import printing
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.conftest import Modals, Picker, answer


class Opened(QObject):
    """Receives the URLs the window asks the desktop to open (Qt's own hook, no patching)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def opened() -> object:
    sink = Opened()
    QDesktopServices.setUrlHandler("file", sink, "open")
    yield sink
    QDesktopServices.unsetUrlHandler("file")


@pytest.mark.parametrize(("kind", "button"), [("docx", "打开文件"), ("xlsx", "打开文件夹"), ("pdf", "关闭")])
def test_export_writes_the_file_and_offers_to_open_it(shown_window: MainWindow, modals: Modals, picker: Picker,
                                                      opened: Opened, tmp_path: Path, kind: str,
                                                      button: str) -> None:
    window = shown_window
    select(window, "大宁")
    target = tmp_path / f"out.{kind}"
    picker.will_choose(target)
    modals.expect("导出完成", answer(button, contains=str(target)))
    index = ["docx", "xlsx", "pdf"].index(kind)
    window.act_exports[index].trigger()
    modals.check()
    assert target.read_bytes()[:4] == (b"%PDF" if kind == "pdf" else b"PK\x03\x04")
    expected = {"打开文件": [target], "打开文件夹": [tmp_path], "关闭": []}[button]
    assert [Path(u.toLocalFile()) for u in opened.urls] == expected


def test_export_asks_before_replacing(shown_window: MainWindow, modals: Modals, picker: Picker,
                                      tmp_path: Path) -> None:
    window = shown_window
    select(window, "馆藏档案保护")
    target = tmp_path / "已有.xlsx"
    target.write_bytes(b"old")
    picker.will_choose(target)
    modals.expect("文件已存在", answer("取消", contains="已有.xlsx"))
    assert window.export("xlsx") is None
    modals.check()
    assert target.read_bytes() == b"old"
    picker.will_choose(target)
    modals.expect("文件已存在", answer("替换"))
    modals.expect("导出完成", answer("关闭"))
    assert window.export("xlsx") == target
    modals.check()
    assert target.read_bytes()[:2] == b"PK"


def test_export_failure_is_a_message(shown_window: MainWindow, modals: Modals, picker: Picker,
                                     tmp_path: Path) -> None:
    window = shown_window
    select(window, "大宁")
    picker.will_choose(tmp_path / "没有这个文件夹" / "a.docx")
    modals.expect("导出失败", _ok("没有这个文件夹"))
    assert window.export("docx") is None
    modals.check()


def _ok(contains: str):  # type: ignore[no-untyped-def]
    def handler(dialog: QWidget) -> None:
        from PySide6.QtWidgets import QMessageBox

        assert isinstance(dialog, QMessageBox) and contains in dialog.text()
        dialog.accept()
    return handler


_DARK = bytes(1 if value < 160 else 0 for value in range(256))


def _dark_lines(image: QImage, vertical: bool) -> int:
    """How many long dark straight lines (table rules) cross the page image."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    dark = bytes(gray.constBits())[: stride * height].translate(_DARK)
    if vertical:
        counts, length = [dark[x::stride].count(1) for x in range(width)], height
    else:
        counts, length = [dark[y * stride: y * stride + width].count(1) for y in range(height)], width
    lines, previous = 0, False
    for count in counts:
        line = count > length * 0.35
        lines += line and not previous
        previous = line
    return lines


def test_print_preview_shows_the_pdf_pages_with_their_borders(shown_window: MainWindow, modals: Modals,
                                                              tmp_path: Path) -> None:
    window = shown_window
    select(window, "馆藏档案保护")
    ctl = window.ctl
    assert ctl.project is not None and ctl.template is not None and ctl.report is not None
    exported = tmp_path / "导出.pdf"
    export_pdf(ctl.project, ctl.template, ctl.report, exported)
    pdf = pdfium.PdfDocument(str(exported))
    pages = len(pdf)
    pdf.close()
    assert pages == 4  # the 20 indicators of seed 003 run over four pages, the header repeated on each
    seen: dict[str, object] = {}

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, QPrintPreviewDialog)
        view = dialog.findChild(QPrintPreviewWidget)
        assert view is not None
        seen["pages"] = view.pageCount()
        seen["title"] = dialog.windowTitle()
        dialog.reject()

    modals.expect("打印预览", look)
    window.act_preview.trigger()
    modals.check()
    assert seen["pages"] == pages and f"共 {pages} 页" in str(seen["title"])

    # the same pages on paper: print to a PDF file and look at the rules of every page
    out = tmp_path / "打印.pdf"
    with printing.form_pdf(ctl.project, ctl.template, ctl.report) as form:
        printer = printing.make_printer(form)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        assert printing.paint(printer, form, 100) == pages
    printed = FormPagesProbe(out)
    assert printed.count == pages
    for index in range(pages):
        image = printed.image(index)
        assert image.width() > image.height()  # landscape
        vertical, horizontal = _dark_lines(image, True), _dark_lines(image, False)
        # every column has its rule on every page (一级指标…扣分事项: 10 columns → 11 rules), rows are ruled
        assert vertical >= 11, (index, vertical)
        assert horizontal >= 6, (index, horizontal)


class FormPagesProbe:
    def __init__(self, path: Path) -> None:
        self.pages = printing.FormPages(path)
        self.count = len(self.pages)

    def image(self, index: int) -> QImage:
        return self.pages.image(index, 100)
