"""edits.rule_for_target: a fresh row's rule follows its typed 指标值; evaluated or parameterised rows keep theirs."""

from __future__ import annotations

from decimal import Decimal

from app.scoring.edits import rule_for_target
from app.scoring.records import Indicator, Rule


def _ind(kind: str, **values: object) -> Indicator:
    return Indicator(name="新指标", weight=Decimal(5), rule=Rule(kind), **values)  # type: ignore[arg-type]


def test_a_number_is_proportional_and_a_word_qualitative() -> None:
    assert rule_for_target(_ind("qualitative"), "≥90%") == {"rule": Rule("proportional")}
    assert rule_for_target(_ind("proportional"), "及时") == {"rule": Rule("qualitative")}
    assert rule_for_target(_ind("proportional"), "≤100万元") == {}  # already right
    assert rule_for_target(_ind("proportional"), "") == {}
    assert rule_for_target(_ind("proportional"), "12 34") == {}  # unreadable: leave it


def test_evaluated_or_parameterised_rows_keep_their_rule() -> None:
    assert rule_for_target(_ind("qualitative", tier=0), "≥90%") == {}
    assert rule_for_target(_ind("qualitative", actual="达成"), "≥90%") == {}
    assert rule_for_target(_ind("tiers"), "及时") == {}
    with_params = Indicator(name="x", weight=Decimal(5), rule=Rule("proportional", {"cap": "1"}))
    assert rule_for_target(with_params, "及时") == {}
