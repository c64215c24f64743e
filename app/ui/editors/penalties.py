"""The 扣分项 of a template: the figure when the budget cannot give it, or a hand decision."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.scoring import edits
from app.scoring.numbers import fmt_decimal
from app.scoring.records import ScoreReport, Template
from app.ui.controller import Controller

DECISIONS: tuple[tuple[str, bool | None], ...] = (("按规则判断", None), ("扣分", True), ("不扣分", False))


class PenaltyEditor(QGroupBox):
    """One row per penalty item of the template."""

    def __init__(self, controller: Controller, template: Template, parent: QWidget | None = None) -> None:
        super().__init__("扣分项", parent)
        self.ctl = controller
        self.keys = [p.key for p in template.penalties]
        grid = QGridLayout(self)
        self.values: dict[str, QLineEdit] = {}
        self.decisions: dict[str, QComboBox] = {}
        self.states: dict[str, QLabel] = {}
        for row, pen in enumerate(template.penalties):
            name = QLabel(f"{pen.name}（{pen.operator}{fmt_decimal(pen.threshold)}% 扣 {fmt_decimal(pen.points)} 分）",
                          self)
            name.setToolTip("\n".join(x for x in (pen.explanation, pen.criteria) if x))
            value = QLineEdit(self)
            value.setPlaceholderText("由预算表计算" if pen.source else "填写数值，如 45%")
            value.setToolTip("预算表已填写时按预算表计算；否则按这里填写的数值判断")
            value.textEdited.connect(lambda text, k=pen.key: self._edit(k, value=text))
            decision = QComboBox(self)
            for label, _ in DECISIONS:
                decision.addItem(label)
            decision.activated.connect(lambda pos, k=pen.key: self._edit(k, applied=DECISIONS[pos][1]))
            state = QLabel(self)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            grid.addWidget(decision, row, 2)
            grid.addWidget(state, row, 3)
            self.values[pen.key], self.decisions[pen.key], self.states[pen.key] = value, decision, state
        grid.setColumnStretch(1, 1)
        self.refresh(controller.report)

    def _edit(self, key: str, **values: object) -> None:
        self.ctl.update(lambda p: edits.set_penalty(p, key, **values), "修改扣分项", merge_key=f"penalty.{key}")

    def refresh(self, report: ScoreReport | None) -> None:
        project = self.ctl.project
        if project is None:
            return
        typed = {p.key: p for p in project.penalties}
        applied = {p.key for p in report.penalties} if report is not None else set()
        for key in self.keys:
            item = typed.get(key)
            text = item.value if item is not None else ""
            if self.values[key].text() != text:
                self.values[key].setText(text)
            decision = item.applied if item is not None else None
            self.decisions[key].setCurrentIndex([d for _, d in DECISIONS].index(decision))
            self.states[key].setText("已扣分" if key in applied else "未扣分")
            self.states[key].setStyleSheet("color: #b00020;" if key in applied else "color: #2e7d32;")
