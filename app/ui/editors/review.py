"""The 复核 tab: the project's review state, reviewer, date and opinion, 自评 vs 复核 totals, and the history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.errors import JxdbError
from app.scoring.history import HistoryEntry
from app.scoring.numbers import fmt_decimal
from app.scoring.records import REVIEW_STATUSES, Project, ScoreReport
from app.ui.controller import Controller

HISTORY_HEADERS = ("时间", "修改人", "内容", "修改前", "修改后")
_STATUS_COLOURS = {"待复核": "#8a6d00", "已复核": "#1b7f3b", "退回修改": "#b00020"}


def totals_text(report: ScoreReport | None) -> str:
    """自评 93.08　复核 90.00　差 −3.08 (or 尚未复核)."""
    if report is None:
        return ""
    own = f"自评 {fmt_decimal(report.total, 2)}"
    if report.reviewer_total is None:
        return own + "　尚未填写复核得分"
    diff = report.reviewer_total - report.total
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    return f"{own}　复核 {fmt_decimal(report.reviewer_total, 2)}　差 {sign}{fmt_decimal(abs(diff), 2)}"


class ReviewEditor(QWidget):
    """Review fields written through the controller (undoable); the history below is read-only."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self._loading = False
        box = QGroupBox("复核（财政部门或第三方机构）", self)
        form = QFormLayout(box)
        self.status = QComboBox(box)
        self.status.addItems(REVIEW_STATUSES)
        self.status.currentTextChanged.connect(lambda text: self._set("status", text, "修改复核状态"))
        self.reviewers = QLineEdit(box)
        self.reviewers.textEdited.connect(lambda text: self._set("reviewers", text, "修改复核人"))
        self.date = QLineEdit(box)
        self.date.setPlaceholderText("如 2025-03-31")
        self.date.textEdited.connect(lambda text: self._set("date", text, "修改复核日期"))
        today = QPushButton("今天", box)
        today.setToolTip("填入今天的日期")
        today.clicked.connect(self._today)
        self.today = today
        date_row = QHBoxLayout()
        date_row.addWidget(self.date, 1)
        date_row.addWidget(today)
        self.agency = QLineEdit(box)
        self.agency.textEdited.connect(lambda text: self._set("agency", text, "修改复核机构"))
        self.opinion = QPlainTextEdit(box)
        self.opinion.setTabChangesFocus(True)
        self.opinion.setFixedHeight(self.opinion.fontMetrics().lineSpacing() * 5 + 14)
        self.opinion.textChanged.connect(lambda: self._set("opinion", self.opinion.toPlainText(), "修改复核意见"))
        form.addRow("复核状态(&Z)", self.status)
        form.addRow("复核人(&R)", self.reviewers)
        form.addRow("复核日期", date_row)
        form.addRow("复核机构", self.agency)
        form.addRow("复核意见(&Y)", self.opinion)
        self.totals = QLabel(box)
        font = self.totals.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.totals.setFont(font)
        form.addRow("得分", self.totals)
        hint = QLabel("各指标的复核得分和复核意见在指标表格的“复核得分”“复核意见”列填写。", box)
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.unit_note = QLabel("本账号是单位账号：复核信息由复核人员填写，这里只能查看。", box)
        self.unit_note.setStyleSheet("color: #a05a00;")
        self.unit_note.setWordWrap(True)
        self.unit_note.hide()
        form.addRow(self.unit_note)
        self.history_title = QLabel("修改记录（自动记录，不能修改）", self)
        self.history_title.setStyleSheet("font-weight: bold;")
        self.history = QTableWidget(0, len(HISTORY_HEADERS), self)
        self.history.setHorizontalHeaderLabels(HISTORY_HEADERS)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setWordWrap(True)
        header = self.history.horizontalHeader()
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col in (3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.history.setColumnWidth(col, 140)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        self._shown_history: list[HistoryEntry] | None = None
        self._stale = False
        self.load()

    # ------------------------------------------------------------------ showing

    def refresh(self, report: ScoreReport) -> None:
        """Follow an edit. The fields always; the history (a database read per edit) only while the page is in
        view, else when it comes into view."""
        self.load(history=self.isVisibleTo(self.window()))

    def ensure_loaded(self) -> None:
        """Bring the history up to date when the page comes into view (tab switch or show)."""
        if self._stale and self.ctl.project is not None:
            self._load_history(self.ctl.project)

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_loaded()
        super().showEvent(event)

    def load(self, history: bool = True) -> None:
        project = self.ctl.project
        if project is None:
            return
        # a unit account on a server may not change the review (the server refuses it): view only
        unit = self.ctl.account_kind == "unit"
        for widget in (self.status, self.today):
            widget.setEnabled(not unit)
        for line in (self.reviewers, self.date, self.agency):
            line.setReadOnly(unit)
        self.opinion.setReadOnly(unit)
        self.unit_note.setVisible(unit)
        self._loading = True
        try:
            review = project.review
            if self.status.currentText() != review.status:
                index = self.status.findText(review.status)
                if index < 0:  # a state this version does not know: shown as it is
                    self.status.addItem(review.status)
                    index = self.status.count() - 1
                self.status.setCurrentIndex(index)
            self.status.setStyleSheet(f"color: {_STATUS_COLOURS.get(review.status, '#000')}; font-weight: bold;")
            for line, value in ((self.reviewers, review.reviewers), (self.date, review.date),
                                (self.agency, review.agency)):
                if line.text() != value:
                    line.setText(value)
            if self.opinion.toPlainText() != review.opinion:
                self.opinion.setPlainText(review.opinion)
            self.totals.setText(totals_text(self.ctl.report))
        finally:
            self._loading = False
        if history:
            self._load_history(project)
        else:
            self._stale = True

    def _load_history(self, project: Project) -> None:
        self._stale = False
        doc = self.ctl.document
        history_of = getattr(doc, "history", None)
        try:
            entries: list[HistoryEntry] = history_of(project.id) if history_of is not None and project.id else []
        except JxdbError:  # a server out of reach: the record stays on the server, shown when it is back
            self.history_title.setText("修改记录（暂时无法读取：与服务器的连接中断）")
            self._shown_history = None
            return
        if entries == self._shown_history:
            return
        self._shown_history = entries
        self.history.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for col, text in enumerate((entry.at, entry.who, entry.what, entry.before, entry.after)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.history.setItem(row, col, item)
        self.history_title.setText(f"修改记录（{len(entries)} 条，自动记录，不能修改）" if entries
                                   else "修改记录（自动记录，不能修改）：暂无")

    # ------------------------------------------------------------------ editing

    def _set(self, key: str, value: Any, text: str) -> None:
        if self._loading:
            return
        changes = {key: value}
        self.ctl.update(lambda p: replace(p, review=replace(p.review, **changes)), text, merge_key=f"review.{key}")

    def _today(self) -> None:
        self.date.setText(date.today().isoformat())
        self._set("date", self.date.text(), "修改复核日期")
