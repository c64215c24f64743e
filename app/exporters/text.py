"""Text shared by the three exporters: clean cell text, number formats, score/rate/amount display helpers."""

from __future__ import annotations

import re
from decimal import Decimal

from app.scoring.numbers import fmt_decimal, fmt_percent
from app.scoring.records import NARRATIVE_LABELS, PUBLISHED_REASON, Indicator, Project, ScoreLine

#: Excel number formats (amounts in 万元, rates stored as fractions, scores with two places).
AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
WEIGHT_FORMAT = "0.##"
INTEGER_FORMAT = "0"

#: Shown for an empty narrative section.
NOT_FILLED = "（未填写）"
#: Shown in a table cell that has no value by nature (e.g. 分值 of a funds row).
DASH = "—"

# Characters XML 1.0 cannot hold (python-docx and openpyxl refuse them): C0 controls except tab/newline/CR.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CN_DIGITS = "零一二三四五六七八九"


def clean(text: object) -> str:
    """Any value as printable text: None → "", the string "None" is never produced, XML-illegal characters dropped."""
    if text is None:
        return ""
    if isinstance(text, Decimal):
        return fmt_decimal(text)
    return _ILLEGAL_XML.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula (or a DDE call) if it were typed."""
    return text[:1] in ("=", "+", "-", "@") and len(text) > 1


def score_text(value: Decimal | None) -> str:
    """A score with its two fixed decimals (9.93, 10.00); "" when there is none."""
    return fmt_decimal(value, 2)


def weight_text(value: Decimal | None) -> str:
    """A weight as people write it (10, 2.5)."""
    return fmt_decimal(value)


def rate_text(fraction: Decimal | None) -> str:
    """A rate given as a fraction, shown as a percentage with two decimals (99.28%)."""
    return fmt_percent(fraction)


def amount_text(value: Decimal | None) -> str:
    """An amount in 万元 with thousands separators and two decimals (1,107.26)."""
    if value is None:
        return ""
    return f"{Decimal(fmt_decimal(value, 2)):,.2f}"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers up to 99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def narrative(project: Project, key: str) -> str:
    """One narrative section's text, stripped; "" when empty."""
    return clean(project.narrative.get(key, "")).strip()


def narrative_label(key: str) -> str:
    return NARRATIVE_LABELS[key]


def override_note(indicator: Indicator, line: ScoreLine) -> str:
    """A hand-set or kept published score beside the rule's result: 原表得分 9，按规则 8.62."""
    reason = clean(indicator.override_reason).strip()
    rule = f"按规则 {fmt_decimal(line.computed)}"
    if reason == PUBLISHED_REASON:
        return f"原表得分 {fmt_decimal(line.score)}，{rule}" if line.score != line.computed else "原表得分"
    differs = f"，{rule}" if line.score != line.computed else ""
    return f"手工调整得分：{reason or '未说明原因'}{differs}"


def deviation_text(indicator: Indicator, line: ScoreLine | None) -> str:
    """偏差原因分析及改进措施, with the reason of a hand-set score when there is one."""
    parts = [clean(indicator.deviation_reason).strip()]
    if line is not None and line.overridden:
        parts.append(f"（{override_note(indicator, line)}）")
    if line is not None and line.not_applicable:
        parts.append("（不适用）")
    return "".join(p for p in parts if p)


def review_note_text(indicator: Indicator, line: ScoreLine | None) -> str:
    """扣分事项: the reviewer's note, plus the reason of a hand-set score."""
    parts = [clean(indicator.reviewer_note).strip()]
    if line is not None and line.overridden:
        parts.append(override_note(indicator, line))
    if line is not None and line.not_applicable:
        parts.append("不适用")
    return "；".join(p for p in parts if p)


def form_title(project: Project, suffix: str) -> str:
    """E.g. 罗定市项目支出绩效自评表: the region (when known) before the form name."""
    return f"{clean(project.region).strip()}{suffix}"
