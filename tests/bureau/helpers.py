"""Units' files for the bureau tests: small .jxdb and .json sources made from the bundled samples."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.models import interchange
from app.models.document import Document
from app.scoring.records import Project, Template
from tests.models.helpers import builtin_template, sample_pairs, write_document


def seed000() -> tuple[Project, Template]:
    from app.scoring.templates import load_directory
    from tests.models.helpers import ROOT

    return next((p, t) for p, t in sample_pairs(load_directory(ROOT / "resources" / "templates"))
                if t.id == "mof-2020")


def unit_projects(unit: str, names: list[str], year: int = 2024, **changes: Any) -> list[tuple[Project, Template]]:
    project, template = seed000()
    return [(replace(project, id=None, unit=unit, name=name, year=year, **changes), template) for name in names]


def unit_jxdb(path: Path, unit: str, names: list[str], year: int = 2024, **changes: Any) -> Path:
    write_document(path, unit_projects(unit, names, year, **changes))
    return path


def unit_json(path: Path, unit: str, names: list[str], year: int = 2024, **changes: Any) -> Path:
    with Document.new() as doc:
        for project, template in unit_projects(unit, names, year, **changes):
            doc.add_project(project, template)
        path.write_text(interchange.dump_text(doc, builtin={"mof-2020": builtin_template("mof-2020")}),
                        encoding="utf-8")
    return path


def names_in(path: Path) -> list[tuple[int, str, str]]:
    with Document.open(path, read_only=True) as doc:
        return sorted((s.year, s.unit, s.name) for s in doc.list_projects())
