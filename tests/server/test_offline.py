"""The server stops mid-edit: the user is told in Chinese, edits are kept on this PC and sent afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.models.errors import JxdbError
from app.models.server import ServerDocument, ServerUnavailable
from tests.server.cluster import Cluster
from tests.server.helpers import set_actual

UNIT = "大宁县档案馆"


@pytest.fixture()
def restart(pg_cluster: Cluster) -> Iterator[Cluster]:
    """The cluster, always running again after the test."""
    try:
        yield pg_cluster
    finally:
        if not pg_cluster.running():
            pg_cluster.start()


def _actual(project) -> str:  # type: ignore[no-untyped-def]
    return str(project.categories[1].groups[0].indicators[0].actual)


def test_edits_during_an_outage_are_queued_and_replayed(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    doc = ServerDocument.connect(bureau.url(login))
    pid = doc.add_project(*seed000)
    project = doc.load_project(pid)
    doc.update_project(set_actual(project, 1, 0, 0, "1套"))
    restart.stop()
    for n in (2, 3, 4):  # the window keeps working; nothing raises
        project = set_actual(project, 1, 0, 0, f"{n}套")
        doc.update_project(project)
    assert doc.offline and doc.modified
    assert "服务器暂时无法连接" in doc.status_text() and "保存在本机" in doc.status_text()
    assert doc.queue.path.is_file()
    assert _actual(doc.load_project(pid)) == "4套"  # the queued state, not an error
    assert doc.try_reconnect() is None
    with pytest.raises(ServerUnavailable, match="服务器仍无法连接"):
        doc.save()
    with pytest.raises(ServerUnavailable, match="不能删除项目"):
        doc.delete_project(pid)
    restart.start()
    assert doc.try_reconnect() == []
    assert not doc.offline and not doc.modified and not doc.queue.path.exists()
    with ServerDocument.connect(bureau.url(login)) as other:
        assert other.load_project(pid) == project
    doc.update_project(set_actual(project, 1, 0, 0, "5套"))  # and on it goes, online again
    assert _actual(ServerDocument.connect(bureau.url(login)).load_project(pid)) == "5套"
    doc.close()


def test_queue_survives_closing_the_program(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    doc = ServerDocument.connect(bureau.url(login))
    pid = doc.add_project(*seed000)
    project = doc.load_project(pid)
    restart.stop()
    doc.update_project(set_actual(project, 1, 0, 0, "9套"))
    doc.close()  # program closed while the server is away
    restart.start()
    again = ServerDocument.connect(bureau.url(login))
    assert again.modified is False and len(again.queue) == 1
    assert again.try_reconnect() == []
    again.forget(pid)
    assert _actual(again.load_project(pid)) == "9套"
    again.close()


def test_changed_on_the_server_meanwhile_keeps_mine_as_a_copy(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    doc = ServerDocument.connect(bureau.url(login))
    pid = doc.add_project(*seed000)
    project = doc.load_project(pid)
    restart.stop()
    doc.update_project(set_actual(project, 1, 0, 0, "离线值"))
    restart.start()
    with ServerDocument.connect(bureau.url(login)) as other:
        other.update_project(set_actual(other.load_project(pid), 1, 0, 0, "在线值"))
    notes = doc.try_reconnect()
    assert notes is not None and len(notes) == 1 and "另存为项目副本" in notes[0]
    with ServerDocument.connect(bureau.url(login)) as check:
        names = {s.name: s.id for s in check.list_projects()}
        assert _actual(check.load_project(pid)) == "在线值"
        copy_id = next(i for n, i in names.items() if "离线修改" in n)
        assert _actual(check.load_project(copy_id)) == "离线值"
    doc.close()


def test_connecting_to_a_stopped_server_says_what_to_do(bureau, restart) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    restart.stop()
    with pytest.raises(ServerUnavailable, match=r"无法连接服务器 127\.0\.0\.1:.*请检查网络连接和服务器是否开启"):
        ServerDocument.connect(bureau.url(login))


def test_a_read_while_the_server_is_away_is_a_clear_message(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    with ServerDocument.connect(bureau.url(login)) as doc:
        pid = doc.add_project(replace(seed000[0], name="甲"), seed000[1])
        restart.stop()
        with pytest.raises(JxdbError, match="连接中断"):
            doc.list_projects()
        assert doc.offline
        with pytest.raises(JxdbError, match="连接中断"):
            doc.load_project(pid + 1)


def test_an_edit_sent_just_before_a_crash_is_not_sent_twice(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", UNIT)
    doc = ServerDocument.connect(bureau.url(login))
    pid = doc.add_project(*seed000)
    project = set_actual(doc.load_project(pid), 1, 0, 0, "已发送")
    doc.queue.put(project, doc.version_of(pid))  # queued …
    doc.update_project(project)  # … and written, but the program stopped before unqueueing it
    assert doc.try_reconnect() == []
    assert [s.id for s in doc.list_projects()] == [pid]  # no “离线修改” copy
    doc.close()


def test_after_replay_the_next_edit_is_still_checked_against_other_writers(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    from app.models.server import ConflictError

    login = bureau.account("unit", UNIT)
    doc = ServerDocument.connect(bureau.url(login))
    pid = doc.add_project(*seed000)
    project = doc.load_project(pid)
    restart.stop()
    project = set_actual(project, 1, 0, 0, "离线")
    doc.update_project(project)
    restart.start()
    assert doc.try_reconnect() == []
    with ServerDocument.connect(bureau.url(login)) as other:
        other.update_project(set_actual(other.load_project(pid), 1, 1, 0, "别人改的"))
    with pytest.raises(ConflictError):
        doc.update_project(set_actual(project, 1, 0, 0, "再改"))
    doc.close()


def test_edits_replayed_from_the_queue_are_in_the_history(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    """Who, when (the edit's time on this PC), before and after, as for a live edit."""
    from decimal import Decimal

    from tests.server.helpers import set_indicator

    clerk = bureau.account("unit", UNIT)
    with ServerDocument.connect(bureau.url(clerk)) as unit_doc:
        pid = unit_doc.add_project(*seed000)
    reviewer = bureau.account("reviewer")
    doc = ServerDocument.connect(bureau.url(reviewer))
    try:
        project = doc.load_project(pid)
        doc.update_project(replace(project, review=replace(project.review, status="退回修改")))  # live
        project = doc.load_project(pid)
        restart.stop()
        project = set_indicator(project, 1, 0, 0, reviewer_score=Decimal("2.5"), reviewer_note="佐证不足")
        doc.update_project(project)
        project = replace(project, review=replace(project.review, status="已复核"))
        doc.update_project(project)
        assert doc.offline
        queued_at = doc.queue.load()[pid].queued_at
        restart.start()
        assert doc.try_reconnect() == []
        entries = doc.history(pid)
    finally:
        doc.close()
    replayed = {e.what: e for e in entries[:4]}
    assert {"复核状态", "复核总分"} <= set(replayed)
    assert sum(w.endswith(("：复核得分", "：复核意见")) for w in replayed) == 2 and len(replayed) == 4
    status = replayed["复核状态"]
    assert (status.who, status.before, status.after) == (reviewer, "退回修改", "已复核")
    assert status.at == queued_at.replace("T", " ")
    score = next(e for w, e in replayed.items() if w.endswith("复核得分"))
    assert (score.who, score.after) == (reviewer, "2.5")
    assert replayed["复核总分"].before == "（空）" and replayed["复核总分"].after not in ("", "（空）")
    assert entries[4].what == "复核状态" and entries[4].after == "退回修改"  # the live edit before the outage


def test_a_server_restarted_between_edits_is_not_taken_for_a_cut(bureau, restart, seed000) -> None:  # type: ignore[no-untyped-def]
    """No ping before each use: a pooled connection the restart killed fails at once, and the edit is
    written over a new connection instead of being queued."""
    login = bureau.account("unit", UNIT)
    with ServerDocument.connect(bureau.url(login)) as doc:
        pid = doc.add_project(*seed000)
        project = set_actual(doc.load_project(pid), 1, 0, 0, "1套")
        doc.update_project(project)
        restart.stop()
        restart.start()
        project = set_actual(project, 1, 0, 0, "2套")
        doc.update_project(project)
        assert not doc.offline and len(doc.queue) == 0
        restart.stop()
        restart.start()
        assert [s.id for s in doc.list_projects()] == [pid]  # a read too
        assert not doc.offline
    with ServerDocument.connect(bureau.url(login)) as other:
        assert _actual(other.load_project(pid)) == "2套"
