"""The server schema: the .jxdb migration chain run on PostgreSQL, versions checked on connect."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text

from app.models import migrations, server_schema
from app.models.errors import JxdbError
from app.models.schema import SCHEMA_VERSION
from app.models.server import ServerDocument


def _engine(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://"))


def _columns(url: str) -> set[tuple[str, str, str, str]]:
    with psycopg.connect(url) as conn:
        return {tuple(r) for r in conn.execute(  # type: ignore[misc]
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'public'")}


def test_a_version_1_database_is_migrated_by_the_same_chain(pg_cluster, bureau) -> None:  # type: ignore[no-untyped-def]
    pg_cluster.create_database("oldserver")
    url = pg_cluster.url(database="oldserver")
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            for statement in migrations.SCHEMA_V1_SQL.split(";"):
                if statement.strip():
                    conn.exec_driver_sql(statement)
            conn.exec_driver_sql("CREATE TABLE jx_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            conn.exec_driver_sql("INSERT INTO jx_schema VALUES ('jxdb', 1), ('server', 0)")
        with engine.begin() as conn:
            done = server_schema.initialise(conn)
        assert done[:4] == ["文件格式已升级到版本 2", "文件格式已升级到版本 3", "服务器结构已升级到版本 1",
                            "服务器结构已升级到版本 2"]
        assert done[4].startswith("已为 10 个项目数据表设置按单位的访问权限")  # history (version 3) too
        with engine.begin() as conn:
            assert server_schema.versions(conn) == {"jxdb": SCHEMA_VERSION, "server": server_schema.SERVER_VERSION}
            rls = dict(conn.execute(text("SELECT relname, relrowsecurity FROM pg_class WHERE relname IN "
                                         "(SELECT tablename FROM pg_tables WHERE schemaname = 'public')")).all())
    finally:
        engine.dispose()
    assert _columns(url) == _columns(bureau.owner_url)  # same tables and columns as a fresh database
    assert all(rls[t] for t in ("projects", "indicators", "materials", "indicator_checks"))


def test_connect_refuses_databases_that_are_not_ours_or_of_another_version(pg_cluster, bureau) -> None:  # type: ignore[no-untyped-def]
    pg_cluster.create_database("empty_db")
    with pytest.raises(JxdbError, match="还没有初始化"):
        ServerDocument.connect(pg_cluster.url(database="empty_db"))
    with psycopg.connect(pg_cluster.url(database="empty_db"), autocommit=True) as conn:
        conn.execute("CREATE TABLE other_app (x int)")
    engine = _engine(pg_cluster.url(database="empty_db"))
    try:
        with pytest.raises(JxdbError, match="已有其他数据表"), engine.begin() as conn:
            server_schema.initialise(conn)
    finally:
        engine.dispose()
    bureau.admin(lambda c: c.exec_driver_sql("UPDATE jx_schema SET version = 99 WHERE component = 'server'"))
    with pytest.raises(JxdbError, match="较新版本"):
        ServerDocument.connect(bureau.owner_url)
    bureau.admin(lambda c: c.exec_driver_sql("UPDATE jx_schema SET version = 0 WHERE component = 'server'"))
    with pytest.raises(JxdbError, match="需要升级"):
        ServerDocument.connect(bureau.owner_url)


def test_a_table_added_by_a_later_version_is_secured_by_init(bureau, seed000, seed003) -> None:  # type: ignore[no-untyped-def]
    """A later .jxdb version may add tables of project data (e.g. review records); ``server init`` finds
    them by their foreign keys and gives them the same row-level security."""
    from dataclasses import replace

    la, lb = bureau.account("unit", "甲单位"), bureau.account("unit", "乙单位")
    with ServerDocument.connect(bureau.url(la)) as a:
        pa = a.add_project(replace(seed000[0], unit="甲单位"), seed000[1])
    with ServerDocument.connect(bureau.url(lb)) as b:
        pb = b.add_project(replace(seed003[0], unit="乙单位"), seed003[1])
    bureau.admin(lambda c: c.exec_driver_sql(
        "CREATE TABLE review_notes (project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE, "
        "note TEXT NOT NULL)"))
    bureau.admin(lambda c: c.exec_driver_sql(
        "INSERT INTO review_notes VALUES (%(a)s, '甲的意见'), (%(b)s, '乙的意见')", {"a": pa, "b": pb}))
    done = bureau.admin(server_schema.initialise)
    assert done == ["已为 1 个项目数据表设置按单位的访问权限（review_notes）"]
    assert bureau.admin(server_schema.initialise) == ["数据库已是最新版本，无需改动"]
    with psycopg.connect(bureau.url(la)) as conn:
        assert conn.execute("SELECT note FROM review_notes").fetchall() == [("甲的意见",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO review_notes VALUES (%s, 'x')", (pb,))
