"""The 预算执行 tab: the budget grid (typed rows, derived columns and rows) and, for the MoF form, its indicators."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.clipboard import format_block, parse_block
from app.scoring import budget as budget_mod
from app.scoring import edits
from app.scoring.numbers import fmt_decimal, fmt_percent, parse, parse_amount
from app.scoring.records import BUDGET_ROWS, FISCAL_COLUMNS, OTHER_COLUMNS, Issue, ScoreReport, Template
from app.ui.controller import Controller
from app.ui.editors import grid_keys
from app.ui.editors.indicators import IndicatorEditor
from app.ui.editors.penalties import PenaltyEditor
from app.ui.elided import ElidedLabel

ModelIndex = QModelIndex | QPersistentModelIndex

#: Columns: (key, header); "fiscal" and "total" are derived.
COLUMNS: tuple[tuple[str, str], ...] = (*FISCAL_COLUMNS, ("fiscal", "财政资金小计"), *OTHER_COLUMNS,
                                        ("total", "年度总金额"))
DERIVED_COLUMNS = frozenset({"fiscal", "total"})
#: Rows: (key, header); the last three are derived.
ROWS: tuple[tuple[str, str], ...] = (*((k, f"{label}{num}") for k, label, num in BUDGET_ROWS),
                                     ("balance", "资金结余(5)=(3)-(4)"), ("arrival", "预算到位率(6)=(3)/(2)"),
                                     ("execution", "预算执行率(7)=(4)/(2)"))
TYPED_ROWS = tuple(k for k, _, _ in BUDGET_ROWS)
DERIVED_BRUSH = QBrush(QColor("#f4f6f8"))
DERIVED_TEXT = QBrush(QColor("#1d4f91"))
BAD_BRUSH = QBrush(QColor("#f8d0d0"))
WARN_BRUSH = QBrush(QColor("#fdf0c2"))


class BudgetModel(QAbstractTableModel):
    """The grid in 万元. Typed cells forward to the controller; derived cells come from app.scoring.budget."""

    rejected = Signal(str)

    def __init__(self, controller: Controller, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctl = controller
        self._bad: dict[tuple[int, int], str] = {}  # typed text that is not an amount (shown, never saved)
        self._issues: dict[str, list[Issue]] = {}
        self.refresh(controller.report)

    def refresh(self, report: ScoreReport | None) -> None:
        self._issues = {}
        if report is not None:
            for issue in report.issues:
                if issue.where.field.startswith("budget."):
                    self._issues.setdefault(issue.where.field, []).append(issue)
        self.dataChanged.emit(self.index(0, 0), self.index(len(ROWS) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ROWS)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1] if 0 <= section < len(COLUMNS) else None
        return ROWS[section][1] if 0 <= section < len(ROWS) else None

    def is_typed(self, row: int, col: int) -> bool:
        return row < len(TYPED_ROWS) and COLUMNS[col][0] not in DERIVED_COLUMNS

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.is_typed(index.row(), index.column()) else base

    def _text(self, row: int, col: int) -> str:
        project, template = self.ctl.project, self.ctl.template
        if project is None:
            return ""
        budget = project.budget
        key, column = ROWS[row][0], COLUMNS[col][0]
        if key in TYPED_ROWS:
            r = budget.row(key)
            if column == "fiscal":
                return fmt_decimal(r.fiscal, 2) if not r.is_empty() else ""
            if column == "total":
                return fmt_decimal(r.total, 2) if not r.is_empty() else ""
            return fmt_decimal(r.cell(column), 2)
        if budget.is_empty():
            return ""
        if key == "balance":
            if column == "total":
                base = template.execution_base if template is not None else "adjusted"
                return fmt_decimal(budget_mod.figures(budget, base).balance, 2)
            return ""
        num, den = ("received", "adjusted") if key == "arrival" else ("executed", "adjusted")
        if key == "execution" and template is not None and template.execution_base != "adjusted":
            den = template.execution_base
        return fmt_percent(budget_mod.column_rate(budget, column, num, den))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        typed = self.is_typed(row, col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._bad.get((row, col), self._text(row, col))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        field = f"budget.{ROWS[row][0]}.{COLUMNS[col][0]}"
        if role == Qt.ItemDataRole.BackgroundRole:
            if (row, col) in self._bad:
                return BAD_BRUSH
            if self._issues.get(field):
                return WARN_BRUSH
            return None if typed else DERIVED_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and not typed:
            return DERIVED_TEXT
        if role == Qt.ItemDataRole.FontRole and COLUMNS[col][0] == "total":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if (row, col) in self._bad:
                return "无法识别的金额，未保存：请填写以万元为单位的数字，如 107.26"
            msgs = [i.message for i in self._issues.get(field, [])]
            if not typed:
                msgs.append("自动计算，不需填写")
            return "\n".join(msgs) or "单位：万元"
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.is_typed(index.row(), index.column()):
            return False
        return self.set_block(index.row(), index.column(), [[str(value or "")]]) == 0

    def preview(self, row: int, col: int, text: str) -> None:
        """While a cell is being typed in: apply what can be read so far (derived rows follow every key);
        keystrokes in one cell merge into one undo step."""
        project = self.ctl.project
        if project is None or not self.is_typed(row, col):
            return
        value, ok = parse_amount(text)
        if ok:
            self._bad.pop((row, col), None)
            changed = edits.set_budget_cell(project, ROWS[row][0], COLUMNS[col][0], value)
            self.ctl.edit(changed, "修改预算", merge_key=f"budget.{row}.{col}")

    def set_block(self, top: int, left: int, block: list[list[str]]) -> int:
        """Typed amounts from (top, left), one undo step; unreadable cells are marked and not saved."""
        project = self.ctl.project
        if project is None:
            return 0
        bad = 0
        for dr, cells in enumerate(block):
            for dc, text in enumerate(cells):
                row, col = top + dr, left + dc
                if row >= len(ROWS) or col >= len(COLUMNS) or not self.is_typed(row, col):
                    continue
                value, ok = parse_amount(text)
                if not ok:
                    self._bad[(row, col)] = text
                    bad += 1
                    continue
                self._bad.pop((row, col), None)
                project = edits.set_budget_cell(project, ROWS[row][0], COLUMNS[col][0], value)
        if bad:
            problems = [p for p in (parse(t).problem for row in block for t in row) if p]
            self.rejected.emit(f"金额{problems[0]}，未修改" if problems
                               else "金额无法识别：请填写以万元为单位的数字，如 107.26")
            self.dataChanged.emit(self.index(0, 0), self.index(len(ROWS) - 1, len(COLUMNS) - 1))
        self.ctl.edit(project, "修改预算")
        return bad


class BudgetDelegate(QStyledItemDelegate):
    """A line editor that shows the derived figures change while the amount is typed."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        model = index.model()
        if isinstance(editor, QLineEdit) and isinstance(model, BudgetModel):
            row, col = index.row(), index.column()
            editor.textEdited.connect(lambda text: model.preview(row, col, text))
        return editor

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QLineEdit) and editor.isModified():
            return  # being typed in: the grid repaints, the text stays as typed
        super().setEditorData(editor, index)


class BudgetTable(QTableView):
    """The grid view: type to edit, Enter moves down, copy and paste blocks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setTabKeyNavigation(True)
        self.setItemDelegate(BudgetDelegate(self))

    def fit_height(self) -> None:
        """As tall as its rows: the grid never scrolls."""
        rows = self.model().rowCount() if self.model() is not None else 0
        height = self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if grid_keys.tab_leaves(self, event):
            return
        model = self.model()
        assert isinstance(model, BudgetModel)
        cur = self.currentIndex()
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and cur.isValid() and not self._editing():
            self._down()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and cur.isValid() and not self._editing():
            top = min(i.row() for i in self.selectedIndexes()) if self.selectedIndexes() else cur.row()
            left = min(i.column() for i in self.selectedIndexes()) if self.selectedIndexes() else cur.column()
            rows = {i.row() for i in self.selectedIndexes()} or {cur.row()}
            cols = {i.column() for i in self.selectedIndexes()} or {cur.column()}
            model.set_block(top, left, [[""] * (max(cols) - left + 1) for _ in range(max(rows) - top + 1)])
        else:
            super().keyPressEvent(event)

    def _editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    def _down(self) -> None:
        cur = self.currentIndex()
        if cur.isValid():
            self.setCurrentIndex(self.model().index(min(cur.row() + 1, self.model().rowCount() - 1), cur.column()))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if grid_keys.editor_tab_leaves(self, hint):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            grid_keys.leave(self, hint == QAbstractItemDelegate.EndEditHint.EditNextItem)
            return
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: move down like Excel
            self._down()

    def copy(self) -> None:
        from PySide6.QtGui import QGuiApplication

        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows, cols = sorted({i.row() for i in indexes}), sorted({i.column() for i in indexes})
        block = [[str(self.model().index(r, c).data() or "") for c in cols] for r in rows]
        QGuiApplication.clipboard().setText(format_block(block))

    def paste(self) -> None:
        from PySide6.QtGui import QGuiApplication

        cur = self.currentIndex()
        model = self.model()
        if cur.isValid() and isinstance(model, BudgetModel):
            model.set_block(cur.row(), cur.column(), parse_block(QGuiApplication.clipboard().text()))


class BudgetEditor(QWidget):
    """The grid above, the 预算执行 category's indicator table below (MoF form)."""

    message = Signal(str)

    def __init__(self, controller: Controller, template: Template, budget_category: int | None,
                 parent: QWidget | None = None, *, review: bool = False) -> None:
        super().__init__(parent)
        self.model = BudgetModel(controller, self)
        self.table = BudgetTable(self)
        self.table.setModel(self.model)
        self.table.fit_height()
        self.model.rejected.connect(self.message)
        title = ElidedLabel("预算执行情况（万元）　灰底为自动计算：财政资金小计、年度总金额、资金结余、到位率、执行率",
                            self)
        title.setStyleSheet("font-weight: bold;")
        grid = QWidget(self)
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(title)
        grid_layout.addWidget(self.table)
        grid_layout.addStretch(1)
        self.indicators: IndicatorEditor | None = None
        self.penalties: PenaltyEditor | None = None
        if template.penalties:
            self.penalties = PenaltyEditor(controller, template, grid)
            grid_layout.insertWidget(2, self.penalties)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        if budget_category is not None:
            self.indicators = IndicatorEditor(controller, budget_category, template, self, review=review)
            self.indicators.message.connect(self.message)
            split = QSplitter(Qt.Orientation.Vertical, self)
            split.addWidget(grid)
            split.addWidget(self.indicators)
            split.setSizes([self.table.height() + 40, 500])
            layout.addWidget(split)
        else:
            layout.addWidget(grid)
            layout.addStretch(1)

    def refresh(self, report: ScoreReport) -> None:
        self.model.refresh(report)
        if self.indicators is not None:
            self.indicators.refresh(report)
        if self.penalties is not None:
            self.penalties.refresh(report)

    def select(self, field: str) -> None:
        """Select a budget cell named by an issue field such as budget.executed.total."""
        parts = field.split(".")
        row = next((i for i, (k, _) in enumerate(ROWS) if len(parts) > 1 and k == parts[1]), 0)
        col = next((i for i, (k, _) in enumerate(COLUMNS) if len(parts) > 2 and k == parts[2]), len(COLUMNS) - 1)
        self.table.setCurrentIndex(self.model.index(row, col))
        self.table.setFocus()
