"""How long the window waits on the first write after the network is cut (not the server stopped).

Needs root: it runs itself in a fresh network namespace (``unshare -n``) with its own loopback, starts a
throwaway cluster there, connects, edits once, then takes the loopback down (packets are no longer
delivered, nothing answers, like a pulled cable) and times the next edit until it is queued on this PC.
The machine's own network is not touched.

    python tests/perf/bench_network_cut.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _inside() -> None:
    sys.path.insert(0, str(ROOT))
    from app.models import server_admin, server_schema
    from app.models.server import ServerDocument
    from app.scoring.templates import load_directory
    from tests.models.helpers import sample_pairs
    from tests.server.cluster import remove_cluster, start_cluster

    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    cluster = start_cluster()
    try:
        cluster.create_database("cut")
        from sqlalchemy import create_engine

        owner = create_engine(cluster.url(database="cut").replace("postgresql://", "postgresql+psycopg://"))
        with owner.begin() as conn:
            server_schema.initialise(conn)
            server_admin.add_unit(conn, "甲单位")
            server_admin.add_account(conn, "clerk", "unit", "pass-word-1", "甲单位")
        owner.dispose()
        project, template = next((p, t) for p, t in sample_pairs(load_directory(ROOT / "resources" / "templates"))
                                 if t.id == "mof-2020")
        with tempfile.TemporaryDirectory() as queue, \
                ServerDocument.connect(cluster.url("clerk", "cut", "pass-word-1"), queue_folder=Path(queue)) as doc:
            pid = doc.add_project(replace(project, unit="甲单位"), template)
            current = doc.load_project(pid)
            for n in range(3):
                current = replace(current, contact=f"联系人{n}")
                doc.update_project(current)
            time.sleep(1.0)
            subprocess.run(["ip", "link", "set", "lo", "down"], check=True)
            started = time.perf_counter()
            doc.update_project(replace(current, contact="断网后第一次修改"))
            first = time.perf_counter() - started
            assert doc.offline and len(doc.queue) == 1
            started = time.perf_counter()
            doc.update_project(replace(current, contact="断网后第二次修改"))
            second = time.perf_counter() - started
            subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
            started = time.perf_counter()
            notes = doc.try_reconnect()
            back = time.perf_counter() - started
            assert notes == [] and not doc.offline, notes
        print(f"first edit after the cut: {first:.2f} s (queued on this PC)")
        print(f"second edit while cut:    {second * 1000:.1f} ms")
        print(f"queue sent when back:     {back * 1000:.0f} ms")
    finally:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
        remove_cluster(cluster)


def main() -> None:
    if os.environ.get("JX_BENCH_IN_NETNS") == "1":
        _inside()
        return
    if os.geteuid() != 0:
        sys.exit("needs root (a network namespace of its own: unshare -n)")
    env = {**os.environ, "JX_BENCH_IN_NETNS": "1", "PYTHONPATH": str(ROOT)}
    sys.exit(subprocess.run(["unshare", "-n", sys.executable, __file__], env=env).returncode)


if __name__ == "__main__":
    main()
