"""Benchmark the server mode: 20 simulated clients × 100 edits against one local PostgreSQL
(run on demand: python tests/perf/bench_server.py; needs the PostgreSQL server binaries).

Each client is a ServerDocument with its own connection pool in its own thread, logged in as a unit
account. Every edit changes one indicator's 实际完成值 and appends one line to the project's 佐证材料清单, so
afterwards every edit can be found in the database. Two runs:
  own      — each client edits its own project (the normal case: one clerk, one project);
  single   — one client alone (for the latency an idle server gives);
  shared   — 4 clients per project: a conflicting edit is reloaded and made again (as a user would).
Prints edits/s, median and p95 latency of update_project, conflicts, and the check that nothing was lost.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.models import server_admin, server_schema
from app.models.server import ConflictError, ServerDocument
from app.scoring.codec import document_from
from app.scoring.templates import load_directory
from tests.server.cluster import remove_cluster, start_cluster
from tests.server.helpers import set_actual

CLIENTS, EDITS = 20, 100
ROOT = Path(__file__).resolve().parents[2]


def _seed():  # type: ignore[no-untyped-def]
    templates = load_directory(ROOT / "resources" / "templates")
    data = json.loads((ROOT / "resources" / "samples" / "seed000-daning.json").read_text("utf-8"),
                      parse_float=Decimal)
    project, embedded = document_from(data)[0]
    return project, embedded or templates[project.template_id]


def run(cluster, mode: str, clients: int = CLIENTS) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    name = f"bench_{mode}"
    cluster.create_database(name)
    engine = create_engine(cluster.url(database=name).replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        server_schema.initialise(conn)
        server_admin.add_unit(conn, "大宁县档案馆")
        for k in range(clients):
            server_admin.add_account(conn, f"{name}_c{k}", "unit", "bench-pass-1", "大宁县档案馆")
    engine.dispose()
    project, template = _seed()
    docs = [ServerDocument.connect(cluster.url(f"{name}_c{k}", name, "bench-pass-1")) for k in range(clients)]
    per_project = 4 if mode == "shared" else 1
    ids = [docs[0].add_project(replace(project, name=f"项目{n}"), template)
           for n in range(clients // per_project)]
    target = {k: ids[k // per_project] for k in range(clients)}
    latencies: list[float] = []
    conflicts = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        doc, pid = docs[k], target[k]
        mine: list[float] = []
        clashes = 0
        start.wait()
        current = doc.load_project(pid)
        for j in range(EDITS):
            while True:
                edited = set_actual(current, 1, 0, 0, f"{k}-{j}")
                edited = replace(edited, materials=(*edited.materials, f"c{k}-e{j}"))
                t0 = time.perf_counter()
                try:
                    doc.update_project(edited)
                    mine.append(time.perf_counter() - t0)
                    current = edited
                    break
                except ConflictError:
                    mine.append(time.perf_counter() - t0)
                    clashes += 1
                    doc.forget(pid)
                    current = doc.load_project(pid)  # reload, then make the same edit again
        with lock:
            latencies.extend(mine)
            conflicts[0] += clashes

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    # every edit is in the database: each project's 佐证材料 list holds every client's every line
    checker = ServerDocument.connect(cluster.url(f"{name}_c0", name, "bench-pass-1"))
    missing = 0
    for pid in set(target.values()):
        stored = set(checker.load_project(pid).materials)
        expected = {f"c{k}-e{j}" for k in range(clients) if target[k] == pid for j in range(EDITS)}
        missing += len(expected - stored)
    for d in [*docs, checker]:
        d.close()
    edits = clients * EDITS
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"{mode:6s}: {clients} clients × {EDITS} edits = {edits} edits in {elapsed:.1f} s → "
          f"{edits / elapsed:.0f} edits/s; update_project median {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {p95 * 1000:.1f} ms; conflicts retried {conflicts[0]}; "
          f"edits missing afterwards: {missing} of {edits}")


def main() -> None:
    cluster = start_cluster()
    try:
        run(cluster, "single", 1)  # the latency one clerk sees on an idle server
        for mode in ("own", "shared"):
            run(cluster, mode)
    finally:
        remove_cluster(cluster)


if __name__ == "__main__":
    main()
