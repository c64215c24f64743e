"""Benchmark: score a generated 200-indicator project (run on demand: python tests/perf/bench_scoring.py)."""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.paths import templates_dir
from app.scoring.engine import score_project
from app.scoring.records import Budget, BudgetRow, Category, Group, Indicator, Project, Rule
from app.scoring.templates import load_directory

KINDS = [
    (Rule("proportional"), {"target": "≥50个", "actual": "45个", "deviation_reason": "x"}),
    (Rule("proportional"), {"target": "＜=107.26万元", "actual": "90%"}),
    (Rule("qualitative"), {"target": "及时", "actual": "90%"}),
    (Rule("deduct_per_point", {"penalty": 5}), {"actual": "98%"}),
    (Rule("checklist", {"items": [{"text": "a", "veto": True}, {"text": "b"}, {"text": "c"}]}),
     {"checks": (True, False, True)}),
    (Rule("levels"), {"level": Decimal(75)}),
    (Rule("band", {"low": -50, "high": 50, "step": 5, "penalty": 5}), {"actual": "62%"}),
]


def make_project(n: int = 200) -> Project:
    per_cat = n // 4
    cats = []
    for c in range(4):
        groups = []
        for g in range(5):
            inds = []
            for i in range(per_cat // 5):
                rule, fields = KINDS[(c * 50 + g * 10 + i) % len(KINDS)]
                inds.append(Indicator(name=f"指标{c}-{g}-{i}", weight=Decimal("0.5"), rule=rule, **fields))
            groups.append(Group(f"二级{g}", None, tuple(inds)))
        cats.append(Category(f"一级{c}", Decimal(25), tuple(groups)))
    row = BudgetRow(county=Decimal("107.26"))
    return Project(2021, "基准项目", "mof-2020", budget=Budget(row, row, row, BudgetRow(county=Decimal("106.49"))),
                   categories=tuple(cats))


def main() -> None:
    template = load_directory(templates_dir())["mof-2020"]
    project = make_project()
    count = len(project.indicators())
    for _ in range(20):
        score_project(project, template)
    times = []
    for _ in range(300):
        t0 = time.perf_counter()
        report = score_project(project, template)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"score_project on {count} indicators: median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.2f} ms, min {times[0]:.2f} ms "
          f"(total {report.total}, {len(report.issues)} issues)")


if __name__ == "__main__":
    main()
