"""Property tests: project JSON through the import path, generated 自评表 workbooks back to their projects."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import read_json_source
from app.models import interchange
from app.models.document import Document
from app.models.workbook import read_workbook
from app.scoring.engine import score_project
from app.scoring.records import Project, Template
from app.scoring.templates import load_directory
from tests.importing import builders
from tests.models.strategies import projects
from tests.robustness.strategies import mof_projects

TEMPLATES = load_directory(Path(__file__).resolve().parents[2] / "resources" / "templates")
MOF = TEMPLATES["mof-2020"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects(), bom=st.booleans())
def test_dumped_json_imports_through_the_command_line_reader(project: Project, bom: bool) -> None:
    """`dump` then `import`/`score` of the file: the reader the command line uses for .json gives the project
    back exactly (tests/models checks interchange.parse; this is the other reader, app.cli.read_json_source)."""
    with Document.new() as doc:
        pid = doc.add_project(project, MOF)
        stored = doc.load_project(pid)
        text = interchange.dump_text(doc, builtin={"mof-2020": MOF})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "项目.json"
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        [loaded] = read_json_source(path, {"mof-2020": MOF})
    # an empty narrative section is left out of the JSON (docs/interchange.md): empty and absent are the same
    assert replace(loaded.project, id=stored.id) == replace(stored, narrative={
        k: v for k, v in stored.narrative.items() if v})
    assert loaded.template == MOF
    assert score_project(loaded.project, loaded.template) == score_project(stored, MOF)


def _tree(project: Project) -> list[Any]:
    return [(c.name, c.weight, [(g.name, [(i.name, i.weight, i.target, i.actual, i.rule.kind, i.deviation_reason,
                                           i.override_score) for i in g.indicators]) for g in c.groups])
            for c in project.categories]


def _budget(project: Project) -> list[Any]:
    return [(key, [(row.cell(c) or 0) for c in ("central", "provincial", "city", "county", "carryover", "other")])
            for key in ("initial", "adjusted", "executed") for row in [project.budget.row(key)]]


LAYOUTS = {"mof": builders.mof_form, "attachment": builders.seed_attachment, "comparator": builders.comparator_layout}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=mof_projects(), layout=st.sampled_from(sorted(LAYOUTS)))
def test_generated_workbooks_import_to_their_projects(project: Project, layout: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = LAYOUTS[layout](project, MOF, Path(folder) / "自评表.xlsx")
        result = read_workbook(path, TEMPLATES)
    assert [str(p) for p in result.problems] == []
    [item] = result.projects
    got = item.project
    assert (got.year, got.name, got.unit) == (project.year, project.name, project.unit)
    assert _tree(got) == _tree(project)
    if layout != "attachment":  # the attachment has no funds block
        assert got.department == project.department
        assert _budget(got) == _budget(project)
    assert score_project(got, item.template).total == score_project(project, MOF).total


def _unused(_: Template) -> None:
    pass
