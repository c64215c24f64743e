"""计分口径: the MoF and 一体化 (FASP 绩效模块) formulas, tier wordings, the band check, and published differences."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.scoring.budget import figures
from app.scoring.codec import project_from, project_to, template_from, template_to
from app.scoring.conventions import CONVENTIONS, resolve, tier_key
from app.scoring.engine import score_project
from app.scoring.records import PUBLISHED_REASON, Budget, Category, Group, Project
from app.scoring.rules import RULES, Context
from app.scoring.templates import validate_template
from tests.scoring.helpers import D, budget, ind, project_with


def score(template, indicator, convention: str) -> str:  # type: ignore[no-untyped-def]
    b = Budget()
    ctx = Context(template, b, figures(b, template.execution_base), CONVENTIONS[convention])
    res = RULES[indicator.rule.kind](indicator, indicator.weight, indicator.rule.params, ctx)
    assert res.score is not None
    project = project_with(template, indicator, convention=convention)
    line = score_project(project, template).lines[0]
    return f"{line.score:.2f}"


# the worked examples of docs/templates.md, then the boundaries
@pytest.mark.parametrize(("target", "actual", "mof_score", "fasp_score"), [
    ("≤90", "135", "6.67", "5.00"),
    ("≤90", "180", "5.00", "0.00"),
    ("=8", "10", "8.00", "10.00"),
    ("≤90", "90", "10.00", "10.00"),
    ("≤90", "89", "10.00", "10.00"),
    ("≤90", "179.99", "5.00", "0.00"),  # just below 2×target: (1 − 89.99/90) × 10 = 0.0011… → 0.00
    ("≤90", "99", "9.09", "9.00"),
    ("≤90万元", "1350000元", "6.67", "5.00"),  # units converted first
    ("≤0", "0", "10.00", "10.00"),
    ("≤0", "3", "0.00", "0.00"),
    ("=0", "0", "10.00", "10.00"),
    ("=0", "-1", "0.00", "10.00"),
    ("=0", "2", "0.00", "0.00"),
    ("=8", "6", "7.50", "7.50"),
    ("≥50个", "40个", "8.00", "8.00"),
    ("≥50个", "60个", "10.00", "10.00"),
    ("≥0", "0", "10.00", "10.00"),
    ("≥3", "1", "3.33", "3.33"),
])
def test_proportional_both_conventions(mof, target: str, actual: str, mof_score: str,  # type: ignore[no-untyped-def]
                                       fasp_score: str) -> None:
    indicator = ind(target=target, actual=actual, deviation_reason="原因")
    assert score(mof, indicator, "mof-2020") == mof_score
    assert score(mof, indicator, "一体化") == fasp_score


def test_exactly_twice_the_target_scores_zero_under_fasp(mof) -> None:  # type: ignore[no-untyped-def]
    indicator = ind(target="≤50", actual="100", w=20)
    assert score(mof, indicator, "一体化") == "0.00"
    assert score(mof, indicator, "mof-2020") == "10.00"
    just_below = ind(target="≤50", actual="99.5", w=20)  # 20 × (1 − 49.5/50) = 0.2
    assert score(mof, just_below, "一体化") == "0.20"


@pytest.mark.parametrize("convention", ["", "mof-2020", "一体化"])
def test_seeds_keep_their_totals_under_both_conventions(seed000, seed003, convention: str) -> None:  # type: ignore[no-untyped-def]
    p0, t0 = seed000
    p3, t3 = seed003
    r0 = score_project(replace(p0, convention=convention), t0)
    r3 = score_project(replace(p3, convention=convention), t3)
    assert (str(r0.total), r0.grade) == ("93.08", "优")
    assert (f"{r3.total:.1f}", r3.grade) == ("97.8", "优")
    assert r0.convention == (convention or "mof-2020")
    assert r0.convention_label.startswith("计分口径：")


def test_project_choice_overrides_template(mof) -> None:  # type: ignore[no-untyped-def]
    fasp_template = replace(mof, convention="一体化")
    indicator = ind(target="≤90", actual="135", deviation_reason="超支")
    assert score_project(project_with(fasp_template, indicator), fasp_template).lines[0].score == D("5.00")
    mof_project = project_with(fasp_template, indicator, convention="mof-2020")
    assert score_project(mof_project, fasp_template).lines[0].score == D("6.67")
    assert resolve("", "一体化")[0].id == "一体化"
    assert resolve("mof-2020", "一体化")[0].id == "mof-2020"
    assert resolve("", "")[0].id == "mof-2020"


def test_unknown_convention_is_an_issue_and_falls_back(mof) -> None:  # type: ignore[no-untyped-def]
    report = score_project(project_with(mof, ind(target="≤90", actual="135"), convention="省标准"), mof)
    assert report.convention == "mof-2020"
    assert any(i.code == "convention" and "省标准" in i.message for i in report.issues)
    bad = replace(mof, convention="省标准")
    assert any(i.code == "convention" for i in validate_template(bad))


def test_convention_round_trips_through_json(mof) -> None:  # type: ignore[no-untyped-def]
    t = template_from(template_to(replace(mof, convention="一体化")))
    assert t.convention == "一体化"
    p = replace(project_with(mof, ind()), convention="一体化", published_total=D("94"))
    back, _ = project_from(project_to(p))
    assert (back.convention, back.published_total) == ("一体化", D("94"))


def test_a_template_copy_switches_the_convention(mof) -> None:  # type: ignore[no-untyped-def]
    data = template_to(mof)
    data["id"], data["convention"] = "mof-2020-一体化", "一体化"
    copy = template_from(data)
    assert validate_template(copy) == []
    indicator = ind(target="≤90", actual="180", deviation_reason="超支")
    assert score_project(project_with(copy, indicator), copy).lines[0].score == D("0.00")
    assert score_project(project_with(mof, indicator), mof).lines[0].score == D("5.00")


# --------------------------------------------------------------------------- 定性 wording and bands


@pytest.mark.parametrize(("actual", "expected"), [
    ("达成年度指标", "10.00"), ("达成预期指标", "10.00"),
    ("部分达成年度指标并具有一定效果", "7.90"), ("部分达成预期指标并具有一定效果", "7.90"),
    ("未达成年度指标且效果较差", "5.90"), ("未达成 预期指标且效果较差", "5.90"),
])
def test_both_tier_wordings_are_understood(mof, actual: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    indicator = ind("qualitative", target="达成年度指标", actual=actual, deviation_reason="说明原因")
    report = score_project(project_with(mof, indicator), mof)
    # the default within a tier with an open top is one point below it: 79% of 10, 59% of 10
    assert f"{report.lines[0].score:.2f}" == expected
    assert not [i for i in report.issues if i.code == "qualitative_unrated"]
    assert tier_key("部分达成年度指标并具有一定效果") == tier_key("部分达成预期指标并具有一定效果")


@pytest.mark.parametrize(("actual", "published", "in_band"), [
    ("达成年度指标", "8", True), ("达成年度指标", "7.9", False),
    ("部分达成年度指标并具有一定效果", "6", True), ("部分达成年度指标并具有一定效果", "8", False),
    ("部分达成年度指标并具有一定效果", "9", False), ("未达成年度指标且效果较差", "5.9", True),
    ("未达成年度指标且效果较差", "6", False),
])
def test_band_check_on_a_hand_given_qualitative_score(mof, actual: str, published: str,  # type: ignore[no-untyped-def]
                                                      in_band: bool) -> None:
    indicator = ind("qualitative", target="达成年度指标", actual=actual, override_score=D(published),
                    override_reason="评价小组评定", deviation_reason="说明原因")
    report = score_project(project_with(mof, indicator), mof)
    band = [i for i in report.issues if i.code == "tier_band"]
    assert (not band) == in_band
    if band:
        assert "档得分应在" in band[0].message and published in band[0].message
    manual = ind("manual", target="达成年度指标", actual=actual, manual_score=D(published), deviation_reason="说明")
    assert (not [i for i in score_project(project_with(mof, manual), mof).issues if i.code == "tier_band"]) == in_band


# --------------------------------------------------------------------------- published differences


def test_published_score_beside_the_rule_result(mof) -> None:  # type: ignore[no-untyped-def]
    indicator = ind(target="≥100%", actual="86.2%", override_score=D(9), override_reason=PUBLISHED_REASON,
                    deviation_reason="未完成")
    report = score_project(project_with(mof, indicator), mof)
    line = report.lines[0]
    assert (line.score, line.computed, line.overridden) == (D("9.00"), D("8.62"), True)
    found = [i for i in report.issues if i.code == "published_differs"]
    assert [i.message for i in found] == ["原表得分 9，按规则 8.62"]
    hand = replace(indicator, override_reason="专家评议调整")
    issues = score_project(project_with(mof, hand), mof).issues
    assert [i.message for i in issues if i.code == "override_differs"] == ["调整后得分 9，按规则 8.62"]
    assert not [i for i in issues if i.code == "published_differs"]


def test_published_total_that_is_not_the_sum(mof) -> None:  # type: ignore[no-untyped-def]
    project = project_with(mof, ind(w=100, target="≥10", actual="9.3", deviation_reason="未完成"),
                           published_total=D(94))
    report = score_project(project, mof)
    assert report.total == D("93.00")
    assert [i.message for i in report.issues if i.code == "published_total"] == ["原表总分 94，各项得分之和 93"]
    same = replace(project, published_total=D("93.00"))
    assert not [i for i in score_project(same, mof).issues if i.code == "published_total"]


def test_execution_rate_without_an_execution_score(mof) -> None:  # type: ignore[no-untyped-def]
    project = project_with(mof, ind(w=100, target="≥1", actual="1"), budget=budget("100", "100", "52.8"))
    found = [i for i in score_project(project, mof).issues if i.code == "execution_unscored"]
    assert found and "52.80%" in found[0].message
    execution = ind("execution_rate", w=10, deviation_reason="慢")
    scored = Project(year=2021, name="x", template_id=mof.id, budget=budget("100", "100", "52.8"), categories=(
        Category("预算执行", D(10), (Group("预算执行率", None, (execution,)),)),
        Category("产出指标", D(90), (Group("数量", None, (ind(w=90, target="≥1", actual="1"),)),)),
    ))
    assert not [i for i in score_project(scored, mof).issues if i.code == "execution_unscored"]


def test_weights_adding_to_110_are_reported(mof) -> None:  # type: ignore[no-untyped-def]
    project = project_with(mof, ind(w=110, target="≥1", actual="1"), weight="110")
    assert any(i.code == "weights_total" and "110" in i.message for i in score_project(project, mof).issues)
