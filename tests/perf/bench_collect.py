"""Benchmark 汇集: 1,000 projects from 100 units' files into a new year file (run on demand:
python tests/perf/bench_collect.py). Prints the time per phase and per project; nothing is asserted.

The sources: 60 .json files and 40 .jxdb files of 10 seed-000 projects each (30 indicators per project in
the MoF layout), plus a second run of 10 files whose projects are all duplicates (replaced).
With ``--server`` the same sources are collected into a throwaway PostgreSQL cluster instead (needs the
PostgreSQL server binaries), as an admin account: each source one transaction on the server."""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.importers.collect import Decision, collect
from app.models import interchange
from app.models.document import Document
from app.paths import templates_dir
from app.scoring.templates import load_directory
from tests.models.helpers import sample_pairs, write_document

FILES, PER_FILE = 100, 10


def main() -> None:
    templates = load_directory(templates_dir())
    project, template = next((p, t) for p, t in sample_pairs(templates) if t.id == "mof-2020")
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "收件箱"
        inbox.mkdir()
        start = time.perf_counter()
        for f in range(FILES):
            pairs = [(replace(project, id=None, unit=f"第{f:03d}单位", name=f"项目{i:02d}"), template)
                     for i in range(PER_FILE)]
            if f < 60:
                with Document.new() as doc:
                    for p, t in pairs:
                        doc.add_project(p, t)
                    (inbox / f"u{f:03d}.json").write_text(interchange.dump_text(doc), encoding="utf-8")
            else:
                write_document(inbox / f"u{f:03d}.jxdb", pairs)
        print(f"sources written: {FILES} files × {PER_FILE} projects in {time.perf_counter() - start:.1f} s")

        if "--server" in sys.argv:
            _on_server(inbox, templates)
            return
        target = Path(tmp) / "2024年度.jxdb"
        ticks: list[float] = []
        with Document.new() as doc:
            start = time.perf_counter()
            report = collect(doc, [inbox], templates, lambda d: Decision.KEEP,
                             progress=lambda done, total, path: ticks.append(time.perf_counter()) or True)
            collected = time.perf_counter() - start
            start = time.perf_counter()
            doc.save_as(target)
            saved = time.perf_counter() - start
        gaps = sorted(b - a for a, b in itertools.pairwise(ticks))
        print(f"collect {report.taken} projects from {len(report.outcomes)} files: {collected:.2f} s "
              f"({collected / max(report.taken, 1) * 1000:.1f} ms per project); save {saved:.2f} s; "
              f"file {target.stat().st_size / 1024 / 1024:.1f} MiB")
        print(f"progress updates: {len(ticks)}, longest gap {gaps[-1] * 1000:.0f} ms, "
              f"median {gaps[len(gaps) // 2] * 1000:.0f} ms")

        with Document.open(target) as doc:
            start = time.perf_counter()
            again = sorted(inbox.glob("u00*.json"))
            report = collect(doc, again, templates, lambda d: Decision.REPLACE)
            elapsed = time.perf_counter() - start
        replaced = sum(len(o.replaced) for o in report.outcomes)
        print(f"collect again with replace: {replaced} projects replaced from {len(again)} files in {elapsed:.2f} s")


def _on_server(inbox: Path, templates: dict) -> None:  # type: ignore[type-arg]
    from sqlalchemy import create_engine

    from app.models import server_admin, server_schema
    from app.models.server import ServerDocument
    from tests.server.cluster import remove_cluster, start_cluster

    cluster = start_cluster()
    try:
        cluster.create_database("bench")
        owner = create_engine(cluster.url(database="bench").replace("postgresql://", "postgresql+psycopg://"))
        with owner.begin() as conn:
            server_schema.initialise(conn)
            server_admin.add_account(conn, "admin1", "admin", "pass-word-1")
        owner.dispose()
        with tempfile.TemporaryDirectory() as queue, \
                ServerDocument.connect(cluster.url("admin1", "bench", "pass-word-1"), queue_folder=Path(queue)) as doc:
            start = time.perf_counter()
            report = collect(doc, [inbox], templates, lambda d: Decision.KEEP)
            collected = time.perf_counter() - start
            print(f"server: collect {report.taken} projects from {len(report.outcomes)} files: {collected:.2f} s "
                  f"({collected / max(report.taken, 1) * 1000:.1f} ms per project)")
            start = time.perf_counter()
            again = sorted(inbox.glob("u00*.json"))
            report = collect(doc, again, templates, lambda d: Decision.REPLACE)
            elapsed = time.perf_counter() - start
            replaced = sum(len(o.replaced) for o in report.outcomes)
            print(f"server: collect again with replace: {replaced} projects replaced from {len(again)} files "
                  f"in {elapsed:.2f} s")
            start = time.perf_counter()
            projects = doc.load_projects([s.id for s in doc.list_projects()])
            print(f"server: load_projects of {len(projects)} projects: {time.perf_counter() - start:.2f} s")
    finally:
        remove_cluster(cluster)


if __name__ == "__main__":
    main()
