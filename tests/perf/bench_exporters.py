"""Benchmark the exporters on the two samples and a 200-indicator project: python tests/perf/bench_exporters.py

Prints seconds per document and the file sizes; no assertions.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.exporters.excel import export_xlsx
from app.exporters.pdf import export_pdf
from app.exporters.word import export_docx
from app.scoring.codec import document_from
from app.scoring.engine import score_project
from app.scoring.records import Project, Template
from app.scoring.templates import load_directory

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> tuple[Project, Template]:
    templates = load_directory(ROOT / "resources" / "templates")
    data = json.loads((ROOT / "resources" / "samples" / name).read_text(encoding="utf-8"), parse_float=Decimal)
    project, embedded = document_from(data)[0]
    return project, embedded or templates[project.template_id]


def big(project: Project, copies: int) -> Project:
    """The sample with every group's indicators repeated ``copies`` times (names numbered)."""
    cats = []
    for cat in project.categories:
        groups = []
        for grp in cat.groups:
            inds = tuple(replace(ind, name=f"{ind.name}{k + 1}") for k in range(copies) for ind in grp.indicators)
            groups.append(replace(grp, indicators=inds))
        cats.append(replace(cat, groups=tuple(groups)))
    return replace(project, categories=tuple(cats))


def main() -> None:
    cases = []
    for name in ("seed000-daning.json", "seed003-luoding.json"):
        project, template = load(name)
        cases.append((name.split("-")[0], project, template))
    project, template = load("seed003-luoding.json")
    project = big(project, 10)
    cases.append((f"seed003×10 ({len(project.indicators())} 个指标)", project, template))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, proj, tmpl in cases:
            report = score_project(proj, tmpl)
            for suffix, fn in (("docx", export_docx), ("xlsx", export_xlsx), ("pdf", export_pdf)):
                path = folder / f"out.{suffix}"
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    fn(proj, tmpl, report, path)  # type: ignore[operator]
                    best = min(best, time.perf_counter() - start)
                print(f"{label:28s} {suffix:5s} {best * 1000:8.0f} ms  {path.stat().st_size / 1024:8.1f} KB")


if __name__ == "__main__":
    main()
