"""Benchmark 打印预览/打印: PDF written, pages rasterised by pdfium and painted: python tests/perf/bench_print.py

Prints the pages, the time to the first preview page, the whole paint at preview and print resolution, and the
peak memory of the process; no assertions.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication

from app.scoring.engine import score_project
from app.ui import printing
from tests.perf.bench_exporters import big, load


def main() -> None:
    app = QApplication.instance() or QApplication([])
    assert app is not None
    cases = []
    for name in ("seed000-daning.json", "seed003-luoding.json"):
        project, template = load(name)
        cases.append((name.split("-")[0], project, template))
    project, template = load("seed003-luoding.json")
    project = big(project, 10)
    cases.append((f"seed003×10 ({len(project.indicators())} 个指标)", project, template))
    with tempfile.TemporaryDirectory() as tmp:
        for label, proj, tmpl in cases:
            report = score_project(proj, tmpl)
            start = time.perf_counter()
            with printing.form_pdf(proj, tmpl, report) as pages:
                first = pages.image(0, printing.PREVIEW_DPI)
                to_first = time.perf_counter() - start
                assert not first.isNull()
                timings = []
                for dpi in (printing.PREVIEW_DPI, printing.PRINT_DPI):
                    printer = printing.make_printer(pages)
                    printer.setOutputFormat(printer.OutputFormat.PdfFormat)
                    printer.setOutputFileName(str(Path(tmp) / f"{dpi}.pdf"))
                    t = time.perf_counter()
                    printing.paint(printer, pages, dpi)
                    timings.append(time.perf_counter() - t)
                count = len(pages)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{label:28s} {count:3d} 页  首页 {to_first * 1000:6.0f} ms  "
                  f"预览 {timings[0] * 1000:6.0f} ms  打印 {timings[1] * 1000:6.0f} ms  峰值内存 {peak:5.0f} MB")


if __name__ == "__main__":
    main()
