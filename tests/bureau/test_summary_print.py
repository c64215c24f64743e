"""汇总表 that prints: ≥ 9 pt on paper, rows tall enough for wrapped names, header repeated, a charts sheet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.exporters import yearstats
from app.exporters.batch import summary_row
from app.exporters.summary import MIN_PRINTED_PT, export_summary, printed_size, text_units
from app.scoring.engine import score_project
from tests.models.helpers import sample_pairs


@pytest.fixture
def rows(templates: dict):  # type: ignore[no-untyped-def, type-arg]
    out = []
    for i in range(30):
        project, template = sample_pairs(templates)[i % 2]  # both frameworks: the widest table (8 categories)
        name = f"义务教育薄弱环节改善与能力提升项目（第{i}期）" if i > 1 else project.name
        project = replace(project, id=i + 1, name=name)
        out.append(summary_row(project, score_project(project, template)))
    return out


def _widths(ws) -> list[float]:  # type: ignore[no-untyped-def]
    from openpyxl.utils import get_column_letter

    return [ws.column_dimensions[get_column_letter(c)].width for c in range(1, ws.max_column + 1)]


def test_summary_prints_at_nine_points_or_more(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "汇总表.xlsx"
    export_summary(rows, path)
    wb = load_workbook(path)
    ws = wb["汇总表"]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    pages = int(setup.fitToWidth)
    assert printed_size(_widths(ws), pages) >= MIN_PRINTED_PT
    assert pages == 2 and ws.print_title_cols == "$A:$D"  # two frameworks: too wide for one page at 9 pt
    assert ws.print_title_rows == "$2:$2"
    # The title prints whole on both pages (page header), not as a slice of row 1 under the repeated columns.
    assert ws.oddHeader.center.text.startswith("2019、2021年度项目支出绩效自评结果汇总表")
    assert ws.print_area.startswith("'汇总表'!$A$2:")
    for r in range(3, 3 + len(rows)):
        name = ws.cell(row=r, column=4).value
        width = ws.column_dimensions["D"].width
        lines = -(-text_units(name) // int(width - 1))
        assert ws.row_dimensions[r].height >= lines * 13.5, (r, name)
    heads = [c.value for c in ws[2]]
    assert heads.count("产出指标") == 1 and "决策" in heads  # both frameworks' categories


def test_one_framework_fits_one_page_wide(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "汇总表.xlsx"
    export_summary(rows[::2], path)
    ws = load_workbook(path)["汇总表"]
    assert int(ws.page_setup.fitToWidth) == 1 and printed_size(_widths(ws), 1) >= MIN_PRINTED_PT


def test_charts_sheet_has_the_four_charts_and_their_figures(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "汇总表.xlsx"
    export_summary(rows, path)
    ws = load_workbook(path)["图表"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=40, max_row=45)]
    assert values[0][:2] == ["等级", "项目数"]
    assert [v[0] for v in values[1:5]] == list(yearstats.GRADE_ORDER)
    assert sum(v[1] for v in values[1:5]) == len(rows)
    from zipfile import ZipFile

    with ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(z.read(n).decode() for n in charts)
    assert len(charts) == 4 and "scatterChart" in xml and xml.count("barChart>") >= 6


def test_review_status_is_the_last_column(tmp_path: Path, rows) -> None:  # type: ignore[no-untyped-def]
    rows = [replace(r, status=("待复核", "已复核", "退回修改")[i % 3]) for i, r in enumerate(rows)]
    path = tmp_path / "汇总表.xlsx"
    export_summary(rows[::2], path)  # one framework: still one page wide, at 9 pt or more
    ws = load_workbook(path)["汇总表"]
    heads = [c.value for c in ws[2] if c.value]
    assert heads[-1] == "复核状态"
    by_name = {ws.cell(row=r, column=4).value: ws.cell(row=r, column=len(heads)).value
               for r in range(3, 3 + len(rows[::2]))}
    assert by_name == {r.name: r.status for r in rows[::2]}
    assert set(by_name.values()) == {"待复核", "已复核", "退回修改"}
    assert text_units("退回修改") < ws.column_dimensions[ws.cell(row=2, column=len(heads)).column_letter].width
    assert int(ws.page_setup.fitToWidth) == 1 and printed_size(_widths(ws), 1) >= MIN_PRINTED_PT
