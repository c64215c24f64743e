"""Scoring conventions (计分口径): which formula each comparator uses and the 定性 bands, as data records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.scoring.records import ZERO

ONE = Decimal(1)
TWO = Decimal(2)

#: The convention a template without a ``convention`` key uses: today's MoF rules.
DEFAULT_CONVENTION = "mof-2020"

# --------------------------------------------------------------------------- formulas
# Each formula takes target A and actual B (in one unit) and returns the share of the weight earned,
# before clamping to [0, 1]. Conventions name them; the rule never branches on a convention's id.

Formula = Callable[[Decimal, Decimal], Decimal]


def ratio(a: Decimal, b: Decimal) -> Decimal:
    """正向: full when B ≥ A, else B/A (a target of 0 or less is met by any B ≥ A)."""
    if b >= a:
        return ONE
    return b / a if a > 0 else ZERO


def inverse_ratio(a: Decimal, b: Decimal) -> Decimal:
    """MoF 反向: full when B ≤ A, else A/B."""
    if b <= a:
        return ONE
    return a / b if a > 0 else ZERO


def linear_to_double(a: Decimal, b: Decimal) -> Decimal:
    """一体化 反向: full when B ≤ A; 1 − (B − A)/A while A < B < 2A; 0 from 2A on."""
    if b <= a:
        return ONE
    if a <= 0 or b >= TWO * a:
        return ZERO
    return ONE - (b - a) / a


def symmetric_ratio(a: Decimal, b: Decimal) -> Decimal:
    """MoF 等于: min(B/A, A/B); exact equality (also 0 = 0) is full."""
    if a == b:
        return ONE
    return min(b / a, a / b) if a > 0 and b > 0 else ZERO


def zero_or_forward(a: Decimal, b: Decimal) -> Decimal:
    """一体化 等于: a target of 0 is met when B ≤ 0 (else 0); any other target is scored as 正向."""
    if a == 0:
        return ONE if b <= 0 else ZERO
    return ratio(a, b)


FORMULAS: dict[str, Formula] = {
    "ratio": ratio,
    "inverse_ratio": inverse_ratio,
    "linear_to_double": linear_to_double,
    "symmetric_ratio": symmetric_ratio,
    "zero_or_forward": zero_or_forward,
}


# --------------------------------------------------------------------------- conventions


@dataclass(frozen=True)
class Convention:
    """A named set of scoring choices. The 定性 bands stay the template's ``qualitative_tiers`` (the MoF and
    一体化 defaults are the same: [80,100], [60,80), [0,60)); both tier wordings are understood."""

    id: str
    name: str  # printed as 计分口径：…
    short: str  # in the score panel's list
    forward: str  # formula for ≥ and >
    reverse: str  # formula for ≤ and <
    equal: str  # formula for =
    description: str = ""

    def formula(self, comparator_kind: str) -> Formula:
        """The formula for "forward", "reverse" or "equal"."""
        return FORMULAS[str(getattr(self, comparator_kind))]


CONVENTIONS: dict[str, Convention] = {
    c.id: c
    for c in (
        Convention(
            id="mof-2020",
            name="财政部自评规则（财预〔2020〕10号）",
            short="财政部自评规则",
            forward="ratio", reverse="inverse_ratio", equal="symmetric_ratio",
            description="正向 w×min(完成值/指标值,1)；反向超出时 w×指标值/完成值；等于 w×min(B/A,A/B)",
        ),
        Convention(
            id="一体化",
            name="预算管理一体化系统绩效模块规则",
            short="一体化系统规则",
            forward="ratio", reverse="linear_to_double", equal="zero_or_forward",
            description="正向 w×min(完成值/指标值,1)；反向超出时 w×(1−超出部分/指标值)，达到2倍指标值得0分；"
                        "等于：指标值为0时完成值≤0得满分，否则按正向",
        ),
    )
}


def convention_ids() -> list[str]:
    return list(CONVENTIONS)


def resolve(project_choice: str, template_choice: str) -> tuple[Convention, str]:
    """The convention in force: the project's choice, else the template's, else the default.
    The second value is a Chinese problem when a named convention is unknown (the default is then used)."""
    wanted = project_choice or template_choice or DEFAULT_CONVENTION
    found = CONVENTIONS.get(wanted)
    if found is None:
        known = "、".join(CONVENTIONS)
        problem = f"未知的计分口径“{wanted}”（可选：{known}），已按“{DEFAULT_CONVENTION}”计分"
        return CONVENTIONS[DEFAULT_CONVENTION], problem
    return found, ""


def display(convention: Convention) -> str:
    """The printed line: 计分口径：预算管理一体化系统绩效模块规则."""
    return f"计分口径：{convention.name}"


def named_in(text: str) -> Convention | None:
    """The convention a printed line “计分口径：…” names (by its name, else its id), or None."""
    squashed = "".join(text.split())
    for convention in CONVENTIONS.values():
        if "".join(convention.name.split()) in squashed:
            return convention
    return next((c for c in CONVENTIONS.values() if c.id in squashed), None)


# --------------------------------------------------------------------------- tier wording

#: The two wordings of the 定性 tiers (财预〔2020〕10号 says 预期, the 一体化 system says 年度).
_TIER_SYNONYMS = (("年度指标", "预期指标"), ("年度目标", "预期指标"), ("预期目标", "预期指标"))


def tier_key(label: str) -> str:
    """A tier label with its wording normalised, so 达成年度指标 and 达成预期指标 compare equal."""
    key = "".join(label.split())
    for variant, canonical in _TIER_SYNONYMS:
        key = key.replace(variant, canonical)
    return key
