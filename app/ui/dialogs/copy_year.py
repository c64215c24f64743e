"""项目 → 复制单位的项目到新年度…: every project of one unit and year copied at once, targets kept, actuals cleared."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.mapping import ProjectSummary
from app.ui.controller import DocumentLike

_ID = Qt.ItemDataRole.UserRole


def _unit(s: ProjectSummary) -> str:
    return s.unit or s.department


class CopyYearDialog(QDialog):
    """Choose unit, year and projects; projects already in the target year (same name) are left unticked."""

    def __init__(self, doc: DocumentLike, parent: QWidget | None = None, *, unit: str = "",
                 year: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("复制单位的项目到新年度")
        self.resize(620, 520)
        self._summaries: list[ProjectSummary] = list(doc.list_projects())
        self.unit = QComboBox(self)
        self.unit.addItems(sorted({_unit(s) for s in self._summaries}))
        self.unit.setCurrentIndex(max(self.unit.findText(unit), 0))
        self.year = QComboBox(self)
        self.target = QSpinBox(self)
        self.target.setRange(2000, 2100)
        self.target.setSuffix(" 年")
        self.projects = QListWidget(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        explain = QLabel("复制后的项目保留指标、权重、目标值（指标值）、评分规则和年初预算；清空实际完成值、评价、"
                         "得分调整、复核、偏差原因和预算到位/执行数。原项目不变。", self)
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("实施单位(&U)", self.unit)
        form.addRow("从年度(&F)", self.year)
        form.addRow("复制到(&T)", self.target)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explain)
        layout.addWidget(self.projects, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.unit.currentIndexChanged.connect(lambda _: self._fill_years(None))
        self.year.currentIndexChanged.connect(lambda _: self._fill_projects())
        self.target.valueChanged.connect(lambda _: self._fill_projects())
        self.projects.itemChanged.connect(lambda _: self._update())
        self._fill_years(year)

    def _fill_years(self, year: int | None) -> None:
        years = sorted({s.year for s in self._summaries if _unit(s) == self.unit.currentText()}, reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(max(self.year.findData(year), 0) if year is not None else 0)
        self.year.blockSignals(False)
        source = self.year.currentData()
        self.target.blockSignals(True)
        self.target.setValue(int(source) + 1 if source is not None else 2000)
        self.target.blockSignals(False)
        self._fill_projects()

    def _fill_projects(self) -> None:
        unit, source, target = self.unit.currentText(), self.year.currentData(), self.target.value()
        there = {s.name for s in self._summaries if _unit(s) == unit and s.year == target}
        self.projects.blockSignals(True)
        self.projects.clear()
        for s in self._summaries:
            if _unit(s) != unit or s.year != source:
                continue
            item = QListWidgetItem(s.name + ("（新年度已有同名项目）" if s.name in there else ""), self.projects)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if s.name in there else Qt.CheckState.Checked)
            item.setData(_ID, s.id)
        self.projects.blockSignals(False)
        self._update()

    def chosen(self) -> list[int]:
        out: list[int] = []
        for i in range(self.projects.count()):
            item = self.projects.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(_ID)))
        return out

    def _update(self) -> None:
        count = len(self.chosen())
        same = self.target.value() == self.year.currentData()
        self.ok.setEnabled(count > 0 and not same)
        self.ok.setText(f"复制 {count} 个项目" if count else "复制")
        self.note.setText("目标年度与原年度相同，请选择新的年度。" if same else
                          f"将复制 {count} 个项目到 {self.target.value()} 年。" if count else "没有选择项目。")
