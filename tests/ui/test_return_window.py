"""复核 → 退回整改… through the real window and dialog: 整改通知 (Word) and 整改清单 (Excel) for one unit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QSettings, Qt

from app.models.document import Document
from app.scoring import edits
from app.ui.dialogs.return_notice import ReturnDialog
from app.ui.main_window import MainWindow
from tests.bureau.helpers import unit_projects

from .drive import answer_message, modals, picks


@pytest.fixture
def bureau_window(qtbot: Any, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "2024年度.jxdb"
    with Document.new() as doc:
        for i, (project, template) in enumerate(unit_projects("县教育局", ["学生资助", "教师培训", "校舍维修"])):
            if i == 0:
                index, ind = project.indicators()[1]
                project = edits.set_indicator(project, index, reviewer_score=ind.weight - 1,
                                              reviewer_note="缺少验收报告")
                project = replace(project, review=replace(project.review, status="退回修改",
                                                          opinion="偏差原因过于简单，请补充。"))
            doc.add_project(project, template)
        for project, template in unit_projects("县水利局", ["水库加固"]):
            doc.add_project(project, template)
        doc.save_as(path)
    win = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert win.open_path(path)
    yield win
    win.set_document(None)
    win.close()
    win.deleteLater()


def test_return_a_unit_with_notice_and_list(bureau_window: MainWindow, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    win = bureau_window
    item = next(i for i in win.project_list.model.items if i.name == "教师培训")
    win.project_list.select_id(item.id)
    out = tmp_path / "通知"
    out.mkdir()
    picks(monkeypatch, [out])

    def fill(dialog: ReturnDialog) -> None:
        assert dialog.unit.currentText() == "县教育局" and dialog.year.currentData() == 2024
        texts = [dialog.projects.item(i).text() for i in range(dialog.projects.count())]
        assert sorted(texts) == ["学生资助（退回修改）", "教师培训（待复核）", "校舍维修（待复核）"]
        ticked = [dialog.projects.item(i).text() for i in range(dialog.projects.count())
                  if dialog.projects.item(i).checkState() == Qt.CheckState.Checked]
        assert ticked == ["学生资助（退回修改）"]
        teach = texts.index("教师培训（待复核）")
        dialog.projects.item(teach).setCheckState(Qt.CheckState.Checked)
        dialog.ok.click()  # no 发文单位 yet: refused with a message, the dialog stays
        assert dialog.isVisible() and "发文单位" in dialog.warning.text()
        dialog.issuer.setText("某某县财政局")
        dialog.deadline.setText("2025年4月30日")
        for button in dialog.findChildren(type(dialog.ok)):
            if button.text() == "浏览…":
                button.click()
        assert dialog.folder.text() == str(out)
        dialog.ok.click()

    modals(monkeypatch, fill)
    shown = answer_message(monkeypatch, "OK")
    written = win.return_unit()
    notice, listing = out / "县教育局-2024年度整改通知.docx", out / "县教育局-2024年度整改清单.xlsx"
    assert written == [notice, listing] and "整改通知" in shown[0]

    text = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
    assert "关于2024年度项目支出绩效自评材料整改的通知" in text and "县教育局：" in text
    assert "有 2 个项目需要整改" in text and "缺少验收报告" in text and "偏差原因过于简单" in text
    assert "2025年4月30日前" in text and "某某县财政局" in text and "附件：县教育局-2024年度整改清单" in text
    table = docx.Document(str(notice)).tables[0]
    assert sorted(table.rows[r].cells[1].text for r in (1, 2)) == ["学生资助", "教师培训"]

    ws = load_workbook(listing).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert any("复核意见：缺少验收报告" in str(r[3]) for r in rows)
    assert {r[1] for r in rows} == {"学生资助（2024年）"}  # 教师培训 is a clean sample: nothing to list
    assert "未发现需要整改的问题" in text

    # both projects are now 退回修改; the selected one by an undoable edit, the other with its history
    assert win.ctl.project is not None and win.ctl.project.review.status == "退回修改"
    win.act_undo.trigger()
    assert win.ctl.project.review.status == "待复核"
    doc = win.ctl.document
    assert doc is not None
    first = next(s for s in doc.list_projects() if s.name == "学生资助")
    assert doc.load_project(first.id).review.status == "退回修改"
    assert str(win.settings.value("bureau/issuer")) == "某某县财政局"


def test_cancel_writes_nothing(bureau_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    modals(monkeypatch, lambda dialog: dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click())
    assert bureau_window.return_unit() == []
    assert not bureau_window.isWindowModified()
