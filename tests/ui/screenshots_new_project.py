"""Screenshots of the new-project flow through the real dialogs: ``python tests/ui/screenshots_new_project.py [OUT]``.

Empty file → 新建项目 dialog → budget and five indicators typed → the 产出 page and the score panel; also the
Chinese file picker (without the ~$ lock file) and the print preview of the exported form."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LANG", "zh_CN.UTF-8")  # sizes and dates in Qt's file dialog as on a Chinese desktop
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(out: Path) -> None:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox, QWidget

    from app.ui.application import install_translator
    from app.ui.dialogs import prompts
    from app.ui.main_window import MainWindow
    from tests.ui.e2e.conftest import click
    from tests.ui.e2e.keys import type_cell
    from tests.ui.e2e.test_new_project import add_indicator

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_translator(app)
    out.mkdir(parents=True, exist_ok=True)

    def on_dialog(handler: Callable[[QWidget], None]) -> None:
        def poll() -> None:
            widget = QApplication.activeModalWidget()
            if widget is None or not widget.isVisible():
                QTimer.singleShot(20, poll)
                return
            for _ in range(5):
                app.processEvents()
            handler(widget)
        QTimer.singleShot(20, poll)

    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 860)
        window.show()
        window.act_new.trigger()
        app.processEvents()
        window.grab().save(str(out / "newproject-1-empty-file.png"))

        def fill(dialog: QWidget) -> None:
            combo = dialog.findChild(QComboBox)
            assert combo is not None
            combo.setCurrentIndex(combo.findText("财预", Qt.MatchFlag.MatchContains))
            spin = dialog.findChild(QSpinBox)
            assert spin is not None
            spin.setValue(2025)
            edits = [e for e in dialog.findChildren(QLineEdit) if not isinstance(e.parent(), QSpinBox)]
            edits[0].setText("农村饮水安全巩固提升")
            edits[1].setText("某某县水利局")
            app.processEvents()
            dialog.grab().save(str(out / "newproject-2-dialog.png"))
            click(dialog, "确定")

        on_dialog(fill)
        window.act_new_project.trigger()
        budget = window.budget_editor
        assert budget is not None
        window.tabs.setCurrentWidget(budget)
        for row, text in ((1, "100"), (2, "100"), (3, "95")):
            type_cell(budget.table, row, 0, text)
        add_indicator(window, 1, "数量指标", ("培训人数", "20", "≥100人", "100人"))
        add_indicator(window, 1, "质量指标", ("水质合格率", "15", "≥95%", "90%"))
        add_indicator(window, 1, "时效指标", ("完成时间", "15", "按时", "按时"))
        add_indicator(window, 2, "社会效益指标", ("受益人口覆盖率", "30", "≥80%", "72%"))
        add_indicator(window, 3, "服务对象满意度指标", ("群众满意度", "10", "≥90%", "93%"))
        window.tabs.setCurrentWidget(window.category_editors[1])
        editor = window.category_editors[1]
        editor.table.setCurrentIndex(editor.model.index(editor.model.row_of(1, 0), 0))
        app.processEvents()
        window.grab().save(str(out / "newproject-3-filled.png"))
        window.panel.grab().save(str(out / "newproject-4-panel.png"))

        folder = Path(tmp) / "文件"
        folder.mkdir()
        for name in ("2024年绩效自评.jxdb", "2025年绩效自评.jxdb", "~$2025年绩效自评.jxdb"):
            (folder / name).write_bytes(b"")

        def picker(dialog: QWidget) -> None:
            dialog.resize(760, 460)
            for _ in range(20):
                app.processEvents()
            dialog.grab().save(str(out / "file-dialog-zh.png"))
            click(dialog, "取消")

        on_dialog(picker)
        prompts.open_file(window, str(folder))

        def preview(dialog: QWidget) -> None:
            dialog.resize(1100, 780)
            for _ in range(20):
                app.processEvents()
            dialog.grab().save(str(out / "newproject-5-print-preview.png"))
            dialog.close()

        on_dialog(preview)
        window.act_preview.trigger()
        window.set_document(None)
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
