"""Benchmark: score a 200-indicator project under each 计分口径, run the 自查 on it, and write the 整改清单
(run on demand: python tests/perf/bench_selfcheck.py)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.exporters.selfcheck import write_findings
from app.paths import templates_dir
from app.scoring.conventions import CONVENTIONS
from app.scoring.engine import score_project
from app.scoring.selfcheck import self_check
from app.scoring.templates import load_directory
from tests.perf.bench_scoring import make_project


def timed(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    for _ in range(5):
        fn()
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    template = load_directory(templates_dir())["mof-2020"]
    project = make_project()
    count = len(project.indicators())
    for cid in CONVENTIONS:
        p = replace(project, convention=cid)
        median, p95 = timed(lambda p=p: score_project(p, template), 200)  # type: ignore[misc]
        print(f"score_project, {cid}, {count} indicators: median {median:.2f} ms, p95 {p95:.2f} ms")
    findings = self_check(project, template)
    median, p95 = timed(lambda: self_check(project, template), 200)
    print(f"self_check (scoring included), {count} indicators, {len(findings)} findings: "
          f"median {median:.2f} ms, p95 {p95:.2f} ms")
    many = findings * 5
    with tempfile.TemporaryDirectory() as tmp:
        median, p95 = timed(lambda: write_findings(many, Path(tmp) / "自查.xlsx"), 10)
    print(f"write_findings, {len(many)} rows: median {median:.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
