"""文件 → 导出 Word/Excel/PDF of the current project (打印 is in app.ui.printing, from the same PDF)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.exporters.atomic import ExportError
from app.models.errors import reason
from app.paths import user_documents_dir
from app.scoring.records import Project, ScoreReport, Template
from app.ui.dialogs import prompts

log = logging.getLogger(__name__)

#: (menu text, file suffix, file filter, what the file is called)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "docx": ("导出自评报告（Word）…", ".docx", "Word 文档 (*.docx)", "绩效自评报告"),
    "xlsx": ("导出自评表（Excel）…", ".xlsx", "Excel 工作簿 (*.xlsx)", "绩效自评表"),
    "pdf": ("导出打印表（PDF）…", ".pdf", "PDF 文件 (*.pdf)", "绩效自评表"),
}


def _writer(kind: str) -> Callable[[Project, Template, ScoreReport, Path], object]:
    if kind == "docx":
        from app.exporters.word import export_docx

        return export_docx
    if kind == "xlsx":
        from app.exporters.excel import export_xlsx

        return export_xlsx
    from app.exporters.pdf import export_pdf

    return export_pdf


def suggested_name(project: Project, kind: str) -> str:
    bad = '\\/:*?"<>|'
    name = "".join("_" if c in bad else c for c in project.name).strip() or "项目"
    return f"{project.year}-{name[:60]}-{FORMATS[kind][3]}{FORMATS[kind][1]}"


def export(parent: QWidget | None, kind: str, project: Project, template: Template, report: ScoreReport,
           folder: Path | None = None) -> Path | None:
    """Ask where, confirm before replacing a file, write it; a Chinese message on failure."""
    _, suffix, file_filter, _ = FORMATS[kind]
    start = (folder or user_documents_dir()) / suggested_name(project, kind)
    path = prompts.save_file(parent, str(start), file_filter)
    if path is None:
        return None
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    if path.exists() and not prompts.confirm(parent, "文件已存在", f"“{path.name}”已存在。要替换它吗？",
                                             "替换", "取消"):
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = _writer(kind)(project, template, report, path)
    except ExportError as exc:
        QGuiApplication.restoreOverrideCursor()
        prompts.error(parent, "导出失败", str(exc))
        return None
    except OSError as exc:
        QGuiApplication.restoreOverrideCursor()
        prompts.error(parent, "导出失败", f"无法写入“{path}”（{reason(exc)}）。请换一个文件夹或文件名。")
        return None
    QGuiApplication.restoreOverrideCursor()
    if isinstance(result, list) and result:
        prompts.info(parent, "导出完成", "\n".join(str(w) for w in result))
    return path
