"""The 新建项目 and 复制项目 dialog: framework (template), year and name."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.scoring.records import Template


@dataclass(frozen=True)
class ProjectChoice:
    template_id: str
    year: int
    name: str
    unit: str = ""
    clear_results: bool = False


class ProjectDialog(QDialog):
    """Ask for a framework (new project only), a year and a name."""

    def __init__(self, parent: QWidget | None, title: str, templates: dict[str, Template] | None, year: int,
                 name: str, unit: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.template: QComboBox | None = None
        if templates is not None:
            self.template = QComboBox(self)
            for tid, t in templates.items():
                self.template.addItem(t.name, tid)
                self.template.setItemData(self.template.count() - 1, t.description, Qt.ItemDataRole.ToolTipRole)
            form.addRow("评价框架", self.template)
            self.description = QLabel(self)
            self.description.setWordWrap(True)
            self.description.setStyleSheet("color: #555;")
            self.description.setMaximumWidth(480)
            form.addRow("", self.description)
            self.template.currentIndexChanged.connect(self._describe)
            self._describe()
        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(" 年")
        form.addRow("年度", self.year)
        self.name = QLineEdit(name, self)
        self.name.setMinimumWidth(360)
        form.addRow("项目名称", self.name)
        self.unit = QLineEdit(unit, self)
        form.addRow("实施单位", self.unit)
        self.clear: QCheckBox | None = None
        if templates is None:
            self.clear = QCheckBox("清空实际完成值、评价、得分调整和预算到位/执行数（复制到新年度时使用）", self)
            self.clear.setChecked(True)
            form.addRow(self.clear)
        self.warning = QLabel("", self)
        self.warning.setStyleSheet("color: #b00020;")
        form.addRow(self.warning)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _describe(self) -> None:
        if self.template is not None:
            self.description.setText(str(self.template.currentData(Qt.ItemDataRole.ToolTipRole) or ""))

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.warning.setText("请填写项目名称")
            return
        self.accept()

    def choice(self) -> ProjectChoice:
        tid = str(self.template.currentData()) if self.template is not None else ""
        clear = self.clear is not None and self.clear.isChecked()
        return ProjectChoice(tid, self.year.value(), self.name.text().strip(), self.unit.text().strip(), clear)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, templates: dict[str, Template] | None, year: int,
            name: str = "", unit: str = "") -> ProjectChoice | None:
        dialog = cls(parent, title, templates, year, name, unit)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
