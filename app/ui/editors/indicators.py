"""The one indicator table editor reused by every category tab: Excel-like table, row tools, detail pane."""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.models.clipboard import format_block, parse_block
from app.scoring import edits
from app.scoring.numbers import COMPARATORS, fmt_decimal, fmt_percent
from app.scoring.records import Group, Indicator, ScoreReport, Template
from app.scoring.rules import RULE_LABELS
from app.ui.controller import Controller
from app.ui.editors import grid_keys
from app.ui.editors.comparator import COMPARATOR_TIPS, ComparatorBar, split, swap_comparator
from app.ui.editors.frozen import FrozenColumn
from app.ui.editors.indicator_model import (
    COL_ACTUAL,
    COL_ASSESS,
    COL_COMPLETION,
    COL_DEVIATION,
    COL_GROUP,
    COL_NA,
    COL_NAME,
    COL_OVERRIDE,
    COL_OVERRIDE_REASON,
    COL_REVIEWER,
    COL_REVIEWER_NOTE,
    COL_RULE,
    COL_SCORE,
    COL_TARGET,
    COL_WEIGHT,
    IndicatorTableModel,
    issue_column,
)
from app.ui.editors.rule_editors import IndicatorDelegate
from app.ui.editors.subitems import SubItemEditor
from app.ui.elided import ElidedLabel

#: Starting widths per column, in average character widths.
_WIDTHS = {COL_NAME: 11, COL_TARGET: 7.5, COL_ACTUAL: 6, COL_RULE: 8.5, COL_ASSESS: 9.5, COL_COMPLETION: 0,
           COL_SCORE: 0, COL_DEVIATION: 14, COL_OVERRIDE_REASON: 8, COL_REVIEWER_NOTE: 12, COL_WEIGHT: 2.5,
           COL_OVERRIDE: 4, COL_REVIEWER: 4, COL_NA: 3.5}


#: Texts a column must show without eliding.
_SAMPLES = {COL_COMPLETION: "100.00%", COL_SCORE: "10.00", COL_WEIGHT: "100", COL_OVERRIDE: "10.00",
            COL_REVIEWER: "10.00", COL_RULE: "条件逐项计分", COL_TARGET: "＜=107.26万元", COL_ACTUAL: "106.49万元"}


#: The row tools: (method of IndicatorEditor, label, shortcut, tip). The window puts them in the 指标 menu;
#: the editor shows them as buttons and in the table's context menu.
ROW_ACTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("insert_row", "插入指标", "Alt+Ins", "在当前行下方插入一个三级指标"),
    ("remove_rows", "删除指标", "Alt+Del", "删除选中的三级指标（可撤销）"),
    ("move_up", "上移", "Alt+Up", "把当前指标上移一行"),
    ("move_down", "下移", "Alt+Down", "把当前指标下移一行"),
    ("insert_group", "新增二级指标", "Alt+Shift+Ins", "在当前二级指标之后新增一个二级指标"),
)


class IndicatorTable(QTableView):
    """A QTableView that behaves like a spreadsheet: type to edit, Enter moves down, copy and paste blocks."""

    pasteSkipped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(False)
        self.setTabKeyNavigation(True)
        self.frozen = FrozenColumn(self)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            self.frozen.attach()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place_frozen()

    def _place_frozen(self) -> None:
        frozen = getattr(self, "frozen", None)  # Qt lays out once while the frozen view is being made
        if frozen is not None:
            frozen.place()

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Moving left onto a cell under the frozen column scrolls it into sight."""
        current = super().moveCursor(action, modifiers)
        if action == QAbstractItemView.CursorAction.MoveLeft and self.frozen.covers(current):
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() + self.visualRect(current).left() - self.columnWidth(0))
        return current

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,
                 hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        bar = self.horizontalScrollBar()
        keep = bar.value()
        super().scrollTo(index, hint)
        if index.column() == 0:  # column 0 is always in sight: scroll vertically only
            bar.setValue(keep)
        elif self.frozen.covers(index):
            bar.setValue(bar.value() + self.visualRect(index).left() - self.columnWidth(0))

    def model_(self) -> IndicatorTableModel:
        model = self.model()
        assert isinstance(model, IndicatorTableModel)
        return model

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if grid_keys.editor_tab_leaves(self, hint):
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            grid_keys.leave(self, hint == QAbstractItemDelegate.EndEditHint.EditNextItem)
            return
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: move down like Excel
            self._move(1, 0)

    def _move(self, drow: int, dcol: int) -> None:
        cur = self.currentIndex()
        if not cur.isValid():
            return
        row = min(max(cur.row() + drow, 0), self.model().rowCount() - 1)
        col = min(max(cur.column() + dcol, 0), self.model().columnCount() - 1)
        self.setCurrentIndex(self.model().index(row, col))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if grid_keys.tab_leaves(self, event):
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self._move(-1, 0)
            else:
                self._move(1, 0)
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            self.model_().clear_cells([(i.row(), i.column()) for i in self.selectedIndexes()])
        else:
            super().keyPressEvent(event)

    def copy(self) -> None:
        indexes = self.selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid() else [])
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        model = self.model()
        block = [[str(model.index(r, c).data() or "") if (r, c) in chosen else "" for c in cols] for r in rows]
        QGuiApplication.clipboard().setText(format_block(block))

    def paste(self) -> None:
        text = QGuiApplication.clipboard().text()
        cur = self.currentIndex()
        if not text or not cur.isValid():
            return
        block = parse_block(text)
        selected = self.selectedIndexes()
        top = min((i.row() for i in selected), default=cur.row())
        left = min((i.column() for i in selected), default=cur.column())
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:  # one value into every selected cell
            rows = sorted({i.row() for i in selected})
            cols = sorted({i.column() for i in selected})
            model = self.model_()
            count = sum(1 for r in range(top, rows[-1] + 1) if model.rows[r].ii is not None)
            block = [[block[0][0]] * (cols[-1] - left + 1) for _ in range(count)]
        skipped = self.model_().set_block(top, left, block)
        if skipped:
            self.pasteSkipped.emit(skipped)


class IndicatorEditor(QWidget):
    """One category's indicators: the table, row tools, and a pane with the selected indicator's details."""

    message = Signal(str)

    def __init__(self, controller: Controller, ci: int, template: Template, parent: QWidget | None = None, *,
                 review: bool = False) -> None:
        super().__init__(parent)
        self.ctl, self.ci = controller, ci
        self.model = IndicatorTableModel(controller, ci, template, self, review=review)
        self.table = IndicatorTable(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(IndicatorDelegate(self.model.columns, template, self.table))
        # its own delegate: a delegate's commitData goes to every view it is set on
        self.table.frozen.setItemDelegate(IndicatorDelegate(self.model.columns, template, self.table.frozen))
        self.table.pasteSkipped.connect(lambda n: self.message.emit(f"有 {n} 个单元格无法识别，未粘贴"))
        self.model.rejected.connect(self.message)
        self._size_columns()
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self._detail_html = ""

        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        #: The window's 指标 menu actions (with their shortcuts), offered again in the context menu.
        self.row_actions: list[QAction] = []
        for method, text, key, tip in ROW_ACTIONS:
            button = QPushButton(text, self)
            shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{tip}（{shown}）")
            button.clicked.connect(getattr(self, method))
            tools.addWidget(button)
        tools.addSpacing(12)
        hint = ElidedLabel("直接输入即可编辑，Enter 下移，Tab 右移（行末离开表格），可粘贴 Excel/WPS 表格", self)
        hint.setStyleSheet("color: #666;")
        hint.setAlignment(Qt.AlignmentFlag.AlignRight)
        tools.addWidget(hint, 1)

        self.subitems = SubItemEditor(controller, self)
        self.subitems.hide()
        self.pickers = ComparatorBar(self)
        self.pickers.textChosen.connect(self._picker_text)
        self._picker_pos: tuple[int, int] | None = None
        self._picker_wrote: tuple[str, str] | None = None
        self._picker_session = 0
        self._picker_shown: tuple[object, ...] = ()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        lower = QWidget(self)
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        lower_box.setSpacing(2)
        lower_box.addWidget(self.pickers)
        lower_layout = QHBoxLayout()
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addWidget(self.subitems, 1)
        lower_box.addLayout(lower_layout, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 140])
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fdf0c2; border: 1px solid #e0c36a; padding: 3px;")
        self.warning.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(tools)
        layout.addWidget(self.warning)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_detail())
        self.show_category_issues(controller.report)

    def _size_columns(self) -> None:
        em = self.table.fontMetrics().averageCharWidth()
        cjk = self.table.fontMetrics().horizontalAdvance("中")
        header = self.table.horizontalHeader()
        for col, key in enumerate(self.model.columns):
            chars = _WIDTHS.get(key, 6)
            title = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            sample = _SAMPLES.get(key, "")
            width = max(int(chars * cjk), min(len(title), 6) * cjk + 2 * em,
                        self.table.fontMetrics().horizontalAdvance(sample) + 2 * em)
            header.resizeSection(col, width)

    def refresh(self, report: ScoreReport) -> None:
        """Repaint after an edit (the window calls this on the controller's ``changed``)."""
        self.model.refresh(report)
        self.show_detail()
        self.show_category_issues(report)

    def show_category_issues(self, report: ScoreReport | None) -> None:
        """Issues of the whole category (e.g. its weights do not add up) above the table."""
        found = [i.message for i in (report.issues if report is not None else ()) if i.where.index == (self.ci,)]
        text = "；".join(found)
        if text != self.warning.text():
            self.warning.setText(text)
            self.warning.setVisible(bool(text))

    # ------------------------------------------------------------------ selection

    def current_position(self) -> tuple[int, int | None] | None:
        cur = self.table.currentIndex()
        if not cur.isValid() or cur.row() >= len(self.model.rows):
            return None
        r = self.model.rows[cur.row()]
        return r.gi, r.ii

    def select(self, gi: int, ii: int | None, field: str = "") -> None:
        """Select the cell an issue names (group row when ii is None)."""
        row = self.model.row_of(gi, ii)
        if row < 0:
            return
        col = self.model.column_of(issue_column(field)) if field else -1
        if col < 0:
            col = self.model.column_of(COL_NAME if ii is not None else COL_GROUP)
        index = self.model.index(row, col)
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)
        self.table.setFocus()

    def show_detail(self) -> None:
        cur = self.table.currentIndex()
        ind = self.model.indicator_at(cur.row()) if cur.isValid() else None
        pos = self.current_position()
        show_sub = ind is not None and (ind.rule.kind == "average_completion" or bool(ind.subitems))
        self.subitems.setVisible(show_sub)
        self.subitems.model.show((self.ci, pos[0], pos[1]) if show_sub and pos and pos[1] is not None else None,
                                 ind if show_sub else None)
        self._load_pickers(ind, pos)
        if ind is None:
            self._set_detail("<span style='color:#666'>选择一个三级指标，这里显示指标解释、评分标准和计分说明。"
                             "</span>")
            return
        parts = [f"<b>{html.escape(ind.name)}</b>　权重 {fmt_decimal(ind.weight)}　"
                 f"计分规则：{html.escape(RULE_LABELS.get(ind.rule.kind, ind.rule.kind))}"]
        for label, text in (("指标解释", ind.explanation), ("标杆值", ind.benchmark), ("评分标准", ind.criteria)):
            if text:
                parts.append(f"<b>{label}：</b>{html.escape(text)}")
        line = self.model.line_at(cur.row())
        if line is not None:
            score = f"<b>得分：</b>{fmt_decimal(line.score, 2)}"
            if line.completion is not None:
                score += f"　完成率 {fmt_percent(line.completion)}"
            if line.overridden:
                score += f"（计算得分 {fmt_decimal(line.computed, 2)}，已手工调整）"
            if line.note:
                score += f"　{html.escape(line.note)}"
            parts.append(score)
        for issue in self.model.row_issues(cur.row()):
            color = "#b00020" if issue.level.value == "error" else "#8a6d00"
            parts.append(f"<span style='color:{color}'>● {html.escape(issue.message)}</span>")
        self._set_detail("<br>".join(parts))

    # ------------------------------------------------------------------ comparator and unit

    def _load_pickers(self, ind: Indicator | None, pos: tuple[int, int | None] | None) -> None:
        at = (pos[0], pos[1]) if ind is not None and pos is not None and pos[1] is not None else None
        if at != self._picker_pos or (self._picker_wrote is not None and ind is not None
                                      and getattr(ind, self._picker_wrote[0]) != self._picker_wrote[1]):
            self._picker_session += 1  # another indicator, an undo, or typing: the next pick is a new step
            self._picker_wrote = None
        self._picker_pos = at
        shown = (at, self._picker_session) + ((ind.rule.kind, ind.target, ind.actual) if ind is not None else ())
        if shown == self._picker_shown:  # an edit elsewhere: leave the fields (and the cursor) alone
            return
        self._picker_shown = shown
        if ind is None:
            self.pickers.show_texts(None, "", "")
        else:
            self.pickers.show_texts(ind.rule.kind, ind.target, ind.actual)

    def _picker_text(self, field: str, text: str) -> None:
        """The picker recomposed a cell text: write it as if typed (picks in a row on one cell: one undo step)."""
        if self._picker_pos is None:
            return
        row = self.model.row_of(*self._picker_pos)
        if row < 0:
            return
        key = COL_TARGET if field == "target" else COL_ACTUAL
        merge_key = f"比较符单位:{self.ci}:{self._picker_pos}:{field}:{self._picker_session}"
        self._picker_wrote = (field, text)
        self.model.set_text(row, key, text, merge_key)

    def target_menu(self, index: QModelIndex | QPersistentModelIndex) -> QMenu | None:
        """The context menu of a 指标值 cell: swap the comparator in its text (one undo step)."""
        if not index.isValid() or self.model.columns[index.column()] != COL_TARGET:
            return None
        ind = self.model.indicator_at(index.row())
        if ind is None:
            return None
        menu = QMenu(self.table)
        menu.setToolTipsVisible(True)
        parts = split(ind.target)
        if parts is None:
            note = menu.addAction("指标值不是“比较符+数值+单位”的形式，请直接修改文字")
            note.setEnabled(False)
        target = QPersistentModelIndex(index)
        for comp in (*COMPARATORS, ""):
            action = menu.addAction(f"比较符 {comp}" if comp else "去掉比较符")
            action.setToolTip(COMPARATOR_TIPS[comp])
            action.setCheckable(True)
            action.setChecked(parts is not None and parts.comparator == comp)
            text = swap_comparator(ind.target, comp)
            action.setEnabled(text is not None and parts is not None and parts.comparator != comp)
            if text is not None:
                action.triggered.connect(lambda _=False, t=text: self.model.setData(target, t))
        return menu

    def context_menu(self, index: QModelIndex | QPersistentModelIndex) -> QMenu:
        """The table's context menu: the comparator choices on a 指标值 cell, then the row tools."""
        menu = self.target_menu(index)
        if menu is None:
            menu = QMenu(self.table)
        elif self.row_actions:
            menu.addSeparator()
        menu.addActions(self.row_actions)
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        menu = self.context_menu(index)
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _set_detail(self, text: str) -> None:
        if text != self._detail_html:  # re-laying out rich text costs more than comparing it
            self._detail_html = text
            self.detail.setHtml(text)

    # ------------------------------------------------------------------ rows

    def insert_row(self) -> None:
        project = self.ctl.project
        if project is None:
            return
        cat = project.categories[self.ci]
        pos = self.current_position()
        if pos is None:
            if not cat.groups:
                self.insert_group()
                return
            gi, at = len(cat.groups) - 1, len(cat.groups[-1].indicators)
        else:
            gi, ii = pos
            at = 0 if ii is None else ii + 1
        grp = cat.groups[gi]
        like = grp.indicators[at - 1] if at > 0 else (grp.indicators[0] if grp.indicators else None)
        self.ctl.edit(edits.insert_indicator(project, (self.ci, gi, at), edits.new_indicator(like)), "插入指标")
        self.select(gi, at, COL_NAME)

    def remove_rows(self) -> None:
        project = self.ctl.project
        if project is None:
            return
        rows = sorted({i.row() for i in self.table.selectedIndexes()} or
                      ({self.table.currentIndex().row()} if self.table.currentIndex().isValid() else set()))
        targets = [self.model.rows[r] for r in rows if 0 <= r < len(self.model.rows)]
        groups = sorted({t.gi for t in targets if t.ii is None}, reverse=True)
        inds = sorted(((t.gi, t.ii) for t in targets if t.ii is not None and t.gi not in groups), reverse=True)
        if not groups and not inds:
            return
        for gi, ii in inds:
            assert ii is not None
            project = edits.remove_indicator(project, (self.ci, gi, ii))
        for gi in groups:
            project = edits.remove_group(project, self.ci, gi)
        self.ctl.edit(project, "删除指标")
        if self.model.rows:
            row = min(rows[0], len(self.model.rows) - 1)
            self.table.setCurrentIndex(self.model.index(row, self.model.column_of(COL_NAME)))

    def move_up(self) -> None:
        self.move_row(-1)

    def move_down(self) -> None:
        self.move_row(1)

    def move_row(self, delta: int) -> None:
        project, pos = self.ctl.project, self.current_position()
        if project is None or pos is None or pos[1] is None:
            return
        gi, ii = pos[0], pos[1]
        col = self.table.currentIndex().column()
        count = len(project.categories[self.ci].groups[gi].indicators)
        to = ii + delta
        if not 0 <= to < count:
            return
        self.ctl.edit(edits.move_indicator(project, (self.ci, gi, ii), to), "移动指标")
        self.table.setCurrentIndex(self.model.index(self.model.row_of(gi, to), col))

    def insert_group(self) -> None:
        project = self.ctl.project
        if project is None:
            return
        pos = self.current_position()
        gi = len(project.categories[self.ci].groups) if pos is None else pos[0] + 1
        group = Group("新二级指标", None, (edits.new_indicator(),))
        self.ctl.edit(edits.insert_group(project, self.ci, gi, group), "新增二级指标")
        self.select(gi, None, COL_GROUP)

