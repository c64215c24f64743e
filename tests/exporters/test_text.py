"""Cell text helpers: cleaning, number display, Chinese section numbers."""

from __future__ import annotations

from decimal import Decimal

from app.exporters.text import (
    amount_text,
    chinese_number,
    clean,
    is_formula_like,
    rate_text,
    score_text,
    weight_text,
)


def test_clean_never_prints_none_and_drops_xml_illegal_characters() -> None:
    assert clean(None) == ""
    assert clean("a\x00b\x0bc\td\r\ne") == "abc\td\ne"
    assert clean(Decimal("9.90")) == "9.9"


def test_number_display_has_fixed_decimals() -> None:
    assert score_text(Decimal("10")) == "10.00"
    assert score_text(Decimal("8.945")) == "8.95"
    assert score_text(None) == ""
    assert weight_text(Decimal("10")) == "10"
    assert rate_text(Decimal("0.99282")) == "99.28%"
    assert amount_text(Decimal("1107.256")) == "1,107.26"
    assert amount_text(None) == ""


def test_formula_like_text() -> None:
    assert is_formula_like("=1+1")
    assert is_formula_like("@SUM(A1)")
    assert not is_formula_like("-")
    assert not is_formula_like("提高")


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 4, 10, 12, 20, 21)] == ["一", "四", "十", "十二", "二十", "二十一"]
