"""Hypothesis strategies for projects as a 自评表 shows them: MoF categories, typed targets and actuals."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from app.scoring.numbers import fmt_decimal
from app.scoring.records import Budget, BudgetRow, Category, Group, Indicator, Project, Rule

#: Pieces of names that cannot be mistaken for a header, a total, a note or a grade row.
SYLLABLES = ("档案", "整理", "培训", "道路", "养护", "覆盖", "人数", "设备", "采购", "服务", "群众", "村级", "学校",
             "绿化", "面积", "（套）", "系统", "运行", "数字化", "图书")
QUALITATIVE = ("及时", "有效", "提高", "明显改善", "达成预期指标")
UNITS = ("", "个", "人次", "%", "万元", "公里", "套")
CATEGORIES = ("产出指标", "效益指标", "满意度指标", "管理指标", "社会影响")
GROUPS = ("数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "服务对象满意度指标", "可持续影响指标")


def words(min_parts: int = 1, max_parts: int = 4) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(SYLLABLES), min_size=min_parts, max_size=max_parts).map("".join)


def amounts(max_value: int = 100_000) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False, allow_infinity=False)


def plain_numbers() -> st.SearchStrategy[str]:
    """Numbers as people type them (no trailing zeros: a cell holding 6.50 shows 6.5)."""
    return st.builds(lambda n, places: fmt_decimal(Decimal(n).scaleb(-places)),
                     st.integers(1, 99_999), st.sampled_from([0, 1, 2]))


@st.composite
def indicators(draw: st.DrawFn, name: str) -> Indicator:
    weight = Decimal(draw(st.integers(1, 40))) / draw(st.sampled_from([1, 2, 4]))
    if draw(st.booleans()):
        unit = draw(st.sampled_from(UNITS))
        comparator = draw(st.sampled_from(["", "≥", "≤", "="]))
        target = comparator + draw(plain_numbers()) + unit
        actual = draw(st.one_of(plain_numbers().map(lambda n: n + unit), plain_numbers().map(lambda n: n + "%")))
        rule = Rule("proportional")
    else:
        target = draw(st.sampled_from(QUALITATIVE))
        actual = draw(st.one_of(st.just(target), st.integers(0, 100).map(lambda n: f"{n}%"),
                                st.sampled_from(QUALITATIVE)))
        rule = Rule("qualitative")
    reason = draw(st.one_of(st.just(""), words()))
    return Indicator(name=name, weight=weight, rule=rule, target=target, actual=actual, deviation_reason=reason)


@st.composite
def mof_projects(draw: st.DrawFn) -> Project:
    """A project as the MoF 自评表 holds it: unique category, group and indicator names, category weights that
    are the sums of their indicators, a budget in the 县区级 column (plus 上年结转 / 其他资金)."""
    cat_names = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3, unique=True))
    used: set[str] = set()
    categories = []
    for cat in cat_names:
        groups = []
        for grp in draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=2, unique=True)):
            names = draw(st.lists(words(), min_size=1, max_size=3, unique=True).filter(
                lambda ns: not set(ns) & used))
            used.update(names)
            groups.append(Group(grp, None, tuple(draw(indicators(n)) for n in names)))
        weight = sum((i.weight for g in groups for i in g.indicators), Decimal(0))
        categories.append(Category(cat, weight, tuple(groups)))

    def row() -> BudgetRow:
        return BudgetRow(county=draw(amounts()), carryover=draw(st.none() | amounts(1000)),
                         other=draw(st.none() | amounts(1000)))

    budget = Budget(initial=row(), adjusted=row(), executed=row())
    return Project(year=draw(st.integers(2000, 2099)), name=draw(words(2, 5)), template_id="mof-2020",
                   department=draw(words()), unit=draw(words()), budget=budget, categories=tuple(categories))
