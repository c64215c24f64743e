"""A stateful test of edit / undo / redo / save / reopen through the window's controller (headless): the
document never diverges from a model that keeps the undo history as a stack of previous Project records."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.models.document import Document
from app.scoring.edits import set_indicator
from app.scoring.engine import score_project
from app.scoring.records import Project
from app.scoring.templates import load_directory
from app.ui.controller import Controller
from tests.models.helpers import sample_pairs, write_document
from tests.models.strategies import texts

TEMPLATES = load_directory(Path(__file__).resolve().parents[2] / "resources" / "templates")


class EditUndoSaveReopen(RuleBasedStateMachine):
    """Model: ``projects`` (what the working copy must hold), ``saved`` (what the file holds), and the undo
    and redo stacks of (previous record, next record) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.path = Path(self.folder.name) / "状态机.jxdb"
        write_document(self.path, sample_pairs(TEMPLATES))
        self.ctl = Controller()
        self.doc = Document.open(self.path)
        self.ctl.set_document(self.doc)
        self.projects: dict[int, Project] = {s.id: self.doc.load_project(s.id) for s in self.doc.list_projects()}
        self.saved = dict(self.projects)
        self.undo: list[tuple[Project, Project]] = []
        self.redo: list[tuple[Project, Project]] = []
        self.selected = min(self.projects)
        self.ctl.select_project(self.selected)

    @initialize()
    def start(self) -> None:
        assert self.ctl.project == self.projects[self.selected]

    # ------------------------------------------------------------------ edits

    def _edit(self, after: Project) -> None:
        before = self.projects[self.selected]
        self.ctl.edit(after, "修改")
        if after != before:
            self.undo.append((before, after))
            self.redo.clear()
            self.projects[after.id or 0] = after

    @rule(name=texts(1, 12))
    def rename(self, name: str) -> None:
        self._edit(replace(self.projects[self.selected], name=name))

    @rule(data=st.data(), actual=st.sampled_from(["90%", "6套", "及时", "", "≥50个", "12 34", "100%"]))
    def type_actual(self, data: st.DataObject, actual: str) -> None:
        project = self.projects[self.selected]
        indices = [idx for idx, _ in project.indicators()]
        index = data.draw(st.sampled_from(indices))
        self._edit(set_indicator(project, index, actual=actual))

    @rule(data=st.data(), weight=st.decimals(0, 40, places=2))
    def change_weight(self, data: st.DataObject, weight: Decimal) -> None:
        project = self.projects[self.selected]
        index = data.draw(st.sampled_from([idx for idx, _ in project.indicators()]))
        self._edit(set_indicator(project, index, weight=weight))

    @rule(data=st.data())
    def select(self, data: st.DataObject) -> None:
        self.selected = data.draw(st.sampled_from(sorted(self.projects)))
        self.ctl.select_project(self.selected)

    @precondition(lambda self: bool(self.undo))
    @rule()
    def undo_step(self) -> None:
        before, after = self.undo.pop()
        self.ctl.undo_stack.undo()
        self.redo.append((before, after))
        self.projects[before.id or 0] = before
        self.selected = before.id or 0

    @precondition(lambda self: bool(self.redo))
    @rule()
    def redo_step(self) -> None:
        before, after = self.redo.pop()
        self.ctl.undo_stack.redo()
        self.undo.append((before, after))
        self.projects[after.id or 0] = after
        self.selected = after.id or 0

    # ------------------------------------------------------------------ the file

    @rule()
    def save(self) -> None:
        self.doc.save()
        self.saved = dict(self.projects)
        assert not self.doc.modified

    @rule()
    def reopen(self) -> None:
        """Close without saving (unsaved edits are lost, the undo history too) and open the file again."""
        self.ctl.set_document(None)
        self.doc.close()
        self.doc = Document.open(self.path)
        self.ctl.set_document(self.doc)
        self.projects = dict(self.saved)
        self.undo.clear()
        self.redo.clear()
        self.ctl.select_project(self.selected)

    # ------------------------------------------------------------------ invariants

    @invariant()
    def document_matches_the_model(self) -> None:
        for pid, project in self.projects.items():
            assert self.doc.load_project(pid) == project
        assert self.ctl.project == self.projects[self.selected]
        assert self.ctl.report == score_project(self.projects[self.selected], self.doc.template_for(self.ctl.project))
        assert self.ctl.undo_stack.canUndo() == bool(self.undo)
        assert self.ctl.undo_stack.canRedo() == bool(self.redo)

    def teardown(self) -> None:
        self.ctl.set_document(None)
        self.doc.close()
        self.folder.cleanup()


def test_edit_undo_save_reopen_never_diverges(qapp: object) -> None:
    run_state_machine_as_test(EditUndoSaveReopen, settings=settings(
        max_examples=10, stateful_step_count=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]))


def test_saved_file_after_the_machine_opens_clean(tmp_path: Path, qapp: object) -> None:
    """A plain check outside the machine: a saved edit survives reopening, an unsaved one does not."""
    path = tmp_path / "x.jxdb"
    write_document(path, sample_pairs(TEMPLATES)[:1])
    ctl = Controller()
    with Document.open(path) as doc:
        ctl.set_document(doc)
        pid = doc.list_projects()[0].id
        ctl.select_project(pid)
        assert ctl.project is not None
        ctl.edit(replace(ctl.project, name="已保存"), "改名")
        doc.save()
        ctl.edit(replace(ctl.project, name="未保存"), "改名")
        ctl.set_document(None)
    with Document.open(path) as doc:
        assert doc.load_project(pid).name == "已保存"
