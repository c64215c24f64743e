"""The score panel: total in large type, grade, a bar per first-level category, reviewer total, issues."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.scoring.conventions import CONVENTIONS
from app.scoring.numbers import fmt_decimal, fmt_percent
from app.scoring.records import Issue, Level, ScoreReport

_LEVEL_ICON = {Level.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
               Level.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
               Level.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation}
_ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


#: A light bar under dark text: the figures read the same over the filled and the empty part.
_BAR_STYLE = ("QProgressBar { border: 1px solid #9db3cf; border-radius: 2px; background: #ffffff; color: #1a1a1a; }"
              " QProgressBar::chunk { background-color: #b7d1ee; }")


class ScorePanel(QWidget):
    """Shows a ScoreReport; clicking an issue emits ``issueActivated`` so the window can select the cell."""

    issueActivated = Signal(object)
    #: The user picked another 计分口径 (its id).
    conventionChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("总分", self)
        self.title.setStyleSheet("color: #555;")
        self.total = QLabel("—", self)
        font = self.total.font()
        font.setPointSizeF(font.pointSizeF() * 3.2)
        font.setBold(True)
        self.total.setFont(font)
        self.total.setStyleSheet("color: #1d4f91;")
        self.grade = QLabel("", self)
        gfont = self.grade.font()
        gfont.setPointSizeF(gfont.pointSizeF() * 1.6)
        gfont.setBold(True)
        self.grade.setFont(gfont)
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: #555;")
        self.convention_label = QLabel("计分口径(&K)", self)
        self.convention_label.setStyleSheet("color: #555;")
        self.convention = QComboBox(self)
        for convention in CONVENTIONS.values():
            self.convention.addItem(convention.short, convention.id)
            self.convention.setItemData(self.convention.count() - 1, f"{convention.name}：{convention.description}",
                                        Qt.ItemDataRole.ToolTipRole)
        self.convention.setToolTip("本项目使用的计分规则；改变后立即重新计分，可撤销")
        self.convention.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.convention_label.setBuddy(self.convention)
        self.convention.activated.connect(self._convention_picked)
        convention_row = QHBoxLayout()
        convention_row.setContentsMargins(0, 0, 0, 0)
        convention_row.addWidget(self.convention_label)
        convention_row.addWidget(self.convention, 1)
        self.bars_box = QFrame(self)
        self.bars = QGridLayout(self.bars_box)
        self.bars.setContentsMargins(0, 0, 0, 0)
        self.bars.setColumnStretch(1, 1)
        self.issues_title = QLabel("需要注意的问题", self)
        self.issues_title.setStyleSheet("font-weight: bold;")
        self.issues = QListWidget(self)
        self.issues.setWordWrap(True)
        self.issues.itemClicked.connect(self._clicked)
        self.issues.itemActivated.connect(self._clicked)
        # fixed sizes: a new total repaints the labels only, never relayouts the window
        fm = self.total.fontMetrics()
        self.total.setFixedSize(fm.horizontalAdvance("100.00") + fm.averageCharWidth() * 2, fm.height() + 4)
        self.grade.setFixedHeight(self.grade.fontMetrics().height() + 4)
        self.detail.setFixedHeight(self.detail.fontMetrics().lineSpacing() * 3 + 4)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.issues_title.setFixedHeight(self.issues_title.fontMetrics().height() + 4)
        self.issues_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.grade.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._icons = {level: self.style().standardIcon(px) for level, px in _LEVEL_ICON.items()}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.total)
        layout.addWidget(self.grade)
        layout.addWidget(self.detail)
        layout.addLayout(convention_row)
        layout.addSpacing(6)
        layout.addWidget(self.bars_box)
        layout.addSpacing(6)
        layout.addWidget(self.issues_title)
        layout.addWidget(self.issues, 1)
        self._bar_widgets: list[tuple[QLabel, QProgressBar]] = []
        self._shown_issues: tuple[Issue, ...] | None = None
        self.show_report(None)

    def show_report(self, report: ScoreReport | None) -> None:
        """Repaint everything from one report (None: no project selected)."""
        if report is None:
            self.total.setText("—")
            self.grade.setText("")
            self.detail.setText("未选择项目")
            self.convention.setEnabled(False)
            self._set_bars(0)
            self.issues.clear()
            self.issues_title.setText("需要注意的问题")
            self._shown_issues = None
            return
        self.total.setText(fmt_decimal(report.total, 2))
        self.grade.setText(f"等级：{report.grade_long or report.grade}")
        notes = []
        if report.reviewer_total is not None:
            diff = report.reviewer_total - report.total
            sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
            notes.append(f"复核得分：{fmt_decimal(report.reviewer_total, 2)}"
                         f"（与自评相差 {sign}{fmt_decimal(abs(diff), 2)}）")
        if report.penalties:
            notes.append("扣分项：" + "，".join(f"{p.name} −{fmt_decimal(p.points)}" for p in report.penalties))
        if report.rescaled:
            notes.append(f"已折算（小计 {fmt_decimal(report.subtotal, 2)}）")
        if report.execution_rate is not None:
            notes.append(f"预算执行率：{fmt_percent(report.execution_rate)}")
        self.detail.setText("\n".join(notes))
        self.convention.setEnabled(True)
        pos = self.convention.findData(report.convention)
        if pos != self.convention.currentIndex():
            self.convention.blockSignals(True)
            self.convention.setCurrentIndex(pos)
            self.convention.blockSignals(False)
        self.convention.setToolTip(f"{report.convention_label}；改变后立即重新计分，可撤销")
        self._set_bars(len(report.categories))
        for (label, bar), cat in zip(self._bar_widgets, report.categories, strict=True):
            label.setText(cat.name)
            bar.setMaximum(max(1, int(cat.weight * 100)))
            bar.setValue(min(bar.maximum(), max(0, int(cat.score * 100))))
            text = f"{fmt_decimal(cat.score, 2)} / {fmt_decimal(cat.weight)}"
            if cat.reviewer_score is not None:
                bar.setToolTip(f"复核 {fmt_decimal(cat.reviewer_score, 2)}")
            bar.setFormat(text)
        if report.issues == self._shown_issues:
            return
        self._shown_issues = report.issues
        # change only the items that differ: a long list is not laid out again for one new message
        for row, issue in enumerate(report.issues):
            where = str(issue.where)
            text = f"{where}：{issue.message}" if where else issue.message
            item = self.issues.item(row)
            if item is None:
                item = QListWidgetItem(self._icons[issue.level], text)
                item.setData(_ISSUE_ROLE, issue)
                item.setToolTip(issue.message)
                self.issues.addItem(item)
            elif item.data(_ISSUE_ROLE) != issue:
                item.setData(_ISSUE_ROLE, issue)
                if item.text() != text:
                    item.setText(text)
                    item.setToolTip(issue.message)
                item.setIcon(self._icons[issue.level])
        while self.issues.count() > len(report.issues):
            self.issues.takeItem(self.issues.count() - 1)
        self.issues_title.setText(f"需要注意的问题（{len(report.issues)}）" if report.issues else "没有发现问题")

    def _set_bars(self, count: int) -> None:
        while len(self._bar_widgets) > count:
            label, bar = self._bar_widgets.pop()
            label.deleteLater()
            bar.deleteLater()
        while len(self._bar_widgets) < count:
            row = len(self._bar_widgets)
            label = QLabel(self.bars_box)
            bar = QProgressBar(self.bars_box)
            bar.setTextVisible(True)
            bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bar.setStyleSheet(_BAR_STYLE)
            self.bars.addWidget(label, row, 0)
            self.bars.addWidget(bar, row, 1)
            self._bar_widgets.append((label, bar))

    def _convention_picked(self, pos: int) -> None:
        chosen = self.convention.itemData(pos)
        if isinstance(chosen, str):
            self.conventionChosen.emit(chosen)

    def _clicked(self, item: QListWidgetItem) -> None:
        issue = item.data(_ISSUE_ROLE)
        if isinstance(issue, Issue):
            self.issueActivated.emit(issue)
