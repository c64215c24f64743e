"""Read targets and actuals as people type them ("≧ 735 人次", "＜=107.26万元", "99.28%") into values."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

GE, LE, EQ, GT, LT = "≥", "≤", "=", ">", "<"
COMPARATORS = (GE, LE, EQ, GT, LT)

CENT = Decimal("0.01")


class Kind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"
    TEXT = "text"  # a qualitative word such as 及时, 有效, 提高
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Parsed:
    """A typed cell: the original text and what it says."""

    text: str
    kind: Kind
    comparator: str | None = None
    value: Decimal | None = None
    unit: str = ""
    #: Why a number was not read although it looks like one (数值过大 / 数值过小); "" otherwise.
    problem: str = ""

    @property
    def is_percent(self) -> bool:
        return self.kind is Kind.NUMBER and self.unit in ("%", "‰")

    @property
    def fraction(self) -> Decimal | None:
        """A percentage as a fraction (85% → 0.85); None for anything else."""
        if not self.is_percent or self.value is None:
            return None
        return self.value / (100 if self.unit == "%" else 1000)

    @property
    def word(self) -> str:
        """The qualitative text, normalised (spaces removed)."""
        return _squash(self.text) if self.kind is Kind.TEXT else ""


# Words people write instead of symbols, longest first so 大于等于 wins over 大于.
_WORD_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("大于等于", GE), ("大于或等于", GE), ("不低于", GE), ("不少于", GE), ("不小于", GE), ("至少", GE),
    ("小于等于", LE), ("小于或等于", LE), ("不高于", LE), ("不超过", LE), ("不多于", LE),
    ("不大于", LE), ("控制在", LE), ("至多", LE),
    ("等于", EQ), ("大于", GT), ("高于", GT), ("多于", GT), ("小于", LT), ("低于", LT), ("少于", LT),
)
_SYMBOL_COMPARATORS: tuple[tuple[str, str], ...] = (
    (">=", GE), ("=>", GE), ("≥=", GE), ("<=", LE), ("=<", LE), ("≤=", LE), ("==", EQ),
    ("≥", GE), ("≤", LE), ("=", EQ), (">", GT), ("<", LT),
)
# Characters NFKC leaves alone but people use as comparators.
_CHAR_MAP = str.maketrans({"≧": "≥", "≦": "≤", "═": "=", "〉": ">", "〈": "<", "﹥": ">", "﹤": "<", "﹦": "="})
_SUFFIX_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE),
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|^[+-]?\.\d+")
_UNIT = re.compile(r"^[^\d\s.,+\-=<>≥≤]{1,12}$")
_MAX_LEN = 400
#: Limits on a typed number: beyond them the cell is kept as text and scored as unreadable, so the
#: arithmetic (28 significant digits) never overflows.
MAX_INTEGER_DIGITS = 15
MAX_FRACTION_DIGITS = 10
TOO_LARGE = f"数值过大（整数部分最多 {MAX_INTEGER_DIGITS} 位）"
TOO_SMALL = f"数值过小（不为零时至少为 0.{'0' * (MAX_FRACTION_DIGITS - 1)}1）"
NOT_A_NUMBER = "不是有效的数字"
_SPLIT_NUMBER = re.compile(r"\d\s+[\d.]")

#: Units that convert into one another (factor to the first unit of the family).
_UNIT_FAMILIES: tuple[dict[str, Decimal], ...] = (
    {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)},
    {"%": Decimal(1), "‰": Decimal("0.1")},
    {"天": Decimal(1), "日": Decimal(1)},
    {"人次": Decimal(1)},
)


def _squash(text: str) -> str:
    return "".join(text.split())


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), comparator variants to ≥ ≤ = > <, whitespace removed."""
    return _squash(unicodedata.normalize("NFKC", text).translate(_CHAR_MAP))


def parse(text: str | None) -> Parsed:
    """Parse one cell. Never raises: what cannot be read is ``Kind.UNREADABLE``, never 0."""
    return _parse("" if text is None else str(text))


@lru_cache(maxsize=8192)
def _parse(original: str) -> Parsed:
    if _SPLIT_NUMBER.search(unicodedata.normalize("NFKC", original)):
        return Parsed(original, Kind.UNREADABLE)  # "12 34": two numbers or a typo, never 1234
    s = normalise(original)
    if not s:
        return Parsed(original, Kind.EMPTY)
    if len(s) > _MAX_LEN:
        return Parsed(original, Kind.TEXT if not any(ch.isdigit() for ch in s) else Kind.UNREADABLE)
    comparator: str | None = None
    for word, comp in _WORD_COMPARATORS + _SYMBOL_COMPARATORS:
        if s.startswith(word):
            comparator, s = comp, s[len(word):]
            break
    for word, comp in _SUFFIX_COMPARATORS:
        if s.endswith(word) and comparator is None:
            comparator, s = comp, s[: -len(word)]
            break
    if not any(ch.isdigit() for ch in s):
        if comparator is None and s:
            return Parsed(original, Kind.TEXT)
        return Parsed(original, Kind.UNREADABLE)
    m = _NUMBER.match(s)
    if m is None:
        return Parsed(original, Kind.UNREADABLE, comparator)
    rest = s[m.end():]
    if rest and (not _UNIT.match(rest) or rest[0] in "Oo"):  # "5O个": a letter O typed for a zero
        return Parsed(original, Kind.UNREADABLE, comparator)
    try:
        value = Decimal(m.group(0).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern only admits valid numbers
        return Parsed(original, Kind.UNREADABLE, comparator)
    problem = magnitude_problem(value)
    if problem:
        return Parsed(original, Kind.UNREADABLE, comparator, unit=rest, problem=problem)
    return Parsed(original, Kind.NUMBER, comparator, value, rest)


def unreadable_message(p: Parsed, label: str, hint: str) -> str:
    """The message for an unreadable cell: its magnitude problem when it has one, else the general hint."""
    if p.problem:
        shown = p.text if len(p.text) <= 40 else p.text[:37] + "…"
        return f"{label}“{shown}”{p.problem}，无法计分，请检查"
    return f"无法识别{label}“{p.text}”，{hint}"


def magnitude_problem(value: Decimal) -> str:
    """Why a number is outside what the program computes with ("" when it is fine): not finite, more than
    MAX_INTEGER_DIGITS digits before the point, or not zero but below 10^-MAX_FRACTION_DIGITS (a divisor
    that small makes rates overflow). Long decimals such as 33.3333333333333 (a formula in Excel) are fine."""
    if not value.is_finite():
        return NOT_A_NUMBER
    if value.is_zero():
        return ""
    # adjusted() is the exponent of the leading digit, read without context arithmetic (which could itself
    # overflow); digits before the point = adjusted() + 1, whatever trailing zeros the value carries.
    places = value.adjusted() + 1
    if places > MAX_INTEGER_DIGITS:
        return TOO_LARGE
    if places <= -MAX_FRACTION_DIGITS:  # 0.00000000001: ten zeros after the point
        return TOO_SMALL
    return ""


def parse_amount(text: str | None) -> tuple[Decimal | None, bool]:
    """A money cell (万元): (value, ok). Empty gives (None, True); units other than 万元 are refused."""
    p = parse(text)
    if p.kind is Kind.EMPTY:
        return None, True
    if p.kind is not Kind.NUMBER or p.comparator is not None or p.unit not in ("", "万元"):
        return None, False
    return p.value, True


def convert(value: Decimal, unit: str, to_unit: str) -> Decimal | None:
    """Convert between units of one family (元 ↔ 万元); None when they are not convertible."""
    if unit == to_unit:
        return value
    for family in _UNIT_FAMILIES:
        if unit in family and to_unit in family:
            return value * family[unit] / family[to_unit]
    return None


def round_score(value: Decimal) -> Decimal:
    """Round a score half-up to 0.01, as every indicator score is."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_decimal(value: Decimal | None, places: int | None = None) -> str:
    """A decimal for people: fixed places when given, else without trailing zeros (9.90 → 9.9)."""
    if value is None:
        return ""
    if places is not None:
        return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_percent(fraction: Decimal | None, places: int = 2) -> str:
    """0.99282 → '99.28%'."""
    if fraction is None:
        return ""
    return fmt_decimal(fraction * 100, places) + "%"
