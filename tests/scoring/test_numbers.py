"""The cell parser reads what people type and never turns the unreadable into 0."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scoring.numbers import EQ, GE, GT, LE, LT, Kind, convert, fmt_decimal, fmt_percent, parse, round_score


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("≥50个", GE, "50", "个"),
        ("≧ 735 人次", GE, "735", "人次"),
        ("≤90万元", LE, "90", "万元"),
        ("＜=107.26万元", LE, "107.26", "万元"),
        ("=8个", EQ, "8", "个"),
        ("═100", EQ, "100", ""),
        ("100%", None, "100", "%"),
        ("99.28%", None, "99.28", "%"),
        ("６", None, "6", ""),
        ("6套", None, "6", "套"),
        ("1,000", None, "1000", ""),
        ("1，000", None, "1000", ""),
        ("85％", None, "85", "%"),
        ("＞ 3 天", GT, "3", "天"),
        ("<5", LT, "5", ""),
        ("≦１２．５ 万元", LE, "12.5", "万元"),
        ("不低于90%", GE, "90", "%"),
        ("95%以上", GE, "95", "%"),
        ("-5%", None, "-5", "%"),
        ("  42  ", None, "42", ""),
    ],
)
def test_numbers_as_people_write_them(text: str, comparator: str | None, value: str, unit: str) -> None:
    p = parse(text)
    assert p.kind is Kind.NUMBER
    assert p.comparator == comparator
    assert p.value == Decimal(value)
    assert p.unit == unit
    assert p.text == text  # the original is kept exactly


@pytest.mark.parametrize("text", ["及时", "有效", "效果明显", "达成预期指标", "提高"])
def test_qualitative_words(text: str) -> None:
    p = parse(text)
    assert p.kind is Kind.TEXT and p.value is None and p.word == text


@pytest.mark.parametrize("text", ["1,5", "abc5", "0%-15%", "-50%-50%", "5..5", "≥", "12 34", "1,0000"])
def test_unreadable_is_never_zero(text: str) -> None:
    p = parse(text)
    assert p.kind is Kind.UNREADABLE
    assert p.value is None


@pytest.mark.parametrize("text", ["", "   ", None, "\u3000"])
def test_empty(text: str | None) -> None:
    assert parse(text).kind is Kind.EMPTY


def test_percent_fraction() -> None:
    assert parse("85%").fraction == Decimal("0.85")
    assert parse("5‰").fraction == Decimal("0.005")
    assert parse("85").fraction is None


def test_unit_conversion() -> None:
    assert convert(Decimal("1.5"), "万元", "元") == Decimal("15000")
    assert convert(Decimal("5000"), "元", "万元") == Decimal("0.5")
    assert convert(Decimal(1), "个", "万元") is None


def test_round_half_up() -> None:
    assert round_score(Decimal("9.925")) == Decimal("9.93")
    assert round_score(Decimal("8.945")) == Decimal("8.95")
    assert round_score(Decimal("0.004999")) == Decimal("0.00")


def test_formatting() -> None:
    assert fmt_decimal(Decimal("97.80")) == "97.8"
    assert fmt_decimal(Decimal("10.00")) == "10"
    assert fmt_decimal(Decimal("9.925"), 2) == "9.93"
    assert fmt_percent(Decimal("0.992821")) == "99.28%"
    assert fmt_decimal(None) == ""


@given(st.text(max_size=60))
def test_parser_never_raises(text: str) -> None:
    p = parse(text)
    assert p.text == text
    if p.kind is Kind.NUMBER:
        assert p.value is not None and p.value.is_finite()
    else:
        assert p.value is None


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False),
       st.sampled_from(["", "%", "个", "万元", "人次"]), st.sampled_from(["", "≥", "≤", "＜=", "≧ "]))
def test_parser_reads_formatted_numbers(value: Decimal, unit: str, comp: str) -> None:
    p = parse(f"{comp}{value:,}{unit}")
    assert p.kind is Kind.NUMBER
    assert p.value == value
    assert p.unit == unit
