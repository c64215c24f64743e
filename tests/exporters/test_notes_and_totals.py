"""Printed documents: 计分口径 and the published-vs-rule differences in the notes; 合计/总分 rows that add up."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
from pypdf import PdfReader

from app.exporters.content import category_weight_total, score_total, weight_total
from app.scoring.engine import score_project
from app.scoring.records import Category, Group
from tests.scoring.helpers import messy_project

from .conftest import write_all
from .test_word import all_text

D = Decimal


def _squash(text: str) -> str:
    return "".join(text.split())


def test_messy_project_documents_show_notes_and_honest_totals(tmp_path: Path, mof) -> None:  # type: ignore[no-untyped-def]
    out = write_all("messy", messy_project(mof), mof, tmp_path)
    expected = ["计分口径：财政部自评规则（财预〔2020〕10号）", "注：一级指标权重之和为 120，应为 100",
                "注：群众出行条件，原表得分 24，按规则 19.75", "注：群众满意度，原表得分 9，按规则 9.58",
                "注：原表总分 95，各项得分之和 94"]
    word = all_text(docx.Document(str(out.docx)))
    pdf = _squash("".join(page.extract_text() for page in PdfReader(str(out.pdf)).pages))
    ws = openpyxl.load_workbook(out.xlsx).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    for note in expected:
        assert note in word, note
        assert _squash(note) in pdf, note
        assert note in cells, note
    # the weights add to 120: the 总分 row says 120 and shows the 满分 beside it
    assert "120（满分100）" in word and "120（满分100）" in cells and "120（满分100）" in pdf
    assert "（原表得分 9，按规则 9.58）" in word
    total_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "总分")
    assert D(str(total_row[8])) == D("94.00")


def test_totals_are_sums_of_their_rows(mof, seed000) -> None:  # type: ignore[no-untyped-def]
    project, template = seed000
    report = score_project(project, template)
    assert weight_total(project, report).text(str) == "100" and score_total(report).plain
    # a category declared 50 whose indicators add to 47.5: the 合计 shows 47.5 and the declared 50
    cat = project.categories[1]
    grp = replace(cat.groups[0], indicators=(replace(cat.groups[0].indicators[0], weight=D("7.5")),))
    changed = replace(project, categories=(project.categories[0], replace(cat, groups=(grp, *cat.groups[1:])),
                                           *project.categories[2:]))
    assert category_weight_total(changed, 1).text(str) == "47.5（设定50）"
    # a not-applicable row rescales the total: the row sum is printed, the rescaled total beside it
    na = replace(project.categories[3].groups[0].indicators[0], not_applicable=True)
    sat = replace(project.categories[3], groups=(Group("服务对象满意度指标", None, (na,)),))
    rescaled = replace(project, categories=(*project.categories[:3], sat))
    r = score_project(rescaled, template)
    assert r.rescaled
    total = score_total(r)
    assert total.value == sum((ln.score for ln in r.lines), D(0)) and total.other == r.total
    assert total.text(str).startswith(f"{total.value}（折算后")
    # a single category of 110 is capped at 100: both are shown
    big = replace(project, categories=(Category("产出指标", D(110), (Group("数量", None, (
        replace(project.categories[1].groups[0].indicators[0], weight=D(110)),)),)),))
    capped = score_total(score_project(big, template))
    assert (capped.value, capped.other, capped.label) == (D("110.00"), D(100), "按满分计")


def test_untyped_budget_row_prints_blank_not_zero(mof) -> None:  # type: ignore[no-untyped-def]
    """年初预算数 never typed prints as a blank cell, not as 0.00; typed rows keep their figures."""
    from app.exporters.content import funds_lines
    from app.scoring.records import BudgetRow

    messy = messy_project(mof)  # 全年预算 100, 执行 52.8
    project = replace(messy, budget=replace(messy.budget, initial=BudgetRow()))  # 年初预算 never typed
    report = score_project(project, mof)
    lines = funds_lines(project, mof, report)
    total = lines[0]
    assert total.initial is None
    assert total.adjusted == D(100)
    assert total.executed == D("52.8")
