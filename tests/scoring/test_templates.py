"""Templates are data files, validated on load into issues that name the place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.scoring.records import Level
from app.scoring.templates import TemplateError, load_template, validate_template

from ..conftest import TEMPLATES


def test_builtin_templates_are_valid(templates) -> None:  # type: ignore[no-untyped-def]
    assert set(templates) == {"mof-2020", "four-part-2019"}
    for t in templates.values():
        assert validate_template(t) == []


def test_mof_weights(mof) -> None:  # type: ignore[no-untyped-def]
    assert [(c.name, c.weight) for c in mof.categories] == [
        ("预算执行指标", 10), ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert [g.name for g in mof.categories[1].groups] == ["数量指标", "质量指标", "时效指标", "成本指标"]
    assert [g.name for g in mof.categories[2].groups] == [
        "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"]
    assert next(t.label for t in mof.qualitative_tiers) == "达成预期指标"


def test_four_part_has_every_indicator_of_seed003(four_part) -> None:  # type: ignore[no-untyped-def]
    seed = (Path(__file__).resolve().parents[3] / "shared" / "seeds" / "003_4f4dbd09b735f982.txt")
    names = [i.name for c in four_part.categories for g in c.groups for i in g.indicators]
    assert len(names) == 20
    weights = [(c.name, c.weight) for c in four_part.categories]
    assert weights == [("决策", 24), ("过程", 21), ("产出", 25), ("效益", 30)]
    for c in four_part.categories:
        for g in c.groups:
            for i in g.indicators:
                assert i.explanation and i.benchmark and i.criteria, i.name
                if seed.exists():
                    assert i.criteria[:20] in seed.read_text(encoding="utf-8"), i.name
    subitems = [s.name for c in four_part.categories for g in c.groups for i in g.indicators for s in i.subitems]
    assert subitems == ["经济效益", "社会效益", "生态效益"]
    assert four_part.penalties[0].name == "财政资金支出率" and four_part.penalties[0].cap_grade == "良"
    assert four_part.has_reviewer


def _write(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads((TEMPLATES / "four-part-2019.json").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_unknown_rule_kind_named_with_its_place(tmp_path: Path) -> None:
    def mutate(d):  # type: ignore[no-untyped-def]
        d["categories"][1]["groups"][0]["indicators"][0]["rule"] = {"kind": "guess"}

    _, issues = load_template(_write(tmp_path, mutate))
    assert len(issues) == 1 and issues[0].level is Level.ERROR
    assert "过程/资金管理/资金到位率" in issues[0].message and "guess" in issues[0].message
    assert issues[0].where.index == (1, 0, 0)


def test_bad_parameters_and_weights(tmp_path: Path) -> None:
    def mutate(d):  # type: ignore[no-untyped-def]
        d["categories"][1]["groups"][0]["indicators"][0]["rule"]["params"]["step"] = 0
        d["categories"][1]["groups"][0]["indicators"][0]["rule"]["params"]["color"] = "red"
        d["categories"][0]["weight"] = 30
        d["categories"][2]["groups"][0]["indicators"][0]["weight"] = 4

    _, issues = load_template(_write(tmp_path, mutate))
    text = " ".join(i.message for i in issues)
    assert "step 应大于0" in text and "color" in text
    assert "一级指标权重之和为 106" in text
    assert "产出/产出数量" in text


def test_checklist_shares_must_add_up(tmp_path: Path) -> None:
    def mutate(d):  # type: ignore[no-untyped-def]
        items = d["categories"][0]["groups"][0]["indicators"][1]["rule"]["params"]["items"]
        for it, share in zip(items, ("0.5", "0.2", "0.2"), strict=True):
            it["share"] = share

    _, issues = load_template(_write(tmp_path, mutate))
    assert any("之和为 0.9000" in i.message for i in issues)


@pytest.mark.parametrize("content", ["", "{", "[]", '{"id": "x"}', '{"format": "other"}'])
def test_malformed_template_files_raise(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        load_template(path)
    assert "bad.json" in str(exc.value)
