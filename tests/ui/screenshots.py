"""Grab the main window on both samples and the 自查 window offscreen: ``python tests/ui/screenshots.py [OUT]``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(out: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.ui import files
    from app.ui.application import install_translator
    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_translator(app)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sample = files.make_sample_file(Path(tmp) / "绩效自评示例.jxdb")
        window = MainWindow(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        window.open_path(sample, quiet=True)
        for item in window.project_list.model.items:
            window.project_list.select_id(item.id)
            tag = "seed000" if "大宁" in item.name else "seed003"
            for tab in (2,) if tag == "seed000" else (3,):
                window.tabs.setCurrentIndex(tab)
            editor = window.tabs.currentWidget()
            table = getattr(editor, "table", None)
            if table is not None:
                table.setCurrentIndex(table.model().index(1, 0))
            app.processEvents()
            window.grab().save(str(out / f"window-{tag}.png"))
            if len(sys.argv) > 2:
                for i in range(window.tabs.count()):
                    window.tabs.setCurrentIndex(i)
                    app.processEvents()
                    window.grab().save(str(out / f"tab-{tag}-{i}.png"))
        dialog = window.self_check()  # 项目 → 自查 (F7) on the last sample, all projects of the file
        if dialog is not None:
            dialog.resize(980, 420)
            dialog.all_projects.setChecked(True)
            app.processEvents()
            dialog.grab().save(str(out / "selfcheck.png"))
            dialog.close()
        window.set_document(None)
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
