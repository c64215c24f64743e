"""The project interchange JSON: round trips and clear messages for bad data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.scoring.codec import CodecError, document_from, document_to, template_from, template_to
from app.scoring.engine import score_project

from ..conftest import SAMPLES


@pytest.mark.parametrize("name", ["seed000-daning.json", "seed003-luoding.json"])
def test_sample_round_trip(name: str, templates) -> None:  # type: ignore[no-untyped-def]
    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)
    pairs = document_from(data)
    again = document_from(json.loads(json.dumps(document_to(pairs), ensure_ascii=False)))
    assert again == pairs
    assert document_to(again) == document_to(pairs)


def test_embedded_template_round_trip(seed003) -> None:  # type: ignore[no-untyped-def]
    project, template = seed003
    data = json.loads(json.dumps(document_to([(project, template)]), ensure_ascii=False))
    (p2, t2), = document_from(data)
    assert p2 == project and t2 is not None
    assert template_from(template_to(t2)) == t2
    assert score_project(p2, t2).total == Decimal("97.8")


def test_seed000_holds_every_field(seed000) -> None:  # type: ignore[no-untyped-def]
    project, _ = seed000
    assert project.unit == "大宁县档案馆" and project.year == 2021
    assert project.budget.adjusted.total == Decimal("107.26") and project.budget.executed.county == Decimal("106.49")
    assert "necessity" not in project.narrative  # 设立的必要性 is empty in the seed
    reasons = [i.deviation_reason for _, i in project.indicators()]
    assert reasons.count("") == 2 and "端正工作态度，提高业务能力" in reasons


@pytest.mark.parametrize(("data", "fragment"), [
    ([], "JSON 对象"),
    ({"format": "something"}, "不是项目数据"),
    ({"version": 99, "projects": []}, "99"),
    ({"projects": [{"name": "x", "template": "mof-2020"}]}, "projects[0].year"),
    ({"projects": [{"name": "x", "year": 2021}]}, "projects[0].template"),
    ({"projects": [{"name": "x", "year": 2021, "template": "t", "categories": [{"name": "a"}]}]},
     "projects[0].categories[0].weight"),
    ({"projects": [{"name": "x", "year": 2021, "template": "t", "categories": [
        {"name": "a", "weight": "十", "groups": []}]}]}, "应为数字"),
    ({"projects": [{"name": "x", "year": 2021, "template": "t", "narrative": {"bogus": "1"}}]}, "bogus"),
    ({"projects": [{"name": "x", "year": 2021, "template": "t", "budget": {"initial": {"county": "abc"}}}]},
     "budget.initial.county"),
    ({"projects": [{"name": "x", "year": 2021, "template": "t", "budget": {"initial": {"town": "1"}}}]},
     "不是预算表的列"),
])
def test_bad_data_named(data, fragment: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CodecError) as exc:
        document_from(data)
    assert fragment in str(exc.value)
