"""The 评价 cell of an indicator: what the evaluator chose (tier, ticks, level, manual score) as text and back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from app.scoring.conventions import tier_key
from app.scoring.numbers import Kind, fmt_decimal, parse
from app.scoring.params import DEFAULT_LEVELS, to_decimal
from app.scoring.records import Indicator, Template
from app.scoring.rules import circled

#: Rule kinds whose evaluation is chosen by hand (the others follow from target and actual).
ASSESSED_KINDS = ("qualitative", "checklist", "levels", "composite", "manual")
#: Rule kinds a user may switch an indicator to from the table (they need no parameters).
SIMPLE_KINDS = ("proportional", "qualitative", "levels", "manual", "execution_rate")


def parts(params: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """(kind, params) of a rule's parts: the rule itself, or the parts of a composite."""
    return [(str(p.get("rule", {}).get("kind")), p.get("rule", {}).get("params", {}))
            for p in params.get("parts", []) if isinstance(p, Mapping)]


def checklist_items(ind: Indicator) -> list[Mapping[str, Any]]:
    if ind.rule.kind == "checklist":
        return list(ind.rule.params.get("items", []))
    for kind, params in parts(ind.rule.params):
        if kind == "checklist":
            return list(params.get("items", []))
    return []


def level_choices(ind: Indicator) -> list[Decimal]:
    params: Mapping[str, Any] | None = ind.rule.params if ind.rule.kind == "levels" else None
    if ind.rule.kind == "composite":
        params = next((p for k, p in parts(ind.rule.params) if k == "levels"), None)
    if params is None:
        return []
    values = [to_decimal(c) for c in params.get("choices", DEFAULT_LEVELS)]
    return [v for v in values if v is not None]


def checks_text(ind: Indicator) -> str:
    """全部满足, or the conditions not met (未满足：②③), or 未勾选."""
    items = checklist_items(ind)
    if ind.checks is None:
        return "未勾选"
    unmet = [circled(i) for i in range(len(items)) if not (i < len(ind.checks) and ind.checks[i])]
    return "未满足：" + "".join(unmet) if unmet else "全部满足"


def _checks_from_words(text: str, count: int) -> tuple[bool, ...] | None:
    if text == "全部满足":
        return (True,) * count
    for head in ("未满足：", "未满足:", "未满足"):
        if text.startswith(head):
            rest = text[len(head):]
            unmet = {i for i in range(count) if circled(i) in rest}
            return tuple(i not in unmet for i in range(count)) if unmet else None
    return None


def describe(ind: Indicator, template: Template) -> str:
    """The evaluation as shown in the cell."""
    kind = ind.rule.kind
    if kind == "qualitative":
        if ind.tier is None:
            return "" if parse(ind.actual).is_percent else "未评价"
        if 0 <= ind.tier < len(template.qualitative_tiers):
            tier = template.qualitative_tiers[ind.tier]
            pct = ind.tier_percent if ind.tier_percent is not None else tier.default_percent
            return f"{tier.label} {fmt_decimal(pct)}%"
        return "档次有误"
    if kind == "checklist":
        return checks_text(ind)
    if kind == "levels":
        return "未选择" if ind.level is None else fmt_decimal(ind.level) + "%"
    if kind == "composite":
        text = checks_text(ind) if checklist_items(ind) else ""
        if level_choices(ind):
            text += "  " + ("未选择" if ind.level is None else fmt_decimal(ind.level) + "%")
        return text.strip()
    if kind == "manual":
        return "未评分" if ind.manual_score is None else fmt_decimal(ind.manual_score)
    return ""


def _number(text: str) -> Decimal | None:
    p = parse(text)
    return p.value if p.kind is Kind.NUMBER and p.comparator is None else None


def _ticks(text: str, count: int) -> tuple[bool, ...] | None:
    """✓✗ marks, 是/否, 1/0, or the circled numbers of the conditions met (①③)."""
    marks = [ch for ch in text if ch in "✓✔√✗✘×是否10YyNn"]
    if marks and len(marks) == count and not any(ch in text for ch in "①②③④⑤⑥⑦⑧⑨⑩"):
        return tuple(ch in "✓✔√是1Yy" for ch in marks)
    circled_met = [i for i in range(count) if circled(i) in text]
    if circled_met or text.strip() in ("", "无"):
        marks_after = {i: text[text.index(circled(i)) + 1: text.index(circled(i)) + 2] for i in circled_met}
        return tuple(i in circled_met and marks_after.get(i, "") not in ("✗", "✘", "×") for i in range(count))
    return None


def parse_text(ind: Indicator, template: Template, text: str) -> dict[str, Any] | None:
    """Field changes for a typed or pasted evaluation; None when the text says nothing usable."""
    kind, text = ind.rule.kind, text.strip()
    if kind == "qualitative":
        if not text or text == "未评价":
            return {"tier": None, "tier_percent": None}
        key = tier_key(text)  # either wording: 达成年度指标 or 达成预期指标
        for i, tier in enumerate(template.qualitative_tiers):
            label = tier_key(tier.label)
            if key.startswith(label):
                rest = key[len(label):].strip()
                pct = _number(rest.rstrip("%")) if rest else None
                return {"tier": i, "tier_percent": pct}
        value = _number(text.rstrip("%"))
        if value is not None:
            tier_index = next((i for i, t in enumerate(template.qualitative_tiers) if t.contains(value)), None)
            if tier_index is not None:
                return {"tier": tier_index, "tier_percent": value}
        return None
    if kind == "levels":
        if not text or text == "未选择":
            return {"level": None}
        value = _number(text.rstrip("%"))
        return None if value is None else {"level": value}
    if kind == "manual":
        if not text or text == "未评分":
            return {"manual_score": None}
        value = _number(text)
        return None if value is None else {"manual_score": value}
    if kind in ("checklist", "composite"):
        out: dict[str, Any] = {}
        count = len(checklist_items(ind))
        head, _, tail = text.partition("  ")
        if count:
            checks = None if head in ("未勾选", "") else _checks_from_words(head, count) or _ticks(head, count)
            if checks is None and head not in ("未勾选", ""):
                return None
            out["checks"] = checks
        if level_choices(ind):
            level_text = (tail if count else text).strip()
            out["level"] = None if level_text in ("", "未选择") else _number(level_text.rstrip("%"))
        return out or None
    return None


def tier_labels(template: Template) -> Sequence[str]:
    return [t.label for t in template.qualitative_tiers]
