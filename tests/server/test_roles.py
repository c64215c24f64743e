"""Roles enforced by the server: a unit sees only its projects even with its own SQL; a reviewer reviews
everything but cannot change a unit's 自评 values; an admin manages units and accounts."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import psycopg
import pytest

from app.models import server_admin
from app.models.errors import JxdbError
from app.models.server import AuthError, ServerDocument
from tests.server.conftest import PASSWORD
from tests.server.helpers import set_actual, set_indicator

A, B = "大宁县档案馆", "罗定市档案馆"


@pytest.fixture()
def two_units(bureau, seed000, seed003):  # type: ignore[no-untyped-def]
    """Unit A with seed 000, unit B with seed 003; returns (bureau, login A, login B, id A, id B)."""
    la, lb = bureau.account("unit", A), bureau.account("unit", B)
    with ServerDocument.connect(bureau.url(la)) as a:
        pa = a.add_project(replace(seed000[0], unit=A), seed000[1])
    with ServerDocument.connect(bureau.url(lb)) as b:
        pb = b.add_project(replace(seed003[0], unit=B), seed003[1])
    return bureau, la, lb, pa, pb


def test_unit_sees_and_loads_only_its_own_projects(two_units) -> None:  # type: ignore[no-untyped-def]
    bureau, la, _, pa, pb = two_units
    with ServerDocument.connect(bureau.url(la)) as a:
        assert [s.id for s in a.list_projects()] == [pa]
        assert a.account.kind == "unit" and a.account.unit == A
        with pytest.raises(JxdbError, match="不属于本账号的单位"):
            a.load_project(pb)


def test_unit_cannot_read_or_touch_other_rows_with_its_own_sql(two_units) -> None:  # type: ignore[no-untyped-def]
    bureau, la, _, pa, pb = two_units
    with psycopg.connect(bureau.url(la), autocommit=True) as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM projects")] == [pa]
        units = {r[0] for r in conn.execute(
            "SELECT DISTINCT p.unit FROM indicators i JOIN indicator_groups g ON g.id = i.group_id "
            "JOIN categories c ON c.id = g.category_id JOIN projects p ON p.id = c.project_id")}
        assert units == {A}
        total = conn.execute("SELECT count(*) FROM indicators").fetchone()
        assert total is not None and total[0] == 7  # seed 000's indicators only, not seed 003's 20
        assert conn.execute("SELECT count(*) FROM narratives WHERE project_id = %s", (pb,)).fetchone() == (0,)
        # writes to rows it cannot see do nothing; rows for another unit are refused
        assert conn.execute("UPDATE projects SET name = 'x' WHERE id = %s", (pb,)).rowcount == 0
        assert conn.execute("DELETE FROM indicators").rowcount == 7
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE projects SET unit = %s WHERE id = %s", (B, pa))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO projects (year, name, template_id, unit) VALUES (2021, 'x', 'mof-2020', %s)",
                         (B,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM jx_accounts")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE projects DISABLE ROW LEVEL SECURITY")
    with ServerDocument.connect(bureau.url(bureau.account("reviewer"))) as r:
        assert len(r.load_project(pb).categories[0].groups[0].indicators) > 0  # B untouched


def test_unit_cannot_move_a_project_to_another_unit_through_the_window_layer(two_units) -> None:  # type: ignore[no-untyped-def]
    bureau, la, _, pa, _ = two_units
    with ServerDocument.connect(bureau.url(la)) as a:
        project = a.load_project(pa)
        with pytest.raises(JxdbError, match=f"只能查看和修改本单位（{A}）的项目"):
            a.update_project(replace(project, unit=B))
        a.forget(pa)
        assert a.load_project(pa).unit == A


def test_new_project_of_a_unit_account_gets_its_unit(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", A)
    with ServerDocument.connect(bureau.url(login)) as a:
        pid = a.add_project(replace(seed000[0], unit=""), seed000[1])
        assert a.load_project(pid).unit == A


def test_reviewer_reviews_everything_but_cannot_change_self_evaluation(two_units) -> None:  # type: ignore[no-untyped-def]
    bureau, _, _, pa, pb = two_units
    lr = bureau.account("reviewer")
    with ServerDocument.connect(bureau.url(lr)) as r:
        assert {s.id for s in r.list_projects()} == {pa, pb}
        project = r.load_project(pb)
        reviewed = set_indicator(project, 0, 0, 0, reviewer_score=Decimal("3"), reviewer_note="依据不足")
        reviewed = replace(reviewed, review=replace(reviewed.review, agency="县财政局", date="2022-05-01"))
        r.update_project(reviewed)
        assert r.load_project(pb) == reviewed
        with pytest.raises(JxdbError, match="复核账号只能填写复核得分"):
            r.update_project(set_actual(r.load_project(pb), 0, 0, 0, "1%"))
        r.forget(pb)
        assert r.load_project(pb) == reviewed
        with pytest.raises(JxdbError):
            r.delete_project(pa)
    with psycopg.connect(bureau.url(lr), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE indicators SET actual = '0'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM projects")
        assert conn.execute("UPDATE indicators SET reviewer_note = 'ok'").rowcount == 27


def test_admin_manages_units_and_accounts(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    admin = bureau.account("admin")
    engine = create_engine(bureau.url(admin).replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            server_admin.add_unit(conn, "新单位")
            server_admin.add_account(conn, "clerk_new", "unit", "another-pass-9", "新单位")
            assert ("clerk_new", "unit", "新单位") in [(x.login, x.kind, x.unit) for x in server_admin.accounts(conn)]
            with pytest.raises(JxdbError, match="已有名为"):
                server_admin.add_account(conn, "clerk_new", "unit", "another-pass-9", "新单位")
            with pytest.raises(JxdbError, match="密码太短"):
                server_admin.add_account(conn, "clerk_x", "reviewer", "short")
        with ServerDocument.connect(bureau.url("clerk_new", "another-pass-9")) as doc:
            assert doc.account.unit == "新单位"
            pid = doc.add_project(replace(seed000[0], unit="新单位"), seed000[1])
        with engine.begin() as conn:
            server_admin.set_password(conn, "clerk_new", "changed-pass-1")
        with pytest.raises(AuthError, match="密码不正确"):
            ServerDocument.connect(bureau.url("clerk_new", "another-pass-9"))
        with ServerDocument.connect(bureau.url("clerk_new", "changed-pass-1")) as doc:
            assert [s.id for s in doc.list_projects()] == [pid]
        with engine.begin() as conn:
            server_admin.remove_account(conn, "clerk_new")
        with pytest.raises(AuthError):
            ServerDocument.connect(bureau.url("clerk_new", "changed-pass-1"))
    finally:
        engine.dispose()


def test_the_server_never_receives_the_password_in_clear(bureau) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", A)
    stored = bureau.admin(lambda c: c.exec_driver_sql(
        "SELECT rolpassword FROM pg_authid WHERE rolname = %(r)s", {"r": login}).scalar())
    assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored


def test_wrong_password_and_unknown_database_say_so(bureau) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", A)
    with pytest.raises(AuthError, match=r"用户名“.*”或密码不正确"):
        ServerDocument.connect(bureau.url(login, "wrong-password"))
    with pytest.raises(JxdbError, match="没有名为“nosuchdb”的数据库"):
        ServerDocument.connect(bureau.url(login).replace(f"/{bureau.name}", "/nosuchdb"))


def test_reviewer_sets_the_review_state_and_the_history_names_the_account(two_units) -> None:  # type: ignore[no-untyped-def]
    """复核 on a server: a reviewer may set 复核状态 and 复核意见; every change is in the project's history under
    the account's login, which a unit reads but cannot write (schema version 3)."""
    bureau, la, _, pa, _ = two_units
    lr = bureau.account("reviewer")
    with ServerDocument.connect(bureau.url(lr)) as r:
        project = r.load_project(pa)
        reviewed = set_indicator(project, 0, 0, 0, reviewer_score=Decimal("1"))
        r.update_project(replace(reviewed, review=replace(reviewed.review, status="退回修改", opinion="请补充")))
        assert r.load_project(pa).review.status == "退回修改"
        history = r.history(pa)
    assert {h.who for h in history} == {lr}
    assert {"复核状态", "复核意见"} <= {h.what for h in history} and any(h.what.endswith("复核得分") for h in history)
    with ServerDocument.connect(bureau.url(la)) as a:
        assert a.history(pa) == history
    for login in (lr, la):  # nobody edits the history, not even with their own SQL
        with psycopg.connect(bureau.url(login), autocommit=True) as conn, \
                pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE history SET who = 'x'")
    # reviewed: not the unit's to delete (server step 2)
    with ServerDocument.connect(bureau.url(la)) as a, pytest.raises(JxdbError, match="单位账号不能删除或替换它"):
        a.delete_project(pa)
    with ServerDocument.connect(bureau.url(bureau.account("admin"))) as admin:
        admin.delete_project(pa)  # the cascade still removes a deleted project's history
        assert admin.history(pa) == []
