"""One function per rule kind of domain.md §3; each returns an unrounded score in [0, w] or None."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from app.scoring.budget import BudgetFigures
from app.scoring.conventions import CONVENTIONS, DEFAULT_CONVENTION, Convention, tier_key
from app.scoring.numbers import GE, GT, LE, LT, Kind, Parsed, convert, fmt_decimal, parse, unreadable_message
from app.scoring.params import (
    DEFAULT_LEVELS,
    PENALTY_UNITS,
    STEP_MODES,
    choice,
    dec,
    flag,
    to_decimal,
)
from app.scoring.records import ZERO, Budget, Indicator, Level, QualitativeTier, Template

ONE = Decimal(1)
HUNDRED = Decimal(100)
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Context:
    """What a rule may look at besides its indicator: the template and the project's budget."""

    template: Template
    budget: Budget
    figures: BudgetFigures
    convention: Convention = CONVENTIONS[DEFAULT_CONVENTION]


@dataclass
class Finding:
    level: Level
    code: str
    message: str
    field: str = ""


@dataclass
class RuleResult:
    """A rule's answer. ``score`` None means it cannot score (the engine counts 0 and reports why)."""

    score: Decimal | None
    completion: Decimal | None = None
    findings: list[Finding] = field(default_factory=list)
    note: str = ""


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def circled(i: int) -> str:
    return CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})"


# --------------------------------------------------------------------------- target vs actual


@dataclass(frozen=True)
class Match:
    """How a target and an actual meet (domain.md §2)."""

    mode: str  # "ratio": a and b in one unit; "judged": b is a judged completion rate; "none"
    a: Decimal = ZERO
    b: Decimal = ZERO
    rate: Decimal = ZERO
    problem: Finding | None = None


def match(target: Parsed, actual: Parsed) -> Match:
    """Bring a target and an actual into one unit, or say why they cannot be compared."""
    if actual.kind is Kind.EMPTY:
        return Match("none", problem=Finding(Level.ERROR, "missing_actual", "未填写实际完成值", "actual"))
    if actual.kind is Kind.UNREADABLE:
        return Match("none", problem=Finding(
            Level.ERROR, "unreadable", unreadable_message(actual, "实际完成值", "请填写数字，如 95% 或 6套"), "actual"))
    if target.kind is Kind.UNREADABLE:
        return Match("none", problem=Finding(
            Level.ERROR, "unreadable", unreadable_message(target, "指标值", "请填写如 ≥50个、≤90万元、100%"), "target"))
    if target.kind is Kind.EMPTY:
        return Match("none", problem=Finding(Level.ERROR, "missing_target", "未填写指标值", "target"))
    if actual.kind is Kind.NUMBER and target.kind is Kind.NUMBER:
        assert actual.value is not None and target.value is not None
        if actual.unit == target.unit or not actual.unit or not target.unit:
            return Match("ratio", target.value, actual.value)
        b = convert(actual.value, actual.unit, target.unit)
        if b is not None:
            return Match("ratio", target.value, b)
        if actual.is_percent and actual.fraction is not None:
            return Match("judged", rate=actual.fraction)
        return Match("none", problem=Finding(
            Level.ERROR, "unit_mismatch",
            f"指标值单位“{target.unit}”与实际完成值单位“{actual.unit}”不同，无法比较，请统一单位或手工调整得分",
            "actual"))
    if actual.is_percent and actual.fraction is not None:
        return Match("judged", rate=actual.fraction)
    return Match("none", problem=Finding(
        Level.ERROR, "incomparable",
        f"指标值“{target.text}”与实际完成值“{actual.text}”无法比较：请以百分比填写完成程度，或手工调整得分",
        "actual"))


# --------------------------------------------------------------------------- rule kinds

RuleFn = Callable[[Indicator, Decimal, Mapping[str, Any], Context], RuleResult]


def proportional(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """定量: the convention's formula for the comparator (MoF: ≥ w·min(B/A, 1); ≤ full when B ≤ A else w·A/B;
    = w·min(B/A, A/B). 一体化: ≤ w·(1 − (B − A)/A) below 2A, else 0; = with A 0 full when B ≤ 0)."""
    target, actual = parse(ind.target), parse(ind.actual)
    m = match(target, actual)
    if m.problem:
        return RuleResult(None, findings=[m.problem])
    if m.mode == "judged":
        return RuleResult(w * clamp(m.rate, ZERO, ONE), m.rate, note="按实际完成值的百分比计分")
    comparator = target.comparator or str(params.get("default_comparator", GE))
    a, b = m.a, m.b
    findings: list[Finding] = []
    if comparator in (GE, GT):
        rate = (ONE if b >= a else ZERO) if a <= 0 else b / a
        score_rate = ctx.convention.formula("forward")(a, b)
        limit = ctx.template.overachievement_threshold
        if a > 0 and b > a * (1 + limit):
            findings.append(Finding(
                Level.WARNING, "overachievement",
                f"完成值高于指标值较多（超出 {fmt_decimal((b / a - 1) * 100, 0)}%），请说明原因；"
                "若指标值设定偏低，应酌情扣分（手工调整得分并填写理由）",
                "deviation_reason"))
    elif comparator in (LE, LT):
        rate = score_rate = ctx.convention.formula("reverse")(a, b)
    else:  # EQ
        rate = score_rate = ctx.convention.formula("equal")(a, b)
    return RuleResult(w * clamp(score_rate, ZERO, ONE), rate, findings)


def tier_index(ind: Indicator, tiers: tuple[QualitativeTier, ...]) -> int | None:
    """The 定性 tier chosen for an indicator, or named by its actual (either wording: 年度 or 预期)."""
    if ind.tier is not None:
        return ind.tier
    actual = parse(ind.actual)
    if actual.kind is not Kind.TEXT:
        return None
    keys = [tier_key(t.label) for t in tiers]
    word = tier_key(actual.word)
    if word in keys:
        return keys.index(word)
    if actual.word == parse(ind.target).word:
        return 0
    return None


def qualitative(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """MoF 定性: the chosen tier and a percentage within it; a percentage actual is that share of w."""
    tiers = ctx.template.qualitative_tiers
    actual = parse(ind.actual)
    if ind.tier is None and actual.is_percent and actual.fraction is not None:
        return RuleResult(w * clamp(actual.fraction, ZERO, ONE), actual.fraction, note="按实际完成值的百分比计分")
    chosen = tier_index(ind, tiers)
    if chosen is None:
        if actual.kind is Kind.EMPTY:
            msg = "未评价：请选择评价档次，或以百分比填写完成程度"
        else:
            msg = f"无法判断“{actual.text}”属于哪个评价档次，请选择档次或以百分比填写"
        return RuleResult(None, findings=[Finding(Level.ERROR, "qualitative_unrated", msg, "actual")])
    if not 0 <= chosen < len(tiers):
        problem = Finding(Level.ERROR, "bad_tier", f"评价档次 {chosen + 1} 不存在", "tier")
        return RuleResult(None, findings=[problem])
    tier = tiers[chosen]
    pct = ind.tier_percent if ind.tier_percent is not None else tier.default_percent
    findings: list[Finding] = []
    if not tier.contains(pct):
        top = tier.default_percent
        findings.append(Finding(
            Level.WARNING, "tier_range",
            f"“{tier.label}”档的得分比例应在 {fmt_decimal(tier.low)}%–{fmt_decimal(tier.high)}% 之间，"
            f"已按 {fmt_decimal(clamp(pct, tier.low, top))}% 计", "tier_percent"))
        pct = clamp(pct, tier.low, top)
    return RuleResult(w * pct / HUNDRED, pct / HUNDRED, findings, note=tier.label)


def execution_rate(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """预算执行率 = 全年执行 / base (template setting, 全年预算 by default); score = w·min(rate, 1)."""
    base = str(params.get("base", ctx.template.execution_base))
    column = choice(params, "column", ("total", "fiscal"), "total")
    budget = ctx.budget
    base_row = budget.row(base if base in ("adjusted", "received", "initial") else "adjusted")
    base_label = {"adjusted": "全年预算", "received": "实际到位", "initial": "年初预算"}.get(base, "全年预算")
    actual = parse(ind.actual)
    if budget.executed.is_empty() and base_row.is_empty():
        if actual.is_percent and actual.fraction is not None:
            rate = actual.fraction
            return RuleResult(w * clamp(rate, ZERO, ONE), rate, [Finding(
                Level.INFO, "budget_missing", "预算表未填写，按填写的执行率计分", "actual")])
        return RuleResult(None, findings=[Finding(
            Level.ERROR, "budget_missing", "预算表未填写，无法计算预算执行率", "budget")])
    den = base_row.fiscal if column == "fiscal" else base_row.total
    num = budget.executed.fiscal if column == "fiscal" else budget.executed.total
    if den == 0:
        return RuleResult(None, findings=[Finding(
            Level.ERROR, "zero_base", f"预算执行率的计算基数（{base_label}）为0，无法计算", "budget")])
    rate = num / den
    findings: list[Finding] = []
    if actual.is_percent and actual.fraction is not None and abs(actual.fraction - rate) >= Decimal("0.00005"):
        findings.append(Finding(
            Level.WARNING, "rate_mismatch",
            f"填写的执行率 {actual.text} 与预算表计算的 {fmt_decimal(rate * 100, 2)}% 不一致，按预算表计分",
            "actual"))
    return RuleResult(w * clamp(rate, ZERO, ONE), rate, findings)


def _measure(ind: Indicator, params: Mapping[str, Any], ctx: Context) -> tuple[Decimal | None, Finding | None]:
    """The figure a rate rule judges, in percent: from the budget when asked and filled, else the actual."""
    source = str(params.get("source", "actual"))
    if source != "actual" and not ctx.budget.is_empty():
        value: Decimal | None = getattr(ctx.figures, source, None)
        if value is not None:
            return value * HUNDRED, None
    actual = parse(ind.actual)
    if actual.kind is Kind.NUMBER and actual.value is not None:
        if actual.unit == "‰":
            return actual.value / 10, None
        return actual.value, None
    if actual.kind is Kind.EMPTY:
        return None, Finding(Level.ERROR, "missing_actual", "未填写实际完成值", "actual")
    message = unreadable_message(actual, "实际完成值", "请填写百分比，如 98%")
    return None, Finding(Level.ERROR, "unreadable", message, "actual")


def _steps(distance: Decimal, step: Decimal, mode: str) -> Decimal:
    n = distance / step
    if mode == "floor":
        return n.to_integral_value(ROUND_FLOOR)
    if mode == "ceil":
        return -((-n).to_integral_value(ROUND_FLOOR))
    return n


def _deduct(w: Decimal, steps: Decimal, params: Mapping[str, Any]) -> Decimal:
    penalty = dec(params, "penalty", 0)
    unit = choice(params, "penalty_unit", PENALTY_UNITS, "percent")
    per_step = w * penalty / HUNDRED if unit == "percent" else penalty
    return max(ZERO, w - steps * per_step)


def deduct_per_point(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """Full marks at the benchmark; each ``step`` points short deducts ``penalty``; floor 0."""
    value, problem = _measure(ind, params, ctx)
    if value is None:
        return RuleResult(None, findings=[problem] if problem else [])
    benchmark = dec(params, "benchmark", 100)
    mode = "continuous" if flag(params, "continuous", True) else "floor"
    shortfall = max(ZERO, benchmark - value)
    score = _deduct(w, _steps(shortfall, dec(params, "step", 1), mode), params)
    completion = value / benchmark if benchmark > 0 else None
    return RuleResult(score, completion)


def band(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """Full marks inside [low, high]; each ``step`` beyond deducts ``penalty``; floor 0."""
    value, problem = _measure(ind, params, ctx)
    if value is None:
        return RuleResult(None, findings=[problem] if problem else [])
    low, high = dec(params, "low", 0), dec(params, "high", 0)
    low_in, high_in = flag(params, "low_inclusive", True), flag(params, "high_inclusive", True)
    above_low = value >= low if low_in else value > low
    below_high = value <= high if high_in else value < high
    if above_low and below_high:
        return RuleResult(w, None, note="在区间内")
    distance = low - value if not above_low else value - high
    mode = choice(params, "mode", STEP_MODES, "continuous")
    steps = _steps(distance, dec(params, "step", 1), mode)
    if mode == "ceil" and steps == 0:
        steps = ONE
    return RuleResult(_deduct(w, steps, params), None, note=f"超出区间 {fmt_decimal(distance)}")


def tiers(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """A step table: the first tier whose minimum the figure reaches gives the score."""
    value, problem = _measure(ind, params, ctx)
    if value is None:
        return RuleResult(None, findings=[problem] if problem else [])
    unit = choice(params, "unit", PENALTY_UNITS, "points")

    def points(raw: Decimal) -> Decimal:
        return w * raw / HUNDRED if unit == "percent" else raw

    for tier in params.get("tiers", []):
        minimum = to_decimal(tier.get("min")) or ZERO
        inclusive = tier.get("inclusive", True) is not False
        if value > minimum or (inclusive and value == minimum):
            return RuleResult(clamp(points(dec(tier, "score", 0)), ZERO, w), None)
    return RuleResult(clamp(points(dec(params, "below", 0)), ZERO, w), None)


def checklist(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """Numbered conditions, each with a share (equal by default); an unmet veto scores 0."""
    items = params.get("items", [])
    if ind.checks is None:
        return RuleResult(None, findings=[Finding(
            Level.ERROR, "unchecked", "未评价：请逐项勾选评分标准中满足的条件", "checks")])
    findings: list[Finding] = []
    if len(ind.checks) != len(items):
        findings.append(Finding(
            Level.WARNING, "checks_count",
            f"勾选了 {len(ind.checks)} 项，评分标准有 {len(items)} 项条件，未勾选的按不满足计", "checks"))
    met = [i < len(ind.checks) and ind.checks[i] for i in range(len(items))]
    vetoed = [circled(i) for i, item in enumerate(items) if item.get("veto") and not met[i]]
    if vetoed:
        return RuleResult(ZERO, ZERO, findings, note=f"条件{'、'.join(vetoed)}不满足，本项不得分")
    explicit = [to_decimal(item.get("share")) for item in items]
    shares = [s or ZERO for s in explicit] if all(s is not None for s in explicit) else [ONE / len(items)] * len(items)
    fraction = sum((s for s, ok in zip(shares, met, strict=True) if ok), ZERO)
    unmet = [circled(i) for i, ok in enumerate(met) if not ok]
    note = f"条件{'、'.join(unmet)}不满足" if unmet else "全部满足"
    return RuleResult(w * clamp(fraction, ZERO, ONE), fraction, findings, note)


def levels(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """A chosen percentage from a fixed list (100/75/50/25/0 by default)."""
    choices = [to_decimal(c) for c in params.get("choices", DEFAULT_LEVELS)]
    if ind.level is None:
        return RuleResult(None, findings=[Finding(Level.ERROR, "level_unset", "未评价：请选择得分档次", "level")])
    findings: list[Finding] = []
    if ind.level not in choices:
        allowed = "、".join(fmt_decimal(c) + "%" for c in choices if c is not None)
        findings.append(Finding(Level.WARNING, "level_choice", f"得分档次应为 {allowed} 之一", "level"))
    pct = clamp(ind.level, ZERO, HUNDRED)
    return RuleResult(w * pct / HUNDRED, pct / HUNDRED, findings)


def composite(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """Parts with shares, each scored by its own rule on the part's share of w (e.g. ½ checklist + ½ levels)."""
    total = ZERO
    findings: list[Finding] = []
    notes: list[str] = []
    for part in params.get("parts", []):
        share = to_decimal(part.get("share")) or ZERO
        sub = part.get("rule", {})
        fn = RULES[str(sub.get("kind"))]
        res = fn(ind, w * share, sub.get("params", {}), ctx)
        findings += res.findings
        if res.note:
            notes.append(res.note)
        if res.score is None:
            return RuleResult(None, findings=findings)
        total += res.score
    return RuleResult(clamp(total, ZERO, w), total / w if w else None, findings, "；".join(notes))


def average_completion(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """Average of 完成值/指标值 over quantitative sub-indicators; each full ``step``% short costs ``penalty``."""
    items = ind.subitems or ()
    pairs = [(s.name, s.target, s.actual) for s in items] or [(ind.name, ind.target, ind.actual)]
    cap = flag(params, "cap_each", True)
    rates: list[Decimal] = []
    findings: list[Finding] = []
    for i, (name, target, actual) in enumerate(pairs):
        t, a = parse(target), parse(actual)
        if t.kind is Kind.TEXT or (t.kind is Kind.EMPTY and a.kind is Kind.EMPTY):
            continue  # qualitative or unused: not part of the average
        m = match(t, a)
        if m.problem:
            findings.append(Finding(m.problem.level, m.problem.code, f"{name}：{m.problem.message}",
                                    f"subitems.{i}.{m.problem.field}"))
            continue
        rate = m.rate if m.mode == "judged" else (ONE if m.b >= m.a else ZERO) if m.a <= 0 else m.b / m.a
        rates.append(min(rate, ONE) if cap else rate)
    if not rates:
        if not findings:
            message = "没有可计算的定量指标，请填写指标值和完成值"
            findings.append(Finding(Level.ERROR, "no_quantitative", message, "subitems"))
        return RuleResult(None, findings=findings)
    average = sum(rates, ZERO) / len(rates)
    shortfall = max(ZERO, (ONE - average) * HUNDRED)
    steps = _steps(shortfall, dec(params, "step", 5), "floor")
    score = max(ZERO, w - steps * dec(params, "penalty", 1))
    return RuleResult(score, average, findings, note=f"平均完成率 {fmt_decimal(average * 100, 2)}%")


def manual(ind: Indicator, w: Decimal, params: Mapping[str, Any], ctx: Context) -> RuleResult:
    """The evaluator types the score."""
    if ind.manual_score is None:
        return RuleResult(None, findings=[Finding(Level.ERROR, "manual_missing", "未评分：请填写得分", "manual_score")])
    findings: list[Finding] = []
    if not ZERO <= ind.manual_score <= w:
        findings.append(Finding(Level.WARNING, "manual_range", f"得分应在 0 到 {fmt_decimal(w)} 之间", "manual_score"))
    return RuleResult(clamp(ind.manual_score, ZERO, w), None, findings)


RULES: dict[str, RuleFn] = {
    "proportional": proportional,
    "qualitative": qualitative,
    "execution_rate": execution_rate,
    "deduct_per_point": deduct_per_point,
    "band": band,
    "tiers": tiers,
    "checklist": checklist,
    "levels": levels,
    "composite": composite,
    "average_completion": average_completion,
    "manual": manual,
}

#: Chinese names of the rule kinds, for menus and documents.
RULE_LABELS: dict[str, str] = {
    "proportional": "定量（按比例）",
    "qualitative": "定性（分档）",
    "execution_rate": "预算执行率",
    "deduct_per_point": "每差一点扣分",
    "band": "区间内满分",
    "tiers": "分段计分",
    "checklist": "条件逐项计分",
    "levels": "档次选择",
    "composite": "组合规则",
    "average_completion": "平均完成率",
    "manual": "手工评分",
}
