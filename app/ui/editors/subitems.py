"""The sub-indicators of an average_completion indicator (经济效益 / 社会效益 / 生态效益): a small table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from app.scoring import edits
from app.scoring.records import Indicator, SubItem
from app.ui.controller import Controller

ModelIndex = QModelIndex | QPersistentModelIndex
FIELDS: tuple[tuple[str, str], ...] = (("name", "子指标"), ("target", "指标值"), ("actual", "实际完成值"),
                                       ("explanation", "说明"))


class SubItemModel(QAbstractTableModel):
    """Rows of one indicator's sub-items; edits go to the controller as one undo step each."""

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self.index_: tuple[int, int, int] | None = None
        self.items: tuple[SubItem, ...] = ()

    def show(self, index: tuple[int, int, int] | None, ind: Indicator | None) -> None:
        items = ind.subitems if ind is not None else ()
        if index == self.index_ and len(items) == len(self.items):
            self.items = items
            if items:
                self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, len(FIELDS) - 1))
            return
        self.beginResetModel()
        self.index_, self.items = index, items
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIELDS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(
                FIELDS):
            return FIELDS[section][1]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value: str = getattr(self.items[index.row()], FIELDS[index.column()][0])
            return value
        return None

    def _write(self, items: tuple[SubItem, ...], text: str) -> None:
        if self.index_ is not None:
            idx = self.index_
            self.ctl.update(lambda p: edits.set_indicator(p, idx, subitems=items), text)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.index_ is None:
            return False
        field = FIELDS[index.column()][0]
        text = "" if value is None else str(value)
        if field == "name" and not text.strip():
            return False
        items = list(self.items)
        items[index.row()] = replace(items[index.row()], **{field: text})
        self._write(tuple(items), "修改子指标")
        return True

    def add(self) -> None:
        self._write((*self.items, SubItem(f"子指标{len(self.items) + 1}")), "新增子指标")

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self._write(self.items[:row] + self.items[row + 1:], "删除子指标")


class SubItemEditor(QWidget):
    """Shown under the indicator table when the current indicator is scored by average completion."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SubItemModel(controller, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        add = QPushButton("新增子指标", self)
        add.clicked.connect(self.model.add)
        remove = QPushButton("删除子指标", self)
        remove.clicked.connect(lambda: self.model.remove(self.table.currentIndex().row()))
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>子指标</b>（平均完成率：按各定量子指标的 完成值/指标值 平均计分）", self), 1)
        top.addWidget(add)
        top.addWidget(remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table)
