"""Every rule kind of domain.md §3 with its worked examples and edge cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.scoring.numbers import round_score
from app.scoring.records import Level

from .helpers import D, budget, ind, run


def score(res) -> Decimal:  # type: ignore[no-untyped-def]
    assert res.score is not None, res.findings
    return round_score(res.score)


# ---------------------------------------------------------------- proportional


@pytest.mark.parametrize(
    ("target", "actual", "w", "expected"),
    [
        ("6", "6套", 10, "10.00"),  # unit on one side only
        ("100%", "100%", 12, "12.00"),
        ("95", "85%", 10, "8.95"),  # bare number vs percent: same unit, 85/95
        ("＜=107.26万元", "90%", 13, "11.70"),  # percent vs other unit: judged completion
        ("≥50个", "40个", 10, "8.00"),
        ("≥50个", "60个", 10, "10.00"),  # capped at the weight
        ("≤90万元", "90万元", 10, "10.00"),  # ≤ met exactly
        ("≤90万元", "100万元", 10, "9.00"),  # w × A/B
        ("≤90万元", "1,000,000元", 10, "9.00"),  # 元 converted to 万元
        ("=8个", "10个", 10, "8.00"),  # min(B/A, A/B)
        ("=8个", "6个", 10, "7.50"),
        ("≥0", "5", 10, "10.00"),  # zero target: anything non-negative meets it
        ("≤0", "3", 10, "0.00"),
        ("≥10", "-5", 10, "0.00"),  # negative actual never below 0
        ("=0", "0", 10, "10.00"),
    ],
)
def test_proportional(mof, target: str, actual: str, w: int, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("proportional", w, target=target, actual=actual))) == D(expected)


def test_proportional_overachievement_warns(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind(target="≥50个", actual="61个"))
    assert score(res) == D(10)
    assert [f.code for f in res.findings] == ["overachievement"]
    assert "完成值高于指标值较多" in res.findings[0].message
    assert not run(mof, ind(target="≥50个", actual="60个")).findings  # exactly 20%: no warning


@pytest.mark.parametrize(
    ("target", "actual", "code"),
    [("≥50个", "", "missing_actual"), ("≥50个", "五十个", "incomparable"), ("≥50个", "5O个", "unreadable"),
     ("", "50个", "missing_target"), ("100%", "6套", "unit_mismatch"), ("及时", "及时", "incomparable")],
)
def test_proportional_cannot_compare(mof, target: str, actual: str, code: str) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind(target=target, actual=actual))
    assert res.score is None
    assert res.findings[0].code == code and res.findings[0].level is Level.ERROR


# ---------------------------------------------------------------- qualitative


def test_qualitative_percentage_actual(mof) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("qualitative", 15, target="及时", actual="90%"))) == D("13.50")
    assert score(run(mof, ind("qualitative", 30, target="提高", actual="90%"))) == D("27.00")


def test_qualitative_tiers(mof) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("qualitative", 10, tier=0))) == D("10.00")  # top of tier 1
    assert score(run(mof, ind("qualitative", 10, tier=1))) == D("7.90")  # 80 excluded: 79%
    assert score(run(mof, ind("qualitative", 10, tier=1, tier_percent=D(65)))) == D("6.50")
    res = run(mof, ind("qualitative", 10, tier=2, tier_percent=D(70)))  # outside 0–60
    assert score(res) == D("5.90") and res.findings[0].code == "tier_range"
    assert score(run(mof, ind("qualitative", 10, actual="部分达成预期指标并具有一定效果"))) == D("7.90")
    assert score(run(mof, ind("qualitative", 10, target="及时", actual="及时"))) == D("10.00")


def test_qualitative_tier_bounds_are_a_template_setting(mof) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from app.scoring.records import QualitativeTier

    other = replace(mof, qualitative_tiers=(
        QualitativeTier("达成", D(80), D(100)), QualitativeTier("部分", D(50), D(80), high_inclusive=False),
        QualitativeTier("未达成", D(0), D(50), high_inclusive=False)))
    assert score(run(other, ind("qualitative", 10, tier=2))) == D("4.90")
    assert score(run(other, ind("qualitative", 10, tier=1, tier_percent=D(55)))) == D("5.50")


def test_qualitative_unrated(mof) -> None:  # type: ignore[no-untyped-def]
    assert run(mof, ind("qualitative", 10, target="有效")).score is None
    assert run(mof, ind("qualitative", 10, target="有效", actual="还行")).findings[0].code == "qualitative_unrated"


# ---------------------------------------------------------------- execution_rate


def test_execution_rate_seed000(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind("execution_rate", 10, actual="99.28%"), budget("107.26", "106.49", "106.49"))
    assert score(res) == D("9.93")
    assert not res.findings


def test_execution_rate_base_is_a_setting(mof) -> None:  # type: ignore[no-untyped-def]
    b = budget("100", "80", "80")
    assert score(run(mof, ind("execution_rate", 10), b)) == D("8.00")
    assert score(run(mof, ind("execution_rate", 10, {"base": "received"}), b)) == D("10.00")


def test_execution_rate_zero_base_and_mismatch(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind("execution_rate", 10), budget("0", "0", "5"))
    assert res.score is None and res.findings[0].code == "zero_base"
    res = run(mof, ind("execution_rate", 10, actual="100%"), budget("100", "90", "90"))
    assert score(res) == D("9.00") and res.findings[0].code == "rate_mismatch"


def test_execution_rate_without_budget(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind("execution_rate", 10, actual="95%"))
    assert score(res) == D("9.50") and res.findings[0].level is Level.INFO
    assert run(mof, ind("execution_rate", 10)).score is None


# ---------------------------------------------------------------- deduct_per_point

DPP = {"benchmark": 100, "step": 1, "penalty": 5, "penalty_unit": "percent"}


@pytest.mark.parametrize(("actual", "w", "expected"), [
    ("98%", 2, "1.80"), ("95%", 8, "6.00"), ("100%", 8, "8.00"), ("105%", 8, "8.00"), ("80%", 8, "0.00"),
    ("60%", 8, "0.00"), ("97.5%", 2, "1.75"),
])
def test_deduct_per_point_continuous(mof, actual: str, w: int, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("deduct_per_point", w, DPP, actual=actual))) == D(expected)


def test_deduct_per_point_whole_steps_and_points(mof) -> None:  # type: ignore[no-untyped-def]
    steps = dict(DPP, continuous=False)
    assert score(run(mof, ind("deduct_per_point", 2, steps, actual="97.5%"))) == D("1.80")
    points = {"step": 5, "penalty": 1, "penalty_unit": "points"}
    assert score(run(mof, ind("deduct_per_point", 10, points, actual="88%"))) == D("7.60")


def test_deduct_per_point_from_budget(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind("deduct_per_point", 2, dict(DPP, source="arrival_rate"), actual="50%"),
              budget("100", "98", "95"))
    assert score(res) == D("1.80")  # the budget wins over the typed actual


# ---------------------------------------------------------------- band

BAND = {"low": -50, "high": 50, "step": 5, "penalty": 5, "penalty_unit": "percent"}


@pytest.mark.parametrize(("actual", "mode", "expected"), [
    ("0%", "continuous", "5.00"), ("50%", "continuous", "5.00"), ("-50%", "floor", "5.00"),
    ("60%", "continuous", "4.50"), ("62%", "floor", "4.50"), ("62%", "ceil", "4.25"),
    ("-70%", "floor", "4.00"), ("500%", "continuous", "0.00"),
])
def test_band(mof, actual: str, mode: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("band", 5, dict(BAND, mode=mode), actual=actual))) == D(expected)


def test_band_exclusive_bound(mof) -> None:  # type: ignore[no-untyped-def]
    params = {"low": 0, "high": 15, "low_inclusive": False, "step": 5, "penalty": 5, "mode": "ceil"}
    assert score(run(mof, ind("band", 5, params, actual="0%"))) == D("4.75")
    assert score(run(mof, ind("band", 5, params, actual="15%"))) == D("5.00")
    assert score(run(mof, ind("band", 5, params, actual="20%"))) == D("4.75")


# ---------------------------------------------------------------- tiers

TIERS = {"tiers": [{"min": 90, "score": 5}, {"min": 80, "score": 4}, {"min": 70, "score": 3},
                   {"min": 60, "score": 2}], "unit": "points"}


@pytest.mark.parametrize(("actual", "expected"), [
    ("95%", "5.00"), ("90%", "5.00"), ("89.99%", "4.00"), ("80%", "4.00"), ("60%", "2.00"), ("59%", "0.00"),
])
def test_tiers(mof, actual: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("tiers", 5, TIERS, actual=actual))) == D(expected)


def test_tiers_exclusive_and_percent(mof) -> None:  # type: ignore[no-untyped-def]
    params = {"tiers": [{"min": 90, "inclusive": False, "score": 100}, {"min": 0, "score": 50}], "unit": "percent"}
    assert score(run(mof, ind("tiers", 8, params, actual="90%"))) == D("4.00")
    assert score(run(mof, ind("tiers", 8, params, actual="91%"))) == D("8.00")


# ---------------------------------------------------------------- checklist, levels, composite

PROCEDURE = {"items": [{"text": "程序", "veto": True}, {"text": "材料"}, {"text": "论证"}]}
COMPLIANCE = {"items": [{"text": "①", "veto": True}, {"text": "②"}, {"text": "③", "veto": True},
                        {"text": "④", "veto": True}]}


@pytest.mark.parametrize(("params", "checks", "w", "expected"), [
    (PROCEDURE, (True, True, True), 3, "3.00"),
    (PROCEDURE, (False, True, True), 3, "0.00"),  # ① is a veto
    (PROCEDURE, (True, False, True), 3, "2.00"),  # ② one third
    (PROCEDURE, (True, False, False), 3, "1.00"),
    (COMPLIANCE, (True, False, True, True), 3, "2.25"),  # ② unmet → 75%
    (COMPLIANCE, (True, True, True, False), 3, "0.00"),  # ④ veto
    ({"items": [{"text": "a"}] * 5}, (True, True, False, True, True), 3, "2.40"),
    ({"items": [{"text": "a", "share": "0.7"}, {"text": "b", "share": "0.3"}]}, (False, True), 10, "3.00"),
])
def test_checklist(mof, params, checks, w, expected) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("checklist", w, params, checks=checks))) == D(expected)


def test_checklist_unchecked_and_short(mof) -> None:  # type: ignore[no-untyped-def]
    assert run(mof, ind("checklist", 3, PROCEDURE)).score is None
    res = run(mof, ind("checklist", 3, PROCEDURE, checks=(True, True)))
    assert score(res) == D("2.00") and res.findings[0].code == "checks_count"
    vetoed = run(mof, ind("checklist", 3, PROCEDURE, checks=(False, True, True)))
    assert "①" in vetoed.note


def test_levels(mof) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("levels", 1, level=D(75)))) == D("0.75")
    assert run(mof, ind("levels", 1)).score is None
    res = run(mof, ind("levels", 4, level=D(60)))
    assert score(res) == D("2.40") and res.findings[0].code == "level_choice"


COMPOSITE = {"parts": [
    {"share": "1/2", "rule": {"kind": "checklist", "params": {"items": [{"text": "有测算依据"}]}}},
    {"share": "1/2", "rule": {"kind": "levels", "params": {"choices": [100, 75, 50, 25, 0]}}},
]}


@pytest.mark.parametrize(("checks", "level", "expected"), [
    ((True,), 100, "4.00"), ((True,), 75, "3.50"), ((False,), 50, "1.00"), ((False,), 0, "0.00"),
])
def test_composite(mof, checks, level, expected) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("composite", 4, COMPOSITE, checks=checks, level=D(level)))) == D(expected)


def test_composite_unfinished_part(mof) -> None:  # type: ignore[no-untyped-def]
    assert run(mof, ind("composite", 4, COMPOSITE, checks=(True,))).score is None


# ---------------------------------------------------------------- average_completion and manual


def _subs(*pairs: tuple[str, str]):  # type: ignore[no-untyped-def]
    from app.scoring.records import SubItem

    return tuple(SubItem(f"效益{i}", t, a) for i, (t, a) in enumerate(pairs))


@pytest.mark.parametrize(("pairs", "expected"), [
    ((("100%", "100%"), ("100%", "100%")), "20.00"),
    ((("100%", "96%"), ("100%", "100%")), "20.00"),  # 98%: less than one full 5%
    ((("100%", "90%"), ("100%", "96%")), "19.00"),  # 93%: one full 5%
    ((("100%", "80%"), ("100%", "80%")), "16.00"),  # 80%: four steps
    ((("100", "120"), ("100", "80")), "18.00"),  # each capped at 100%: (100+80)/2 = 90% → two steps
    ((("50个", "25个"),), "10.00"),
    ((("100%", "0%"),), "0.00"),
    ((("及时", "及时"), ("100%", "100%")), "20.00"),  # qualitative items are not averaged
])
def test_average_completion(mof, pairs, expected) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("average_completion", 20, {"step": 5, "penalty": 1}, subitems=_subs(*pairs)))) == D(
        expected)


def test_average_completion_nothing_to_average(mof) -> None:  # type: ignore[no-untyped-def]
    res = run(mof, ind("average_completion", 20, subitems=_subs(("及时", "及时"))))
    assert res.score is None and res.findings[0].code == "no_quantitative"


def test_manual(mof) -> None:  # type: ignore[no-untyped-def]
    assert score(run(mof, ind("manual", 5, manual_score=D("4.5")))) == D("4.50")
    res = run(mof, ind("manual", 5, manual_score=D(7)))
    assert score(res) == D("5.00") and res.findings[0].code == "manual_range"
    assert run(mof, ind("manual", 5)).score is None
