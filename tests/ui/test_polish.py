"""What a clerk sees: no English, no literal "&", labels that fit, unique shortcuts, a window fitting 1366×768."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, QSettings, Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.exporters.batch import FORMATS as BATCH_FORMATS
from app.models.document import Document
from app.scoring import edits
from app.ui import exporting
from app.ui.application import install_translator
from app.ui.dialogs.batch_export import BatchExportDialog
from app.ui.dialogs.collect import CollectDialog
from app.ui.dialogs.connect_dialog import ConnectDialog
from app.ui.dialogs.copy_year import CopyYearDialog
from app.ui.dialogs.project_dialog import ProjectDialog
from app.ui.dialogs.return_notice import ReturnDialog
from app.ui.dialogs.self_check import SelfCheckDialog
from app.ui.editors.indicator_model import COL_ACTUAL, COL_COMPLETION, COL_RULE, COL_SCORE, COL_TARGET, COL_WEIGHT
from app.ui.elided import ElidedLabel
from app.ui.main_window import MainWindow
from app.ui.screen_fit import FRAME, fit_to_screen
from tests.ui.visible_text import english, texts

#: A 1366×768 laptop screen less the taskbar and the window frame.
SCREEN_WIDTH, SCREEN_HEIGHT = 1366, 728


def problems(root: QWidget) -> list[str]:
    """English words, a "&" shown as is, and one-line labels narrower than their text."""
    found = []
    for widget, text in texts(root):
        if english(text):
            found.append(f"英文 {type(widget).__name__} {text!r}")
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.RichText:
            if "&" in text.replace("&&", "") and widget.buddy() is None:
                found.append(f"& 原样显示 {text!r}")
            if (not widget.wordWrap() and not isinstance(widget, ElidedLabel) and text
                    and widget.isVisible() and widget.width() + 1 < widget.sizeHint().width()):
                found.append(f"文字被截断 {text!r}：{widget.width()} < {widget.sizeHint().width()}")
    return found


def each_tab(win: MainWindow) -> list[str]:
    seen = []
    for item in win.project_list.model.items:
        win.project_list.select_id(item.id)
        for i in range(win.tabs.count()):
            win.tabs.setCurrentIndex(i)
            QApplication.processEvents()
            seen.append(f"{item.name[:6]}/{win.tabs.tabText(i)}")
            yield_ = problems(win)
            assert not yield_, (seen[-1], yield_)
    return seen


def test_main_window_every_tab_reads_chinese_and_fits_a_laptop_screen(window: MainWindow, qtbot: Any) -> None:
    window.resize(SCREEN_WIDTH, SCREEN_HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    window.act_review_columns.setChecked(True)
    tabs = each_tab(window)
    assert len(tabs) >= 14
    for item in window.project_list.model.items:
        window.project_list.select_id(item.id)
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            hint = window.minimumSizeHint()
            assert hint.width() <= SCREEN_WIDTH and hint.height() <= SCREEN_HEIGHT, (window.tabs.tabText(i), hint)
    # the score panel is fully on the screen, not pushed off its right edge
    assert window.panel.geometry().right() <= window.width()
    assert window.panel.mapTo(window, window.panel.rect().bottomRight()).x() <= SCREEN_WIDTH


def test_menu_texts_are_chinese_and_shortcuts_unique(window: MainWindow) -> None:
    actions = [a for a in window.findChildren(QAction) if a.text()]
    assert actions
    for action in actions:
        for text in (action.text(), action.statusTip()):
            assert not english(text), text
    keys = Counter(seq.toString() for a in actions for seq in a.shortcuts())
    assert not [k for k, n in keys.items() if n > 1]
    assert window.act_overview.shortcut().toString() == "Ctrl+Shift+O"
    assert window.act_connect.shortcut().toString() == "Ctrl+Shift+L"


def _dialogs(win: MainWindow, tmp_path: Path) -> list[QDialog]:
    doc = win.ctl.document
    project, template = win.ctl.project, win.ctl.template
    assert isinstance(doc, Document) and project is not None and template is not None
    rows = [(s.id, s.year, s.unit, s.name) for s in doc.list_projects()]
    return [
        CollectDialog(doc, win.builtin, win),
        BatchExportDialog(doc.path or tmp_path / "x.jxdb", rows, win, default_folder=tmp_path),
        ReturnDialog(doc, win, folder=tmp_path),
        CopyYearDialog(doc, win),
        ProjectDialog(win, "新建项目", win.builtin, 2025, "", ""),
        ConnectDialog(win, QSettings(str(tmp_path / "c.ini"), QSettings.Format.IniFormat)),
        SelfCheckDialog((project, template), 2, lambda: [(project, template)], parent=win),
    ]


def test_dialogs_read_chinese_and_their_labels_fit(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    dialogs = _dialogs(window, tmp_path)
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.windowTitle() and not english(dialog.windowTitle())
        assert not problems(dialog), (dialog.windowTitle(), problems(dialog))
        keys = [k.upper() for _, text in texts(dialog) for k in re.findall(r"&(\w)", text.replace("&&", ""))]
        assert len(keys) == len(set(keys)), (dialog.windowTitle(), keys)  # each Alt+letter reaches one field
        dialog.close()
    batch = next(d for d in dialogs if isinstance(d, BatchExportDialog))
    assert any(isinstance(w, QLabel) and w.buddy() is batch.folder for w, _ in texts(batch))


def test_overview_reads_chinese(window: MainWindow, qtbot: Any) -> None:
    overview = window.show_overview()
    assert overview is not None
    qtbot.waitUntil(overview.finished_scoring)
    assert not problems(overview)
    overview.close()


@pytest.mark.parametrize("text, words", [("按 Enter 下移，可粘贴 Excel 表格", []), ("Look in:", ["Look", "in"]),
                                         ("<b>总分</b>&nbsp;93", []), ("如 czj-server", []),
                                         ("Save As", ["Save", "As"])])
def test_english_finder(text: str, words: list[str]) -> None:
    assert english(text) == words


def test_score_panel_shows_every_issue_whole(window: MainWindow, qtbot: Any) -> None:
    """Long messages wrap inside their row, also once the list has a scroll bar (they were cut with "…")."""
    window.resize(SCREEN_WIDTH, SCREEN_HEIGHT)
    window.show()
    qtbot.waitExposed(window)
    project = window.ctl.project
    assert project is not None
    for index, _ in project.indicators():
        project = edits.set_indicator(project, index, actual="50%", target="≥XX%", deviation_reason="")
    window.ctl.edit(project, "改为 50%")
    QApplication.processEvents()
    view = window.panel.issues
    assert view.count() >= 8 and view.verticalScrollBar().isVisible()
    _issues_whole(view)
    splitter = window.panel.parentWidget()
    assert isinstance(splitter, QSplitter)
    for delta in (-40, 100):  # the clerk drags the panel's edge: the same messages take more, then fewer lines
        sizes = splitter.sizes()
        splitter.setSizes([*sizes[:-2], sizes[-2] + delta, sizes[-1] - delta])
        QApplication.processEvents()
        assert splitter.sizes()[-1] == sizes[-1] - delta
        _issues_whole(view)


def _issues_whole(view: QListWidget) -> None:
    style = view.style()
    for row in range(view.count()):
        item = view.item(row)
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = view.visualItemRect(item)
        delegate = view.itemDelegate()
        assert isinstance(delegate, QStyledItemDelegate)
        delegate.initStyleOption(option, view.model().index(row, 0))
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, view) + 1
        needed = QFontMetrics(option.font).boundingRect(area.adjusted(margin, 0, -margin, 0).x(), 0,
                                                       area.width() - 2 * margin, 100000,
                                                       int(Qt.TextFlag.TextWordWrap), item.text())
        assert area.height() >= needed.height(), (item.text(), area, needed)
        assert option.rect.right() <= view.viewport().width()


SHORT_COLUMNS = (COL_WEIGHT, COL_TARGET, COL_ACTUAL, COL_RULE, COL_COMPLETION, COL_SCORE)


def test_indicator_cells_of_both_samples_show_whole(window: MainWindow) -> None:
    """Targets such as ＜=107.26万元, rules and scores fit their columns (long texts like 偏差原因 may elide)."""
    checked = 0
    for item in window.project_list.model.items:
        window.project_list.select_id(item.id)
        for editor in window.category_editors.values():
            table, model = editor.table, editor.model
            metrics = table.fontMetrics()
            for col, key in enumerate(model.columns):
                if key not in SHORT_COLUMNS:
                    continue
                for row in range(model.rowCount()):
                    text = str(model.data(model.index(row, col)) or "")
                    if text:
                        checked += 1
                        width = table.horizontalHeader().sectionSize(col)
                        assert metrics.horizontalAdvance(text) + 8 <= width, (item.name, key, text, width)
    assert checked > 60


def test_export_menu_names_the_formats_as_the_batch_dialog_does(window: MainWindow) -> None:
    """导出当前项目 and 批量导出 call the three documents 自评报告 / 自评表 / 打印表 alike."""
    for kind, (_, label) in BATCH_FORMATS.items():
        assert label in exporting.FORMATS[kind][0], (kind, exporting.FORMATS[kind][0])
    assert window.act_preview.shortcut().toString() == "Ctrl+F2"


def test_without_a_file_the_start_page_offers_new_file_and_open(qtbot: Any, tmp_path: Path) -> None:
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.resize(SCREEN_WIDTH, SCREEN_HEIGHT)
    win.show()
    qtbot.waitExposed(win)
    assert win.centre.currentWidget() is win.start_page
    assert win.file_buttons.isVisible() and not win.start_buttons.isVisible()
    assert not problems(win)
    new_file = next(b for b in win.file_buttons.findChildren(QPushButton) if b.text() == "新建文件")
    qtbot.mouseClick(new_file, Qt.MouseButton.LeftButton)
    assert win.ctl.document is not None
    assert win.start_buttons.isVisible() and not win.file_buttons.isVisible()
    win.set_document(None)
    win.close()


def test_qt_default_locale_is_chinese_whatever_the_system_locale(qapp: QApplication) -> None:
    """Qt's file dialog (used outside Windows) showed English file types ("empty document") on a C locale."""
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        assert install_translator(qapp)
        assert QLocale().formattedDataSize(0) == "0 字节"
        assert not english(QLocale().toString(QDate(2026, 12, 1), QLocale.FormatType.LongFormat))
    finally:
        QLocale.setDefault(before)


def test_windows_fit_the_screen(window: MainWindow, qtbot: Any) -> None:
    """年度总览 asked for 1280×900 and print preview 1100×800: on a smaller screen all of them stays visible."""
    room = QApplication.primaryScreen().availableGeometry()
    assert room.height() < 900  # the offscreen screen is 800×800, smaller than both windows ask for
    overview = window.show_overview()
    assert overview is not None
    assert overview.width() <= room.width() and overview.height() <= room.height() - FRAME
    overview.close()
    small = QWidget()
    assert not fit_to_screen(small, 300, 200) and (small.width(), small.height()) == (300, 200)
    assert fit_to_screen(small, 1400, 900) and small.height() == room.height() - FRAME


def test_self_check_is_on_the_toolbar(window: MainWindow) -> None:
    toolbar = window.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None and window.act_self_check in toolbar.actions()
    button = toolbar.widgetForAction(window.act_self_check)
    assert isinstance(button, QToolButton) and button.text() == "自查"


def test_read_only_banner_with_a_long_name_keeps_the_window_on_screen(window: MainWindow, tmp_path: Path,
                                                                        sample_file: Path) -> None:
    long_name = tmp_path / ("某某县财政局二〇二四年度项目支出绩效自评汇总（第三批补报及复核后修订稿）" * 2 + ".jxdb")
    long_name.write_bytes(sample_file.read_bytes())
    window.set_document(Document.open(long_name, read_only=True))
    window.resize(SCREEN_WIDTH, SCREEN_HEIGHT)
    window.show()
    QApplication.processEvents()
    assert window.banner.isVisible() and long_name.name in window.banner_text.text()
    assert window.minimumSizeHint().width() <= SCREEN_WIDTH
    assert not problems(window.banner)
