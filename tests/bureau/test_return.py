"""退回整改 in the core: reviewer opinions as findings, the notice's numbering and content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import pytest

from app.exporters import notice
from app.exporters.notice import chinese_number, write_notice
from app.scoring import edits
from app.scoring.records import Level
from app.scoring.rectify import rectification, review_findings

from .helpers import seed000


def test_reviewer_opinions_come_first_and_a_returned_project_must_be_corrected() -> None:
    project, template = seed000()
    index, _ = project.indicators()[2]
    project = edits.set_indicator(project, index, reviewer_note="数量无法核实", actual="")
    returned = replace(project, review=replace(project.review, status="退回修改", opinion="请补充佐证资料"))
    found = review_findings(returned)
    assert (found[0].indicator, found[0].level, found[0].code) == ("复核意见", Level.ERROR, "review_opinion")
    assert found[1].problem == "复核意见：数量无法核实" and found[1].index == index
    item = rectification(returned, template)
    assert item.findings[:2] == tuple(found)
    assert any(f.code == "missing_actual" for f in item.findings)  # the 自查 findings follow
    assert item.errors >= 2
    pending = replace(returned, review=replace(returned.review, status="待复核"))
    assert review_findings(pending)[0].level is Level.WARNING


def test_chinese_numbers_for_headings() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 35)] == [
        "一", "九", "十", "十一", "十九", "二十", "二十一", "三十五"]


def test_notice_lists_every_project_and_caps_long_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notice, "MAX_PER_PROJECT", 5)
    project, template = seed000()
    for index, _ in project.indicators():
        project = edits.set_indicator(project, index, reviewer_note="请核实")
    items = [rectification(replace(project, name=f"项目{i}"), template) for i in range(11)]
    path = tmp_path / "通知.docx"
    write_notice(path, "县某局", 2024, items, issuer="县财政局", deadline="2025年5月1日", attachment="整改清单")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "十一、项目10" in text and "十二、整改要求" in text
    assert "另有 2 个问题，详见附件整改清单" in text  # seven opinions, five listed
    assert len(docx.Document(str(path)).tables[0].rows) == 12
