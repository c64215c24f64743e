"""Issue 12, class 1: numbers beyond what Decimal computes with are kept as text and scored as unreadable,
and the scorer never raises on anything a user can type or a file can hold."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scoring.engine import score_project
from app.scoring.numbers import Kind, magnitude_problem, parse
from app.scoring.params import to_decimal
from app.scoring.records import BudgetRow, Project, Template


def test_limits_of_a_typed_number() -> None:
    assert parse("123456789012345").kind is Kind.NUMBER
    assert parse("1234567890123456").problem.startswith("数值过大")
    assert parse("≥" + "9" * 40 + "万元").problem.startswith("数值过大")
    assert parse("0.0000000001").kind is Kind.NUMBER
    assert parse("0.0000000000000000000000000001").problem.startswith("数值过小")
    assert parse("0.00000000001").problem.startswith("数值过小")
    assert parse("1.50000000000000000000").kind is Kind.NUMBER
    assert parse("33.3333333333333").kind is Kind.NUMBER  # a formula's result read from Excel
    assert parse("0.0000000000123").kind is Kind.UNREADABLE
    assert parse("0.00000000123").kind is Kind.NUMBER
    assert parse("1" + "0" * 30).kind is Kind.UNREADABLE and parse("1" + "0" * 30).value is None


def test_rule_parameters_out_of_range_are_not_numbers() -> None:
    assert to_decimal(Decimal("10.0")) == 10  # a JSON number read exactly
    assert to_decimal("1e999999") is None and to_decimal(Decimal("1e-999999")) is None
    assert to_decimal(10**40) is None and to_decimal("NaN") is None
    assert to_decimal("1/3") is not None


_numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=30).map(lambda d: f"{d:f}"),
    st.sampled_from(["1e999999999", "-1e-999999999", "0.0000000000000000000000000001", "9" * 40, "NaN"]),
)


@settings(max_examples=150, deadline=None)
@given(actual=_numbers, target=_numbers, weight=_numbers, budget=_numbers, spent=_numbers)
def test_the_scorer_never_raises(seed000: tuple[Project, Template], actual: str, target: str, weight: str,
                                 budget: str, spent: str) -> None:
    project, template = seed000
    cat = project.categories[2]
    grp = cat.groups[0]
    ind = replace(grp.indicators[0], actual=actual, target=target, weight=Decimal(weight))
    cats = list(project.categories)
    cats[2] = replace(cat, groups=(replace(grp, indicators=(ind, *grp.indicators[1:])), *cat.groups[1:]))
    changed = replace(project, categories=tuple(cats),
                      budget=replace(project.budget, executed=BudgetRow(county=Decimal(spent)),
                                     adjusted=BudgetRow(county=Decimal(budget))))
    report = score_project(changed, template)  # never raises
    assert report.total >= 0
    for line in report.lines:
        assert not magnitude_problem(line.weight), line  # a 10⁹-digit weight is never carried to the panel
