"""The 评价 cell text: what describe() shows, parse_text() reads back (copy and paste keep evaluations)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from app.models.clipboard import format_block, parse_block
from app.scoring import assessment
from app.scoring.records import Indicator, Rule


def test_describe_then_parse_round_trips(seed000: tuple, seed003: tuple) -> None:
    seen = 0
    for project, template in (seed000, seed003):
        for _, ind in project.indicators():
            if ind.rule.kind not in assessment.ASSESSED_KINDS:
                continue
            text = assessment.describe(ind, template)
            if not text:
                continue
            changes = assessment.parse_text(ind, template, text)
            assert changes is not None, text
            again = replace(ind, **changes)
            assert assessment.describe(again, template) == text
            seen += 1
    assert seen >= 8


def test_parse_variants(seed000: tuple) -> None:
    _, template = seed000
    qual = Indicator("安装及时性", Decimal(15), Rule("qualitative"), target="及时")
    assert assessment.parse_text(qual, template, "部分达成预期指标并具有一定效果 70%") == {
        "tier": 1, "tier_percent": Decimal(70)}
    assert assessment.parse_text(qual, template, "部分达成年度指标并具有一定效果 75%") == {  # the 一体化 wording
        "tier": 1, "tier_percent": Decimal(75)}
    assert assessment.parse_text(qual, template, "达成年度指标") == {"tier": 0, "tier_percent": None}
    assert assessment.parse_text(qual, template, "85") == {"tier": 0, "tier_percent": Decimal(85)}
    assert assessment.parse_text(qual, template, "差不多") is None
    levels = Indicator("可持续性", Decimal(1), Rule("levels"))
    assert assessment.parse_text(levels, template, "75%") == {"level": Decimal(75)}
    manual = Indicator("其他", Decimal(5), Rule("manual"))
    assert assessment.parse_text(manual, template, "4.5") == {"manual_score": Decimal("4.5")}
    items = [{"text": "a"}, {"text": "b"}, {"text": "c"}]
    checks = Indicator("规范性", Decimal(3), Rule("checklist", {"items": items}))
    assert assessment.parse_text(checks, template, "未满足：②") == {"checks": (True, False, True)}
    assert assessment.parse_text(checks, template, "全部满足") == {"checks": (True, True, True)}
    assert assessment.parse_text(checks, template, "✓✗✗") == {"checks": (True, False, False)}


def test_clipboard_blocks_round_trip() -> None:
    block = [["a", "b\tc"], ['say "hi"', "line1\nline2"], ["", "x"]]
    assert parse_block(format_block(block)) == block
    assert parse_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
