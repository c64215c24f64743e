"""Text editors for the identity fields and the narrative sections; typing in one field merges into one undo step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.scoring import edits
from app.scoring.records import NARRATIVE_LABELS, Project, ScoreReport, Template
from app.ui.controller import Controller

#: Sections shown on the 基本信息 tab and on the 分析与建议 tab, per template layout.
BASIC_SECTIONS = {
    "mof": ("overview", "basis", "necessity", "measures", "plan", "goal_period", "goal_annual"),
    "four_part": ("overview", "basis", "goal_period", "goal_annual", "evaluation_work"),
}
ANALYSIS_SECTIONS = {
    "mof": ("analysis_budget", "analysis_output", "analysis_benefit", "analysis_satisfaction", "experience",
            "problems", "suggestions", "other"),
    "four_part": ("conclusion", "analysis_decision", "analysis_process", "analysis_output", "analysis_benefit",
                  "experience", "problems", "suggestions", "other"),
}
REVIEW_FIELDS: tuple[tuple[str, str], ...] = (("agency", "复核机构"), ("reviewers", "复核人员"), ("date", "复核日期"))
IDENTITY_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "项目名称"), ("department", "主管部门"), ("unit", "实施单位"), ("contact", "项目负责人/联系人"),
    ("phone", "联系电话"), ("region", "地区（表头）"),
)


class _Text(QPlainTextEdit):
    """A narrative box that grows with its text instead of scrolling inside the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.document().contentsChanged.connect(self._fit)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        lines = max(3, min(14, int(self.document().size().height())))
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 14)


class TextFields(QWidget):
    """A scrolling form of one-line fields and narrative sections bound to the selected project."""

    def __init__(self, controller: Controller, template: Template, sections: Sequence[str], identity: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self._lines: dict[str, QLineEdit] = {}
        self._texts: dict[str, QPlainTextEdit] = {}
        self._review: dict[str, QLineEdit] = {}
        self.year: QSpinBox | None = None
        self.materials: QPlainTextEdit | None = None
        inner = QWidget(self)
        column = QVBoxLayout(inner)
        if identity:
            box = QGroupBox("项目信息", inner)
            form = QFormLayout(box)
            self.year = QSpinBox(box)
            self.year.setRange(2000, 2100)
            self.year.setSuffix(" 年")
            self.year.setKeyboardTracking(False)
            self.year.valueChanged.connect(self._year_edited)
            form.addRow("年度", self.year)
            for key, label in IDENTITY_FIELDS:
                line = QLineEdit(box)
                line.textEdited.connect(lambda text, k=key: self._field_edited(k, text))
                self._lines[key] = line
                form.addRow(label, line)
            form.addRow("评价框架", QLabel(template.name, box))
            column.addWidget(box)
            if template.has_reviewer:
                review = QGroupBox("复核信息（第三方机构或财政部门）", inner)
                review_form = QFormLayout(review)
                for key, label in REVIEW_FIELDS:
                    line = QLineEdit(review)
                    line.textEdited.connect(lambda text, k=key: self._review_edited(k, text))
                    self._review[key] = line
                    review_form.addRow(label, line)
                column.addWidget(review)
        for key in sections:
            column.addWidget(QLabel(f"<b>{NARRATIVE_LABELS[key]}</b>", inner))
            text = _Text(inner)
            text.textChanged.connect(lambda k=key: self._narrative_edited(k))
            self._texts[key] = text
            column.addWidget(text)
        if identity:
            column.addWidget(QLabel("<b>附件2 绩效自评相关资料</b>（每行一项）", inner))
            self.materials = _Text(inner)
            self.materials.textChanged.connect(self._materials_edited)
            column.addWidget(self.materials)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._loading = False
        self.load()

    def refresh(self, report: ScoreReport) -> None:
        self.load()

    def load(self) -> None:
        """Show the project's values, leaving widgets that already show them alone (keeps the cursor)."""
        project = self.ctl.project
        if project is None:
            return
        self._loading = True
        try:
            if self.year is not None and self.year.value() != project.year:
                self.year.setValue(project.year)
            for key, line in self._lines.items():
                value = str(getattr(project, key))
                if line.text() != value:
                    line.setText(value)
            for key, line in self._review.items():
                value = str(getattr(project.review, key))
                if line.text() != value:
                    line.setText(value)
            for key, text in self._texts.items():
                _set_plain(text, project.narrative.get(key, ""))
            if self.materials is not None:
                _set_plain(self.materials, "\n".join(project.materials))
        finally:
            self._loading = False

    def _edit(self, fn: Callable[[Project], Project], text: str, key: str) -> None:
        if not self._loading:
            self.ctl.update(fn, text, merge_key=key)

    def _year_edited(self, value: int) -> None:
        self._edit(lambda p: replace(p, year=value), "修改年度", "year")

    def _field_edited(self, key: str, value: str) -> None:
        if key == "name" and not value.strip():
            return  # a project keeps a name; the field shows what was typed until it has one
        changes: dict[str, Any] = {key: value}
        self._edit(lambda p: replace(p, **changes), "修改项目信息", f"field.{key}")

    def _review_edited(self, key: str, value: str) -> None:
        changes: dict[str, Any] = {key: value}
        self._edit(lambda p: replace(p, review=replace(p.review, **changes)), "修改复核信息", f"review.{key}")

    def _narrative_edited(self, key: str) -> None:
        value = self._texts[key].toPlainText()
        self._edit(lambda p: edits.set_narrative(p, key, value), f"修改{NARRATIVE_LABELS[key]}", f"narrative.{key}")

    def _materials_edited(self) -> None:
        assert self.materials is not None
        items = tuple(x.strip() for x in self.materials.toPlainText().split("\n") if x.strip())
        self._edit(lambda p: replace(p, materials=items), "修改相关资料", "materials")


def _set_plain(widget: QPlainTextEdit, value: str) -> None:
    if widget.toPlainText() != value:
        cursor = widget.textCursor().position()
        widget.setPlainText(value)
        c = widget.textCursor()
        c.setPosition(min(cursor, len(value)))
        widget.setTextCursor(c)


def overview_editor(controller: Controller, template: Template, parent: QWidget | None = None) -> TextFields:
    """基本信息: identity, the layout's introductory sections and the list of supporting materials."""
    sections = BASIC_SECTIONS.get(template.layout, BASIC_SECTIONS["mof"])
    return TextFields(controller, template, sections, identity=True, parent=parent)


def analysis_editor(controller: Controller, template: Template, parent: QWidget | None = None) -> TextFields:
    """分析与建议: the analysis, experience, problems and suggestions of the report."""
    sections = ANALYSIS_SECTIONS.get(template.layout, ANALYSIS_SECTIONS["mof"])
    return TextFields(controller, template, sections, identity=False, parent=parent)


__all__ = ["TextFields", "analysis_editor", "overview_editor"]
