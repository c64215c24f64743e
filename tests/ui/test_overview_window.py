"""年度总览 through the real window: the year's table, sorting, filters, charts following an edit, PNG and 汇总表."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from app.models.document import Document
from app.scoring import edits
from app.ui.main_window import MainWindow
from app.ui.overview import COLUMNS
from tests.bureau.helpers import unit_projects

from .drive import picks


@pytest.fixture
def year_window(qtbot: Any, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "2024年度.jxdb"
    with Document.new() as doc:
        for unit, names in (("甲单位", ["甲一", "甲二", "甲三"]), ("乙单位", ["乙一", "乙二"])):
            for i, (project, template) in enumerate(unit_projects(unit, names)):
                if i == 1:  # a weaker project: the first indicators not reached
                    for index, _ in project.indicators()[:4]:
                        project = edits.set_indicator(project, index, actual="40%")
                doc.add_project(project, template)
        p, t = unit_projects("丙单位", ["去年的"], year=2023)[0]
        doc.add_project(p, t)
        doc.save_as(path)
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.resize(1300, 850)
    assert win.open_path(path)
    yield win
    win.set_document(None)
    win.close()
    win.deleteLater()


def _column(ov, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    col = COLUMNS.index(name)
    return [ov.proxy.index(r, col).data() for r in range(ov.proxy.rowCount())]


def test_overview_table_filters_charts_and_exports(year_window: MainWindow, qtbot: Any, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    win = year_window
    win.act_overview.trigger()
    ov = win.overview
    assert ov is not None and ov.isVisible()
    assert ov.year.currentData() == 2024 and ov.model.rowCount() == 5
    qtbot.waitUntil(ov.finished_scoring, timeout=20000)
    assert "显示 5 / 5 个项目" in ov.info.text()
    totals = [Decimal(t) for t in _column(ov, "自评")]
    assert len(set(totals)) == 2 and all(t > 0 for t in totals)

    ov.table.sortByColumn(COLUMNS.index("自评"), Qt.SortOrder.AscendingOrder)
    ordered = [Decimal(t) for t in _column(ov, "自评")]
    assert ordered == sorted(ordered)
    ov.unit.setCurrentText("乙单位")
    assert _column(ov, "实施单位") == ["乙单位", "乙单位"] and ov.charts.charts.count == 2
    ov.unit.setCurrentIndex(0)
    low = min(totals)
    weak_grade = next(g for g, t in zip(_column(ov, "等级"), _column(ov, "自评"), strict=True) if Decimal(t) == low)
    ov.grade.setCurrentText(weak_grade)
    assert set(_column(ov, "等级")) == {weak_grade} and ov.charts.charts.count == ov.proxy.rowCount()
    ov.grade.setCurrentIndex(0)
    ov.words.setText("甲二")
    assert _column(ov, "项目名称") == ["甲二"]
    ov.words.clear()

    # an edit in the main window: that row and the charts follow at once
    where = ov.table.visualRect(ov.proxy.index(0, 1)).center()
    qtbot.mouseClick(ov.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double click: press first
    qtbot.mouseDClick(ov.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    picked = win.ctl.project
    assert picked is not None and picked.name == _column(ov, "项目名称")[0]
    win.ctl.edit(replace(picked, review=replace(picked.review, status="已复核")), "复核")
    row = _column(ov, "项目名称").index(picked.name)
    assert _column(ov, "复核状态")[row] == "已复核"
    ov.status.setCurrentText("已复核")
    assert _column(ov, "项目名称") == [picked.name]
    ov.status.setCurrentIndex(0)

    png = tmp_path / "图表.png"
    picks(monkeypatch, [png], [tmp_path / "汇总"])
    assert ov.export_png() == png
    image = QImage(str(png))
    assert image.width() == 1800 and image.height() == 1150
    assert ov.export_xlsx() == tmp_path / "汇总.xlsx"
    wb = load_workbook(tmp_path / "汇总.xlsx")
    assert wb.sheetnames == ["汇总表", "图表"]
    names = [r[3] for r in wb["汇总表"].iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)]
    assert sorted(names) == ["乙一", "乙二", "甲一", "甲三", "甲二"]

    ov.year.setCurrentIndex(ov.year.findData(2023))
    assert _column(ov, "项目名称") == ["去年的"]


def test_overview_follows_added_projects_and_closes_with_the_file(year_window: MainWindow, qtbot: Any) -> None:
    win = year_window
    ov = win.show_overview()
    assert ov is not None
    qtbot.waitUntil(ov.finished_scoring, timeout=20000)
    project, template = unit_projects("丁单位", ["新项目"])[0]
    win._add(project, template)
    assert "新项目" in _column(ov, "项目名称")
    win.set_document(None)
    assert win.overview is None


def test_scatter_explains_its_colours(qtbot: Any) -> None:
    """The score-vs-budget points are coloured by grade: a legend in the panel's title row says which is which."""
    from PySide6.QtCore import QSize

    from app.exporters.batch import SummaryRow
    from app.ui.charts import GRADE_COLOURS, ChartsWidget

    def row(total: str, grade: str) -> SummaryRow:
        return SummaryRow(2024, "县财政局", "县档案馆", f"项目{total}", Decimal(50), Decimal(40), Decimal("0.8"), (),
                          Decimal(total), grade, None)

    widget = ChartsWidget()
    widget.set_rows([row("95", "优"), row("72", "中"), row("91", "优")])
    assert widget.charts.legend() == ["优", "中"]
    image = widget.image(QSize(1200, 800))
    strip = range(400 + 8, 400 + 8 + 24)  # the title row of the lower-left panel
    colours = {image.pixelColor(x, y).name() for y in strip for x in range(300, 600)}
    assert GRADE_COLOURS["中"].name() in colours and GRADE_COLOURS["优"].name() in colours
    assert GRADE_COLOURS["良"].name() not in colours
