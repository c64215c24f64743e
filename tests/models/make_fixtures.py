"""Write one .jxdb fixture per released schema version into tests/models/fixtures/ (run by hand).

    .venv/bin/python tests/models/make_fixtures.py

``v1.jxdb`` holds the bundled samples as schema version 1 stored them (no materials table, no review
columns): the current file is built, then copied table by table into the frozen version-1 DDL.
``v2.jxdb`` the same as version 2 stored them (no review state, no history); ``v3.jxdb`` is the current format.
An existing fixture is never rewritten: a released version's fixture must stay as it was.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.models import migrations  # noqa: E402
from app.models.schema import SCHEMA_VERSION  # noqa: E402
from app.scoring.templates import load_directory  # noqa: E402
from tests.models.helpers import FIXTURES, sample_pairs, write_document  # noqa: E402


def write_old(current: Path, target: Path, version: int) -> None:
    """Copy the rows of a current file into a new file with the schema of an older version."""
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("BEGIN")
        migrations.create_schema(conn, version)
        conn.execute("COMMIT")
        conn.execute("ATTACH DATABASE ? AS cur", (str(current),))
        conn.execute("BEGIN")
        tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")]
        for table in tables:
            cols = ", ".join(f'"{r[1]}"' for r in conn.execute(f'PRAGMA main.table_info("{table}")'))
            conn.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} FROM cur."{table}"')
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE cur")
        conn.execute("VACUUM")
    finally:
        conn.close()


def main() -> None:
    templates = load_directory(ROOT / "resources" / "templates")
    pairs = sample_pairs(templates)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        current = Path(tmp) / "current.jxdb"
        write_document(current, pairs)
        for version in range(migrations.OLDEST_SUPPORTED, SCHEMA_VERSION):
            if not (FIXTURES / f"v{version}.jxdb").exists():
                write_old(current, FIXTURES / f"v{version}.jxdb", version)
        newest = FIXTURES / f"v{SCHEMA_VERSION}.jxdb"
        if not newest.exists():
            newest.write_bytes(current.read_bytes())
    print("fixtures written:", ", ".join(sorted(p.name for p in FIXTURES.glob("*.jxdb"))))


if __name__ == "__main__":
    main()
