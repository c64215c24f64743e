"""文件 → 导出 Word/Excel/PDF of the current project, and 打印预览/打印 of its 自评表 through Qt's print dialogs."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QWidget

from app.exporters.atomic import ExportError
from app.exporters.content import indicator_rows
from app.models.errors import reason
from app.paths import user_documents_dir
from app.scoring.numbers import fmt_decimal, fmt_percent
from app.scoring.records import BUDGET_ROWS, Project, ScoreReport, Template
from app.ui.dialogs import prompts

log = logging.getLogger(__name__)

#: (menu text, file suffix, file filter, what the file is called)
FORMATS: dict[str, tuple[str, str, str, str]] = {
    "docx": ("导出自评报告（Word）…", ".docx", "Word 文档 (*.docx)", "绩效自评报告"),
    "xlsx": ("导出自评表（Excel）…", ".xlsx", "Excel 工作簿 (*.xlsx)", "绩效自评表"),
    "pdf": ("导出自评表（PDF）…", ".pdf", "PDF 文件 (*.pdf)", "绩效自评表"),
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


# --------------------------------------------------------------------------- printing


def _cell(text: str, *, num: bool = False, bold: bool = False, span: int = 1) -> str:
    style = "text-align:right;" if num else ""
    body = html.escape(text)
    if bold:
        body = f"<b>{body}</b>"
    colspan = f' colspan="{span}"' if span > 1 else ""
    return f'<td style="{style}"{colspan}>{body or "&nbsp;"}</td>'


def form_html(project: Project, template: Template, report: ScoreReport) -> str:
    """The 自评表 as simple HTML for QTextDocument: identity, budget, indicators, total and grade."""
    head = ["<html><head><style>",
            "body { font-family: 'SimSun', 'Noto Serif CJK SC', serif; font-size: 10pt; }",
            "h1 { font-size: 16pt; text-align: center; }",
            "table { border-collapse: collapse; } td, th { border: 1px solid #000; padding: 3px; }",
            "th { background: #eeeeee; }",
            "</style></head><body>",
            f"<h1>{html.escape(project.region)}项目支出绩效自评表</h1>",
            f"<p style='text-align:center'>（{project.year}年度）</p>",
            '<table width="100%" cellspacing="0">',
            f"<tr>{_cell('项目名称', bold=True)}{_cell(project.name, span=3)}</tr>",
            f"<tr>{_cell('主管部门', bold=True)}{_cell(project.department)}"
            f"{_cell('实施单位', bold=True)}{_cell(project.unit)}</tr>",
            "</table><br>"]
    budget = project.budget
    if not budget.is_empty():
        head.append('<table width="100%" cellspacing="0"><tr><th>预算（万元）</th><th>财政资金</th>'
                    "<th>上年结转</th><th>其他资金</th><th>合计</th></tr>")
        for key, label, num in BUDGET_ROWS:
            brow = budget.row(key)
            head.append(f"<tr>{_cell(label + num)}{_cell(fmt_decimal(brow.fiscal, 2), num=True)}"
                        f"{_cell(fmt_decimal(brow.carryover, 2), num=True)}"
                        f"{_cell(fmt_decimal(brow.other, 2), num=True)}"
                        f"{_cell(fmt_decimal(brow.total, 2), num=True)}</tr>")
        head.append(f"<tr>{_cell('预算执行率')}{_cell(fmt_percent(report.execution_rate), num=True, span=4)}</tr>")
        head.append("</table><br>")
    review = template.has_reviewer
    head.append('<table width="100%" cellspacing="0"><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th>'
                "<th>权重</th><th>指标值</th><th>实际完成值</th><th>完成率</th><th>得分</th>"
                + ("<th>复核得分</th>" if review else "") + "<th>偏差原因分析及改进措施</th></tr>")
    for row in indicator_rows(project, report):
        line = row.line
        score = fmt_decimal(line.score, 2) if line is not None and row.sub is None else ""
        completion = fmt_percent(line.completion) if line is not None and row.sub is None else ""
        reviewer = fmt_decimal(line.reviewer_score, 2) if line is not None and line.reviewer_score is not None else ""
        head.append("<tr>" + _cell(row.category.name) + _cell(row.group.name) + _cell(row.name)
                    + _cell(fmt_decimal(row.indicator.weight) if row.sub is None else "", num=True)
                    + _cell(row.target) + _cell(row.actual) + _cell(completion, num=True) + _cell(score, num=True)
                    + (_cell(reviewer, num=True) if review else "")
                    + _cell(row.indicator.deviation_reason if row.sub is None else "") + "</tr>")
    for pen in report.penalties:
        head.append(f"<tr>{_cell('扣分项', bold=True)}{_cell(pen.name, span=6)}"
                    f"{_cell('-' + fmt_decimal(pen.points), num=True)}{_cell('', span=2 if review else 1)}</tr>")
    total = f"总分 {fmt_decimal(report.total, 2)}　等级 {report.grade_long or report.grade}"
    if report.reviewer_total is not None:
        total += f"　复核得分 {fmt_decimal(report.reviewer_total, 2)}"
    head.append(f"<tr>{_cell(total, bold=True, span=10 if review else 9)}</tr></table>")
    head.append("</body></html>")
    return "".join(head)


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                      QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    return printer


def render(printer: QPrinter, project: Project, template: Template, report: ScoreReport) -> None:
    doc = QTextDocument()
    doc.setHtml(form_html(project, template, report))
    doc.print_(printer)


def preview(parent: QWidget | None, project: Project, template: Template, report: ScoreReport) -> None:
    printer = make_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle("打印预览 - 绩效自评表")
    dialog.paintRequested.connect(lambda p: render(p, project, template, report))
    dialog.resize(1100, 800)
    dialog.exec()


def print_form(parent: QWidget | None, project: Project, template: Template, report: ScoreReport) -> bool:
    printer = make_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印绩效自评表")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    render(printer, project, template, report)
    return True
