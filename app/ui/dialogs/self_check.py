"""项目 → 自查: the problems a reviewer would send back, with what to do, and the printable 整改清单."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.exporters.atomic import ExportError
from app.exporters.selfcheck import write_findings
from app.paths import user_documents_dir
from app.scoring.records import Level, Project, Template
from app.scoring.selfcheck import Finding, self_check
from app.ui.dialogs import prompts

XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
_LEVEL_TEXT = {Level.ERROR: "必须改", Level.WARNING: "应核对", Level.INFO: "说明"}
_LEVEL_COLOUR = {Level.ERROR: QColor("#b3261e"), Level.WARNING: QColor("#8a5a00"), Level.INFO: QColor("#555555")}


class SelfCheckDialog(QDialog):
    """Lists the findings of the current project (or of every project of the file); double-click one to go to
    its cell; 导出整改清单 writes the printable list. ``locate`` carries (project id, Finding)."""

    locate = Signal(object, object)

    def __init__(self, current: tuple[Project, Template], count: int,
                 load_all: Callable[[], list[tuple[Project, Template]]], source: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current, self.load_all, self.source = current, load_all, source
        self.setWindowTitle(f"自查 — {current[0].name}")
        self.resize(980, 560)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.all_projects = QCheckBox(f"检查文件中的全部项目（{count} 个）", self)
        self.all_projects.setEnabled(count > 1)
        self.all_projects.toggled.connect(self.refresh)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(["项目", "指标", "问题", "整改建议", "类别"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Interactive,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.ResizeToContents)):
            head.setSectionResizeMode(col, mode)
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 200)
        self.table.cellDoubleClicked.connect(self._go)
        hint = QLabel("双击一行可转到该指标。", self)
        hint.setStyleSheet("color: #666;")
        buttons = QDialogButtonBox(self)
        self.export_button = QPushButton("导出整改清单(&E)…", self)
        self.export_button.setAutoDefault(False)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.all_projects)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.findings: list[tuple[int | None, Finding]] = []
        self.refresh()

    def _items(self) -> list[tuple[Project, Template]]:
        if not self.all_projects.isChecked():
            return [self.current]
        current_id = self.current[0].id
        return [self.current if p.id == current_id else (p, t) for p, t in self.load_all()]

    def update_current(self, project: Project, template: Template) -> None:
        """The project was edited: check it again (the list follows the user's corrections)."""
        self.current = (project, template)
        self.refresh()

    def refresh(self) -> None:
        """Run the checks again and fill the table."""
        self.findings = [(project.id, f) for project, template in self._items() for f in self_check(project, template)]
        self.table.setRowCount(len(self.findings))
        for row, (_, f) in enumerate(self.findings):
            for col, text in enumerate((f.project, f.indicator, f.problem, f.advice, _LEVEL_TEXT[f.level])):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if col == 4:
                    item.setForeground(QBrush(_LEVEL_COLOUR[f.level]))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self.table.setColumnHidden(0, not self.all_projects.isChecked())
        self.table.resizeRowsToContents()
        errors = sum(1 for _, f in self.findings if f.level is Level.ERROR)
        if self.findings:
            which = f"其中 {errors} 个必须改正" if errors else "没有必须改正的，请逐条核对"
            self.summary.setText(f"发现 {len(self.findings)} 个问题，{which}。"
                                 "请逐项整改后再提交；可导出整改清单打印。")
        else:
            self.summary.setText("未发现问题，可以提交。")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # wrapped text needs the final column widths

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.table.resizeRowsToContents()

    def _go(self, row: int, _col: int) -> None:
        if 0 <= row < len(self.findings):
            project_id, finding = self.findings[row]
            self.locate.emit(project_id, finding)

    def suggested_path(self) -> Path:
        name = self.current[0].name if not self.all_projects.isChecked() else (Path(self.source).stem or "全部项目")
        bad = '\\/:*?"<>|'
        clean = "".join("_" if c in bad else c for c in name).strip()[:60] or "项目"
        return user_documents_dir() / f"{clean}-自查整改清单.xlsx"

    def export(self) -> Path | None:
        """Ask where, confirm before replacing, write the 整改清单; a Chinese message on failure."""
        path = prompts.save_file(self, str(self.suggested_path()), XLSX_FILTER)
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        if path.exists() and not prompts.confirm(self, "文件已存在", f"“{path.name}”已存在。要替换它吗？",
                                                 "替换", "取消"):
            return None
        try:
            write_findings([f for _, f in self.findings], path, source=self.source,
                           projects=len(self._items()))
        except ExportError as exc:
            prompts.error(self, "导出失败", str(exc))
            return None
        prompts.info(self, "已导出", f"整改清单已保存到：\n{path}")
        return path
