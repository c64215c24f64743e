"""Project interchange JSON (docs/interchange.md) in and out of a Document, built on app.scoring.codec."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import InvalidOperation
from typing import Any

from app.models import jsontext
from app.models.document import Document
from app.models.errors import JxdbError
from app.scoring.codec import CodecError, document_from, document_to, template_to
from app.scoring.records import Project, Template

MAX_DEPTH_ERROR = "JSON 嵌套层次过深，不是项目数据"


class InterchangeError(ValueError):
    """Project JSON that cannot be imported; the message is Chinese and names the place."""


def parse(text: str | bytes, builtin: Mapping[str, Template]) -> list[tuple[Project, Template]]:
    """The projects of an interchange document, each with the template it is scored against: the one
    embedded in the JSON, else the built-in template of that id."""
    try:
        data = jsontext.loads(text)
    except RecursionError as exc:
        raise InterchangeError(MAX_DEPTH_ERROR) from exc
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"JSON 格式有误（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
    except (ValueError, InvalidOperation) as exc:
        raise InterchangeError("JSON 格式有误（含有不允许的数值，如 NaN 或 Infinity）") from exc
    try:
        pairs = document_from(data, builtin)
    except CodecError as exc:
        raise InterchangeError(str(exc)) from exc
    out: list[tuple[Project, Template]] = []
    for project, embedded in pairs:
        template = embedded or builtin.get(project.template_id)
        if template is None:
            raise InterchangeError(f"项目“{project.name}”使用的模板“{project.template_id}”不存在，"
                                   f"可用模板：{'、'.join(builtin) or '无'}")
        out.append((project, template))
    return out


def import_projects(doc: Document, items: list[tuple[Project, Template]]) -> list[int]:
    """Add the projects to the document (their templates are stored as needed); returns the new ids."""
    return [doc.add_project(project, template) for project, template in items]


def dump_data(doc: Document, project_id: int | None = None,
              builtin: Mapping[str, Template] | None = None) -> dict[str, Any]:
    """The document's projects (or one) as interchange data. A template is referenced by id when it is
    identical to the built-in one of that id, and embedded otherwise, so the dump scores the same
    anywhere."""
    builtin = builtin or {}
    ids = [project_id] if project_id is not None else [s.id for s in doc.list_projects()]
    pairs: list[tuple[Project, Template | None]] = []
    for pid in ids:
        project = doc.load_project(pid)
        template = doc.template_for(project)
        same = project.template_id in builtin and template_to(builtin[project.template_id]) == template_to(template)
        pairs.append((project, None if same else template))
    return document_to(pairs)


def dump_text(doc: Document, project_id: int | None = None, builtin: Mapping[str, Template] | None = None) -> str:
    """``dump_data`` as indented JSON text; decimals keep every digit."""
    try:
        return jsontext.dumps(dump_data(doc, project_id, builtin), indent=1) + "\n"
    except (TypeError, ValueError) as exc:
        raise JxdbError("文件中的计分规则参数含有无法导出的数值，文件可能已损坏。") from exc
