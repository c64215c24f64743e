"""Schema versions: the frozen DDL of every released version and the ordered migrate_N_to_N+1 steps."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from app.models.schema import APPLICATION_ID, SCHEMA_VERSION, metadata

#: Schema version 1 exactly as it was released (never edit: files of version 1 exist).
SCHEMA_V1_SQL = """
CREATE TABLE templates (
    id TEXT NOT NULL, name TEXT DEFAULT '' NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE projects (
    id INTEGER NOT NULL, year INTEGER NOT NULL, name TEXT DEFAULT '' NOT NULL, template_id TEXT NOT NULL,
    department TEXT DEFAULT '' NOT NULL, unit TEXT DEFAULT '' NOT NULL, contact TEXT DEFAULT '' NOT NULL,
    phone TEXT DEFAULT '' NOT NULL, region TEXT DEFAULT '' NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(template_id) REFERENCES templates (id));
CREATE INDEX ix_projects_year_name ON projects (year, name);
CREATE TABLE narratives (
    project_id INTEGER NOT NULL, "key" TEXT NOT NULL, text TEXT DEFAULT '' NOT NULL,
    PRIMARY KEY (project_id, "key"), FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE);
CREATE TABLE budget_cells (
    project_id INTEGER NOT NULL, "row" TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (project_id, "row", col), FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE);
CREATE TABLE categories (
    id INTEGER NOT NULL, project_id INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT DEFAULT '' NOT NULL,
    short_name TEXT DEFAULT '' NOT NULL, weight TEXT NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE);
CREATE INDEX ix_categories_project ON categories (project_id, position);
CREATE TABLE penalty_inputs (
    project_id INTEGER NOT NULL, position INTEGER NOT NULL, "key" TEXT DEFAULT '' NOT NULL,
    value TEXT DEFAULT '' NOT NULL, applied BOOLEAN,
    PRIMARY KEY (project_id, position), FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE);
CREATE TABLE indicator_groups (
    id INTEGER NOT NULL, category_id INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT DEFAULT '' NOT NULL,
    weight TEXT,
    PRIMARY KEY (id), FOREIGN KEY(category_id) REFERENCES categories (id) ON DELETE CASCADE);
CREATE INDEX ix_indicator_groups_category ON indicator_groups (category_id, position);
CREATE TABLE indicators (
    id INTEGER NOT NULL, group_id INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT DEFAULT '' NOT NULL,
    weight TEXT NOT NULL, rule_kind TEXT NOT NULL, rule_params TEXT DEFAULT '{}' NOT NULL,
    target TEXT DEFAULT '' NOT NULL, actual TEXT DEFAULT '' NOT NULL, explanation TEXT DEFAULT '' NOT NULL,
    benchmark TEXT DEFAULT '' NOT NULL, criteria TEXT DEFAULT '' NOT NULL, has_checks BOOLEAN NOT NULL,
    level TEXT, tier INTEGER, tier_percent TEXT, manual_score TEXT, deviation_reason TEXT DEFAULT '' NOT NULL,
    override_score TEXT, override_reason TEXT DEFAULT '' NOT NULL, reviewer_score TEXT,
    reviewer_note TEXT DEFAULT '' NOT NULL, not_applicable BOOLEAN NOT NULL,
    PRIMARY KEY (id), FOREIGN KEY(group_id) REFERENCES indicator_groups (id) ON DELETE CASCADE);
CREATE INDEX ix_indicators_group ON indicators (group_id, position);
CREATE TABLE indicator_checks (
    indicator_id INTEGER NOT NULL, position INTEGER NOT NULL, met BOOLEAN NOT NULL,
    PRIMARY KEY (indicator_id, position), FOREIGN KEY(indicator_id) REFERENCES indicators (id) ON DELETE CASCADE);
CREATE TABLE subitems (
    indicator_id INTEGER NOT NULL, position INTEGER NOT NULL, name TEXT DEFAULT '' NOT NULL,
    target TEXT DEFAULT '' NOT NULL, actual TEXT DEFAULT '' NOT NULL, explanation TEXT DEFAULT '' NOT NULL,
    PRIMARY KEY (indicator_id, position), FOREIGN KEY(indicator_id) REFERENCES indicators (id) ON DELETE CASCADE);
"""


class Executor(Protocol):
    """What a migration step needs: ``execute(sql)``. A sqlite3 connection (a .jxdb file) or the server
    runner of app.models.server_schema (PostgreSQL, with ``dialect = "postgresql"``); steps use SQL both
    engines accept, or branch on ``getattr(conn, "dialect", "sqlite")``."""

    def execute(self, sql: str, /) -> Any: ...


def migrate_1_to_2(conn: Executor) -> None:
    """Version 2 keeps the list of supporting materials (附件2) and who reviewed the evaluation."""
    conn.execute("""CREATE TABLE materials (
        project_id INTEGER NOT NULL, position INTEGER NOT NULL, text TEXT DEFAULT '' NOT NULL,
        PRIMARY KEY (project_id, position),
        FOREIGN KEY(project_id) REFERENCES projects (id) ON DELETE CASCADE)""")
    for column in ("review_agency", "review_reviewers", "review_date"):
        conn.execute(f"ALTER TABLE projects ADD COLUMN {column} TEXT DEFAULT '' NOT NULL")


#: ``MIGRATIONS[n]`` turns a version-n file into version n+1.
MIGRATIONS: dict[int, Callable[[Executor], None]] = {1: migrate_1_to_2}
OLDEST_SUPPORTED = 1
assert all(n in MIGRATIONS for n in range(OLDEST_SUPPORTED, SCHEMA_VERSION))


def current_schema_sql() -> str:
    """The DDL of the current version, generated from the ORM classes."""
    dialect = sqlite_dialect.dialect()
    parts: list[str] = []
    for table in metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";")
    return "\n".join(parts)


def schema_sql(version: int) -> str:
    if version == SCHEMA_VERSION:
        return current_schema_sql()
    if version == 1:
        return SCHEMA_V1_SQL
    raise ValueError(f"no schema for version {version}")


def create_schema(conn: sqlite3.Connection, version: int = SCHEMA_VERSION) -> None:
    """Create the tables of ``version`` in an empty database and stamp it (application id, version)."""
    for statement in schema_sql(version).split(";"):  # not executescript: it would commit
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {int(version)}")


Signature = dict[str, tuple[tuple[object, ...], ...]]


def schema_signature(conn: sqlite3.Connection) -> tuple[frozenset[tuple[str, str, str]], Signature]:
    """What a database holds: every schema object (type, name, table) and, per table, its columns,
    foreign keys and indexes. Used to refuse files with objects we did not create."""
    objects = frozenset((str(t), str(n), str(tb)) for t, n, tb in conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master"))
    details: Signature = {}
    for kind, name, _ in sorted(objects):
        if kind != "table":
            continue
        qname = name.replace('"', '""')
        cols = tuple(tuple(r) for r in conn.execute(f'PRAGMA table_xinfo("{qname}")'))
        fks = tuple(sorted(tuple(r[2:]) for r in conn.execute(f'PRAGMA foreign_key_list("{qname}")')))
        idx = tuple(sorted((r[1], r[2], r[3]) for r in conn.execute(f'PRAGMA index_list("{qname}")')))
        details[name] = cols + fks + idx
    return objects, details


_EXPECTED: dict[int, tuple[frozenset[tuple[str, str, str]], Signature]] = {}


def expected_signature(version: int) -> tuple[frozenset[tuple[str, str, str]], Signature]:
    """The signature of a correct file of ``version``, built once in memory from its DDL."""
    if version not in _EXPECTED:
        mem = sqlite3.connect(":memory:")
        try:
            create_schema(mem, version)
            _EXPECTED[version] = schema_signature(mem)
        finally:
            mem.close()
    return _EXPECTED[version]


def migrated_signature(from_version: int) -> tuple[frozenset[tuple[str, str, str]], Signature]:
    """The signature of a version-``from_version`` schema after all migrations (for tests)."""
    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        create_schema(mem, from_version)
        migrate(mem, from_version)
        return schema_signature(mem)
    finally:
        mem.close()


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Upgrade a database of ``version`` to the current one, each step in its own transaction together
    with its ``user_version`` bump. ``conn`` must be in autocommit mode (isolation_level=None)."""
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
