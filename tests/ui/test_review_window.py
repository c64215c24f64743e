"""复核 through the real window: review columns for any framework, status/reviewer/opinion, 自评 vs 复核, and
a history that records every change (also undo) and cannot be edited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from app.models.document import Document
from app.ui.editors.indicator_model import COL_REVIEWER, COL_REVIEWER_NOTE
from app.ui.main_window import MainWindow
from tests.ui.conftest import select


def test_review_a_mof_project_end_to_end(window: MainWindow, qtbot: Any, sample_file: Path) -> None:
    select(window, "大宁")
    editor = window.category_editors[1]
    assert COL_REVIEWER not in editor.model.columns  # the MoF table has no review column by default
    window.act_review_columns.trigger()  # 复核 → 显示复核列
    editor = window.category_editors[1]
    model = editor.model
    assert COL_REVIEWER in model.columns and COL_REVIEWER_NOTE in model.columns
    first = model.index(model.row_of(0, 0), model.column_of(COL_REVIEWER))
    weight = window.ctl.project.categories[1].groups[0].indicators[0].weight  # type: ignore[union-attr]
    assert model.setData(first, str(weight - 1))
    note = model.index(model.row_of(0, 0), model.column_of(COL_REVIEWER_NOTE))
    assert model.setData(note, "佐证资料缺少验收报告")
    assert "复核得分：" in window.panel.detail.text() and "与自评相差" in window.panel.detail.text()

    window.act_review.trigger()  # 复核 → 复核…
    review = window.review_editor
    assert review is not None and window.tabs.currentWidget() is review
    assert review.status.currentText() == "待复核"
    assert review.totals.text().startswith("自评 93.08　复核 ")
    review.status.setCurrentText("退回修改")
    qtbot.keyClicks(review.reviewers, "Wang")  # QTest types Latin letters only
    review.opinion.setFocus()
    review.opinion.insertPlainText("请补充验收报告")  # what an input method delivers: one commit of text
    project = window.ctl.project
    assert project is not None
    assert (project.review.status, project.review.reviewers, project.review.opinion) == (
        "退回修改", "Wang", "请补充验收报告")

    history = review.history
    whats = [history.item(r, 2).text() for r in range(history.rowCount())]
    assert "复核状态" in whats and "复核人" in whats and "复核意见" in whats and "复核总分" in whats
    assert any(w.endswith("：复核得分") for w in whats) and any(w.endswith("：复核意见") for w in whats)
    status_row = whats.index("复核状态")
    assert (history.item(status_row, 3).text(), history.item(status_row, 4).text()) == ("待复核", "退回修改")
    # the history cannot be edited in the window
    assert history.editTriggers() == history.EditTrigger.NoEditTriggers
    assert not history.item(0, 2).flags() & Qt.ItemFlag.ItemIsEditable

    rows_before = history.rowCount()
    while window.ctl.project.review.opinion:  # type: ignore[union-attr]
        window.act_undo.trigger()  # undo is a change too: it is recorded, not erased
    assert history.rowCount() > rows_before
    assert review.opinion.toPlainText() == ""

    assert window.save()
    with Document.open(sample_file, read_only=True) as doc:
        summary = next(s for s in doc.list_projects() if "大宁" in s.name)
        stored = doc.load_project(summary.id)
        kept = doc.history(summary.id)
    assert stored.review.status == "退回修改" and stored.review.reviewers == "Wang"
    assert len(kept) == history.rowCount()


def test_review_columns_stay_for_a_project_that_has_review_scores(window: MainWindow) -> None:
    select(window, "馆藏档案保护")  # the four-part framework always has its 第三方复核 column
    assert COL_REVIEWER in window.category_editors[2].model.columns
    select(window, "大宁")
    assert COL_REVIEWER not in window.category_editors[1].model.columns
    assert window.review_editor is not None and "尚未填写复核得分" in window.review_editor.totals.text()


def test_hidden_review_page_reads_the_history_only_when_it_comes_into_view(window: MainWindow,  # type: ignore[no-untyped-def]
                                                                           sample_file: Path, monkeypatch) -> None:
    """An edit on another tab does not read the history (a database query per keystroke); opening 复核 shows it."""
    select(window, "大宁")
    review = window.review_editor
    assert review is not None
    reads: list[int] = []
    doc = window.ctl.document
    real = doc.history  # type: ignore[union-attr]
    monkeypatch.setattr(doc, "history", lambda pid: (reads.append(pid), real(pid))[1])
    window.tabs.setCurrentIndex(2)  # 产出
    editor = window.category_editors[1]
    model = editor.model
    cell = model.index(model.row_of(0, 0), model.column_of("actual"))
    assert model.setData(cell, "5套")
    assert reads == []  # the review page is not in view
    window.tabs.setCurrentWidget(review)
    assert reads  # read once it comes into view ...
    whats = [review.history.item(r, 2).text() for r in range(review.history.rowCount())]
    assert "自评总分" in whats  # ... and it shows the edit made meanwhile
