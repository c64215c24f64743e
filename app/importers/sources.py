"""Project sources by file suffix (.json interchange, .jxdb project file, .xlsx 自评表), read for score and import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.importers.workbook import WorkbookError, read_workbook
from app.models import interchange
from app.models.document import Document, JxdbError, LockedError
from app.scoring.records import Project, Template


class SourceError(Exception):
    """A source that cannot be read; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Loaded:
    """A project read from a source, with the template it is scored against."""

    project: Project
    template: Template
    source: Path
    #: where it came from when that is not a file (a server address, without the password)
    where: str = ""


@dataclass
class SourceRead:
    """Every project of one source, and what could not be read in it (``Sheet1!C7：…``, without the file name)."""

    items: list[Loaded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_jxdb_source(path: Path, builtin: dict[str, Template]) -> SourceRead:
    """Every project of a .jxdb file with the template stored in that file (opened read-only)."""
    try:
        doc = Document.open(path, read_only=True)
    except LockedError as exc:
        raise SourceError(f"{exc}（命令行只读操作不受影响，可先关闭窗口中的文件）") from exc
    except JxdbError as exc:
        raise SourceError(str(exc)) from exc
    try:
        projects = doc.load_projects([summary.id for summary in doc.list_projects()])
        return SourceRead([Loaded(project, doc.template_for(project), path) for project in projects])
    except JxdbError as exc:
        raise SourceError(str(exc)) from exc
    finally:
        doc.close()


def read_json_source(path: Path, builtin: dict[str, Template]) -> SourceRead:
    """Projects of an interchange JSON file (interchange.read_file does the reading)."""
    try:
        return SourceRead([Loaded(p, t, path) for p, t in interchange.read_file(path, builtin)])
    except interchange.InterchangeError as exc:
        raise SourceError(f"{path.name}：{exc}") from exc


def read_xlsx_source(path: Path, templates: dict[str, Template]) -> SourceRead:
    """Every project of a 自评表 workbook, scored with the MoF template; its located problems kept."""
    try:
        result = read_workbook(path, templates)
    except WorkbookError as exc:
        raise SourceError(str(exc)) from exc
    return SourceRead([Loaded(item.project, item.template, path) for item in result.projects],
                      [str(problem) for problem in result.problems])


#: Readers per file suffix. An old .xls gets its own message from the workbook guard; an .xlsx misnamed .xls is read.
READERS: dict[str, Callable[[Path, dict[str, Template]], SourceRead]] = {
    ".json": read_json_source,
    ".jxdb": read_jxdb_source,
    ".xlsx": read_xlsx_source,
    ".xls": read_xlsx_source,
}
