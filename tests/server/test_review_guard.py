"""Server step 2: a unit account changes only its 自评 values, never the review columns (even with its own
SQL); the history says who wrote it; an existing version-1 server is upgraded by ``server init``."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import psycopg
import pytest

from app.models import server_schema
from app.models.errors import JxdbError
from app.models.server import RefusedError, ServerDocument
from tests.server.helpers import set_actual, set_indicator

UNIT = "罗定市档案馆"


@pytest.fixture()
def reviewed(bureau, seed003):  # type: ignore[no-untyped-def]
    """A unit's project (seed 003, which carries 第三方复核 scores) reviewed by a reviewer:
    (bureau, unit login, project id, the reviewed project)."""
    login = bureau.account("unit", UNIT)
    with ServerDocument.connect(bureau.url(login)) as doc:
        pid = doc.add_project(replace(seed003[0], unit=UNIT), seed003[1])
    with ServerDocument.connect(bureau.url(bureau.account("reviewer"))) as r:
        project = set_indicator(r.load_project(pid), 0, 0, 0, reviewer_score=Decimal("1.5"), reviewer_note="依据不足")
        project = replace(project, review=replace(project.review, status="退回修改", opinion="补充佐证"))
        r.update_project(project)
    return bureau, login, pid, project


def test_seed_003_brings_its_review_scores_with_it(reviewed) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid, project = reviewed
    scores = [i.reviewer_score for c in project.categories for g in c.groups for i in g.indicators]
    assert sum(s is not None for s in scores) > 5  # a unit may bring a file's 第三方复核 column in
    with ServerDocument.connect(bureau.url(login)) as doc:
        assert doc.load_project(pid) == project


def test_unit_sql_cannot_write_review_columns(reviewed) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid, _ = reviewed
    with psycopg.connect(bureau.url(login), autocommit=True) as conn:
        for sql in ("UPDATE indicators SET reviewer_score = '9'",
                    "UPDATE indicators SET reviewer_note = '我自己复核'",
                    "UPDATE projects SET review_status = '已复核'",
                    "UPDATE projects SET review_opinion = '', review_agency = 'x'",
                    "UPDATE projects SET version = 1",
                    "UPDATE history SET after = 'x'",
                    "DELETE FROM history"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
        # a new indicator row with review values in an existing project is refused as well
        gid = conn.execute("SELECT group_id FROM indicators LIMIT 1").fetchone()
        assert gid is not None
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="复核"):
            conn.execute("INSERT INTO indicators (group_id, position, name, reviewer_score) "
                         "SELECT group_id, 99, 'x', '5' FROM indicators WHERE group_id = %s LIMIT 1", gid)
        # its own 自评 values it may change; rewriting the review columns with the same values is fine
        assert conn.execute("UPDATE indicators SET actual = '100%'").rowcount == 20
        assert conn.execute("UPDATE projects SET review_status = review_status, name = name || '（改）'").rowcount == 1
        conn.execute("INSERT INTO history (project_id, at, who, what, before, after) "
                     "VALUES (%s, '2022-01-01 00:00:00', '复核人甲', 'x', '1', '2')", (pid,))
        assert conn.execute("SELECT who FROM history WHERE what = 'x'").fetchone() == (login,)
    with ServerDocument.connect(bureau.url(login)) as doc:
        stored = doc.load_project(pid)
    indicator = stored.categories[0].groups[0].indicators[0]
    assert (indicator.reviewer_score, indicator.reviewer_note) == (Decimal("1.5"), "依据不足")
    assert (stored.review.status, stored.review.opinion) == ("退回修改", "补充佐证")


def test_unit_edits_and_reshapes_a_reviewed_project_keeping_the_review(reviewed) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid, _ = reviewed
    with ServerDocument.connect(bureau.url(login)) as doc:
        doc.update_project(set_actual(doc.load_project(pid), 0, 0, 0, "88%"))
        # an indicator removed: the whole project is rewritten, its review values carried over
        current = doc.load_project(pid)
        grp = current.categories[1].groups[0]
        cat = replace(current.categories[1], groups=(replace(grp, indicators=grp.indicators[:-1]),
                                                     *current.categories[1].groups[1:]))
        reshaped = replace(current, categories=(current.categories[0], cat, *current.categories[2:]))
        doc.update_project(reshaped)
        doc.forget(pid)
        assert doc.load_project(pid) == reshaped
        # through the document layer a review change is refused with a Chinese message
        with pytest.raises(RefusedError, match="单位账号不能修改复核得分"):
            doc.update_project(set_indicator(doc.load_project(pid), 0, 0, 0, reviewer_score=Decimal("4")))
        with pytest.raises(RefusedError, match="单位账号不能修改复核"):
            doc.update_project(replace(reshaped, review=replace(reshaped.review, status="已复核")))
        doc.forget(pid)
        assert doc.load_project(pid) == reshaped
        assert reshaped.categories[0].groups[0].indicators[0].reviewer_score == Decimal("1.5")


def test_a_version_1_server_is_upgraded_to_the_review_guard(pg_cluster, seed003, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.server.conftest import BureauDb

    db = BureauDb(pg_cluster, "guard_upgrade", 990)
    pg_cluster.create_database(db.name)
    with monkeypatch.context() as m:
        m.setattr(server_schema, "SERVER_VERSION", 1)
        db.admin(server_schema.initialise)
    assert db.admin(server_schema.versions) == {"jxdb": 3, "server": 1}
    login = db.account("unit", UNIT)
    with pytest.raises(JxdbError, match="需要升级"):
        ServerDocument.connect(db.url(login))
    assert db.admin(server_schema.initialise) == ["服务器结构已升级到版本 2"]
    assert db.admin(server_schema.versions) == {"jxdb": 3, "server": 2}
    with ServerDocument.connect(db.url(login)) as doc:
        pid = doc.add_project(replace(seed003[0], unit=UNIT), seed003[1])
    with psycopg.connect(db.url(login), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE indicators SET reviewer_score = '9'")
        assert conn.execute("SELECT count(*) FROM projects WHERE id = %s", (pid,)).fetchone() == (1,)
    assert db.admin(server_schema.initialise) == ["数据库已是最新版本，无需改动"]


def test_review_values_left_by_a_deleted_project_are_cleared(reviewed, seed003) -> None:  # type: ignore[no-untyped-def]
    bureau, login, pid, _ = reviewed

    def carried(conn):  # type: ignore[no-untyped-def]
        return conn.exec_driver_sql("SELECT count(*) FROM jx_review_carry").scalar()

    with ServerDocument.connect(bureau.url(login)) as doc:
        other = doc.add_project(replace(seed003[0], unit=UNIT, name="另一个项目"), seed003[1])
        doc.delete_project(other)
        assert bureau.admin(carried) > 5  # its review values, deleted in a transaction that re-inserted none
        current = doc.load_project(pid)
        grp = current.categories[0].groups[0]
        cat = replace(current.categories[0], groups=(replace(grp, indicators=grp.indicators[1:]),
                                                     *current.categories[0].groups[1:]))
        doc.update_project(replace(current, categories=(cat, *current.categories[1:])))
    assert bureau.admin(carried) == 1  # only the removed indicator's, left by this last transaction


def test_unit_cannot_delete_or_replace_a_project_the_reviewer_worked_on(reviewed, seed000, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.bureau.helpers import unit_projects

    bureau, login, pid, project = reviewed
    with ServerDocument.connect(bureau.url(login)) as doc:
        with pytest.raises(RefusedError, match="复核人员已经复核或修改过这个项目，单位账号不能删除或替换它"):
            doc.delete_project(pid)
        with pytest.raises(RefusedError, match="不能删除或替换"):  # 汇集 with 替换 deletes it first
            doc.add_projects(unit_projects(UNIT, ["新项目"]), replacing=[pid])
        assert [s.name for s in doc.list_projects()] == [project.name]  # the new one was not added either
        own = doc.add_project(replace(seed000[0], unit=UNIT), seed000[1])
        doc.update_project(set_actual(doc.load_project(own), 1, 0, 0, "9套"))  # history by the unit itself
        doc.delete_project(own)  # not reviewed: the unit's to delete
    with psycopg.connect(bureau.url(login), autocommit=True) as conn, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM projects WHERE id = %s", (pid,))
