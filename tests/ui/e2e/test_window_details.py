"""Smaller window details: the Chinese file picker without lock files, the frozen name column, no stale issue
count in a new file, 批量导出 in its own place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLabel, QToolBar, QWidget

from app.ui.dialogs import prompts
from app.ui.editors.indicator_model import COL_NAME, COL_REVIEWER_NOTE
from app.ui.main_window import MainWindow
from tests.ui.conftest import select
from tests.ui.e2e.conftest import Modals, click


def test_the_file_picker_is_chinese_and_hides_lock_files(shown_window: MainWindow, modals: Modals,
                                                         tmp_path: Path) -> None:
    """The seam itself, for real: Qt's own dialog (not on Windows), Chinese labels, no ~$ files listed."""
    folder = tmp_path / "文件夹"
    folder.mkdir()
    for name in ("2025年.jxdb", "~$2025年.jxdb", "说明.txt"):
        (folder / name).write_bytes(b"")
    seen: dict[str, object] = {}

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        proxy = dialog.proxyModel()
        assert proxy is not None
        for _ in range(200):  # the file system model fills in the background
            root = proxy.mapFromSource(proxy.sourceModel().index(str(folder)))  # type: ignore[attr-defined]
            if proxy.rowCount(root) >= 1:
                break
            QTest.qWait(10)
        seen["files"] = sorted(str(proxy.index(r, 0, root).data()) for r in range(proxy.rowCount(root)))
        seen["labels"] = " ".join(label.text() for label in dialog.findChildren(QLabel))
        click(dialog, "取消")

    modals.expect("打开文件", look)
    assert prompts.open_file(shown_window, str(folder)) is None
    modals.check()
    assert seen["files"] == ["2025年.jxdb"]  # the filter leaves out 说明.txt, the proxy the lock file
    labels = str(seen["labels"])
    assert "查找范围" in labels and "文件类型" in labels and "文件名" in labels


def test_the_name_column_stays_when_scrolling_right(shown_window: MainWindow) -> None:
    window = shown_window
    window.resize(1000, 700)
    select(window, "馆藏档案保护")
    editor = window.category_editors[0]
    window.tabs.setCurrentWidget(editor)
    table, model = editor.table, editor.model
    row = model.row_of(0, 0)
    table.scrollTo(model.index(row, model.column_of(COL_REVIEWER_NOTE)))
    QTest.qWait(20)
    assert table.horizontalScrollBar().value() > 0  # the table did scroll
    assert table.columnViewportPosition(model.column_of(COL_NAME)) < 0  # its own name column is out of sight
    frozen = table.frozen
    assert frozen.isVisible() and frozen.geometry().left() <= table.viewport().geometry().left()
    assert frozen.indexAt(frozen.visualRect(model.index(row, 0)).center()) == model.index(row, 0)
    assert str(frozen.model().index(row, 0).data()).strip() == editor.model.indicator_at(row).name  # type: ignore
    assert not frozen.isColumnHidden(0) and all(frozen.isColumnHidden(c) for c in range(1, model.columnCount()))


def test_a_new_file_shows_no_stale_issue_count(shown_window: MainWindow) -> None:
    window = shown_window
    select(window, "大宁")
    window.category_editors[1].model.set_text(window.category_editors[1].model.row_of(0, 0), "actual", "很多", "")
    assert window.panel.issues.count() > 0 and "（" in window.panel.issues_title.text()
    window.ctl.undo_stack.undo()
    window.new_file()  # nothing unsaved: no question
    assert window.panel.issues.count() == 0
    assert window.panel.issues_title.text() == "需要注意的问题"


def test_batch_export_has_its_own_entries(shown_window: MainWindow) -> None:
    window = shown_window
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_batch in file_menu.actions()  # type: ignore[union-attr]
    toolbar = window.findChild(QToolBar, "main-toolbar")
    assert toolbar is not None and window.act_batch in toolbar.actions()
    assert window.act_batch.shortcut().toString() == "Ctrl+Shift+E"
