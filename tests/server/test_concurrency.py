"""Two PCs on one project: the second writer is told who changed what; nothing is overwritten silently."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from app.models.server import ConflictError, ServerDocument
from tests.server.helpers import set_actual

UNIT = "大宁县档案馆"


def test_second_writer_gets_a_conflict_naming_who_and_what(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    alice, bob = bureau.account("unit", UNIT, "alice"), bureau.account("unit", UNIT, "bob")
    a, b = ServerDocument.connect(bureau.url(alice)), ServerDocument.connect(bureau.url(bob))
    try:
        pid = a.add_project(project, template)
        mine_a, mine_b = a.load_project(pid), b.load_project(pid)
        a.update_project(set_actual(mine_a, 1, 0, 0, "5套"))
        bobs = set_actual(mine_b, 1, 1, 0, "98%")
        with pytest.raises(ConflictError) as caught:
            b.update_project(bobs)
        exc = caught.value
        assert exc.who == "alice"
        assert exc.changes == ["指标“软件采购数量（套）”"]
        assert "alice" in str(exc) and "软件采购数量" in str(exc) and "没有写入" in str(exc)
        assert exc.mine == bobs and exc.theirs is not None
        # alice's edit is what the server holds; bob's was not written over it
        fresh = ServerDocument.connect(bureau.url(alice))
        assert fresh.load_project(pid) == set_actual(mine_a, 1, 0, 0, "5套")
        # bob keeps his edit as a copy, then reloads and edits again: no conflict any more
        copy_id = b.add_project(replace(exc.mine, name=exc.mine.name + "（副本）"), template)
        assert b.load_project(copy_id).categories == bobs.categories
        b.forget(pid)
        b.update_project(set_actual(b.load_project(pid), 1, 1, 0, "98%"))
        both = fresh.load_project(pid)
        assert both.categories[1].groups[0].indicators[0].actual == "5套"
        assert both.categories[1].groups[1].indicators[0].actual == "98%"
        fresh.close()
    finally:
        a.close()
        b.close()


def test_deleted_meanwhile_is_a_conflict_too(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    login = bureau.account("unit", UNIT)
    a, b = ServerDocument.connect(bureau.url(login)), ServerDocument.connect(bureau.url(login))
    try:
        pid = a.add_project(project, template)
        loaded = b.load_project(pid)
        a.delete_project(pid)
        with pytest.raises(ConflictError, match="已被其他人从服务器上删除") as caught:
            b.update_project(replace(loaded, name="x"))
        assert caught.value.theirs is None
    finally:
        a.close()
        b.close()


def test_two_clients_racing_exactly_one_wins_each_round(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    login = bureau.account("unit", UNIT)
    docs = [ServerDocument.connect(bureau.url(login)) for _ in range(2)]
    pid = docs[0].add_project(project, template)
    try:
        for round_no in range(10):
            states = [d.load_project(pid) for d in docs]
            barrier = threading.Barrier(2)
            outcome: list[str] = ["", ""]

            def write(k: int, states=states, barrier=barrier, outcome=outcome, round_no=round_no) -> None:  # type: ignore[no-untyped-def]
                barrier.wait()
                try:
                    docs[k].update_project(set_actual(states[k], 1, 0, 0, f"{round_no}-{k}"))
                    outcome[k] = "ok"
                except ConflictError:
                    outcome[k] = "conflict"

            threads = [threading.Thread(target=write, args=(k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(outcome) == ["conflict", "ok"]
            winner = outcome.index("ok")
            assert docs[0].load_project(pid).categories[1].groups[0].indicators[0].actual == f"{round_no}-{winner}"
            for d in docs:
                d.forget(pid)
    finally:
        for d in docs:
            d.close()


def test_two_clients_storing_the_same_new_template_at_once(bureau, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    fresh = replace(template, id="bureau-2024", name="本局模板")
    login = bureau.account("unit", UNIT)
    docs = [ServerDocument.connect(bureau.url(login)) for _ in range(4)]
    barrier = threading.Barrier(len(docs))
    errors: list[BaseException] = []

    def add(doc: ServerDocument) -> None:
        barrier.wait()
        try:
            doc.add_project(replace(project, template_id=fresh.id), fresh)
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        assert len(docs[0].list_projects()) == 4
        assert all(list(d.templates()) == [fresh.id] for d in docs)
    finally:
        for d in docs:
            d.close()
