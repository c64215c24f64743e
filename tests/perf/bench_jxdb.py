"""Benchmark the .jxdb file: 1,000 projects × 30 indicators (run on demand: python tests/perf/bench_jxdb.py).

Prints: time to open + list the projects (target < 0.3 s), to load one project (target < 20 ms),
update_project on a 200-indicator project (target < 10 ms), save time and file size per project.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.models.document import Document
from app.paths import templates_dir
from app.scoring.records import (
    Budget,
    BudgetRow,
    Category,
    Group,
    Indicator,
    Project,
    Rule,
)
from app.scoring.templates import load_directory

NARRATIVE = {"overview": "项目概况" * 50, "basis": "立项依据" * 30, "experience": "经验做法" * 40}


def make_project(i: int, n_indicators: int, template_id: str) -> Project:
    cats = []
    per_group = 5
    groups_total = n_indicators // per_group
    n_cats = 4
    k = 0
    for c in range(n_cats):
        groups = []
        for g in range(groups_total // n_cats + (1 if c < groups_total % n_cats else 0)):
            inds = []
            for j in range(per_group):
                k += 1
                rule = (Rule("proportional") if k % 3 else
                        Rule("checklist", {"items": [{"text": "条件一", "veto": True}, {"text": "条件二"}]}))
                inds.append(Indicator(name=f"三级指标{c}-{g}-{j}", weight=Decimal("3.33"), rule=rule,
                                      target="≥50个", actual=f"{40 + j}个", explanation="指标解释" * 5,
                                      checks=(True, False) if rule.kind == "checklist" else None,
                                      deviation_reason="原因" if j == 0 else ""))
            groups.append(Group(f"二级指标{g}", None, tuple(inds)))
        cats.append(Category(f"一级指标{c}", Decimal(25), tuple(groups)))
    row = BudgetRow(county=Decimal("107.26"), city=Decimal("12.5"))
    return Project(year=2015 + i % 10, name=f"项目{i:04d}", template_id=template_id, department="某县财政局",
                   unit=f"单位{i % 37}", narrative=NARRATIVE, budget=Budget(row, row, row, row),
                   categories=tuple(cats), materials=("自评报告", "资金拨付凭证"))


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"


def main() -> None:
    os.environ.setdefault("XDG_DATA_HOME", tempfile.mkdtemp(prefix="bench-data-"))
    template = load_directory(templates_dir())["mof-2020"]
    folder = Path(tempfile.mkdtemp(prefix="bench-jxdb-"))
    path = folder / "千项目.jxdb"
    t0 = time.perf_counter()
    doc = Document.new()
    for i in range(1000):
        doc.add_project(make_project(i, 30, template.id), template)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    doc.save_as(path)
    save = time.perf_counter() - t0
    doc.close()
    size = path.stat().st_size
    print(f"build 1,000 projects × 30 indicators: {build:.2f} s; save_as: {save * 1000:.0f} ms")
    print(f"file size: {size / 1e6:.2f} MB, {size / 1000 / 1024:.1f} KiB per project")

    def open_and_list() -> None:
        with Document.open(path, read_only=True) as d:
            assert len(d.list_projects()) == 1000

    print("open + list 1,000 projects:", ms(timed(open_and_list, 5)), "(target < 300 ms)")

    with Document.open(path) as d:
        ids = [s.id for s in d.list_projects()]
        print("list only:", ms(timed(d.list_projects, 10)))
        picks = iter(ids[::37] * 3)
        print("load one 30-indicator project:", ms(timed(lambda: d.load_project(next(picks)), 50)),
              "(target < 20 ms)")
        big = make_project(5000, 200, template.id)
        pid = d.add_project(big, template)
        loaded = d.load_project(pid)
        print("load one 200-indicator project:", ms(timed(lambda: d.load_project(pid), 20)))
        cat = loaded.categories[0]
        grp = cat.groups[0]
        edits = []
        for n in range(30):
            ind = replace(grp.indicators[0], actual=f"{n}个")
            edits.append(replace(loaded, categories=(replace(cat, groups=(replace(grp, indicators=(
                ind, *grp.indicators[1:])), *cat.groups[1:])), *loaded.categories[1:])))
        it = iter(edits)
        print("update_project, 200 indicators (one cell edited):", ms(timed(lambda: d.update_project(next(it)), 30)),
              "(target < 10 ms)")
        assert d.load_project(pid) == edits[-1]

        def full_rewrite() -> None:
            d._stored.clear()  # nothing remembered: every row of the project is rewritten
            d.update_project(edits[-1])

        print("update_project, 200 indicators, full rewrite (tree reshaped or not loaded):",
              ms(timed(full_rewrite, 10)))
        print("save (1,001 projects):", ms(timed(d.save, 3)))


if __name__ == "__main__":
    main()
