"""年度总览: every project of a year in a sortable, filterable table with four charts, exportable as PNG and 汇总表."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.exporters.atomic import ExportError, atomic_write
from app.exporters.batch import SummaryRow, summary_row
from app.exporters.summary import export_summary
from app.exporters.yearstats import GRADE_ORDER
from app.models.errors import JxdbError
from app.scoring.engine import score_project
from app.scoring.numbers import fmt_decimal, fmt_percent
from app.scoring.records import REVIEW_STATUSES, Project, ScoreReport
from app.ui.charts import ChartsWidget
from app.ui.controller import DocumentLike
from app.ui.dialogs import prompts
from app.ui.screen_fit import fit_to_screen

COLUMNS = ("实施单位", "项目名称", "全年预算（万元）", "执行率", "自评", "复核", "等级", "复核状态", "问题")
ALL = "（全部）"
SLICE_SECONDS = 0.012  # scoring work per event-loop turn, so the window stays responsive
BATCH = 20  # projects read with one set of queries
CHART_EVERY = 0.3  # seconds between chart updates while scores are still being computed
_STATUS_COLOURS = {"已复核": QColor("#1b7f3b"), "退回修改": QColor("#b00020")}


class OverviewModel(QAbstractTableModel):
    """One row per project of the year; score columns stay empty until the project has been scored."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.ids: list[int] = []
        self.idents: list[tuple[str, str]] = []  # (unit, name) known before scoring
        self.rows: dict[int, SummaryRow] = {}

    def reset(self, items: list[tuple[int, str, str]]) -> None:
        self.beginResetModel()
        self.ids = [i for i, _, _ in items]
        self.idents = [(u, n) for _, u, n in items]
        self.rows = {}
        self.endResetModel()

    def set_row(self, row: SummaryRow) -> None:
        assert row.project_id is not None
        self.rows[row.project_id] = row
        try:
            r = self.ids.index(row.project_id)
        except ValueError:
            return
        self.idents[r] = (row.unit or row.department, row.name)
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    def scored(self) -> list[SummaryRow]:
        return [self.rows[i] for i in self.ids if i in self.rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        pid = self.ids[r]
        row = self.rows.get(pid)
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return self._key(row, r, c)
        if role == Qt.ItemDataRole.UserRole + 1:
            return pid
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole and c >= 2:
            align = Qt.AlignmentFlag.AlignCenter if c >= 6 else Qt.AlignmentFlag.AlignRight
            return int(align | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row is not None and c == 7:
            return _STATUS_COLOURS.get(row.status)
        return None

    def _text(self, row: SummaryRow | None, r: int, c: int) -> str:
        if c < 2:
            return self.idents[r][c]
        if row is None:
            return "…" if c == 4 else ""
        values = (
            fmt_decimal(row.adjusted, 2),
            fmt_percent(row.execution_rate) if row.execution_rate is not None else "—",
            fmt_decimal(row.total, 2),
            fmt_decimal(row.reviewer_total, 2) if row.reviewer_total is not None else "",
            row.grade,
            row.status,
            str(row.issues) if row.issues else "",
        )
        return values[c - 2]

    def _key(self, row: SummaryRow | None, r: int, c: int) -> Any:
        if c < 2:
            return self.idents[r][c]
        if row is None:
            return -1.0
        grade_rank = GRADE_ORDER.index(row.grade) if row.grade in GRADE_ORDER else len(GRADE_ORDER)
        status_rank = REVIEW_STATUSES.index(row.status) if row.status in REVIEW_STATUSES else len(REVIEW_STATUSES)
        keys: tuple[Any, ...] = (
            float(row.adjusted), float(row.execution_rate) if row.execution_rate is not None else -1.0,
            float(row.total), float(row.reviewer_total) if row.reviewer_total is not None else -1.0,
            -grade_rank, status_rank, row.issues)
        return keys[c - 2]


class OverviewFilter(QSortFilterProxyModel):
    """Unit, grade, review state and words; rows not yet scored pass only the unit and word filters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.unit = self.grade = self.status = ""
        self.words = ""
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setSortLocaleAware(True)  # Chinese names in the collation order of the system

    def set_filters(self, unit: str, grade: str, status: str, words: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later
            self.beginFilterChange()
            self.unit, self.grade, self.status, self.words = unit, grade, status, words.strip()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.unit, self.grade, self.status, self.words = unit, grade, status, words.strip()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, OverviewModel)
        unit, name = model.idents[source_row]
        row = model.rows.get(model.ids[source_row])
        if self.unit and unit != self.unit:
            return False
        if self.words and self.words not in unit and self.words not in name:
            return False
        if self.grade and (row is None or row.grade != self.grade):
            return False
        return not (self.status and (row is None or row.status != self.status))

    def visible_rows(self) -> list[SummaryRow]:
        """The scored rows the filters let through (in the model's order: the charts do not depend on it)."""
        model = self.sourceModel()
        assert isinstance(model, OverviewModel)
        if not (self.unit or self.grade or self.status or self.words):
            return model.scored()
        root = QModelIndex()
        return [model.rows[pid] for r, pid in enumerate(model.ids)
                if pid in model.rows and self.filterAcceptsRow(r, root)]


class OverviewWindow(QDialog):
    """Not modal: the main window stays usable; its edits update the overview at once (``project_changed``)."""

    projectActivated = Signal(int)

    def __init__(self, doc: DocumentLike, parent: QWidget | None = None, *, year: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("年度总览")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        fit_to_screen(self, 1280, 900)
        self.doc = doc
        self._pending: list[int] = []
        self._charted = 0.0
        self.first_paint: float | None = None
        self.year = QComboBox(self)
        self.unit = QComboBox(self)
        self.grade = QComboBox(self)
        self.status = QComboBox(self)
        self.words = QLineEdit(self)
        self.words.setPlaceholderText("搜索单位或项目名称")
        self.words.setClearButtonEnabled(True)
        for combo in (self.year, self.unit, self.grade, self.status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setMinimumContentsLength(6)
        self.grade.addItems([ALL, *GRADE_ORDER])
        self.status.addItems([ALL, *REVIEW_STATUSES])
        bar = QHBoxLayout()
        for label, widget in (("年度(&N)", self.year), ("单位(&U)", self.unit), ("等级(&G)", self.grade),
                              ("复核状态(&S)", self.status)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            bar.addWidget(caption)
            bar.addWidget(widget)
        bar.addWidget(self.words, 1)
        self.model = OverviewModel(self)
        self.proxy = OverviewFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        char = self.fontMetrics().averageCharWidth()
        for col, chars in enumerate((16, 30, 12, 9, 8, 8, 5, 8, 5)):
            self.table.setColumnWidth(col, chars * char * 2 if col < 2 else chars * char + 24)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._activated)
        self.charts = ChartsWidget(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.charts)
        split.setSizes([420, 480])
        self.info = QLabel(self)
        self.png_button = QPushButton("导出图表(&P)…", self)
        self.png_button.setToolTip("把四张图表保存为 PNG 图片")
        self.xlsx_button = QPushButton("导出汇总表(&X)…", self)
        self.xlsx_button.setToolTip("把当前筛选出的项目写成汇总表（含打印设置和“图表”工作表）")
        close = QPushButton("关闭", self)
        self.png_button.clicked.connect(self.export_png)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.info, 1)
        bottom.addWidget(self.png_button)
        bottom.addWidget(self.xlsx_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._score_some)
        self.year.currentIndexChanged.connect(lambda _: self.load())
        for combo in (self.unit, self.grade, self.status):
            combo.currentIndexChanged.connect(lambda _: self._filter())
        self.words.textChanged.connect(lambda _: self._filter())
        self._fill_years(year)

    # ------------------------------------------------------------------ loading

    def _fill_years(self, year: int | None) -> None:
        years = self.doc.years()
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(f"{y} 年", y)
        index = self.year.findData(year) if year is not None else 0
        self.year.setCurrentIndex(max(index, 0))
        self.year.blockSignals(False)
        self.load()

    def reload(self) -> None:
        """Projects were added or deleted: the years and rows again, the same year kept."""
        self._fill_years(self.selected_year())

    def selected_year(self) -> int | None:
        value = self.year.currentData()
        return int(value) if value is not None else None

    def load(self) -> None:
        """The year's projects at once (names, units), then their scores a slice at a time."""
        year = self.selected_year()
        summaries = self.doc.list_projects(year) if year is not None else []
        self.model.reset([(s.id, s.unit or s.department, s.name) for s in summaries])
        units = sorted({s.unit or s.department for s in summaries})
        current = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItems([ALL, *units])
        self.unit.setCurrentIndex(max(self.unit.findText(current), 0))
        self.unit.blockSignals(False)
        self._pending = [s.id for s in summaries]
        self._filter()
        self._timer.start(0)

    def _score_some(self) -> None:
        start = time.perf_counter()
        load_many = getattr(self.doc, "load_projects", None)
        while self._pending and time.perf_counter() - start < SLICE_SECONDS:
            batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
            try:
                projects = load_many(batch) if load_many is not None else [self.doc.load_project(i) for i in batch]
            except JxdbError:  # one damaged project: read them one by one, leaving that one without scores
                projects = []
                for pid in batch:
                    with contextlib.suppress(JxdbError):
                        projects.append(self.doc.load_project(pid))
            for project in projects:
                try:
                    report = score_project(project, self.doc.template_for(project))
                except JxdbError:
                    continue  # opening the project in the window says what is wrong with it
                self.model.set_row(summary_row(project, report))
        if self._pending:
            self._timer.start(0)
        now = time.perf_counter()
        if not self._pending or now - self._charted >= CHART_EVERY:  # charts while scoring: a few times a second
            self._charted = now
            self._refresh_charts()

    def finished_scoring(self) -> bool:
        return not self._pending

    def project_changed(self, project: Project, report: ScoreReport) -> None:
        """An edit in the main window: one row and the charts follow at once."""
        if project.id is not None and project.id in self.model.ids:
            self.model.set_row(summary_row(project, report))
            self._refresh_charts()

    # ------------------------------------------------------------------ filters and charts

    def _filter(self) -> None:
        pick = [c.currentText() if c.currentText() != ALL else "" for c in (self.unit, self.grade, self.status)]
        self.proxy.set_filters(pick[0], pick[1], pick[2], self.words.text())
        self._refresh_charts()

    def _refresh_charts(self) -> None:
        rows = self.proxy.visible_rows()
        self.charts.set_rows(rows)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"显示 {shown} / {total} 个项目"
        if self._pending:
            text += f"（正在计算得分：{total - len(self._pending)} / {total}）"
        self.info.setText(text)

    def _activated(self, index: QModelIndex) -> None:
        pid = self.proxy.data(index, Qt.ItemDataRole.UserRole + 1)
        if isinstance(pid, int):
            self.projectActivated.emit(pid)

    # ------------------------------------------------------------------ export

    def _target(self, suggested: str, file_filter: str, suffix: str) -> Path | None:
        folder = self.doc.path.parent if self.doc.path is not None else Path.home()
        path = prompts.save_file(self, str(folder / suggested), file_filter)
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        question = f"“{path.name}”已存在。要替换它吗？"
        if path.exists() and not prompts.confirm(self, "文件已存在", question, "替换", "取消"):
            return None
        return path

    def _title(self) -> str:
        year = self.selected_year()
        return f"{year}年度" if year is not None else ""

    def export_png(self) -> Path | None:
        path = self._target(f"{self._title()}绩效自评图表.png", "PNG 图片 (*.png)", ".png")
        if path is None:
            return None
        image = self.charts.image(QSize(1800, 1150), scale=1.5)

        def write(tmp: Path) -> None:
            if not image.save(str(tmp), "PNG"):  # type: ignore[call-overload]  # the stubs say bytes; Qt wants str
                raise OSError(5, "图片写入失败")

        return self._write(path, write)

    def export_xlsx(self) -> Path | None:
        if not self.finished_scoring():
            prompts.info(self, "请稍候", "得分还在计算中，请等计算完成后再导出汇总表。")
            return None
        rows = self.proxy.visible_rows()
        if not rows:
            prompts.info(self, "没有项目", "当前筛选条件下没有项目。")
            return None
        path = self._target(f"{self._title()}汇总表.xlsx", "Excel 工作簿 (*.xlsx)", ".xlsx")
        if path is None:
            return None
        return self._write(path, lambda tmp: export_summary(rows, tmp))

    def _write(self, path: Path, write: Any) -> Path | None:
        try:
            atomic_write(path, write)
        except ExportError as exc:
            prompts.error(self, "导出失败", str(exc))
            return None
        self.info.setText(f"已导出到 {path}")
        return path
