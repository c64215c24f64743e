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


def messy_project(template: Template) -> Project:
    """A project with one of each problem the 自查 looks for (weights 120, placeholders, kept published scores,
    a cost written with ≥, a rate above 100%, 52.8% executed with no execution score, a published 总分)."""
    from app.scoring.records import PUBLISHED_REASON

    def row(name: str, w: int, target: str, actual: str, **kw: Any) -> Indicator:
        return Indicator(name=name, weight=D(w), rule=Rule(kw.pop("kind", "proportional")), target=target,
                         actual=actual, **kw)

    cats = (
        Category("产出指标", D(60), (
            Group("数量指标", None, (row("培训人次", 20, "≥XX人次", "50人次"),
                                    row("覆盖户数", 20, "≥100户", "80户", deviation_reason="无"))),
            Group("成本指标", None, (row("每公里养护成本", 20, "≥2万元", "2万元"),)),
        )),
        Category("效益指标", D(50), (Group("社会效益", None, (
            row("验收合格率", 25, "≥95%", "105%"),
            row("群众出行条件", 25, "达成年度指标", "部分达成年度指标并具有一定效果", kind="qualitative",
                override_score=D(24), override_reason=PUBLISHED_REASON),)),)),
        Category("满意度指标", D(10), (Group("服务对象满意度", None, (
            row("群众满意度", 10, "≥90%", "86.2%", override_score=D(9), override_reason=PUBLISHED_REASON,
                deviation_reason="部分路段施工影响出行"),)),)),
    )
    return Project(year=2023, name="农村公路养护工程", template_id=template.id, unit="某县交通运输局",
                   categories=cats, budget=budget("100", "100", "52.8"), published_total=D(95))
