"""The server schema: the .jxdb migration chain run on PostgreSQL, versions checked on connect."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import create_engine, text

from app.models import migrations, server_schema
from app.models.errors import JxdbError
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
        assert done == ["文件格式已升级到版本 2", "服务器结构已升级到版本 1"]
        with engine.begin() as conn:
            assert server_schema.versions(conn) == {"jxdb": 2, "server": 1}
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
