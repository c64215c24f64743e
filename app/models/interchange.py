"""Project interchange JSON (docs/interchange.md) in and out of a Document, built on app.scoring.codec."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from decimal import InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from app.models import jsontext
from app.models.document import Document
from app.models.errors import JxdbError, reason
from app.models.mapping import ProjectSummary
from app.models.regular import regular_file_opener
from app.paths import samples_dir
from app.scoring.codec import CodecError, document_from, document_to, template_to
from app.scoring.records import Project, Template


class Readable(Protocol):
    """What a dump reads from: a .jxdb Document or a ServerDocument."""

    def list_projects(self, year: int | None = None) -> list[ProjectSummary]: ...
    def load_project(self, project_id: int) -> Project: ...
    def template_for(self, project: Project) -> Template: ...


MAX_DEPTH_ERROR = "JSON 嵌套层次过深，不是项目数据"
MAX_JSON_BYTES = 50 * 1024 * 1024


class InterchangeError(ValueError):
    """Project JSON that cannot be imported; the message is Chinese and names the place."""


def parse(text: str | bytes, builtin: Mapping[str, Template]) -> list[tuple[Project, Template]]:
    """The projects of an interchange document, each with the template it is scored against: the one
    embedded in the JSON, else the built-in template of that id."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InterchangeError("不是 UTF-8 编码的文本文件，无法读取项目数据") from exc
    try:
        data = jsontext.loads(text)
    except RecursionError as exc:
        raise InterchangeError(MAX_DEPTH_ERROR) from exc
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"JSON 格式有误（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
    except (ValueError, InvalidOperation) as exc:
        raise InterchangeError("JSON 格式有误（含有不允许的数值，如 NaN 或 Infinity）") from exc
    if _has_lone_surrogate(data):
        raise InterchangeError("JSON 中含有无效的字符（不成对的 \\uD800–\\uDFFF 转义），请检查导出该文件的程序")
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


def _has_lone_surrogate(data: Any) -> bool:
    """Whether any key or string holds half of a surrogate pair (it cannot be stored or written as UTF-8)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_file(path: Path, builtin: Mapping[str, Template]) -> list[tuple[Project, Template]]:
    """The projects of an interchange file; OSError for an unreadable file, InterchangeError for bad content.
    Only a regular file is read (a FIFO would block, /dev/zero never ends), and never more than the limit."""
    with open(path, "rb", opener=regular_file_opener) as fh:
        if os.fstat(fh.fileno()).st_size > MAX_JSON_BYTES:
            raise InterchangeError("文件过大（超过 50 MB），不是项目数据文件")
        data = fh.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise InterchangeError("文件过大（超过 50 MB），不是项目数据文件")
    return parse(data, builtin)


def sample_projects(builtin: Mapping[str, Template]) -> list[tuple[Project, Template]]:
    """Every project of the bundled samples (the seed documents), in file-name order."""
    out: list[tuple[Project, Template]] = []
    for sample in sorted(samples_dir().glob("*.json")):
        try:
            out += read_file(sample, builtin)
        except (OSError, InterchangeError) as exc:
            why = reason(exc) if isinstance(exc, OSError) else str(exc)
            raise InterchangeError(f"示例数据 {sample.name} 无法读取（{why}），请重新安装本程序") from exc
    return out


def write_sample_file(path: Path, builtin: Mapping[str, Template]) -> int:
    """A new .jxdb at ``path`` holding every sample project; returns how many. Raises JxdbError or
    InterchangeError; ``path`` is only ever written whole (Save As is atomic)."""
    items = sample_projects(builtin)
    doc = Document.new()
    try:
        for project, template in items:
            doc.add_project(project, template)
        doc.save_as(path)
    finally:
        doc.close()
    return len(items)


def import_projects(doc: Document, items: list[tuple[Project, Template]]) -> list[int]:
    """Add the projects to the document (their templates are stored as needed); returns the new ids."""
    return [doc.add_project(project, template) for project, template in items]


def dump_data(doc: Readable, project_id: int | None = None,
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


def dump_text(doc: Readable, project_id: int | None = None, builtin: Mapping[str, Template] | None = None) -> str:
    """``dump_data`` as indented JSON text; decimals keep every digit."""
    try:
        return jsontext.dumps(dump_data(doc, project_id, builtin), indent=1) + "\n"
    except (TypeError, ValueError) as exc:
        raise JxdbError("文件中的计分规则参数含有无法导出的数值，文件可能已损坏。") from exc
