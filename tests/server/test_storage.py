"""One storage suite, run against a .jxdb working copy and a PostgreSQL bureau database alike."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from app.models.document import Document, JxdbError
from app.scoring.engine import score_project
from tests.server.helpers import set_actual


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "sqlite":
        doc: Any = Document.new()
    else:
        from app.models.server import ServerDocument

        bureau = request.getfixturevalue("bureau")
        doc = ServerDocument.connect(bureau.url(bureau.account("admin")))
    try:
        yield doc
    finally:
        doc.close()


@pytest.mark.parametrize("sample", ["seed000", "seed003"])
def test_project_round_trips(store: Any, sample: str, request: pytest.FixtureRequest) -> None:
    project, template = request.getfixturevalue(sample)
    pid = store.add_project(project, template)
    loaded = store.load_project(pid)
    assert loaded == replace(project, id=pid)
    assert store.template_for(loaded) == template
    assert score_project(loaded, template).total == score_project(project, template).total


def test_edit_is_stored_and_rescored(store: Any, seed000: tuple) -> None:
    project, template = seed000
    pid = store.add_project(project, template)
    before = score_project(store.load_project(pid), template).total
    edited = set_actual(store.load_project(pid), 1, 0, 0, "3套")
    store.update_project(edited)
    again = store.load_project(pid)
    assert again == edited
    assert score_project(again, template).total != before
    store.update_project(replace(again, narrative={**again.narrative, "goal": "新的目标"}, name="新名称"))
    assert store.load_project(pid).name == "新名称"
    assert store.load_project(pid).narrative["goal"] == "新的目标"


def test_changing_the_indicator_tree(store: Any, seed003: tuple) -> None:
    project, template = seed003
    pid = store.add_project(project, template)
    loaded = store.load_project(pid)
    cat = loaded.categories[0]
    grp = cat.groups[0]
    fewer = replace(loaded, categories=(replace(cat, groups=(replace(grp, indicators=grp.indicators[1:]),
                                                             *cat.groups[1:])), *loaded.categories[1:]))
    store.update_project(fewer)
    assert store.load_project(pid) == fewer
    store.update_project(loaded)
    assert store.load_project(pid) == loaded


def test_list_years_and_delete(store: Any, seed000: tuple, seed003: tuple) -> None:
    ids = []
    for year, (project, template) in ((2021, seed000), (2022, seed003), (2022, seed000)):
        ids.append(store.add_project(replace(project, year=year, name=f"{project.name}{year}"), template))
    assert len(set(ids)) == 3
    assert store.years() == [2022, 2021]
    assert [s.year for s in store.list_projects()] == [2022, 2022, 2021]
    assert {s.id for s in store.list_projects(2022)} == set(ids[1:])
    store.delete_project(ids[1])
    assert {s.id for s in store.list_projects()} == {ids[0], ids[2]}
    with pytest.raises(JxdbError):
        store.load_project(ids[1])
    # the remaining projects are whole (children of the deleted one went with it, not theirs)
    assert store.load_project(ids[2]).categories == seed000[0].categories


def test_templates_stored_once_and_clashes_renamed(store: Any, seed000: tuple) -> None:
    project, template = seed000
    store.add_project(project, template)
    store.add_project(project, template)
    assert list(store.templates()) == [template.id]
    other = replace(template, name=template.name + "（修订）")
    pid = store.add_project(project, other)
    assert store.load_project(pid).template_id == f"{template.id}-2"
    assert store.template_for(store.load_project(pid)).name == other.name


def test_decimal_text_is_exact(store: Any, seed000: tuple) -> None:
    project, template = seed000
    pid = store.add_project(project, template)
    cat = project.categories[0]
    edited = replace(store.load_project(pid), categories=(replace(cat, weight=Decimal("20.00")),
                                                           *project.categories[1:]))
    store.update_project(edited)
    assert str(store.load_project(pid).categories[0].weight) == "20.00"


def test_project_settings_round_trip(store: Any, seed000: tuple) -> None:
    project, template = seed000
    with_settings = replace(project, convention="一体化", published_total=Decimal("93.10"))
    pid = store.add_project(with_settings, template)
    assert store.load_project(pid) == replace(with_settings, id=pid)
    store.update_project(replace(store.load_project(pid), convention=""))
    assert store.load_project(pid).convention == ""
    assert store.load_project(pid).published_total == Decimal("93.10")


def test_public_address_has_no_password() -> None:
    from app.models.server import public_url, server_url

    assert public_url(server_url("postgresql://clerk:secret@10.0.0.5:5433/jixiao")) == \
        "postgresql://clerk@10.0.0.5:5433/jixiao"
    assert public_url(server_url("postgresql://clerk@host/jixiao", "secret")) == "postgresql://clerk@host/jixiao"
