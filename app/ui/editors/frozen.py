"""A frozen first column: a second view over a table's column 0, laid over its left edge so names stay in sight."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class FrozenColumn(QTableView):
    """Shows only column 0 of ``table`` (same model and selection) and scrolls with it vertically."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.setObjectName("frozen-column")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setStyleSheet("QTableView#frozen-column { border-right: 2px solid #9aa7b5; }")
        self.setWordWrap(False)
        self.setEditTriggers(table.editTriggers())
        self.setSelectionMode(table.selectionMode())
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.pressed.connect(lambda _: table.setFocus(Qt.FocusReason.MouseFocusReason))
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.viewport().stackUnder(self)
        table.horizontalHeader().sectionResized.connect(self._section_resized)
        table.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)

    def attach(self) -> None:
        """Share the table's model and selection (call after ``table.setModel``; set a delegate of its own)."""
        model = self.table.model()
        self.setModel(model)
        self.setSelectionModel(self.table.selectionModel())
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.table.verticalHeader().defaultSectionSize())
        model.modelReset.connect(self._hide_columns)
        model.columnsInserted.connect(self._hide_columns)
        self._hide_columns()

    def _hide_columns(self) -> None:
        model = self.model()
        for col in range(1, model.columnCount() if model is not None else 0):
            self.setColumnHidden(col, True)
        self.setColumnWidth(0, self.table.columnWidth(0))
        self.place()

    def _section_resized(self, index: int, _old: int, new: int) -> None:
        if index == 0:
            self.setColumnWidth(0, new)
            self.place()

    def place(self) -> None:
        """Lie exactly over the table's column 0 (header and viewport)."""
        table = self.table
        self.setGeometry(table.verticalHeader().width() + table.frameWidth(), table.frameWidth(),
                         table.columnWidth(0), table.viewport().height() + table.horizontalHeader().height())

    def _context_menu(self, pos: QPoint) -> None:
        self.table.customContextMenuRequested.emit(pos)  # both viewports start at the same point

    def covers(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """True when a cell right of column 0 lies (partly) under the frozen column."""
        return index.column() > 0 and self.table.visualRect(index).left() < self.table.columnWidth(0)
