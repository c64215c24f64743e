"""文件 → 汇集…: choose units' files and folders, decide duplicates, watch the progress, read the report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.importers.collect import DECISION_LABELS, CollectReport, CollectTarget, Decision, Duplicate, collect
from app.models.document import JxdbError
from app.scoring.records import Template
from app.ui.dialogs import prompts

ASK = "ask"


class DuplicateDialog(QDialog):
    """The same project (unit, name, year) sent twice: 保留原有 / 替换 / 都保留, or stop collecting."""

    def __init__(self, dup: Duplicate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("重复的项目")
        self.choice: Decision | None = None
        p = dup.incoming
        self.text = text = QLabel(
            f"“{dup.source.name}”中的项目\n\n    {p.year}年  {p.unit or p.department or '未填写单位'}  {p.name}\n\n"
            f"与{dup.existing_where}的项目同名（同一单位、同一年度）：\n\n"
            f"    {dup.existing_year}年  {dup.existing_unit or '未填写单位'}  {dup.existing_name}\n\n"
            "如何处理？", self)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.same_for_rest = QCheckBox("以后的重复项目都这样处理", self)
        buttons = QDialogButtonBox(self)
        self.buttons: dict[Decision | None, QPushButton] = {}
        for decision, caption, role in ((Decision.KEEP, "保留原有(&K)", QDialogButtonBox.ButtonRole.AcceptRole),
                                        (Decision.REPLACE, "替换(&R)", QDialogButtonBox.ButtonRole.AcceptRole),
                                        (Decision.BOTH, "都保留(&B)", QDialogButtonBox.ButtonRole.AcceptRole),
                                        (None, "停止汇集", QDialogButtonBox.ButtonRole.RejectRole)):
            button = buttons.addButton(caption, role)
            button.clicked.connect(lambda _=False, d=decision: self._choose(d))
            self.buttons[decision] = button
        self.buttons[Decision.KEEP].setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.same_for_rest)
        layout.addWidget(buttons)

    def _choose(self, decision: Decision | None) -> None:
        self.choice = decision
        if decision is None:
            self.reject()
        else:
            self.accept()


class CollectDialog(QDialog):
    """Sources to collect into the open file; the work runs here with a progress bar, then a per-source report."""

    def __init__(self, doc: CollectTarget, templates: dict[str, Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("汇集各单位的文件")
        self.resize(760, 560)
        self._doc, self._templates = doc, templates
        self.report: CollectReport | None = None
        self._running = False
        self._cancel = False
        name = doc.path.name if doc.path is not None else str(getattr(doc, "display_name", "") or "未命名.jxdb")
        intro = QLabel(f"把各单位报来的文件（.jxdb、.xlsx 自评表、.json）中的项目汇集到“{name}”。"
                       "文件夹连同子文件夹一起查找。一个文件读不出来时，这个文件的项目一个也不汇集。", self)
        intro.setWordWrap(True)
        self.sources = QListWidget(self)
        self.sources.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.add_files_button = QPushButton("添加文件(&F)…", self)
        self.add_folder_button = QPushButton("添加文件夹(&D)…", self)
        self.remove_button = QPushButton("移除(&M)", self)
        self.add_files_button.clicked.connect(self._add_files)
        self.add_folder_button.clicked.connect(self._add_folder)
        self.remove_button.clicked.connect(self._remove)
        side = QVBoxLayout()
        for b in (self.add_files_button, self.add_folder_button, self.remove_button):
            side.addWidget(b)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        row.addLayout(side)
        self.on_duplicate = QComboBox(self)
        self.on_duplicate.addItem("每次询问", ASK)
        for decision in Decision:
            self.on_duplicate.addItem(DECISION_LABELS[decision], decision.value)
        self.year = QSpinBox(self)
        self.year.setRange(1999, 2100)
        self.year.setSpecialValueText("全部年度")  # the minimum: no year filter
        self.year.setValue(self.year.minimum())
        self.year.setSuffix(" 年")
        form = QFormLayout()
        form.addRow("同一单位、同一项目、同一年度已在文件中时(&U)：", self.on_duplicate)
        form.addRow("只汇集年度(&N)：", self.year)
        self.progress = QProgressBar(self)
        self.progress.setFormat("%v / %m 个文件")
        self.progress.hide()
        self.status = QLabel(self)
        self.results = QTableWidget(0, 2, self)
        self.results.setHorizontalHeaderLabels(["文件", "结果"])
        self.results.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.results.setWordWrap(True)
        self.results.hide()
        self.start_button = QPushButton("开始汇集(&S)", self)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton("关闭", self)
        self.close_button.clicked.connect(self._cancel_or_close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.start_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row, 1)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.results, 2)
        layout.addLayout(bottom)
        self._update_buttons()

    # ------------------------------------------------------------------ sources

    def _folder(self) -> str:
        return str(self._doc.path.parent) if self._doc.path is not None else str(Path.home())

    def add_sources(self, paths: list[Path]) -> None:
        present = {self.sources.item(i).text() for i in range(self.sources.count())}
        for path in paths:
            if str(path) not in present:
                self.sources.addItem(str(path))
                present.add(str(path))
        self._update_buttons()

    def _add_files(self) -> None:
        self.add_sources(prompts.collect_files(self, self._folder()))

    def _add_folder(self) -> None:
        folder = prompts.collect_folder(self, self._folder())
        if folder is not None:
            self.add_sources([folder])

    def _remove(self) -> None:
        for item in self.sources.selectedItems():
            self.sources.takeItem(self.sources.row(item))
        self._update_buttons()

    def chosen(self) -> list[Path]:
        return [Path(self.sources.item(i).text()) for i in range(self.sources.count())]

    def _update_buttons(self) -> None:
        idle = not self._running
        for w in (self.add_files_button, self.add_folder_button, self.remove_button, self.sources,
                  self.on_duplicate, self.year):
            w.setEnabled(idle)
        self.start_button.setEnabled(idle and self.sources.count() > 0)
        self.close_button.setText("取消" if self._running else "关闭")

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        paths = self.chosen()
        if not paths or self._running:
            return
        rule = self.on_duplicate.currentData()
        fixed: list[Decision | None] = [None if rule == ASK else Decision(rule)]

        def decide(dup: Duplicate) -> Decision | None:
            if fixed[0] is not None:
                return fixed[0]
            dialog = DuplicateDialog(dup, self)
            dialog.exec()
            if dialog.choice is not None and dialog.same_for_rest.isChecked():
                fixed[0] = dialog.choice
            return dialog.choice

        def progress(done: int, total: int, path: Path) -> bool:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            self.status.setText(f"正在读取：{path.name}" if done < total else "")
            QApplication.processEvents()
            return not self._cancel

        self._running, self._cancel = True, False
        self.progress.setValue(0)
        self.progress.show()
        self._update_buttons()
        try:
            year = None if self.year.value() == self.year.minimum() else self.year.value()
            self.report = collect(self._doc, paths, self._templates, decide, year=year, progress=progress)
        except JxdbError as exc:
            prompts.error(self, "无法汇集", str(exc))
            self.report = None
        finally:
            self._running = False
            self._update_buttons()
        if self.report is not None:
            self._show(self.report)

    def _show(self, report: CollectReport) -> None:
        self.results.setRowCount(0)
        for outcome in report.outcomes:
            row = self.results.rowCount()
            self.results.insertRow(row)
            name = QTableWidgetItem(outcome.source.name)
            name.setToolTip(str(outcome.source))
            details = [outcome.summary(), *(f"提示：{p}" for p in outcome.problems[:20])]
            if len(outcome.problems) > 20:
                details.append(f"……另有 {len(outcome.problems) - 20} 条提示")
            result = QTableWidgetItem("\n".join(details))
            lists = (("新增", outcome.added), ("替换", outcome.replaced), ("都保留", outcome.kept_both),
                     ("重复未汇集", outcome.skipped), ("其他年度", outcome.other_year))
            result.setToolTip("\n".join(f"{w}：{x}" for w, items in lists for x in items) or outcome.summary())
            if outcome.refused:
                result.setForeground(QColor("#b00020"))
            self.results.setItem(row, 0, name)
            self.results.setItem(row, 1, result)
        self.results.show()
        refused = len(report.refused)
        text = f"已汇集 {report.taken} 个项目"
        if refused:
            text += f"，{refused} 个文件未汇集（原因见上表，文件中的内容未受影响）"
        if report.cancelled:
            text += "。已停止：其余文件没有汇集"
        self.status.setText(text + "。保存文件后生效。" if report.taken else text + "。")
        self.close_button.setFocus()

    def _cancel_or_close(self) -> None:
        if self._running:
            self._cancel = True
        else:
            self.accept() if self.report is not None else self.reject()

    def reject(self) -> None:
        if self._running:
            self._cancel = True
            return
        super().reject()
