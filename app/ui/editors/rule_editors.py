"""Per-rule cell editors: qualitative tier + percentage, checklist ticks, level choice, manual score, rule kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.scoring import assessment
from app.scoring.numbers import fmt_decimal
from app.scoring.records import Indicator, Template
from app.scoring.rules import RULE_LABELS, circled
from app.ui.editors.indicator_model import COL_ASSESS, COL_RULE, ChangesRole, IndicatorRole

ModelIndex = QModelIndex | QPersistentModelIndex


class AssessmentEditor(QFrame):
    """One editor for the 评价 cell; its parts depend on the indicator's rule kind."""

    def __init__(self, ind: Indicator, template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ind, self.template = ind, template
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        self.tier: QComboBox | None = None
        self.percent: QDoubleSpinBox | None = None
        self.checks: list[QCheckBox] = []
        self.level: QComboBox | None = None
        self.manual: QLineEdit | None = None
        kind = ind.rule.kind
        if kind == "qualitative":
            row = QHBoxLayout()
            self.tier = QComboBox(self)
            self.tier.addItem("未评价")
            self.tier.addItems(list(assessment.tier_labels(template)))
            self.percent = QDoubleSpinBox(self)
            self.percent.setDecimals(2)
            self.percent.setSuffix("%")
            self.tier.currentIndexChanged.connect(self._tier_changed)
            row.addWidget(self.tier, 1)
            row.addWidget(self.percent)
            layout.addLayout(row)
        for i, item in enumerate(assessment.checklist_items(ind)):
            veto = "（否决项）" if item.get("veto") else ""
            box = QCheckBox(f"{circled(i)} {item.get('text', '')}{veto}", self)
            box.setChecked(ind.checks is not None and i < len(ind.checks) and ind.checks[i])
            self.checks.append(box)
            layout.addWidget(box)
        choices = assessment.level_choices(ind)
        if choices:
            row = QHBoxLayout()
            row.addWidget(QLabel("档次：", self))
            self.level = QComboBox(self)
            self.level.addItem("未选择", None)
            for c in choices:
                self.level.addItem(fmt_decimal(c) + "%", str(c))
            if ind.level is not None:
                self.level.setCurrentIndex(max(0, self.level.findData(str(ind.level))))
            row.addWidget(self.level, 1)
            layout.addLayout(row)
        if kind == "manual":
            self.manual = QLineEdit(fmt_decimal(ind.manual_score), self)
            self.manual.setPlaceholderText(f"0–{fmt_decimal(ind.weight)}")
            layout.addWidget(self.manual)
        if self.tier is not None and self.percent is not None:
            self.tier.setCurrentIndex(0 if ind.tier is None else ind.tier + 1)
            self._tier_changed(self.tier.currentIndex())
            if ind.tier_percent is not None:
                self.percent.setValue(float(ind.tier_percent))
        first = self.tier or self.level or self.manual or (self.checks[0] if self.checks else None)
        if first is not None:
            self.setFocusProxy(first)

    def _tier_changed(self, pos: int) -> None:
        assert self.percent is not None
        tiers = self.template.qualitative_tiers
        self.percent.setEnabled(pos > 0)
        if 0 < pos <= len(tiers):
            tier = tiers[pos - 1]
            self.percent.setRange(float(tier.low), float(tier.default_percent))
            self.percent.setValue(float(tier.default_percent))

    def changes(self) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        if self.tier is not None and self.percent is not None:
            pos = self.tier.currentIndex()
            out["tier"] = None if pos == 0 else pos - 1
            out["tier_percent"] = None if pos == 0 else Decimal(f"{self.percent.value():.2f}").normalize()
        if self.checks:
            out["checks"] = tuple(b.isChecked() for b in self.checks)
        if self.level is not None:
            data = self.level.currentData()
            out["level"] = None if data is None else Decimal(str(data))
        if self.manual is not None:
            found = assessment.parse_text(self.ind, self.template, self.manual.text())
            if found is None:
                return None
            out.update(found)
        return out


class IndicatorDelegate(QStyledItemDelegate):
    """Plain text editing for most cells; the per-rule editor for 评价 and a kind list for 计分规则."""

    def __init__(self, columns: tuple[str, ...], template: Template, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns, self.template = columns, template

    def _key(self, index: ModelIndex) -> str:
        return self.columns[index.column()] if 0 <= index.column() < len(self.columns) else ""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        key, ind = self._key(index), index.data(IndicatorRole)
        if key == COL_ASSESS and isinstance(ind, Indicator) and ind.rule.kind != "manual":
            return AssessmentEditor(ind, self.template, parent)
        if key == COL_RULE and isinstance(ind, Indicator):
            combo = QComboBox(parent)
            combo.addItems([RULE_LABELS[k] for k in assessment.SIMPLE_KINDS])
            return combo
        editor = super().createEditor(parent, option, index)
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, AssessmentEditor):
            return
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: ModelIndex) -> None:
        if isinstance(editor, AssessmentEditor):
            changes = editor.changes()
            if changes is not None:
                model.setData(index, changes, ChangesRole)
            return
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        if isinstance(editor, AssessmentEditor):
            hint = editor.sizeHint()
            rect = QRect(option.rect.topLeft(), option.rect.size())
            rect.setWidth(max(rect.width(), hint.width()))
            rect.setHeight(max(rect.height(), hint.height()))
            area = editor.parentWidget()
            if area is not None:  # keep the editor inside the visible table
                rect.setWidth(min(rect.width(), area.width()))
                if rect.right() > area.width():
                    rect.moveLeft(max(0, area.width() - rect.width()))
            editor.setGeometry(rect)
            return
        super().updateEditorGeometry(editor, option, index)
