"""Round trips: records → file → records, save → reopen, dump → import → dump (samples and generated)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from app.models import interchange, jsontext
from app.models.document import Document, JxdbError
from app.scoring.engine import score_project
from app.scoring.records import Project, ReviewInfo, Template

from .helpers import builtin_template, sample_pairs, write_document
from .strategies import json_values, projects


def test_samples_round_trip_through_a_saved_file(tmp_path: Path, templates: dict[str, Template]) -> None:
    pairs = sample_pairs(templates)
    path = tmp_path / "年度项目.jxdb"
    ids = write_document(path, pairs)
    with Document.open(path) as doc:
        assert [s.id for s in doc.list_projects()] == ids  # 2021 before 2019
        for (project, template), pid in zip(pairs, ids, strict=True):
            loaded = doc.load_project(pid)
            assert loaded == replace(project, id=pid)
            assert doc.template_for(loaded) == template
            assert score_project(loaded, doc.template_for(loaded)).total == score_project(project, template).total
        assert not doc.modified


def test_scores_of_the_seeds_survive_the_file(tmp_path: Path, templates: dict[str, Template]) -> None:
    path = tmp_path / "seeds.jxdb"
    write_document(path, sample_pairs(templates))
    with Document.open(path, read_only=True) as doc:
        totals = {}
        for s in doc.list_projects():
            p = doc.load_project(s.id)
            totals[p.name[:4]] = score_project(p, doc.template_for(p)).total
    assert totals == {"大宁县精": Decimal("93.08"), "馆藏档案": Decimal("97.8")}


def test_list_projects_filters_and_orders(templates: dict[str, Template], seed000: tuple[Project, Template]) -> None:
    project, template = seed000
    with Document.new() as doc:
        for year, name in [(2020, "乙"), (2021, "丙"), (2020, "甲"), (2021, "甲")]:
            doc.add_project(replace(project, year=year, name=name), template)
        assert [(s.year, s.name) for s in doc.list_projects()] == [(2021, "丙"), (2021, "甲"), (2020, "乙"),
                                                                   (2020, "甲")]
        assert [s.name for s in doc.list_projects(2020)] == ["乙", "甲"]
        assert doc.years() == [2021, 2020]
        assert set(doc.templates()) == {"mof-2020"}


def test_update_and_delete(seed000: tuple[Project, Template]) -> None:
    project, template = seed000
    with Document.new() as doc:
        pid = doc.add_project(project, template)
        assert doc.modified
        loaded = doc.load_project(pid)
        cat = loaded.categories[1]
        grp = cat.groups[0]
        edited_ind = replace(grp.indicators[0], actual="5套", override_score=Decimal("9.00"), override_reason="测试")
        edited = replace(loaded, name="改名", materials=("附件一",), review=ReviewInfo("某机构", "张三", "2022-01-01"),
                         categories=(loaded.categories[0],
                                     replace(cat, groups=(replace(grp, indicators=(edited_ind,)),)),
                                     *loaded.categories[2:]))
        doc.update_project(edited)
        assert doc.load_project(pid) == edited
        assert doc.load_project(pid).categories[1].groups[0].indicators[0].override_score == Decimal("9.00")
        doc.delete_project(pid)
        assert doc.list_projects() == []
        with pytest.raises(JxdbError, match="没有编号为"):
            doc.load_project(pid)
        with pytest.raises(JxdbError, match="没有编号为"):
            doc.update_project(edited)


def test_conflicting_template_is_stored_under_a_new_id(seed000: tuple[Project, Template]) -> None:
    project, template = seed000
    changed = replace(template, name="本地修改版")
    with Document.new() as doc:
        a = doc.add_project(project, template)
        b = doc.add_project(project, changed)
        c = doc.add_project(project, template)
        ids = [doc.load_project(i).template_id for i in (a, b, c)]
        assert ids == ["mof-2020", "mof-2020-2", "mof-2020"]
        assert doc.templates()["mof-2020-2"].name == "本地修改版"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects())
def test_generated_projects_round_trip(project: Project, tmp_path_factory: pytest.TempPathFactory) -> None:
    template = builtin_template("mof-2020")
    with Document.new() as doc:
        pid = doc.add_project(project, template)
        assert doc.load_project(pid) == replace(project, id=pid)
        first = interchange.dump_text(doc, builtin={"mof-2020": template})
    items = interchange.parse(first, {"mof-2020": template})
    with Document.new() as doc2:
        interchange.import_projects(doc2, items)
        second = interchange.dump_text(doc2, builtin={"mof-2020": template})
    assert first == second


@settings(max_examples=60, deadline=None)
@given(value=json_values())
def test_jsontext_round_trips_values(value: object) -> None:
    text = jsontext.dumps(value)
    assert jsontext.loads(text) == value
    assert jsontext.dumps(jsontext.loads(text)) == text
    assert jsontext.loads(jsontext.dumps(value, indent=1)) == value


def test_jsontext_keeps_decimal_digits() -> None:
    text = jsontext.dumps({"a": Decimal("3.00"), "b": [Decimal("1E+2"), 5]})
    assert text == '{"a":3.00,"b":[1E+2,5]}'
    value = jsontext.loads(text)
    assert str(value["a"]) == "3.00" and isinstance(value["b"][1], int)
    with pytest.raises(ValueError):
        jsontext.dumps(Decimal("NaN"))
    with pytest.raises(ValueError):
        jsontext.loads('{"a": NaN}')


def test_dump_import_dump_of_samples_is_identical(tmp_path: Path, templates: dict[str, Template]) -> None:
    with Document.new() as doc:
        interchange.import_projects(doc, sample_pairs(templates))
        first = interchange.dump_text(doc, builtin=templates)
    with Document.new() as doc2:
        interchange.import_projects(doc2, interchange.parse(first, templates))
        second = interchange.dump_text(doc2, builtin=templates)
    assert first == second
    assert '"template": "mof-2020"' in first  # built-in templates are referenced, not embedded


def test_dump_embeds_a_template_that_differs_from_the_built_in(templates: dict[str, Template],
                                                                seed000: tuple[Project, Template]) -> None:
    project, template = seed000
    local = replace(template, id="my-mof", name="本县版本")
    with Document.new() as doc:
        doc.add_project(project, local)
        text = interchange.dump_text(doc, builtin=templates)
    assert '"name": "本县版本"' in text
    [(again, t)] = interchange.parse(text, templates)
    assert t == local and again.template_id == "my-mof"


def test_parse_reports_problems_in_chinese(templates: dict[str, Template]) -> None:
    with pytest.raises(interchange.InterchangeError, match="JSON 格式有误"):
        interchange.parse("{", templates)
    with pytest.raises(interchange.InterchangeError, match="模板“nope”不存在"):
        interchange.parse('{"year": 2021, "name": "x", "template": "nope"}', templates)
    with pytest.raises(interchange.InterchangeError, match="year"):
        interchange.parse('{"name": "x", "template": "mof-2020"}', templates)
