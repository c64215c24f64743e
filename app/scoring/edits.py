"""Small pure helpers that return a changed copy of a frozen Project (one cell, one row, one group)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from app.scoring.numbers import Kind, parse
from app.scoring.records import (
    Budget,
    BudgetRow,
    Category,
    Group,
    Indicator,
    PenaltyInput,
    Project,
    ReviewInfo,
    Rule,
)

IndicatorIndex = tuple[int, int, int]


def _with_category(project: Project, ci: int, category: Category) -> Project:
    cats = list(project.categories)
    cats[ci] = category
    return replace(project, categories=tuple(cats))


def _with_group(project: Project, ci: int, gi: int, group: Group) -> Project:
    cat = project.categories[ci]
    groups = list(cat.groups)
    groups[gi] = group
    return _with_category(project, ci, replace(cat, groups=tuple(groups)))


def set_indicator(project: Project, index: IndicatorIndex, **values: Any) -> Project:
    """Replace fields of one indicator."""
    ci, gi, ii = index
    grp = project.categories[ci].groups[gi]
    inds = list(grp.indicators)
    inds[ii] = replace(inds[ii], **values)
    return _with_group(project, ci, gi, replace(grp, indicators=tuple(inds)))


def set_group(project: Project, ci: int, gi: int, **values: Any) -> Project:
    """Replace fields of one second-level group (name, weight)."""
    return _with_group(project, ci, gi, replace(project.categories[ci].groups[gi], **values))


def set_category(project: Project, ci: int, **values: Any) -> Project:
    return _with_category(project, ci, replace(project.categories[ci], **values))


def insert_indicator(project: Project, index: IndicatorIndex, indicator: Indicator) -> Project:
    """Insert an indicator so that it ends up at ``index``."""
    ci, gi, ii = index
    grp = project.categories[ci].groups[gi]
    inds = list(grp.indicators)
    inds.insert(ii, indicator)
    return _with_group(project, ci, gi, replace(grp, indicators=tuple(inds)))


def remove_indicator(project: Project, index: IndicatorIndex) -> Project:
    ci, gi, ii = index
    grp = project.categories[ci].groups[gi]
    inds = list(grp.indicators)
    del inds[ii]
    return _with_group(project, ci, gi, replace(grp, indicators=tuple(inds)))


def move_indicator(project: Project, index: IndicatorIndex, to: int) -> Project:
    """Move an indicator to position ``to`` inside its group."""
    ci, gi, ii = index
    grp = project.categories[ci].groups[gi]
    inds = list(grp.indicators)
    ind = inds.pop(ii)
    inds.insert(to, ind)
    return _with_group(project, ci, gi, replace(grp, indicators=tuple(inds)))


def insert_group(project: Project, ci: int, gi: int, group: Group) -> Project:
    cat = project.categories[ci]
    groups = list(cat.groups)
    groups.insert(gi, group)
    return _with_category(project, ci, replace(cat, groups=tuple(groups)))


def remove_group(project: Project, ci: int, gi: int) -> Project:
    cat = project.categories[ci]
    groups = list(cat.groups)
    del groups[gi]
    return _with_category(project, ci, replace(cat, groups=tuple(groups)))


def set_budget_cell(project: Project, row: str, column: str, value: Decimal | None) -> Project:
    """One typed cell of the budget grid (row: initial/adjusted/received/executed)."""
    budget: Budget = project.budget
    new_row = replace(budget.row(row), **{column: value, "stated_total": None})
    return replace(project, budget=replace(budget, **{row: new_row}))


def set_narrative(project: Project, key: str, text: str) -> Project:
    narrative = dict(project.narrative)
    if text:
        narrative[key] = text
    else:
        narrative.pop(key, None)
    return replace(project, narrative=narrative)


def new_indicator(like: Indicator | None = None) -> Indicator:
    """A blank indicator; it takes a simple rule kind from its neighbour when that needs no parameters."""
    kind = like.rule.kind if like is not None and like.rule.kind in ("proportional", "qualitative") else "proportional"
    return Indicator(name="新指标", weight=Decimal(0), rule=Rule(kind))


def set_penalty(project: Project, key: str, **values: Any) -> Project:
    """What the user says about one template penalty item (扣分项): a typed figure or a hand decision."""
    items = list(project.penalties)
    pos = next((i for i, p in enumerate(items) if p.key == key), None)
    if pos is None:
        items.append(replace(PenaltyInput(key), **values))
    else:
        items[pos] = replace(items[pos], **values)
    return replace(project, penalties=tuple(items))


def without_results(project: Project) -> Project:
    """A copy for a new year: targets, weights and rules kept; actuals, evaluations, overrides, reviews,
    deviation reasons and the received/executed budget rows emptied."""
    def clear(ind: Indicator) -> Indicator:
        return replace(ind, actual="", checks=None, level=None, tier=None, tier_percent=None, manual_score=None,
                       deviation_reason="", override_score=None, override_reason="", reviewer_score=None,
                       reviewer_note="", subitems=tuple(replace(s, actual="") for s in ind.subitems))

    cats = tuple(replace(c, groups=tuple(replace(g, indicators=tuple(clear(i) for i in g.indicators))
                                         for g in c.groups)) for c in project.categories)
    budget = replace(project.budget, received=BudgetRow(), executed=BudgetRow())
    return replace(project, categories=cats, budget=budget, penalties=(), review=ReviewInfo())


def rule_for_target(ind: Indicator, text: str) -> dict[str, Any]:
    """Field changes for a typed 指标值: a row not yet evaluated takes its rule from it, as an import does
    (a number is scored 比例计分, a word 定性). Rules with parameters, a chosen 评价 or an actual stay."""
    if (ind.rule.kind not in ("proportional", "qualitative") or ind.rule.params or ind.tier is not None
            or ind.actual.strip()):
        return {}
    kind = {Kind.NUMBER: "proportional", Kind.TEXT: "qualitative"}.get(parse(text).kind)
    return {"rule": Rule(kind)} if kind is not None and kind != ind.rule.kind else {}
