"""Small builders for scoring tests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from app.scoring.budget import figures
from app.scoring.records import Budget, BudgetRow, Category, Group, Indicator, Project, Rule, Template
from app.scoring.rules import RULES, Context, RuleResult

D = Decimal


def ind(kind: str = "proportional", w: str | int = 10, params: dict[str, Any] | None = None, **kw: Any) -> Indicator:
    return Indicator(name=kw.pop("name", "指标"), weight=D(str(w)), rule=Rule(kind, params or {}), **kw)


def run(template: Template, indicator: Indicator, budget: Budget | None = None) -> RuleResult:
    b = budget or Budget()
    ctx = Context(template, b, figures(b, template.execution_base))
    return RULES[indicator.rule.kind](indicator, indicator.weight, indicator.rule.params, ctx)


def budget(adjusted: str, received: str, executed: str, initial: str | None = None) -> Budget:
    def row(v: str | None) -> BudgetRow:
        return BudgetRow(county=D(v)) if v is not None else BudgetRow()

    return Budget(row(initial or adjusted), row(adjusted), row(received), row(executed))


def project_with(template: Template, *indicators: Indicator, weight: str | None = None, **kw: Any) -> Project:
    """A project with one category holding the given indicators (weight = template total by default)."""
    total = D(weight) if weight is not None else template.total
    cat = Category("产出指标", total, (Group("数量指标", None, tuple(indicators)),))
    return Project(year=2021, name="测试项目", template_id=template.id, categories=(cat,), **kw)


def with_penalty(project: Project, key: str, value: str = "", applied: bool | None = None) -> Project:
    from app.scoring.records import PenaltyInput

    return replace(project, penalties=(PenaltyInput(key, value, applied),))
