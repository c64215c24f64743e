"""Time from a cell edit (model.setData) to the score panel showing the new total, on a 200-indicator project.

Run: ``.venv/bin/python tests/perf/bench_ui_edit.py`` (offscreen). Prints median / p90 / max in milliseconds,
split into the parts of the one edit path (write the working copy, score, repaint).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
tmp_home = tempfile.mkdtemp()
os.environ["XDG_DATA_HOME"] = tmp_home  # never the real user folders
os.environ["XDG_CONFIG_HOME"] = tmp_home

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.models.document import Document  # noqa: E402
from app.scoring.codec import document_from  # noqa: E402
from app.scoring.edits import set_indicator  # noqa: E402
from app.scoring.engine import score_project  # noqa: E402
from app.scoring.records import Group, Project  # noqa: E402
from app.ui.editors.indicator_model import COL_ACTUAL  # noqa: E402
from app.ui.files import builtin_templates  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402

N = 200
ROUNDS = 60


def big_project() -> tuple[Project, object]:
    templates = builtin_templates()
    data = json.loads((ROOT / "resources/samples/seed000-daning.json").read_text(encoding="utf-8"),
                      parse_float=Decimal)
    project, embedded = document_from(data, templates)[0]
    template = embedded or templates[project.template_id]
    cat = project.categories[1]
    base = [ind for g in cat.groups for ind in g.indicators]
    count = sum(len(g.indicators) for c in project.categories for g in c.groups)
    extra = N - count + len(base)
    groups = tuple(Group(f"产出组{k + 1}", None, tuple(
        replace(base[(k * 10 + i) % len(base)], name=f"指标{k * 10 + i + 1}", weight=Decimal("0.25"))
        for i in range(10) if k * 10 + i < extra)) for k in range((extra + 9) // 10))
    project = replace(project, categories=(project.categories[0], replace(cat, groups=groups),
                                           *project.categories[2:]))
    assert len(project.indicators()) == N, len(project.indicators())
    return project, template


def main() -> None:
    app = QApplication.instance() or QApplication([])
    project, template = big_project()
    folder = Path(tempfile.mkdtemp())
    doc = Document.new()
    pid = doc.add_project(project, template)  # type: ignore[arg-type]
    doc.save_as(folder / "bench.jxdb")
    window = MainWindow(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    window.set_document(doc)
    window.project_list.select_id(pid)
    window.tabs.setCurrentIndex(2)
    app.processEvents()
    editor = window.category_editors[1]
    model = editor.model
    col = model.column_of(COL_ACTUAL)
    rows = [r for r in range(model.rowCount()) if model.rows[r].ii is not None]
    total, sync, paint = [], [], []
    parts: dict[str, list[float]] = {"write": [], "score": []}
    ctl = window.ctl
    for warm in range(3):  # the first edit enables 撤销 (a toolbar relayout); not the steady state
        model.setData(model.index(rows[warm], col), "6套")
        app.processEvents()
    for i in range(ROUNDS):
        index = model.index(rows[i % len(rows)], col)
        value = f"{1 + i % 7}套"
        if index.data() == value:  # always a real change
            value = f"{2 + i % 7}套"
        t0 = time.perf_counter()
        model.setData(index, value)
        t1 = time.perf_counter()
        window.panel.total.repaint()
        app.processEvents()  # let the window paint what changed
        t2 = time.perf_counter()
        assert ctl.project is not None
        sync.append((t1 - t0) * 1000)
        paint.append((t2 - t1) * 1000)
        total.append((t2 - t0) * 1000)
        changed = set_indicator(ctl.project, (1, 0, 0), actual=f"{i}次")  # a real one-cell change
        a = time.perf_counter()
        doc.update_project(changed)
        b = time.perf_counter()
        doc.update_project(ctl.project)  # back to what the window shows (not timed)
        score_project(ctl.project, ctl.template)  # type: ignore[arg-type]
        c = time.perf_counter()
        parts["write"].append((b - a) * 1000)
        parts["score"].append((c - b) * 1000)

    def show(name: str, xs: list[float]) -> None:
        xs = sorted(xs)
        print(f"{name:<36} min {xs[0]:6.2f}  median {statistics.median(xs):6.2f}  "
              f"p90 {xs[int(len(xs) * 0.9)]:6.2f}  max {xs[-1]:6.2f} ms")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"{N} indicators, {ROUNDS} edits of 实际完成值 (offscreen, {os.cpu_count()} CPUs, load {load:.1f})")
    show("edit → panel shows total (setData)", sync)
    show("  + paint (processEvents)", paint)
    show("edit → total painted", total)
    show("  part: write working copy (1 cell)", parts["write"])
    show("  part: score_project", parts["score"])
    window.set_document(None)
    window.close()
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown of Qt objects (a PySide6 shutdown crash, unrelated to the figures)


if __name__ == "__main__":
    main()
