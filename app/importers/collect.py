"""Collect (汇集) units' files into the bureau's year file: each source all or nothing, duplicates decided."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from app.importers.sources import READERS, Loaded, SourceError
from app.models.document import JxdbError
from app.models.mapping import ProjectSummary
from app.scoring.records import Project, Template


class CollectTarget(Protocol):
    """What collect writes into: a .jxdb Document or a ServerDocument."""

    @property
    def path(self) -> Path | None: ...
    @property
    def read_only(self) -> bool: ...
    def list_projects(self, year: int | None = None) -> list[ProjectSummary]: ...
    def add_projects(self, items: Sequence[tuple[Project, Template]], *,
                     replacing: Sequence[int] = ()) -> list[int]: ...


#: File kinds a folder is searched for (an .xls is only read when named explicitly).
COLLECTED_SUFFIXES = (".jxdb", ".xlsx", ".json")


class Decision(Enum):
    """What to do with a project that is already in the bureau's file (same unit, name and year)."""

    KEEP = "keep"  # 保留: keep the one in the file, skip the incoming one
    REPLACE = "replace"  # 替换: the incoming one takes the place of the one in the file
    BOTH = "both"  # 都保留: add the incoming one beside it


DECISION_LABELS = {Decision.KEEP: "保留原有", Decision.REPLACE: "替换", Decision.BOTH: "都保留"}


@dataclass(frozen=True)
class Duplicate:
    """An incoming project that matches one already in the file (or earlier in this run)."""

    incoming: Project
    source: Path
    existing_name: str
    existing_unit: str
    existing_year: int
    existing_where: str  # "文件中已有", "本次汇集的“x.json”中" or "同一文件中前面"


@dataclass
class SourceOutcome:
    """What became of one source: projects added, replaced, kept twice, skipped, or why it was refused."""

    source: Path
    added: list[str] = field(default_factory=list)  # project labels
    replaced: list[str] = field(default_factory=list)
    kept_both: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # duplicates where the file's version was kept
    other_year: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    refused: str = ""

    @property
    def taken(self) -> int:
        return len(self.added) + len(self.replaced) + len(self.kept_both)

    def summary(self) -> str:
        """One Chinese line: 汇集 3 个项目（替换 1 个，都保留 1 个），跳过重复 1 个 — or why it was refused."""
        if self.refused:
            return f"未汇集：{self.refused}"
        text = f"汇集 {self.taken} 个项目"
        detail = [f"{w} {len(x)} 个" for w, x in (("替换", self.replaced), ("都保留", self.kept_both)) if x]
        if detail:
            text += "（" + "，".join(detail) + "）"
        if self.skipped:
            text += f"，重复未汇集 {len(self.skipped)} 个（保留原有）"
        if self.other_year:
            text += f"，其他年度未汇集 {len(self.other_year)} 个"
        if self.problems:
            text += f"，{len(self.problems)} 条提示"
        return text


@dataclass
class CollectReport:
    """Every source's outcome, in the order they were collected."""

    outcomes: list[SourceOutcome] = field(default_factory=list)
    cancelled: bool = False

    @property
    def taken(self) -> int:
        return sum(o.taken for o in self.outcomes)

    @property
    def refused(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.refused]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def identity(project: Project) -> tuple[int, str, str]:
    """What makes two projects "the same project sent twice": year, unit (or department), name."""
    return project.year, _norm(project.unit or project.department), _norm(project.name)


def label(project: Project) -> str:
    return f"{project.year}年 {project.unit or project.department or '未填写单位'} {project.name or '未命名项目'}"


def find_sources(paths: Sequence[Path], exclude: Path | None = None) -> tuple[list[Path], list[SourceOutcome]]:
    """Files to collect: named files as given, folders searched (with their subfolders) for .jxdb, .xlsx and
    .json. Returns the files and the outcomes of paths refused at once (missing, unsupported)."""
    files: list[Path] = []
    refused: list[SourceOutcome] = []
    skip = exclude.resolve() if exclude is not None else None

    def add(path: Path) -> None:
        if skip is not None and path.resolve() == skip:
            return
        if path not in files:
            files.append(path)

    for path in paths:
        if path.is_dir():
            found = sorted((p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in COLLECTED_SUFFIXES
                            and not p.name.startswith(("~$", "."))), key=lambda p: str(p).lower())
            for p in found:
                add(p)
        elif not path.exists():
            refused.append(SourceOutcome(path, refused="文件不存在，请检查路径"))
        elif path.suffix.lower() not in READERS:
            kinds = "、".join(COLLECTED_SUFFIXES)
            refused.append(SourceOutcome(path, refused=f"不支持的文件类型“{path.suffix}”，可汇集：{kinds}"))
        else:
            add(path)
    return files, refused


def read_one(path: Path, templates: dict[str, Template]) -> tuple[list[Loaded], list[str]]:
    """Every project of one source and its problems; raises SourceError with a Chinese reason."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise SourceError(f"不支持的文件类型“{path.suffix}”")
    try:
        read = reader(path, templates)
    except PermissionError as exc:
        raise SourceError("没有读取权限，请检查文件权限") from exc
    except IsADirectoryError as exc:
        raise SourceError("这是一个文件夹") from exc
    except OSError as exc:
        raise SourceError(f"无法读取（{exc.strerror or exc}）") from exc
    if not read.items:
        raise SourceError("文件中没有项目")
    return read.items, read.problems


def _reason(exc: Exception, path: Path) -> str:
    text = str(exc)
    prefix = f"{path.name}："
    return text[len(prefix):] if text.startswith(prefix) else text


Decide = Callable[[Duplicate], Decision | None]  # None: stop collecting (the user cancelled)
Progress = Callable[[int, int, Path], bool]  # (done, total, current source) → False to cancel
Key = tuple[int, str, str]


@dataclass(frozen=True)
class _Known:
    """A project already in the file (or collected earlier in this run)."""

    id: int
    name: str
    unit: str
    year: int
    where: str


def collect(doc: CollectTarget, paths: Sequence[Path], templates: dict[str, Template], decide: Decide, *,
            year: int | None = None, progress: Progress | None = None) -> CollectReport:
    """Collect every source into ``doc``. A source is read whole first; if it cannot be read, or writing it
    fails, nothing of it is added (one transaction per source). ``decide`` is asked about each duplicate."""
    if doc.read_only:
        raise JxdbError("文件是只读的，不能汇集。请先另存为可写的文件。")
    files, early = find_sources(paths, doc.path)
    report = CollectReport(list(early))
    index: dict[Key, _Known] = {}
    for s in doc.list_projects():
        key = (s.year, _norm(s.unit or s.department), _norm(s.name))
        index.setdefault(key, _Known(s.id, s.name, s.unit or s.department, s.year, "文件中已有"))
    for done, path in enumerate(files):
        if progress is not None and not progress(done, len(files), path):
            report.cancelled = True
            break
        outcome = SourceOutcome(path)
        try:
            items, outcome.problems = read_one(path, templates)
        except (SourceError, JxdbError) as exc:
            outcome.refused = _reason(exc, path)
            report.outcomes.append(outcome)
            continue
        plan = _plan(items, index, outcome, decide, year)
        if plan is None:
            report.cancelled = True
            break
        adds, replacing = plan
        report.outcomes.append(outcome)
        if not adds:
            continue
        try:
            ids = doc.add_projects(adds, replacing=replacing)
        except JxdbError as exc:
            outcome.added, outcome.replaced, outcome.kept_both, outcome.skipped = [], [], [], []
            outcome.refused = f"写入失败，此文件的项目均未汇集（{exc}）"
            continue
        gone = set(replacing)
        for key in [k for k, v in index.items() if v.id in gone]:
            del index[key]
        for (project, _), new_id in zip(adds, ids, strict=True):
            index.setdefault(identity(project), _Known(new_id, project.name, project.unit or project.department,
                                                       project.year, f"本次汇集的“{path.name}”中"))
    if progress is not None and not report.cancelled and files:
        progress(len(files), len(files), files[-1])
    return report


def _plan(items: list[Loaded], index: dict[Key, _Known], outcome: SourceOutcome, decide: Decide,
          year: int | None) -> tuple[list[tuple[Project, Template]], list[int]] | None:
    """What to write for one source: projects to add and ids they replace; None when the user cancelled."""
    adds: list[tuple[Project, Template]] = []
    replacing: list[int] = []
    pending: dict[Key, int] = {}  # a project of this same source, by position in ``adds``
    for item in items:
        project = item.project
        if year is not None and project.year != year:
            outcome.other_year.append(label(project))
            continue
        key = identity(project)
        here, known = pending.get(key), index.get(key)
        if here is None and known is None:
            pending[key] = len(adds)
            adds.append((project, item.template))
            outcome.added.append(label(project))
            continue
        if here is not None:
            prior = adds[here][0]
            dup = Duplicate(project, item.source, prior.name, prior.unit or prior.department, prior.year,
                            "同一文件中前面")
        else:
            assert known is not None
            dup = Duplicate(project, item.source, known.name, known.unit, known.year, known.where)
        decision = decide(dup)
        if decision is None:
            return None
        if decision is Decision.KEEP:
            outcome.skipped.append(label(project))
        elif decision is Decision.BOTH:
            adds.append((project, item.template))
            outcome.kept_both.append(label(project))
        elif here is not None:
            adds[here] = (project, item.template)  # still one project taken: the later of the two
            outcome.problems.append(f"{label(project)}：同一文件中出现两次，已采用后一个")
        else:
            assert known is not None
            replacing.append(known.id)
            pending[key] = len(adds)
            adds.append((project, item.template))
            outcome.replaced.append(label(project))
    return adds, replacing
