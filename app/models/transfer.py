"""Moving projects between a .jxdb file and a server database (push, pull, and the server's 另存为)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.models.document import Document
from app.models.mapping import ProjectSummary
from app.scoring.records import Project, Template


class Store(Protocol):
    """What a transfer needs of either side (Document and ServerDocument both fit)."""

    def list_projects(self, year: int | None = None) -> list[ProjectSummary]: ...
    def load_project(self, project_id: int) -> Project: ...
    def template_for(self, project: Project) -> Template: ...
    def add_project(self, project: Project, template: Template) -> int: ...
    def update_project(self, project: Project) -> None: ...


@dataclass
class Transferred:
    """What a transfer did: names of projects added, replaced and skipped (already there)."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"新增 {len(self.added)} 个项目"]
        if self.replaced:
            parts.append(f"更新 {len(self.replaced)} 个")
        if self.skipped:
            parts.append(f"跳过已有的 {len(self.skipped)} 个（{'、'.join(self.skipped[:5])}"
                         f"{'等' if len(self.skipped) > 5 else ''}）")
        return "，".join(parts)


def _key(year: int, name: str, unit: str) -> tuple[int, str, str]:
    return year, name.strip(), unit.strip()


def copy_projects(source: Store, target: Store, *, year: int | None = None, replace: bool = False) -> Transferred:
    """Copy the projects of ``source`` (of ``year``) into ``target``. A project already in the target (same
    year, name and unit) is skipped, or overwritten with ``replace``."""
    existing = {_key(s.year, s.name, s.unit): s.id for s in target.list_projects()}
    done = Transferred()
    for summary in source.list_projects(year):
        project = source.load_project(summary.id)
        label = f"{project.year}年 {project.name}"
        there = existing.get(_key(project.year, project.name, project.unit))
        if there is None:
            existing[_key(project.year, project.name, project.unit)] = target.add_project(
                project, source.template_for(project))
            done.added.append(label)
        elif replace:
            current = target.load_project(there)
            template = source.template_for(project)
            if current.template_id != template.id:
                target.add_project(project, template)  # another framework: keep both rather than mix them
                done.added.append(label)
                continue
            from dataclasses import replace as with_fields

            target.update_project(with_fields(project, id=there, template_id=current.template_id))
            done.replaced.append(label)
        else:
            done.skipped.append(label)
    return done


def pull_to_file(source: Store, path: Path, *, year: int | None = None) -> Transferred:
    """Write the projects of ``source`` into the .jxdb ``path`` (added to it when it exists, saved at once)."""
    doc = Document.open(path) if path.exists() else Document.new()
    try:
        done = copy_projects(source, doc, year=year)
        if doc.path is None:
            doc.save_as(path)
        else:
            doc.save()
        return done
    finally:
        doc.close()
