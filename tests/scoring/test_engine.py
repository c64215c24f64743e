"""score_project: the seeds reproduced, weights, overrides, not-applicable, penalties, grades, properties."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import score_project
from app.scoring.records import Category, Group, Level, Project

from .helpers import D, budget, ind, project_with, with_penalty


def test_seed000_exact(seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    r = score_project(project, template)
    assert [ln.score for ln in r.lines] == [D(x) for x in ("9.93", "10", "12", "13.5", "11.7", "27", "8.95")]
    assert r.total == D("93.08")
    assert r.grade == "优" and r.grade_long == "优秀"
    assert [c.score for c in r.categories] == [D("9.93"), D("47.2"), D("27"), D("8.95")]
    assert r.lines[-1].completion is not None and round(r.lines[-1].completion, 4) == D("0.8947")
    assert not [i for i in r.issues if i.level is not Level.INFO]


def test_seed003_exact(seed003) -> None:  # type: ignore[no-untyped-def]
    project, template = seed003
    r = score_project(project, template)
    assert {c.name: c.score for c in r.categories} == {"决策": 24, "过程": D("18.8"), "产出": 25, "效益": 30}
    assert {ln.path[2]: ln.score for ln in r.lines}["资金到位率"] == D("1.8")
    assert {ln.path[2]: ln.score for ln in r.lines}["预算执行率"] == D("6")
    assert r.total == D("97.8") and r.grade == "优"
    assert r.reviewer_total == D("97.8")
    assert not r.penalties


def test_weights_that_do_not_add_up_are_warnings(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind(target="1", actual="1", w=30), weight="90")
    codes = [i.code for i in score_project(p, mof).issues]
    assert "weights_total" in codes and "weights_category" in codes
    grouped = Project(2021, "x", mof.id, categories=(
        Category("产出指标", D(100), (Group("数量指标", D(60), (ind(target="1", actual="1", w=50),)),)),))
    issues = score_project(grouped, mof).issues
    assert {"weights_group", "weights_category"} <= {i.code for i in issues}
    group_issue = next(i for i in issues if i.code == "weights_group")
    assert group_issue.where.index == (0, 0) and "50" in group_issue.message


def test_missing_deviation_reason(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind(target="≥10", actual="8", w=100))
    issue = next(i for i in score_project(p, mof).issues if i.code == "deviation_reason")
    assert issue.where.index == (0, 0, 0) and issue.where.field == "deviation_reason"
    p = project_with(mof, ind(target="≥10", actual="8", w=100, deviation_reason="资金晚到"))
    assert "deviation_reason" not in [i.code for i in score_project(p, mof).issues]


def test_override_needs_a_reason_and_is_clamped(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind(target="≥10", actual="10", w=100, override_score=D("95"), deviation_reason="x"))
    r = score_project(p, mof)
    assert r.total == 95 and r.lines[0].overridden and r.lines[0].computed == 100
    assert "override_reason" in [i.code for i in r.issues]
    p = project_with(mof, ind(target="≥10", actual="10", w=100, override_score=D("120"), override_reason="调整"))
    r = score_project(p, mof)
    assert r.total == 100 and "override_range" in [i.code for i in r.issues]


def test_unreadable_cell_scores_zero_with_an_error_on_the_cell(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind(target="≥10个", actual="十个", w=100))
    r = score_project(p, mof)
    assert r.total == 0
    err = next(i for i in r.issues if i.level is Level.ERROR)
    assert err.where.field == "actual" and err.where.path == ("产出指标", "数量指标", "指标")


def test_not_applicable_rescaled(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind(target="≥10", actual="9", w=50, deviation_reason="x"),
                     ind(target="≥10", actual="1", w=50, not_applicable=True))
    r = score_project(p, mof)
    assert r.subtotal == D("90.00") and r.rescaled and r.total == D("90.00")
    no_rescale = replace(mof, rescale_not_applicable=False)
    r = score_project(p, no_rescale)
    assert r.total == D("45.00") and not r.rescaled
    assert r.lines[1].not_applicable and r.categories[0].weight == 50


def test_penalty_subtracts_and_caps_the_grade(four_part, seed003) -> None:  # type: ignore[no-untyped-def]
    project, _ = seed003
    low = replace(project, budget=budget("100", "100", "40"))
    r = score_project(low, four_part)
    assert [p.name for p in r.penalties] == ["财政资金支出率"]
    assert r.grade == "良"  # cannot be 优 whatever the total
    assert r.total == r.subtotal - 10
    manual = with_penalty(project, "fiscal_spend_rate", applied=True)
    r = score_project(manual, four_part)
    assert r.total == D("87.8") and r.grade == "良"
    typed = with_penalty(project, "fiscal_spend_rate", value="45%")
    assert score_project(typed, four_part).penalties
    ok = with_penalty(project, "fiscal_spend_rate", value="95%")
    assert not score_project(ok, four_part).penalties


def test_grade_bands(mof) -> None:  # type: ignore[no-untyped-def]
    for actual, grade in (("90", "优"), ("89.99", "良"), ("80", "良"), ("60", "中"), ("59.99", "差")):
        p = project_with(mof, ind(target="100", actual=actual, w=100, deviation_reason="x"))
        assert score_project(p, mof).grade == grade, actual


def test_bad_rule_is_an_issue_not_an_exception(mof) -> None:  # type: ignore[no-untyped-def]
    p = project_with(mof, ind("no_such_rule", 100, target="1", actual="1"),)
    r = score_project(p, mof)
    assert r.total == 0 and any(i.code == "bad_rule" and "no_such_rule" in i.message for i in r.issues)
    p = project_with(mof, ind("band", 100, {"low": 5}, actual="1"))
    assert any(i.code == "bad_rule" and "high" in i.message for i in score_project(p, mof).issues)


def test_budget_total_disagreeing_with_parts(mof, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    b = project.budget
    stated = replace(project, budget=replace(b, executed=replace(b.executed, stated_total=D(0))))
    issues = score_project(stated, template).issues
    assert any(i.code == "budget_total_mismatch" for i in issues)
    assert score_project(stated, template).total == D("93.08")  # totals are derived, never typed


def test_zero_execution_base_is_an_issue(seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    zero = replace(project, budget=budget("0", "0", "5"))
    assert any(i.code == "zero_base" for i in score_project(zero, template).issues)


# ---------------------------------------------------------------- properties

_cells = st.sampled_from(["", "≥50个", "≤90万元", "100%", "85%", "及时", "6套", "=8", "abc", "0", "-3", "1,000",
                          "＜=107.26万元", "95", "120%", "0%"])
_kinds = st.sampled_from(["proportional", "qualitative", "deduct_per_point", "levels", "manual", "execution_rate"])
_weights = st.decimals(min_value=0, max_value=60, places=2)


@st.composite
def _indicator(draw):  # type: ignore[no-untyped-def]
    kind = draw(_kinds)
    params = {"penalty": 5} if kind == "deduct_per_point" else {}
    return ind(kind, draw(_weights), params, target=draw(_cells), actual=draw(_cells),
               level=draw(st.none() | st.sampled_from([D(0), D(25), D(100), D(60)])),
               tier=draw(st.none() | st.integers(-1, 3)),
               manual_score=draw(st.none() | st.decimals(min_value=-5, max_value=80, places=2)),
               override_score=draw(st.none() | st.decimals(min_value=-5, max_value=80, places=2)),
               not_applicable=draw(st.booleans()))


@settings(max_examples=150, deadline=None)
@given(st.lists(_indicator(), min_size=1, max_size=8), st.booleans())
def test_scores_stay_within_bounds(mof, indicators, rescale) -> None:  # type: ignore[no-untyped-def]
    template = replace(mof, rescale_not_applicable=rescale)
    p = project_with(template, *indicators, budget=budget("100", "90", "95"))
    r = score_project(p, template)
    for line in r.lines:
        assert 0 <= line.score <= line.weight
        assert line.score == line.score.quantize(Decimal("0.01"))
    assert 0 <= r.total <= template.total
    assert r.grade in {g.label for g in template.grades}
    if not r.rescaled:
        assert r.total == min(sum((ln.score for ln in r.lines), D(0)), template.total)
