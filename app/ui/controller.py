"""The one path for edits: change the project, write the working copy, push an undo step, emit ``changed``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.scoring.engine import score_project
from app.scoring.history import Change, total_changes
from app.scoring.records import Project, ScoreReport, Template

log = logging.getLogger(__name__)

UNUSABLE_PROJECT = "这个项目的内容已损坏，无法打开；仍显示原来的项目。请用备份文件（.bak）恢复。"
EDIT_FAILED = "这项修改无法完成，已撤回；项目保持修改前的内容。详细信息已写入日志。"


class DocumentLike(Protocol):
    """What the window needs of an open .jxdb file (``app.models.document.Document``)."""

    @property
    def path(self) -> Path | None: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def modified(self) -> bool: ...
    def list_projects(self, year: int | None = None) -> list[Any]: ...
    def years(self) -> list[int]: ...
    def load_project(self, id: int) -> Project: ...
    def template_for(self, project: Project) -> Template: ...
    def templates(self) -> dict[str, Template]: ...
    def add_project(self, project: Project, template: Template) -> int: ...
    def update_project(self, project: Project, *, also: Sequence[Change] = ()) -> None: ...
    def delete_project(self, id: int) -> None: ...
    def save(self) -> None: ...
    def save_as(self, path: Path) -> None: ...
    def close(self) -> None: ...


class _EditCommand(QUndoCommand):
    """One undo step: the project before and after (records are frozen, so snapshots are cheap)."""

    def __init__(self, ctl: Controller, before: Project, after: Project, text: str, merge_key: str) -> None:
        super().__init__(text)
        self.ctl, self.before, self.after, self.merge_key = ctl, before, after, merge_key

    def id(self) -> int:
        return 1 if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (isinstance(other, _EditCommand) and other.merge_key == self.merge_key
                and other.after.id == self.after.id):
            self.after = other.after
            return True
        return False

    def redo(self) -> None:
        if not self.ctl._apply_guarded(self.after):
            self.setObsolete(True)  # nothing changed: QUndoStack drops the step instead of keeping it

    def undo(self) -> None:
        if not self.ctl._apply_guarded(self.before):
            self.setObsolete(True)


class Controller(QObject):
    """Holds the open document, the selected project and its template; every edit goes through ``edit``."""

    #: After every edit or project switch: the new ScoreReport.
    changed = Signal(object)
    #: Another project (or none) is now selected; editors rebuild.
    projectSwitched = Signal()
    #: Projects were added or deleted, or another document was opened.
    documentChanged = Signal()
    #: Writing the working copy failed: a Chinese message.
    failed = Signal(str)
    #: A server document refused an edit because someone else changed the project: the exception
    #: (``mine``, ``theirs``, ``who``, ``changes``); the window offers reload or keep-as-copy.
    conflicted = Signal(object)
    #: A server refused an edit this account may not make: a Chinese message; the project is reloaded.
    refused = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        #: Changes since the last save that are not on the undo stack (projects added or deleted, a recovery).
        self._unsaved_outside_undo = False
        self.document: DocumentLike | None = None
        self.project: Project | None = None
        self.template: Template | None = None
        self.report: ScoreReport | None = None
        #: Called with (exc) to turn a document error into a message; set by the window.
        self.describe_error: Callable[[Exception], str | None] = lambda exc: None

    # ------------------------------------------------------------------ document and selection

    @property
    def account_kind(self) -> str | None:
        """The server account's kind ("unit", "reviewer", "admin", "owner"); None for a .jxdb file."""
        account = getattr(self.document, "account", None)
        kind = getattr(account, "kind", None)
        return kind if isinstance(kind, str) else None

    def set_document(self, document: DocumentLike | None) -> None:
        self.undo_stack.clear()
        self.document = document
        self._unsaved_outside_undo = document is not None and document.modified
        self.project = self.template = self.report = None
        self.documentChanged.emit()
        self.projectSwitched.emit()

    def select_project(self, project_id: int | None) -> None:
        if self.document is None or project_id is None:
            self.project = self.template = self.report = None
        elif self.project is not None and self.project.id == project_id:
            return
        else:
            try:  # all or nothing: load, find the template and score before anything switches
                project = self.document.load_project(project_id)
                template = self.document.template_for(project)
                report = score_project(project, template)
            except Exception as exc:  # a damaged project: say so, keep the window (and the old project) usable
                log.exception("loading project %s failed", project_id)
                self.failed.emit(self.describe_error(exc) or UNUSABLE_PROJECT)
                return
            self.template, self.project, self.report = template, project, report
        self.projectSwitched.emit()
        if self.report is not None:
            self.changed.emit(self.report)

    @property
    def modified(self) -> bool:
        """Unsaved changes: an edit not undone back to the saved state, or a project added or deleted. On a
        server every edit is written at once: only edits waiting offline on this PC count."""
        if self.document is not None and getattr(self.document, "autosaves", False):
            return self.document.modified
        return self.document is not None and (self._unsaved_outside_undo or not self.undo_stack.isClean())

    def reload_project(self) -> None:
        """Read the selected project afresh from the document (after a conflict); its undo steps go."""
        if self.project is None or self.project.id is None:
            return
        pid = self.project.id
        forget = getattr(self.document, "forget", None)
        if forget is not None:
            forget(pid)
        self.undo_stack.clear()
        self.project = None
        self.select_project(pid)

    # ------------------------------------------------------------------ edits

    def edit(self, after: Project, text: str, merge_key: str = "") -> None:
        """The one path: push an undo step whose redo writes ``after`` and emits ``changed``."""
        if self.project is None or after == self.project:
            return
        self.undo_stack.push(_EditCommand(self, self.project, after, text, merge_key))

    def update(self, fn: Callable[[Project], Project], text: str, merge_key: str = "") -> None:
        if self.project is not None:
            self.edit(fn(self.project), text, merge_key)

    def _apply_guarded(self, project: Project) -> bool:
        """``_apply`` inside an undo command: an exception there would abort Qt, so it becomes a message and
        the step is dropped (False). ``_apply`` changes nothing before it has scored the new state."""
        try:
            self._apply(project)
        except Exception:
            log.exception("an edit could not be applied")
            self.failed.emit(EDIT_FAILED)
            return False
        return True

    def _apply(self, project: Project) -> None:
        """Write a project state to the working copy and tell everyone (undo, redo and edits come here).
        A change of the 自评 or 复核 total goes into the project's history with the edit."""
        if self.document is None:
            return
        switching = self.project is None or project.id != self.project.id
        template = self.document.template_for(project) if switching else self.template
        assert template is not None
        report = score_project(project, template)  # first: a state that cannot be scored is never written
        also = total_changes(self.report, report) if not switching and self.report is not None else []
        try:
            self.document.update_project(project, also=also)
        except Exception as exc:  # the edit stays in memory; the user can still save elsewhere
            if getattr(exc, "conflict", False):
                self.conflicted.emit(exc)
                return
            if getattr(exc, "refused", False):
                self.refused.emit(str(exc))
                return
            message = self.describe_error(exc)
            if message is None:
                raise
            log.warning("update_project failed: %s", exc)
            self.failed.emit(message)
        self.template, self.project, self.report = template, project, report
        if switching:
            self.projectSwitched.emit()
        self.changed.emit(self.report)

    # ------------------------------------------------------------------ projects (not undoable)

    def add_project(self, project: Project, template: Template) -> int:
        assert self.document is not None
        new_id = self.document.add_project(project, template)
        self._unsaved_outside_undo = True
        self.documentChanged.emit()
        return new_id

    def add_projects(self, items: list[tuple[Project, Template]]) -> list[int]:
        """Several projects in one transaction (all or none); a document without it adds them one by one."""
        assert self.document is not None
        add_many = getattr(self.document, "add_projects", None)
        ids = add_many(items) if add_many is not None else [self.document.add_project(p, t) for p, t in items]
        self._unsaved_outside_undo = True
        self.documentChanged.emit()
        return list(ids)

    def set_review_status(self, ids: list[int], status: str) -> None:
        """Set the 复核状态 of several projects: the selected one as an undoable edit, the others written at once
        (each change goes into that project's history)."""
        assert self.document is not None
        for pid in ids:
            if self.project is not None and self.project.id == pid:
                project = self.project
                self.edit(replace(project, review=replace(project.review, status=status)), "修改复核状态")
                continue
            other = self.document.load_project(pid)
            if other.review.status != status:
                self.document.update_project(replace(other, review=replace(other.review, status=status)))
                self._unsaved_outside_undo = True
        self.documentChanged.emit()

    def delete_project(self, project_id: int) -> None:
        assert self.document is not None
        self.document.delete_project(project_id)
        self._unsaved_outside_undo = True
        self.undo_stack.clear()  # steps of a deleted project cannot be redone
        if self.project is not None and self.project.id == project_id:
            self.project = self.template = self.report = None
            self.projectSwitched.emit()
        self.documentChanged.emit()

    def projects_collected(self, *, replaced: bool) -> None:
        """Projects were added (and, with 替换, deleted) behind the controller's back (汇集): unsaved; undo steps
        may name deleted projects, so they go; a deleted current project is deselected."""
        self._unsaved_outside_undo = True
        if replaced:
            self.undo_stack.clear()
        if self.document is not None and self.project is not None:
            ids = {p.id for p in self.document.list_projects()}
            if self.project.id not in ids:
                self.project = self.template = self.report = None
                self.projectSwitched.emit()
        self.documentChanged.emit()

    def mark_saved(self) -> None:
        self._unsaved_outside_undo = False
        self.undo_stack.setClean()
