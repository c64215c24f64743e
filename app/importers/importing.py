"""Read projects to import from .json interchange files and 自评表 .xlsx workbooks, with located problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.importers.workbook import WorkbookError, read_workbook
from app.models.errors import JxdbError, reason
from app.models.interchange import InterchangeError, read_file
from app.scoring.records import Project, Template

SUFFIXES = (".json", ".xlsx", ".xls")


@dataclass
class ImportBatch:
    """Everything read from the chosen files: projects to add, problems to show, files refused whole."""

    projects: list[tuple[Project, Template, str]] = field(default_factory=list)  # (project, template, file name)
    problems: list[str] = field(default_factory=list)  # "文件名 Sheet1!C7：…"
    refused: list[str] = field(default_factory=list)  # "文件名：why"


def read_sources(paths: Sequence[Path], templates: dict[str, Template]) -> ImportBatch:
    """Read every file; a refused file adds nothing (no partial project) and says why."""
    batch = ImportBatch()
    for path in paths:
        name = path.name
        try:
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:
                raise InterchangeError(f"不支持的文件类型“{path.suffix}”，可导入 .json 项目数据或 .xlsx 自评表")
            if suffix == ".json":
                pairs = read_file(path, templates)
                batch.projects += [(p, t, name) for p, t in pairs]
            else:
                result = read_workbook(path, templates)
                batch.projects += [(item.project, item.template, name) for item in result.projects]
                batch.problems += [f"{name} {problem}" for problem in result.problems]
                for item in result.projects:
                    batch.problems += [f"{name} {problem}" for problem in item.problems]
        except (InterchangeError, WorkbookError, JxdbError) as exc:
            batch.refused.append(f"{name}：{exc}")
        except FileNotFoundError:
            batch.refused.append(f"{name}：文件不存在，请检查路径")
        except IsADirectoryError:
            batch.refused.append(f"{name}：这是一个文件夹，请选择文件")
        except PermissionError:
            batch.refused.append(f"{name}：没有读取权限，请检查文件权限")
        except OSError as exc:
            batch.refused.append(f"{name}：无法读取（{reason(exc)}）")
    return batch
