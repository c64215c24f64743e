"""Benchmark: import a 200-indicator 自评表 and refuse hostile workbooks (python tests/perf/bench_import.py)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.importers.workbook import WorkbookError, read_workbook
from app.paths import templates_dir
from app.scoring.records import Budget, BudgetRow, Category, Group, Indicator, Project, Rule
from app.scoring.templates import load_directory
from tests.importing import builders, hostile


def big_project(n: int = 200) -> Project:
    groups = []
    for g in range(10):
        inds = tuple(Indicator(f"指标{g}-{i}", Decimal("0.25"), Rule("proportional"), target=f"≥{10 + i}个",
                               actual=f"{9 + i}个", deviation_reason="原因") for i in range(n // 10))
        groups.append(Group(f"二级{g}", None, inds))
    cats = (Category("产出指标", Decimal(50), tuple(groups)),)
    row = BudgetRow(county=Decimal("100"))
    return Project(2021, "大项目", "mof-2020", budget=Budget(row, row, row, BudgetRow(county=Decimal("98"))),
                   categories=cats)


def timed(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    templates = load_directory(templates_dir())
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        big = builders.mof_form(big_project(), templates["mof-2020"], tmp / "big.xlsx")
        times = timed(lambda: read_workbook(big, templates), 5)
        print(f"import 200 indicators: median {statistics.median(times) * 1000:.0f} ms")

        def refuse(path: Path) -> None:
            try:
                read_workbook(path, templates)
            except WorkbookError:
                return
            raise AssertionError(f"{path.name} was not refused")

        for name, make in (("10^6 rows", lambda p: hostile.million_rows(p, tmp)),
                           ("zip bomb 30 MB", lambda p: hostile.zip_bomb(p, tmp)),
                           ("billion laughs", lambda p: hostile.billion_laughs(p, tmp))):
            path = make(tmp / "x.xlsx")
            times = timed(lambda path=path: refuse(path), 3)
            print(f"refuse {name} ({path.stat().st_size // 1024} KB): median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
