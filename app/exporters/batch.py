"""Batch export of a year's projects in worker processes: one report, table and form each, plus 汇总表.xlsx."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any, Protocol

from app.exporters.atomic import DISK_FULL, ExportError, atomic_write
from app.exporters.naming import assign_stems
from app.models.document import Document
from app.models.errors import reason
from app.scoring.engine import score_project
from app.scoring.records import REVIEW_STATUSES, Level, Project, ScoreReport, Template

#: Formats in the order they are written: key → (suffix, Chinese name).
FORMATS: dict[str, tuple[str, str]] = {
    "docx": (".docx", "自评报告"),
    "xlsx": (".xlsx", "自评表"),
    "pdf": (".pdf", "打印表"),
}
SUMMARY_NAME = "汇总表.xlsx"


class Source(Protocol):
    """What a batch needs from an open .jxdb document (app.models.document.Document fits)."""

    def load_project(self, project_id: int) -> Project: ...

    def template_for(self, project: Project) -> Template: ...

    def close(self) -> None: ...


def open_read_only(path: Path) -> Source:
    """Open a .jxdb for reading in a worker process (module level so worker processes can receive it)."""
    return Document.open(path, read_only=True)


@dataclass(frozen=True)
class SummaryRow:
    """One line of 汇总表.xlsx, taken from the project and its score report."""

    year: int
    department: str
    unit: str
    name: str
    adjusted: Decimal  # 全年预算
    executed: Decimal  # 全年执行
    execution_rate: Decimal | None
    categories: tuple[tuple[str, Decimal, Decimal], ...]  # (name, score, weight)
    total: Decimal
    grade: str
    reviewer_total: Decimal | None
    status: str = REVIEW_STATUSES[0]  # 复核状态
    issues: int = 0  # errors and warnings of the score report
    project_id: int | None = None


@dataclass(frozen=True)
class ProjectResult:
    project_id: int
    label: str  # 单位-项目名称 for messages
    written: tuple[Path, ...] = ()
    error: str = ""
    row: SummaryRow | None = None


@dataclass
class BatchOutcome:
    results: list[ProjectResult] = field(default_factory=list)
    summary: Path | None = None
    summary_error: str = ""
    cancelled: bool = False
    #: The disk filled up: the batch stopped there (every further file would fail the same way).
    disk_full: bool = False

    def note(self, result: ProjectResult) -> None:
        self.results.append(result)
        if result.error.startswith(DISK_FULL):
            self.disk_full = True

    @property
    def failed(self) -> list[ProjectResult]:
        return [r for r in self.results if r.error]

    @property
    def written(self) -> list[Path]:
        out = [p for r in self.results for p in r.written]
        return [*out, self.summary] if self.summary else out


@dataclass(frozen=True)
class Job:
    project_id: int
    label: str
    stem: str


def summary_row(project: Project, report: ScoreReport) -> SummaryRow:
    b = project.budget
    return SummaryRow(
        year=project.year,
        department=project.department,
        unit=project.unit,
        name=project.name,
        adjusted=b.adjusted.total,
        executed=b.executed.total,
        execution_rate=report.execution_rate,
        categories=tuple((c.name, c.score, c.weight) for c in report.categories),
        total=report.total,
        grade=report.grade,
        reviewer_total=report.reviewer_total,
        status=project.review.status,
        issues=sum(1 for i in report.issues if i.level is not Level.INFO),
        project_id=project.id,
    )


def _writers() -> dict[str, Callable[[Project, Template, ScoreReport, Path], Any]]:
    from app.exporters.excel import export_xlsx
    from app.exporters.pdf import export_pdf
    from app.exporters.word import export_docx

    return {"docx": export_docx, "xlsx": export_xlsx, "pdf": export_pdf}


def export_one(source: Source, job: Job, folder: Path, formats: Sequence[str], overwrite: bool) -> ProjectResult:
    """Score one project and write its documents; any failure becomes a Chinese message, never an exception."""
    written: list[Path] = []
    try:
        project = source.load_project(job.project_id)
        template = source.template_for(project)
        report = score_project(project, template)
        writers = _writers()
        for fmt in formats:
            target = folder / (job.stem + FORMATS[fmt][0])
            writer = writers[fmt]

            def write(tmp: Path, writer: Callable[[Project, Template, ScoreReport, Path], Any] = writer) -> None:
                writer(project, template, report, tmp)

            atomic_write(target, write, overwrite=overwrite)
            written.append(target)
        return ProjectResult(job.project_id, job.label, tuple(written), "", summary_row(project, report))
    except ExportError as exc:
        return ProjectResult(job.project_id, job.label, tuple(written), str(exc))
    except Exception as exc:  # a damaged project or a bug: report it, keep going with the others
        if exc.__class__.__name__.endswith("Error") and _is_chinese(str(exc)):
            message = str(exc)
        elif isinstance(exc, OSError):
            message = f"无法导出（{reason(exc)}）"
        else:  # the library's own words are English: name the kind only
            message = f"内部错误（{exc.__class__.__name__}），该项目未导出"
        return ProjectResult(job.project_id, job.label, tuple(written), message)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --------------------------------------------------------------------------- worker processes

_worker_source: Source | None = None


#: How often a worker looks whether the process that started it is still alive (seconds).
PARENT_POLL = 0.5


def _worker_init(opener: Callable[[Path], Source], path: Path, parent_pid: int) -> None:
    global _worker_source
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="父进程监视").start()
    _worker_source = opener(path)
    Finalize(None, _worker_source.close, exitpriority=10)


def _parent_alive(parent_pid: int) -> bool:
    if os.name == "posix":
        return os.getppid() == parent_pid  # an orphan is adopted by init or a subreaper
    from app.models.lock import pid_alive

    return pid_alive(parent_pid)


def _watch_parent(parent_pid: int) -> None:
    """In a worker: exit as soon as the batch's process is gone (killed, crashed), after removing the
    worker's working copy; otherwise an orphan would live on and hold memory."""
    while _parent_alive(parent_pid):
        time.sleep(PARENT_POLL)
    source = _worker_source
    if source is not None:
        with contextlib.suppress(Exception):
            source.close()
    os._exit(3)


def _worker_run(job: Job, folder: Path, formats: tuple[str, ...], overwrite: bool) -> ProjectResult:
    assert _worker_source is not None
    return export_one(_worker_source, job, folder, formats, overwrite)


def plan_jobs(summaries: Sequence[tuple[int, str, str]], folder: Path, formats: Sequence[str]) -> list[Job]:
    """Jobs with unique, Windows-safe file stems (summaries: id, unit, name in export order)."""
    stems = assign_stems(summaries, folder, [FORMATS[f][0] for f in formats], taken=[Path(SUMMARY_NAME).stem])
    return [Job(pid, f"{unit}-{name}" if unit else name, stems[pid]) for pid, unit, name in summaries]


def run_batch(
    path: Path,
    opener: Callable[[Path], Source],
    jobs: Sequence[Job],
    folder: Path,
    *,
    formats: Sequence[str] = tuple(FORMATS),
    workers: int | None = None,
    overwrite: bool = False,
    summary_title: str = "项目支出绩效自评结果汇总表",
    progress: Callable[[ProjectResult], None] | None = None,
    cancel: threading.Event | None = None,
) -> BatchOutcome:
    """Export every job; each worker process opens ``path`` once with ``opener`` (read-only).

    A failing project does not stop the others. ``cancel`` stops handing out work; documents already being
    written finish (each file is complete or absent, never half-written). The summary is written last.
    """
    outcome = BatchOutcome()
    fmts = tuple(formats)
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or len(jobs) <= 1:
        source = opener(path)
        try:
            for job in jobs:
                if cancel is not None and cancel.is_set():
                    outcome.cancelled = True
                    break
                if outcome.disk_full:
                    break
                result = export_one(source, job, folder, fmts, overwrite)
                outcome.note(result)
                if progress:
                    progress(result)
        finally:
            source.close()
    else:
        _run_pool(path, opener, jobs, folder, fmts, workers, overwrite, outcome, progress, cancel)
    if not outcome.cancelled and not outcome.disk_full:
        _write_summary(outcome, folder, summary_title, overwrite)
    order = {job.project_id: i for i, job in enumerate(jobs)}
    outcome.results.sort(key=lambda r: order.get(r.project_id, 0))
    return outcome


def _run_pool(
    path: Path,
    opener: Callable[[Path], Source],
    jobs: Sequence[Job],
    folder: Path,
    fmts: tuple[str, ...],
    workers: int,
    overwrite: bool,
    outcome: BatchOutcome,
    progress: Callable[[ProjectResult], None] | None,
    cancel: threading.Event | None,
) -> None:
    ctx = multiprocessing.get_context("spawn")  # no fork: the window process holds Qt state
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=ctx, initializer=_worker_init,
        initargs=(opener, path, os.getpid())
    ) as pool:
        pending: dict[Future[ProjectResult], Job] = {}
        queue = list(jobs)
        while queue or pending:
            # keep a bounded number of jobs in flight so cancelling is quick and memory stays flat
            while queue and len(pending) < workers * 2 and not (cancel is not None and cancel.is_set()):
                job = queue.pop(0)
                pending[pool.submit(_worker_run, job, folder, fmts, overwrite)] = job
            if cancel is not None and cancel.is_set():
                outcome.cancelled = True
                queue.clear()
            if outcome.disk_full:
                queue.clear()
            if not pending:
                break
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for fut in done:
                job = pending.pop(fut)
                try:
                    result = fut.result()
                except Exception as exc:  # a worker died (e.g. out of memory): report, continue
                    result = ProjectResult(
                        job.project_id, job.label, (), f"导出进程异常退出（{exc.__class__.__name__}）"
                    )
                outcome.note(result)
                if progress:
                    progress(result)


def _write_summary(outcome: BatchOutcome, folder: Path, title: str, overwrite: bool) -> None:
    from app.exporters.summary import export_summary

    rows = [r.row for r in outcome.results if r.row is not None]
    if not rows:
        return
    target = folder / SUMMARY_NAME
    try:
        atomic_write(target, lambda tmp: export_summary(rows, tmp, title), overwrite=overwrite)
        outcome.summary = target
    except ExportError as exc:
        outcome.summary_error = str(exc)
