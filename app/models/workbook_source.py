"""The .xlsx source of ``python -m app score``: a 自评表 workbook read by app.models.workbook."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli import Loaded, UserError, register_source
from app.models.workbook import WorkbookError, WorkbookImport, read_workbook
from app.scoring.records import Template


def import_workbook(path: Path, templates: dict[str, Template]) -> WorkbookImport:
    """read_workbook with its refusal turned into the CLI's one-line error, its problems told on stderr."""
    try:
        result = read_workbook(path, templates)
    except WorkbookError as exc:
        raise UserError(str(exc)) from exc
    for problem in result.problems:
        sys.stderr.write(f"提示：{path.name} {problem}\n")
    return result


def read_xlsx_source(path: Path, templates: dict[str, Template]) -> list[Loaded]:
    """Every project of a 自评表 workbook, scored with the MoF template."""
    return [Loaded(item.project, item.template, path) for item in import_workbook(path, templates).projects]


register_source(".xlsx", read_xlsx_source)
register_source(".xls", read_xlsx_source)  # an old .xls gets its own message; an .xlsx misnamed .xls is read
