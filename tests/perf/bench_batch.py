"""Benchmark: batch export of 30 and 300 projects × 3 formats, --jobs 1 vs 2, peak memory, where time goes.

Run on demand: python tests/perf/bench_batch.py [--sizes 30,300] [--jobs 1,2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.exporters.batch import export_one, open_read_only, plan_jobs, run_batch
from app.models.document import Document
from app.paths import samples_dir, templates_dir
from app.scoring.codec import document_from
from app.scoring.templates import load_directory


def make_file(n: int, folder: Path) -> Path:
    import json
    from decimal import Decimal

    templates = load_directory(templates_dir())
    seeds = []
    for f in sorted(samples_dir().glob("*.json")):
        for p, t in document_from(json.loads(f.read_text(encoding="utf-8"), parse_float=Decimal)):
            seeds.append((p, t or templates[p.template_id]))
    doc = Document.new()
    for i in range(n):
        p, t = seeds[i % len(seeds)]
        doc.add_project(replace(p, year=2021, name=f"{p.name}{i:04d}"), t)
    path = folder / f"bench-{n}.jxdb"
    doc.save_as(path)
    doc.close()
    return path


def run(path: Path, jobs: int, out: Path) -> tuple[float, int]:
    doc = open_read_only(path)
    summaries = doc.list_projects(2021)  # type: ignore[attr-defined]
    doc.close()
    planned = plan_jobs([(s.id, s.unit, s.name) for s in summaries], out, ["docx", "xlsx", "pdf"])
    t0 = time.perf_counter()
    outcome = run_batch(path, open_read_only, planned, out, workers=jobs)
    elapsed = time.perf_counter() - t0
    assert not outcome.failed, outcome.failed[:3]
    return elapsed, len(planned)


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="30,300")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    try:
        for n in (int(x) for x in args.sizes.split(",")):
            path = make_file(n, work)
            for jobs in (int(x) for x in args.jobs.split(",")):
                out = work / f"out-{n}-{jobs}"
                out.mkdir()
                elapsed, count = run(path, jobs, out)
                main_mb, worker_mb = peak_mb(resource.RUSAGE_SELF), peak_mb(resource.RUSAGE_CHILDREN)
                print(f"{count} projects × 3 formats, --jobs {jobs}: {elapsed:.1f} s total, "
                      f"{elapsed / count * 1000:.0f} ms per project; peak RSS main {main_mb:.0f} MB, "
                      f"largest worker {worker_mb:.0f} MB", flush=True)
        if args.profile:
            path = make_file(10, work)
            out = work / "profile"
            out.mkdir()
            doc = open_read_only(path)
            summaries = doc.list_projects()  # type: ignore[attr-defined]
            planned = plan_jobs([(s.id, s.unit, s.name) for s in summaries], out, ["docx", "xlsx", "pdf"])
            prof = cProfile.Profile()
            prof.enable()
            for job in planned:
                export_one(doc, job, out, ("docx", "xlsx", "pdf"), True)
            prof.disable()
            doc.close()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
