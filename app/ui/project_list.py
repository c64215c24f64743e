"""The projects of the open file: filter by year, search, and the new / copy / delete buttons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.controller import Controller

ModelIndex = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1


class ProjectListModel(QAbstractListModel):
    """ProjectSummary rows (id, year, name, department, unit, template_id)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.name}\n{item.year}年 · {item.unit or item.department or '未填写单位'}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.name}\n年度：{item.year}\n主管部门：{item.department}\n实施单位：{item.unit}"
        if role == IdRole:
            return item.id
        return None

    def row_of(self, project_id: int | None) -> int:
        return next((i for i, item in enumerate(self.items) if item.id == project_id), -1)


class ProjectList(QWidget):
    """Left pane. Emits ``selected(id or None)``; the buttons emit requests the window handles."""

    selected = Signal(object)
    newRequested = Signal()
    copyRequested = Signal()
    deleteRequested = Signal()

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self.year = QComboBox(self)
        self.year.setToolTip("按年度筛选")
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索项目名称或单位")
        self.search.setClearButtonEnabled(True)
        self.model = ProjectListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setSpacing(2)
        self.view.setAlternatingRowColors(True)
        self.count = QLabel(self)
        self.count.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        for text, tip, signal in (("新建", "新建项目（选择评价框架）", self.newRequested),
                                  ("复制", "复制当前项目（如复制到下一年度）", self.copyRequested),
                                  ("删除", "删除当前项目", self.deleteRequested)):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(signal)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度", self))
        top.addWidget(self.year, 1)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        layout.addLayout(buttons)
        self.year.currentIndexChanged.connect(lambda _: self.reload())
        self.search.textChanged.connect(lambda _: self.reload())
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        controller.documentChanged.connect(self.reload_years)

    def reload_years(self) -> None:
        doc = self.ctl.document
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("全部年度", None)
        for y in (doc.years() if doc is not None else []):
            self.year.addItem(f"{y}年", y)
        pos = self.year.findData(chosen)
        self.year.setCurrentIndex(pos if pos >= 0 else 0)
        self.year.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Refill the list for the chosen year and search text, keeping the selected project when shown."""
        doc = self.ctl.document
        items = doc.list_projects(self.year.currentData()) if doc is not None else []
        words = self.search.text().strip().lower()
        if words:
            items = [p for p in items if words in f"{p.name} {p.unit} {p.department}".lower()]
        current = self.ctl.project.id if self.ctl.project is not None else None
        self.view.selectionModel().blockSignals(True)
        self.model.set_items(items)
        row = self.model.row_of(current)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        self.view.selectionModel().blockSignals(False)
        self.count.setText(f"共 {len(items)} 个项目")

    def select_id(self, project_id: int | None) -> None:
        row = self.model.row_of(project_id)
        if row < 0 and project_id is not None:  # filtered out: show everything
            self.search.clear()
            self.year.setCurrentIndex(0)
            row = self.model.row_of(project_id)
        if row >= 0:
            self.view.setCurrentIndex(self.model.index(row))
        else:
            self.selected.emit(project_id)

    def first_id(self) -> int | None:
        return self.model.items[0].id if self.model.items else None

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        wanted = current.data(IdRole) if current.isValid() else None
        self.selected.emit(wanted)
        shown = self.ctl.project.id if self.ctl.project is not None else None
        if wanted is not None and shown != wanted:  # the project could not be opened: keep showing the old one
            self.view.selectionModel().blockSignals(True)
            row = self.model.row_of(shown)
            self.view.setCurrentIndex(self.model.index(row) if row >= 0 else QModelIndex())
            self.view.selectionModel().blockSignals(False)
