"""Hypothesis strategies for scoring records (Project and its parts), reusable by any test package."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from app.scoring.records import (
    NARRATIVE_KEYS,
    Budget,
    BudgetRow,
    Category,
    Group,
    Indicator,
    PenaltyInput,
    Project,
    ReviewInfo,
    Rule,
    SubItem,
)

RULE_KINDS = ("proportional", "qualitative", "execution_rate", "deduct_per_point", "band", "tiers", "checklist",
              "levels", "composite", "average_completion", "manual")

#: Text as people type it: CJK, ASCII, full-width forms, punctuation, newlines (no surrogates).
_ALPHABET = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc"))


def texts(min_size: int = 0, max_size: int = 12) -> st.SearchStrategy[str]:
    return st.text(_ALPHABET, min_size=min_size, max_size=max_size)


def names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["产出指标", "数量指标", "软件采购数量（套）", "社会效益", "满意度"]),
                     texts(1, 10))


def decimals(max_abs: int = 10**9, max_places: int = 4) -> st.SearchStrategy[Decimal]:
    """Finite decimals with up to ``max_places`` digits after the point, exponents kept as generated."""
    return st.integers(0, max_places).flatmap(
        lambda places: st.decimals(min_value=-max_abs, max_value=max_abs, places=places,
                                   allow_nan=False, allow_infinity=False))


def json_values(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    """JSON-like values as rule params hold them: str, int, Decimal, bool, None, lists and objects."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), decimals(10**6), texts(0, 8))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(texts(1, 6), inner, max_size=3)), max_leaves=max_leaves)


def rules() -> st.SearchStrategy[Rule]:
    return st.builds(Rule, st.sampled_from(RULE_KINDS), st.dictionaries(texts(1, 8), json_values(), max_size=3))


def subitems() -> st.SearchStrategy[SubItem]:
    return st.builds(SubItem, names(), texts(), texts(), texts())


def indicators() -> st.SearchStrategy[Indicator]:
    opt_dec = st.none() | decimals(1000, 2)
    return st.builds(
        Indicator, name=names(), weight=decimals(100, 2), rule=rules(), target=texts(), actual=texts(),
        explanation=texts(), benchmark=texts(), criteria=texts(),
        checks=st.none() | st.lists(st.booleans(), max_size=5).map(tuple),
        level=opt_dec, tier=st.none() | st.integers(0, 5), tier_percent=opt_dec, manual_score=opt_dec,
        subitems=st.lists(subitems(), max_size=2).map(tuple), deviation_reason=texts(),
        override_score=opt_dec, override_reason=texts(), reviewer_score=opt_dec, reviewer_note=texts(),
        not_applicable=st.booleans(),
    )


def groups() -> st.SearchStrategy[Group]:
    return st.builds(Group, names(), st.none() | decimals(100, 2), st.lists(indicators(), max_size=3).map(tuple))


def categories() -> st.SearchStrategy[Category]:
    return st.builds(Category, names(), decimals(100, 2), st.lists(groups(), max_size=3).map(tuple), texts(0, 4))


def budget_rows() -> st.SearchStrategy[BudgetRow]:
    cell = st.none() | decimals(10**6, 2)
    return st.builds(BudgetRow, cell, cell, cell, cell, cell, cell, cell)


def budgets() -> st.SearchStrategy[Budget]:
    return st.builds(Budget, budget_rows(), budget_rows(), budget_rows(), budget_rows())


def projects(template_id: str = "mof-2020") -> st.SearchStrategy[Project]:
    """Projects of any shape using ``template_id``; ``id`` is None (a project not yet stored)."""
    return st.builds(
        Project,
        year=st.integers(1900, 2200),
        name=names(),
        template_id=st.just(template_id),
        department=texts(), unit=texts(), contact=texts(), phone=texts(0, 15), region=texts(),
        narrative=st.dictionaries(st.sampled_from(sorted(NARRATIVE_KEYS)), texts(0, 40), max_size=5),
        budget=budgets(),
        categories=st.lists(categories(), max_size=3).map(tuple),
        materials=st.lists(texts(0, 20), max_size=3).map(tuple),
        penalties=st.lists(st.builds(PenaltyInput, texts(1, 8), texts(), st.none() | st.booleans()),
                           max_size=2).map(tuple),
        review=st.builds(ReviewInfo, texts(), texts(), texts(0, 10)),
        id=st.none(),
        convention=st.sampled_from(["", "mof-2020", "一体化"]),
        published_total=st.none() | decimals(200, 2),
    )
