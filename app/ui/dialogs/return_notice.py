"""复核 → 退回整改…: choose a unit's projects, then write its 整改通知 (Word) and 整改清单 (Excel)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.exporters.notice import date_text
from app.ui.controller import DocumentLike
from app.ui.dialogs import prompts

_ID = Qt.ItemDataRole.UserRole
RETURNED = "退回修改"


class ReturnDialog(QDialog):
    """Unit, year, projects (those 退回修改 ticked), issuer, deadline, folder; 确定 writes the two documents."""

    def __init__(self, doc: DocumentLike, parent: QWidget | None = None, *, unit: str = "", year: int | None = None,
                 issuer: str = "", folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("退回整改")
        self.resize(640, 600)
        self.doc = doc
        self._summaries = list(doc.list_projects())
        self._status: dict[int, str] = {}
        self.unit = QComboBox(self)
        self.unit.addItems(sorted({s.unit or s.department for s in self._summaries}))
        self.unit.setCurrentIndex(max(self.unit.findText(unit), 0))
        self.year = QComboBox(self)
        self.projects = QListWidget(self)
        self.issuer = QLineEdit(issuer, self)
        self.issuer.setPlaceholderText("如 ××县财政局")
        self.deadline = QLineEdit(date_text(date.today() + timedelta(days=15)), self)
        self.folder = QLineEdit(str(folder or Path.home()), self)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.mark = QCheckBox("把所选项目的复核状态设为“退回修改”（记入修改记录）", self)
        self.mark.setChecked(True)
        self.warning = QLabel(self)
        self.warning.setStyleSheet("color: #b00020;")
        self.warning.setWordWrap(True)
        form = QFormLayout()
        form.addRow("实施单位(&U)", self.unit)
        form.addRow("年度(&N)", self.year)
        form.addRow("发文单位(&I)", self.issuer)
        form.addRow("整改期限(&D)", self.deadline)
        folder_label = QLabel("保存到(&F)", self)
        folder_label.setBuddy(self.folder)  # a label beside a row of widgets needs its buddy set by hand
        form.addRow(folder_label, folder_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("生成整改通知和整改清单")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("退回的项目（已“退回修改”的项目默认选中）：", self))
        layout.addWidget(self.projects, 1)
        layout.addWidget(self.mark)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.unit.currentIndexChanged.connect(lambda _: self._fill_years(None))
        self.year.currentIndexChanged.connect(lambda _: self._fill_projects())
        self._fill_years(year)

    def _fill_years(self, year: int | None) -> None:
        years = sorted({s.year for s in self._summaries if (s.unit or s.department) == self.unit.currentText()},
                       reverse=True)
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y} 年", y)
        self.year.setCurrentIndex(max(self.year.findData(year), 0) if year is not None else 0)
        self.year.blockSignals(False)
        self._fill_projects()

    def _fill_projects(self) -> None:
        unit, year = self.unit.currentText(), self.year.currentData()
        chosen = [s for s in self._summaries if (s.unit or s.department) == unit and s.year == year]
        statuses = {s.id: self.doc.load_project(s.id).review.status for s in chosen}
        any_returned = RETURNED in statuses.values()
        self.projects.clear()
        for s in chosen:
            status = statuses[s.id]
            item = QListWidgetItem(f"{s.name}（{status}）", self.projects)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = status == RETURNED or not any_returned
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            item.setData(_ID, s.id)

    def chosen(self) -> list[int]:
        return [int(self.projects.item(i).data(_ID)) for i in range(self.projects.count())
                if self.projects.item(i).checkState() == Qt.CheckState.Checked]

    def _browse(self) -> None:
        folder = prompts.choose_folder(self, "选择保存整改通知的文件夹", self.folder.text())
        if folder is not None:
            self.folder.setText(str(folder))

    def _accept(self) -> None:
        if not self.chosen():
            self.warning.setText("请至少选择一个项目。")
        elif not self.issuer.text().strip():
            self.warning.setText("请填写发文单位。")
            self.issuer.setFocus()
        elif not self.deadline.text().strip():
            self.warning.setText("请填写整改期限。")
        elif not Path(self.folder.text()).is_dir():
            self.warning.setText("保存到的文件夹不存在，请重新选择。")
        else:
            self.accept()
