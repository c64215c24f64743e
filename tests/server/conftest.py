"""A throwaway PostgreSQL cluster for the whole session and a fresh bureau database per test."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.server.cluster import Cluster, find_bin, remove_cluster, start_cluster

_counter = itertools.count(1)
PASSWORD = "pass-word-1"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """Skipped only where PostgreSQL is not installed and we are not in CI (CI must run these tests)."""
    if find_bin() is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI is set but the PostgreSQL server binaries are not installed (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries not installed")
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        remove_cluster(cluster)


@dataclass
class BureauDb:
    """A fresh, initialised database on the test cluster, with helpers to make accounts."""

    cluster: Cluster
    name: str
    n: int

    @property
    def owner_url(self) -> str:
        return self.cluster.url(database=self.name)

    def url(self, login: str, password: str | None = PASSWORD) -> str:
        return self.cluster.url(user=login, database=self.name, password=password)

    def admin(self, fn):  # type: ignore[no-untyped-def]
        """Run ``fn(conn)`` as the database owner, in one transaction."""
        from sqlalchemy import create_engine

        engine = create_engine(self.owner_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            with engine.begin() as conn:
                return fn(conn)
        finally:
            engine.dispose()

    def account(self, kind: str, unit: str | None = None, login: str | None = None) -> str:
        """A new account (its unit created when needed); returns its login."""
        from app.models import server_admin

        login = login or f"{kind}{next(_counter)}_{self.n}"

        def make(conn):  # type: ignore[no-untyped-def]
            if unit is not None and unit not in server_admin.units(conn):
                server_admin.add_unit(conn, unit)
            server_admin.add_account(conn, login, kind, PASSWORD, unit)

        self.admin(make)
        return login


@pytest.fixture()
def bureau(pg_cluster: Cluster) -> BureauDb:
    from app.models import server_schema

    n = next(_counter)
    db = BureauDb(pg_cluster, f"bureau{n}", n)
    pg_cluster.create_database(db.name)
    db.admin(server_schema.initialise)
    return db


@pytest.fixture()
def window(qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """The real main window with its own settings file (for the window tests on a server)."""
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow

    win = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.resize(1400, 900)
    yield win
    win.set_document(None)
    win.close()
    win.deleteLater()
