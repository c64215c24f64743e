"""Benchmark 年度总览 (run on demand: python tests/perf/bench_overview.py). Prints, asserts nothing:

- opening the overview of 1,000 projects: time to the first painted frame (goal ≤ 0.3 s), and until every
  project is scored and the charts show all of them;
- one edit in the main window: that row, the filter and all four charts redrawn (goal ≤ 16 ms), median and p90;
  the table's repaint is printed separately. The main window's own work for the edit is not counted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.models.document import Document
from app.scoring import edits
from app.ui.main_window import MainWindow
from tests.bureau.helpers import seed000

PROJECTS, UNITS = 1000, 60


def main() -> None:
    app = QApplication.instance() or QApplication([])
    project, template = seed000()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2024年度.jxdb"
        with Document.new() as doc:
            items = []
            for i in range(PROJECTS):
                p = replace(project, id=None, unit=f"第{i % UNITS:02d}单位", name=f"项目{i:04d}")
                index, _ = p.indicators()[i % 7]
                p = edits.set_indicator(p, index, actual=f"{60 + i % 40}%")
                b = p.budget
                p = replace(p, budget=replace(b, adjusted=replace(b.adjusted, county=Decimal(5 + i % 300))))
                items.append((p, template))
            doc.add_projects(items)
            doc.save_as(path)
        window = MainWindow(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        window.open_path(path, quiet=True)
        app.processEvents()

        start = time.perf_counter()
        overview = window.show_overview()
        assert overview is not None
        overview.repaint()  # the first frame: table with names and units, charts of what is scored so far
        first = time.perf_counter() - start
        while not overview.finished_scoring():
            app.processEvents()
        overview.charts.repaint()
        complete = time.perf_counter() - start
        print(f"overview of {PROJECTS} projects: first paint {first * 1000:.0f} ms (goal ≤ 300 ms), "
              f"all scored and charted {complete:.2f} s")

        from app.scoring.engine import score_project

        charts: list[float] = []
        table: list[float] = []
        for k in range(40):
            current = window.ctl.project
            assert current is not None and window.ctl.template is not None
            index, _ = current.indicators()[k % 5]
            after = edits.set_indicator(current, index, actual=f"{70 + k % 30}%")
            report = score_project(after, window.ctl.template)
            t0 = time.perf_counter()
            overview.project_changed(after, report)  # the row, the filter, the four charts' figures
            overview.charts.repaint()  # and the charts painted
            t1 = time.perf_counter()
            overview.table.viewport().repaint()
            t2 = time.perf_counter()
            charts.append((t1 - t0) * 1000)
            table.append((t2 - t1) * 1000)

        def figures(values: list[float]) -> str:
            values.sort()
            return f"median {statistics.median(values):.1f} ms, p90 {values[int(len(values) * 0.9)]:.1f} ms"

        print(f"one edit → row updated and all four charts redrawn: {figures(charts)} (goal ≤ 16 ms)")
        print(f"one edit → the table's visible rows repainted as well: {figures(table)}")
        window.set_document(None)


if __name__ == "__main__":
    main()
