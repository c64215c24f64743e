"""score_project(project, template) -> ScoreReport: rules, overrides, weights, rescaling, penalties, grade."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from app.scoring import budget as budget_mod
from app.scoring.conventions import display, resolve, tier_key
from app.scoring.guard import guard_indicator, guard_project
from app.scoring.numbers import Kind, fmt_decimal, parse, round_score
from app.scoring.params import validate
from app.scoring.records import (
    PUBLISHED_REASON,
    ZERO,
    AppliedPenalty,
    Category,
    CategoryScore,
    Indicator,
    Issue,
    Level,
    Location,
    PenaltyDef,
    Project,
    ScoreLine,
    ScoreReport,
    Template,
)
from app.scoring.rules import RULES, Context, clamp, tier_index

HUNDRED = Decimal(100)


def _issue(level: Level, code: str, message: str, where: Location) -> Issue:
    return Issue(level, code, message, where)


def check_weights(project: Project, template: Template) -> list[Issue]:
    """First-level weights add up to the template total; each level adds up to its parent."""
    issues: list[Issue] = []
    cat_sum = sum((c.weight for c in project.categories), ZERO)
    if cat_sum != template.total:
        issues.append(_issue(
            Level.WARNING, "weights_total",
            f"一级指标权重之和为 {fmt_decimal(cat_sum)}，应为 {fmt_decimal(template.total)}",
            Location((), (), "weight")))
    for ci, cat in enumerate(project.categories):
        issues += _check_category(ci, cat)
    return issues


def _check_category(ci: int, cat: Category) -> list[Issue]:
    issues: list[Issue] = []
    fixed = [g for g in cat.groups if g.weight is not None]
    group_sum = sum((g.weight or ZERO for g in fixed), ZERO)
    ind_sum = ZERO
    for gi, grp in enumerate(cat.groups):
        s = sum((i.weight for i in grp.indicators), ZERO)
        ind_sum += s
        if grp.weight is not None and s != grp.weight and grp.indicators:
            issues.append(_issue(
                Level.WARNING, "weights_group",
                f"“{grp.name}”下三级指标权重之和为 {fmt_decimal(s)}，应为 {fmt_decimal(grp.weight)}",
                Location((cat.name, grp.name), (ci, gi), "weight")))
        for ii, ind in enumerate(grp.indicators):
            if ind.weight < 0:
                issues.append(_issue(Level.WARNING, "weight_negative", "权重不能为负数",
                                     Location((cat.name, grp.name, ind.name), (ci, gi, ii), "weight")))
    if fixed and len(fixed) == len(cat.groups) and group_sum != cat.weight:
        issues.append(_issue(
            Level.WARNING, "weights_category",
            f"“{cat.name}”下二级指标权重之和为 {fmt_decimal(group_sum)}，应为 {fmt_decimal(cat.weight)}",
            Location((cat.name,), (ci,), "weight")))
    elif not fixed and cat.groups and ind_sum != cat.weight:
        issues.append(_issue(
            Level.WARNING, "weights_category",
            f"“{cat.name}”下三级指标权重之和为 {fmt_decimal(ind_sum)}，应为 {fmt_decimal(cat.weight)}",
            Location((cat.name,), (ci,), "weight")))
    return issues


@guard_indicator
def score_indicator(
    ind: Indicator, index: tuple[int, int, int], path: tuple[str, str, str], ctx: Context
) -> tuple[ScoreLine, list[Issue]]:
    """Score one indicator: its rule, then the override, with every issue located on it."""
    w = max(ind.weight, ZERO)

    def at(field: str) -> Location:
        return Location(path, index, field)

    if ind.not_applicable:
        return ScoreLine(path, index, w, ZERO, ZERO, None, not_applicable=True, note="不适用"), []
    issues: list[Issue] = []
    problems = validate(ind.rule.kind, ind.rule.params, "计分规则")
    if problems:
        issues += [_issue(Level.ERROR, "bad_rule", p, at("rule")) for p in problems]
        computed, completion, note = ZERO, None, "计分规则有误"
        scored = False
    else:
        res = RULES[ind.rule.kind](ind, w, ind.rule.params, ctx)
        issues += [_issue(f.level, f.code, f.message, at(f.field)) for f in res.findings]
        computed = round_score(clamp(res.score, ZERO, w)) if res.score is not None else ZERO
        completion, note = res.completion, res.note
        scored = res.score is not None
    score, overridden = computed, False
    if ind.override_score is not None:
        overridden = True
        score = round_score(clamp(ind.override_score, ZERO, w))
        if score != ind.override_score:
            issues.append(_issue(Level.WARNING, "override_range",
                                 f"调整后得分应在 0 到 {fmt_decimal(w)} 之间，已按 {fmt_decimal(score)} 计",
                                 at("override_score")))
        if not ind.override_reason.strip():
            issues.append(_issue(Level.WARNING, "override_reason", "手工调整了得分，请填写调整理由",
                                 at("override_reason")))
        issues += _override_differs(ind, score, computed, scored, at)
    if ind.rule.kind in ("qualitative", "manual") and (overridden or ind.rule.kind == "manual"):
        issues += _band_check(ind, w, score, ctx, at("override_score" if overridden else "manual_score"))
    if score < w and not ind.deviation_reason.strip():
        issues.append(_issue(Level.WARNING, "deviation_reason",
                             f"得分 {fmt_decimal(score)} 低于满分 {fmt_decimal(w)}，请填写偏差原因分析及改进措施",
                             at("deviation_reason")))
    if ind.reviewer_score is not None and not ZERO <= ind.reviewer_score <= w:
        issues.append(_issue(Level.WARNING, "reviewer_range", f"复核得分应在 0 到 {fmt_decimal(w)} 之间",
                             at("reviewer_score")))
    line = ScoreLine(path, index, w, computed, score, completion, overridden,
                     reviewer_score=ind.reviewer_score, note=note)
    return line, issues


def _override_differs(ind: Indicator, score: Decimal, computed: Decimal, scored: bool,
                      at: Callable[[str], Location]) -> list[Issue]:
    """A kept published score (or a hand adjustment) beside the rule's result, so the difference stays visible."""
    if ind.override_reason.strip() == PUBLISHED_REASON:
        if not scored:
            return [_issue(Level.WARNING, "published_unchecked",
                           f"原表得分 {fmt_decimal(score)}，按规则无法计分，请核对", at("override_score"))]
        if score != computed:
            return [_issue(Level.WARNING, "published_differs",
                           f"原表得分 {fmt_decimal(score)}，按规则 {fmt_decimal(computed)}", at("override_score"))]
        return []
    if scored and score != computed:
        return [_issue(Level.INFO, "override_differs",
                       f"调整后得分 {fmt_decimal(score)}，按规则 {fmt_decimal(computed)}", at("override_score"))]
    return []


def _band_check(ind: Indicator, w: Decimal, score: Decimal, ctx: Context, where: Location) -> list[Issue]:
    """A 定性 score given by hand must lie in the band of its tier (达成年度指标 80%–100% of w, …)."""
    tiers = ctx.template.qualitative_tiers
    chosen = tier_index(ind, tiers)
    if chosen is None or not 0 <= chosen < len(tiers) or w <= 0:
        return []
    tier = tiers[chosen]
    pct = score * HUNDRED / w
    if tier.contains(pct):
        return []
    low, high = w * tier.low / HUNDRED, w * tier.high / HUNDRED
    points = f"{fmt_decimal(round_score(low))}–{fmt_decimal(round_score(high))} 分"
    span = (f"{'[' if tier.low_inclusive else '('}{fmt_decimal(tier.low)}%，{fmt_decimal(tier.high)}%"
            f"{']' if tier.high_inclusive else ')'}，即 {points}")
    label = ind.actual.strip() if tier_key(ind.actual) == tier_key(tier.label) else tier.label
    return [_issue(Level.WARNING, "tier_band",
                   f"“{label}”档得分应在 {span}，现为 {fmt_decimal(score)} 分", where)]


def _scores_execution(kind: str, params: Mapping[str, Any]) -> bool:
    if kind == "execution_rate" or params.get("source") in ("execution_rate", "fiscal_spend_rate"):
        return True
    parts = params.get("parts", []) if kind == "composite" else []
    return any(_scores_execution(str(p.get("rule", {}).get("kind")), p.get("rule", {}).get("params", {}))
               for p in parts if isinstance(p, Mapping))


def _execution_unscored(project: Project, rate: Decimal | None) -> list[Issue]:
    """A project whose budget shows an execution rate must score it with an indicator of weight > 0."""
    if rate is None:
        return []
    for _, ind in project.indicators():
        if not ind.not_applicable and ind.weight > 0 and (
                _scores_execution(ind.rule.kind, ind.rule.params) or "执行率" in ind.name):
            return []
    return [_issue(Level.WARNING, "execution_unscored",
                   f"预算执行率为 {fmt_decimal(rate * HUNDRED, 2)}%，但没有给预算执行率计分的指标；"
                   "请添加“预算执行率”指标（财政部自评表为10分）", Location((), (), "budget"))]


def _penalty_figure(pen: PenaltyDef, project: Project, ctx: Context) -> Decimal | None:
    """The figure a penalty judges, in percent: budget first, then what the user typed, then an indicator."""
    if pen.source and not project.budget.is_empty():
        value: Decimal | None = getattr(ctx.figures, pen.source, None)
        if value is not None:
            return value * HUNDRED
    typed = next((p for p in project.penalties if p.key == pen.key), None)
    if typed is not None:
        p = parse(typed.value)
        if p.kind is Kind.NUMBER and p.value is not None:
            return p.value
    if pen.fallback_indicator:
        n = len(pen.fallback_indicator)
        for (ci, gi, _), ind in project.indicators():
            path = (project.categories[ci].name, project.categories[ci].groups[gi].name, ind.name)
            if path[-n:] == pen.fallback_indicator:
                p = parse(ind.actual)
                if p.kind is Kind.NUMBER and p.value is not None:
                    return p.value
    return None


def _penalty_applies(pen: PenaltyDef, value: Decimal) -> bool:
    ops = {"<": value < pen.threshold, "<=": value <= pen.threshold,
           ">": value > pen.threshold, ">=": value >= pen.threshold}
    return ops.get(pen.operator, False)


def apply_penalties(project: Project, template: Template, ctx: Context) -> tuple[list[AppliedPenalty], list[Issue]]:
    applied: list[AppliedPenalty] = []
    issues: list[Issue] = []
    for pen in template.penalties:
        where = Location(("扣分项", pen.group, pen.name), (), f"penalty.{pen.key}")
        typed = next((p for p in project.penalties if p.key == pen.key), None)
        if typed is not None and typed.applied is not None:
            hit = typed.applied
        else:
            value = _penalty_figure(pen, project, ctx)
            if value is None:
                issues.append(_issue(Level.INFO, "penalty_unknown",
                                     f"无法判断扣分项“{pen.name}”：请填写预算表或该项的数值", where))
                continue
            hit = _penalty_applies(pen, value)
        if hit:
            applied.append(AppliedPenalty(pen.key, pen.name, pen.points, pen.cap_grade))
            cap = f"，且不得评为“{pen.cap_grade}”以上" if pen.cap_grade else ""
            issues.append(_issue(Level.WARNING, "penalty_applied",
                                 f"扣分项“{pen.name}”成立：扣 {fmt_decimal(pen.points)} 分{cap}", where))
    return applied, issues


def grade_of(total: Decimal, template: Template, caps: list[str]) -> tuple[str, str]:
    """The grade band the total reaches, no better than any cap a penalty imposes."""
    bands = sorted(template.grades, key=lambda g: g.minimum, reverse=True)
    if not bands:
        return "", ""
    pos = next((i for i, b in enumerate(bands) if total >= b.minimum), len(bands) - 1)
    labels = [b.label for b in bands]
    for cap in caps:
        if cap in labels:
            pos = max(pos, labels.index(cap))
    return bands[pos].label, bands[pos].long_label or bands[pos].label


@guard_project
def score_project(project: Project, template: Template) -> ScoreReport:
    """Score a project against its template (domain.md §3). Never raises on bad data: it reports issues."""
    figures = budget_mod.figures(project.budget, template.execution_base)
    convention, problem = resolve(project.convention, template.convention)
    ctx = Context(template, project.budget, figures, convention)
    issues: list[Issue] = budget_mod.check(project.budget) + check_weights(project, template)
    if problem:
        issues.append(_issue(Level.ERROR, "convention", problem, Location((), (), "convention")))
    issues += _execution_unscored(project, figures.execution_rate)
    lines: list[ScoreLine] = []
    cats: list[CategoryScore] = []
    na_weight = ZERO
    any_reviewer = False
    for ci, cat in enumerate(project.categories):
        earned, counted, reviewed = ZERO, cat.weight, ZERO
        for gi, grp in enumerate(cat.groups):
            for ii, ind in enumerate(grp.indicators):
                line, found = score_indicator(ind, (ci, gi, ii), (cat.name, grp.name, ind.name), ctx)
                lines.append(line)
                issues += found
                if line.not_applicable:
                    na_weight += line.weight
                    counted -= line.weight
                earned += line.score
                if line.reviewer_score is not None:
                    any_reviewer = True
                    reviewed += clamp(line.reviewer_score, ZERO, line.weight)
        cats.append(CategoryScore(cat.name, max(counted, ZERO), earned, reviewed))
    subtotal = sum((ln.score for ln in lines), ZERO)
    rescaled = False
    if na_weight > 0 and template.rescale_not_applicable:
        applicable = template.total - na_weight
        if applicable > 0:
            subtotal = round_score(subtotal * template.total / applicable)
            rescaled = True
            issues.append(_issue(Level.INFO, "rescaled",
                                 f"不适用指标共 {fmt_decimal(na_weight)} 分，总分已按 {fmt_decimal(template.total)} "
                                 "分折算", Location()))
    applied, found = apply_penalties(project, template, ctx)
    issues += found
    deduction = sum((p.points for p in applied), ZERO)
    total = clamp(subtotal - deduction, ZERO, template.total)
    if subtotal - deduction > template.total:
        issues.append(_issue(Level.WARNING, "total_capped",
                             f"得分合计超过满分 {fmt_decimal(template.total)}，已按满分计；请检查权重", Location()))
    grade, grade_long = grade_of(total, template, [p.cap_grade for p in applied if p.cap_grade])
    if project.published_total is not None and round_score(project.published_total) != total:
        issues.append(_issue(Level.WARNING, "published_total",
                             f"原表总分 {fmt_decimal(project.published_total)}，各项得分之和 {fmt_decimal(total)}",
                             Location((), (), "published_total")))
    reviewer_total: Decimal | None = None
    if any_reviewer:
        reviewer_total = clamp(sum((c.reviewer_score or ZERO for c in cats), ZERO) - deduction, ZERO, template.total)
        missing = [ln for ln in lines if ln.reviewer_score is None and not ln.not_applicable]
        if missing:
            issues.append(_issue(Level.INFO, "reviewer_missing",
                                 f"有 {len(missing)} 项指标尚无复核得分", Location()))
    else:
        cats = [CategoryScore(c.name, c.weight, c.score, None) for c in cats]
    return ScoreReport(
        lines=tuple(lines),
        categories=tuple(cats),
        subtotal=subtotal,
        penalties=tuple(applied),
        total=total,
        grade=grade,
        grade_long=grade_long,
        template_total=template.total,
        rescaled=rescaled,
        issues=tuple(issues),
        reviewer_total=reviewer_total,
        execution_rate=figures.execution_rate,
        arrival_rate=figures.arrival_rate,
        convention=convention.id,
        convention_label=display(convention),
    )
