"""文件 → 批量导出: choose year, projects, formats and folder; export in the background with progress and 取消."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
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
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.exporters.atomic import ExportError
from app.exporters.batch import (
    FORMATS,
    BatchOutcome,
    Job,
    ProjectResult,
    Source,
    open_read_only,
    plan_jobs,
    run_batch,
)
from app.models.errors import JxdbError, reason
from app.ui.dialogs import prompts

log = logging.getLogger(__name__)


class _Worker(QObject):
    """Runs the batch in a thread (the batch itself uses worker processes); reports by signal."""

    progressed = Signal(object)  # ProjectResult
    finished = Signal(object)  # BatchOutcome or str (an error message)

    def __init__(self, path: Path, jobs: list[Job], folder: Path, formats: list[str], overwrite: bool,
                 opener: Callable[[Path], Source], workers: int | None) -> None:
        super().__init__()
        self.path, self.jobs, self.folder = path, jobs, folder
        self.formats, self.overwrite, self.opener, self.workers = formats, overwrite, opener, workers
        self.cancel = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            outcome = run_batch(self.path, self.opener, self.jobs, self.folder, formats=self.formats,
                                workers=self.workers, overwrite=self.overwrite, progress=self.progressed.emit,
                                cancel=self.cancel)
            self.finished.emit(outcome)
        except Exception as exc:  # reported in the dialog; the user's file is only read
            log.exception("batch export stopped")
            why = str(exc) if isinstance(exc, JxdbError | ExportError) else \
                reason(exc) if isinstance(exc, OSError) else f"意外错误 {exc.__class__.__name__}，详情已写入日志"
            self.finished.emit(f"批量导出中断：{why}")


class BatchExportDialog(QDialog):
    """Choose what to export, then watch it run. The file must be saved (workers read it from disk)."""

    def __init__(self, path: Path, projects: Sequence[tuple[int, int, str, str]], parent: QWidget | None = None,
                 *, default_folder: Path | None = None, opener: Callable[[Path], Source] = open_read_only,
                 workers: int | None = None) -> None:
        """``projects``: (id, year, unit, name) of every project of the file."""
        super().__init__(parent)
        self.setWindowTitle("批量导出")
        self.resize(640, 560)
        self._path, self._projects, self._opener, self._workers = path, list(projects), opener, workers
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.outcome: BatchOutcome | None = None

        form = QFormLayout()
        self.year = QComboBox()
        years = sorted({p[1] for p in projects}, reverse=True)
        self.year.addItem("全部年度", None)
        for y in years:
            self.year.addItem(f"{y}年", y)
        if years:
            self.year.setCurrentIndex(1)
        self.year.currentIndexChanged.connect(self._fill_projects)
        form.addRow("年度(&N)：", self.year)
        self.project_list = QListWidget()
        form.addRow("项目(&X)：", self.project_list)
        fmt_row = QHBoxLayout()
        self.format_boxes: dict[str, QCheckBox] = {}
        for key, (suffix, label) in FORMATS.items():
            box = QCheckBox(f"{label}（{suffix}）")
            box.setChecked(True)
            self.format_boxes[key] = box
            fmt_row.addWidget(box)
        form.addRow("格式：", fmt_row)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder or path.parent / f"{path.stem}-导出"))
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        folder_label = QLabel("导出到(&D)：")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        self.overwrite = QCheckBox("覆盖已存在的同名文件")
        form.addRow("", self.overwrite)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("开始导出", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button = self.buttons.addButton("打开文件夹", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setVisible(False)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.open_button.clicked.connect(self._open_folder)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        self.status = QLabel("")
        layout.addWidget(self.status)
        layout.addWidget(self.log)
        layout.addWidget(self.buttons)
        self._fill_projects()

    # ------------------------------------------------------------------ choosing

    def _fill_projects(self) -> None:
        year = self.year.currentData()
        self.project_list.clear()
        for pid, y, unit, name in self._projects:
            if year is None or y == year:
                item = QListWidgetItem(f"{y}  {unit}  {name}")
                item.setData(Qt.ItemDataRole.UserRole, (pid, unit, name))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.project_list.addItem(item)

    def chosen(self) -> list[tuple[int, str, str]]:
        out = []
        for i in range(self.project_list.count()):
            item = self.project_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def formats(self) -> list[str]:
        return [k for k, box in self.format_boxes.items() if box.isChecked()]

    def _browse(self) -> None:
        folder = prompts.choose_folder(self, "选择导出文件夹", self.folder.text())
        if folder is not None:
            self.folder.setText(str(folder))

    # ------------------------------------------------------------------ running

    def start(self) -> None:
        chosen, formats = self.chosen(), self.formats()
        if not chosen or not formats:
            QMessageBox.information(self, "批量导出", "请至少选择一个项目和一种格式。")
            return
        folder = Path(self.folder.text().strip())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            jobs = plan_jobs(chosen, folder, formats)
        except (OSError, ValueError) as exc:
            why = reason(exc) if isinstance(exc, OSError) else str(exc)
            QMessageBox.warning(self, "批量导出", f"无法使用文件夹“{folder}”：{why}。请换一个文件夹。")
            return
        self._set_running(True, len(jobs))
        self._worker = _Worker(self._path, jobs, folder, formats, self.overwrite.isChecked(), self._opener,
                               self._workers)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._thread.start()

    def _set_running(self, running: bool, total: int = 0) -> None:
        for w in (self.year, self.project_list, self.folder, self.overwrite, *self.format_boxes.values()):
            w.setEnabled(not running)
        self.start_button.setEnabled(not running)
        self.progress.setVisible(True)
        self.log.setVisible(True)
        if running:
            self.progress.setRange(0, total)
            self.progress.setValue(0)
            self.log.clear()
            self.status.setText("正在导出…")

    @Slot(object)
    def _on_progress(self, result: ProjectResult) -> None:
        self.progress.setValue(self.progress.value() + 1)
        if result.error:
            self.log.appendPlainText(f"失败：{result.label}：{result.error}")

    @Slot(object)
    def _on_finished(self, outcome: object) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._set_running(False)
        self.cancel_button.setText("关闭")
        self.cancel_button.setEnabled(True)
        if isinstance(outcome, str):
            self.status.setText(outcome)
            return
        assert isinstance(outcome, BatchOutcome)
        self.outcome = outcome
        ok = len([r for r in outcome.results if not r.error])
        parts = [f"已导出 {ok} 个项目，共 {len(outcome.written)} 个文件"]
        if outcome.cancelled:
            parts.append("已取消（已写出的文件都是完整的）")
        if outcome.disk_full:
            parts.append("磁盘空间不足，导出已停止：请清理磁盘或换一个文件夹后重新导出")
        elif outcome.failed:
            parts.append(f"{len(outcome.failed)} 个项目失败，原因见下方")
        if outcome.summary_error:
            self.log.appendPlainText(f"汇总表未写出：{outcome.summary_error}")
        self.status.setText("；".join(parts) + "。")
        self.open_button.setVisible(bool(outcome.written))

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def _cancel_or_close(self) -> None:
        if self.is_running() and self._worker is not None:
            self._worker.cancel.set()
            self.status.setText("正在取消：等待正在写的文件完成…")
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def reject(self) -> None:
        if self.is_running():
            self._cancel_or_close()
            return
        super().reject()

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder.text()))
