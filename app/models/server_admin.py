"""Units and accounts of a bureau database (the admin's work): PostgreSQL login roles in one of the
groups jx_unit / jx_reviewer / jx_admin, with the password hashed (SCRAM) on this PC before it is sent."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from app.models.errors import JxdbError
from app.models.server_schema import GROUP_ROLES

_LOGIN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}$")
KINDS = {"unit": "单位账号", "reviewer": "复核账号", "admin": "管理员"}


@dataclass(frozen=True)
class AccountRow:
    login: str
    kind: str
    unit: str | None


def _raw(conn: Connection) -> object:
    return conn.connection.driver_connection


def _quote_ident(conn: Connection, name: str) -> str:
    from psycopg import sql

    return sql.Identifier(name).as_string(_raw(conn))  # type: ignore[arg-type]


def _quote_literal(conn: Connection, value: str) -> str:
    from psycopg import sql

    return sql.Literal(value).as_string(_raw(conn))  # type: ignore[arg-type]


def _hashed(conn: Connection, login: str, password: str) -> str:
    """The SCRAM verifier of ``password``, computed by libpq here: the server never sees the password."""
    raw = _raw(conn)
    verifier: bytes = raw.pgconn.encrypt_password(  # type: ignore[attr-defined]
        password.encode(), login.encode(), b"scram-sha-256")
    return verifier.decode()


def check_login(login: str) -> None:
    if not _LOGIN.match(login):
        raise JxdbError(f"账号名“{login}”不可用：请用字母开头，只含字母、数字、下划线、点或减号，不超过 63 个字符。")


def check_password(password: str) -> None:
    if len(password) < 8:
        raise JxdbError("密码太短：至少需要 8 个字符。")


def add_unit(conn: Connection, name: str) -> None:
    name = name.strip()
    if not name:
        raise JxdbError("单位名称不能为空。")
    if conn.execute(text("SELECT 1 FROM jx_units WHERE name = :n"), {"n": name}).first():
        raise JxdbError(f"单位“{name}”已存在。")
    conn.execute(text("INSERT INTO jx_units (name) VALUES (:n)"), {"n": name})


def units(conn: Connection) -> list[str]:
    return list(conn.execute(text("SELECT name FROM jx_units ORDER BY name")).scalars())


def add_account(conn: Connection, login: str, kind: str, password: str, unit: str | None = None) -> None:
    """Create a login role in the group of ``kind`` and record it (unit accounts belong to ``unit``)."""
    check_login(login)
    check_password(password)
    if kind not in GROUP_ROLES:
        raise JxdbError(f"账号类型“{kind}”不对，应为：unit（单位）、reviewer（复核）或 admin（管理员）。")
    if kind == "unit":
        if not unit or not conn.execute(text("SELECT 1 FROM jx_units WHERE name = :n"), {"n": unit}).first():
            raise JxdbError(f"单位“{unit or ''}”不存在。请先添加单位（server add-unit）。")
    else:
        unit = None
    if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first():
        raise JxdbError(f"服务器上已有名为“{login}”的账号。请换一个账号名。")
    extra = " CREATEROLE" if kind == "admin" else ""
    conn.exec_driver_sql(
        f"CREATE ROLE {_quote_ident(conn, login)} LOGIN{extra} PASSWORD "
        f"{_quote_literal(conn, _hashed(conn, login, password))} IN ROLE {GROUP_ROLES[kind]}".replace("%", "%%"))
    conn.execute(text("INSERT INTO jx_accounts (login, kind, unit) VALUES (:l, :k, :u)"),
                 {"l": login, "k": kind, "u": unit})


def set_password(conn: Connection, login: str, password: str) -> None:
    check_password(password)
    if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).first():
        raise JxdbError(f"服务器上没有账号“{login}”。")
    conn.exec_driver_sql(f"ALTER ROLE {_quote_ident(conn, login)} PASSWORD "
                         f"{_quote_literal(conn, _hashed(conn, login, password))}".replace("%", "%%"))


def remove_account(conn: Connection, login: str) -> None:
    if conn.execute(text("DELETE FROM jx_accounts WHERE login = :l"), {"l": login}).rowcount == 0:
        raise JxdbError(f"没有账号“{login}”。")
    conn.exec_driver_sql(f"DROP ROLE IF EXISTS {_quote_ident(conn, login)}".replace("%", "%%"))


def accounts(conn: Connection) -> list[AccountRow]:
    return [AccountRow(str(a), str(b), c) for a, b, c in conn.execute(
        text("SELECT login, kind, unit FROM jx_accounts ORDER BY kind, unit NULLS FIRST, login"))]
