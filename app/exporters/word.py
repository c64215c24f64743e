"""The self-evaluation report as a Word document (seed 000's outline, or the evaluation-report outline)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from app.exporters import wordkit as wk
from app.exporters.atomic import atomic_write
from app.exporters.content import budget_lines, document_notes, grid_column_labels
from app.exporters.fonts import FontSettings
from app.exporters.text import (
    NOT_FILLED,
    amount_text,
    chinese_number,
    clean,
    narrative,
    narrative_label,
    rate_text,
    score_text,
)
from app.exporters.word_tables import (
    category_summary_table,
    category_table,
    mof_form_table,
    scoring_table,
    signature_lines,
)
from app.scoring.records import Project, ScoreReport, Template

OVERVIEW_KEYS = ("overview", "basis", "necessity", "measures", "plan")


class _Report:
    """Writes one report: paragraphs in the GB/T 9704 styles."""

    def __init__(self, project: Project, template: Template, report: ScoreReport, fonts: FontSettings) -> None:
        self.project, self.template, self.report, self.fonts = project, template, report, fonts
        self.doc: DocxDocument = docx.Document()
        self._setup()

    # ---------------------------------------------------------------- styles and page
    def _setup(self) -> None:
        doc, f = self.doc, self.fonts
        wk.set_doc_defaults(doc, f.body)
        wk.style_font(doc, "Normal", f.body, wk.BODY_PT)
        wk.style_font(doc, "Title", f.title, wk.TITLE_PT, bold=f.title_bold)
        wk.style_font(doc, "Heading 1", f.heading1, wk.BODY_PT)
        wk.style_font(doc, "Heading 2", f.heading2, wk.BODY_PT)
        wk.style_font(doc, "Heading 3", f.body, wk.BODY_PT, bold=True)
        wk.style_font(doc, "Table Grid", f.body, wk.TABLE_PT)
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3"):
            fmt = doc.styles[name].paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = Pt(wk.LINE_PITCH_PT)
            fmt.space_before = Pt(0)
            fmt.space_after = Pt(0)
        title_fmt = doc.styles["Title"].paragraph_format
        title_fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title_fmt.space_before = Pt(0)
        title_fmt.space_after = Pt(wk.LINE_PITCH_PT)
        # the default Title style has a bottom border and spacing that 公文 do not have
        p_pr = doc.styles["Title"].element.get_or_add_pPr()
        border = p_pr.find(qn("w:pBdr"))
        if border is not None:
            p_pr.remove(border)
        wk.east_asian_everywhere(doc, f.body)
        wk.add_font_alternatives(doc, f)
        section = doc.sections[0]
        wk.page_setup(section)
        wk.page_number_footers(doc, section, f.page_number)

    # ---------------------------------------------------------------- paragraphs
    def title(self, text: str) -> None:
        para = self.doc.add_paragraph(style="Title")
        wk.add_run(para, text, self.fonts.title, wk.TITLE_PT, bold=self.fonts.title_bold)

    def heading(self, text: str, level: int) -> None:
        font = {1: self.fonts.heading1, 2: self.fonts.heading2}.get(level, self.fonts.body)
        para = self.doc.add_paragraph(style=f"Heading {level}")
        para.paragraph_format.first_line_indent = Pt(wk.BODY_PT * 2)
        para.paragraph_format.keep_with_next = True
        wk.add_run(para, text, font, wk.BODY_PT, bold=level == 3)

    def body(self, text: str, *, indent: bool = True, align: str = "justify") -> None:
        for line in clean(text).split("\n"):
            para = self.doc.add_paragraph(style="Normal")
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align == "justify" else WD_ALIGN_PARAGRAPH.LEFT
            if indent:
                para.paragraph_format.first_line_indent = Pt(wk.BODY_PT * 2)
            wk.fixed_pitch(para)
            wk.add_run(para, line.strip(), self.fonts.body, wk.BODY_PT)

    def labelled(self, label: str, text: str) -> None:
        """“项目概况：……” as one paragraph, the label in 楷体 like a run-in heading."""
        para = self.doc.add_paragraph(style="Normal")
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        para.paragraph_format.first_line_indent = Pt(wk.BODY_PT * 2)
        wk.fixed_pitch(para)
        lines = (text or NOT_FILLED).split("\n")
        wk.add_run(para, f"{label}：", self.fonts.body, wk.BODY_PT, bold=True)
        wk.add_run(para, lines[0].strip(), self.fonts.body, wk.BODY_PT)
        for extra in lines[1:]:
            self.body(extra)

    def section_text(self, key: str) -> None:
        self.body(narrative(self.project, key) or NOT_FILLED)

    def caption(self, text: str) -> None:
        para = self.doc.add_paragraph(style="Normal")
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        wk.fixed_pitch(para)
        wk.add_run(para, text, self.fonts.heading1, 12)

    def spacer(self) -> None:
        para = self.doc.add_paragraph(style="Normal")
        wk.fixed_pitch(para, 10)

    def attachment_section(self, label: str, title: str, *, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wk.page_setup(section, landscape=landscape)
        para = self.doc.add_paragraph(style="Normal")
        wk.fixed_pitch(para)
        wk.add_run(para, label, self.fonts.heading1, wk.BODY_PT)
        head = self.doc.add_paragraph(style="Title")
        head.paragraph_format.space_after = Pt(6)
        wk.add_run(head, title, self.fonts.title, 18, bold=self.fonts.title_bold)

    # ---------------------------------------------------------------- shared blocks
    def total_sentence(self) -> str:
        r = self.report
        grade = r.grade_long or r.grade
        return f"{clean(self.project.name)}项目绩效自评价结果为：总得分{score_text(r.total)}分，属于“{grade}”。"

    def budget_grid(self) -> None:
        if self.project.budget.is_empty():
            self.body(NOT_FILLED)
            return
        widths = [20, 21, 16, 15, 12, 11, 11, 15, 17, 18]
        lines = budget_lines(self.project, self.template)
        table = wk.new_table(self.doc, 2 + len(lines), widths)
        font = self.fonts.body
        heads = [
            "项目",
            "行次",
            "年度总金额(万元)",
            "财政资金(万元)",
            "",
            "",
            "",
            "",
            "上年结转资金(万元)",
            "其他资金(万元)",
        ]
        subs = ["", "", "", "小计", *grid_column_labels()[:4], "", ""]
        for c, text in enumerate(heads):
            wk.write_cell(table.cell(0, c), text, font, size=9, bold=True)
        for c, text in enumerate(subs):
            if text:
                wk.write_cell(table.cell(1, c), text, font, size=9, bold=True)
        for c in (0, 1, 2, 8, 9):
            wk.merge_vertical(table, c, 0, 1)
        wk.merge_horizontal(table, 0, 3, 7)
        for r, line in enumerate(lines, start=2):
            wk.write_cell(table.cell(r, 0), line.label, font, size=9)
            wk.write_cell(table.cell(r, 1), line.code, font, size=8)
            for c, value in enumerate(line.cells, start=2):
                text = rate_text(value) if line.is_rate else amount_text(value)
                wk.write_cell(table.cell(r, c), text, font, size=9, align="right")
        wk.mark_header(table, 2)

    # ---------------------------------------------------------------- MoF outline (seed 000)
    def mof(self) -> None:
        p, r = self.project, self.report
        self.title(f"{clean(p.name)}绩效自评报告")
        self.heading("一、项目的基本情况", 1)
        self.heading("（一）项目概况", 2)
        for key in OVERVIEW_KEYS:
            self.labelled(narrative_label(key), narrative(p, key))
        self.heading("（二）预算执行情况", 2)
        self.budget_grid()
        self.heading("（三）项目绩效目标", 2)
        self.heading("（1）项目实施期绩效目标", 3)
        self.section_text("goal_period")
        self.heading("（2）项目年度目标", 3)
        self.section_text("goal_annual")

        self.heading("二、项目绩效情况", 1)
        labels = "、".join(c.label for c in p.categories)
        self.body(f"综合考虑{labels}各方面因素，通过数据采集及分析，最终评分结果：{self.total_sentence()}")
        for ci, cat in enumerate(p.categories):
            self.heading(f"（{chinese_number(ci + 1)}）{cat.label}情况", 2)
            category_table(self.doc, self.fonts, p, self.template, r, ci)

        self.heading("三、项目绩效分析", 1)
        analysis = ["analysis_budget", "analysis_output", "analysis_benefit", "analysis_satisfaction"]
        for n, key in enumerate(analysis, start=1):
            self.heading(f"{n}．{narrative_label(key)}", 3)
            self.section_text(key)
        closing = [("四", "experience"), ("五", "problems"), ("六", "suggestions")]
        if narrative(p, "other"):
            closing.append(("七", "other"))
        for num, key in closing:
            self.heading(f"{num}、{narrative_label(key)}", 1)
            self.section_text(key)

        self.attachment_section("附件1", "项目支出绩效自评表", landscape=True)
        self.form_heading()
        mof_form_table(self.doc, self.fonts, p, self.template, r)
        self.notes()
        if self.template.has_reviewer:
            signature_lines(self.doc, self.fonts, p)
        self.materials(2)

    def form_heading(self) -> None:
        para = self.doc.add_paragraph(style="Normal")
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        wk.fixed_pitch(para, 20)
        wk.add_run(para, f"（{self.project.year}年度）", self.fonts.body, 12)
        para = self.doc.add_paragraph(style="Normal")
        wk.fixed_pitch(para, 20)
        info = f"项目名称：{clean(self.project.name)}    实施单位：{clean(self.project.unit) or NOT_FILLED}"
        wk.add_run(para, info, self.fonts.body, 12)

    def notes(self) -> None:
        """计分口径 and the published-vs-rule differences, under the form."""
        for text in document_notes(self.report):
            para = self.doc.add_paragraph(style="Normal")
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT
            wk.fixed_pitch(para, 18)
            wk.add_run(para, clean(text), self.fonts.body, 10.5)

    def materials(self, number: int) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        wk.page_setup(section)
        para = self.doc.add_paragraph(style="Normal")
        wk.fixed_pitch(para)
        wk.add_run(para, f"附件{number}", self.fonts.heading1, wk.BODY_PT)
        self.title("绩效自评相关资料")
        items = [clean(m).strip() for m in self.project.materials if clean(m).strip()]
        if not items:
            self.body("无")
        for i, item in enumerate(items, start=1):
            self.body(f"{i}．{item}")

    # ---------------------------------------------------------------- evaluation-report outline (four-part)
    def four_part(self) -> None:
        p, r = self.project, self.report
        self.title(f"{clean(p.name)}绩效自评报告")
        self.heading("一、基本情况", 1)
        self.heading("（一）项目概况", 2)
        for key in OVERVIEW_KEYS:
            self.labelled(narrative_label(key), narrative(p, key))
        self.heading("（二）预算执行情况", 2)
        self.budget_grid()
        self.heading("（三）项目绩效目标", 2)
        self.labelled(narrative_label("goal_period"), narrative(p, "goal_period"))
        self.labelled(narrative_label("goal_annual"), narrative(p, "goal_annual"))

        self.heading("二、评价工作开展情况", 1)
        self.section_text("evaluation_work")

        self.heading("三、综合评价及结论", 1)
        self.body(f"根据评分标准，{self.total_sentence()}各一级指标得分情况见下表。")
        category_summary_table(self.doc, self.fonts, self.template, r)
        conclusion = narrative(p, "conclusion")
        if conclusion:
            self.body(conclusion)

        self.heading("四、绩效指标分析", 1)
        analysis = [
            ("（一）项目决策情况", "analysis_decision"),
            ("（二）项目过程情况", "analysis_process"),
            ("（三）项目产出情况", "analysis_output"),
            ("（四）项目效益情况", "analysis_benefit"),
        ]
        if narrative(p, "analysis_satisfaction"):
            analysis.append(("（五）满意度情况", "analysis_satisfaction"))
        for head, key in analysis:
            self.heading(head, 2)
            self.section_text(key)

        self.heading("五、主要经验做法、存在问题", 1)
        self.heading("（一）主要经验做法", 2)
        self.section_text("experience")
        self.heading("（二）存在问题及原因分析", 2)
        self.section_text("problems")
        self.heading("六、有关建议", 1)
        self.section_text("suggestions")
        if narrative(p, "other"):
            self.heading("七、其他需要说明的问题", 1)
            self.section_text("other")

        self.attachment_section("附件1", f"{clean(p.region)}项目支出绩效自评表", landscape=True)
        scoring_table(self.doc, self.fonts, p, self.template, r)
        self.notes()
        if self.template.has_reviewer:
            signature_lines(self.doc, self.fonts, p)
        self.materials(2)


def build_docx(
    project: Project, template: Template, report: ScoreReport, settings: FontSettings | None = None
) -> DocxDocument:
    """The report as a python-docx Document (not saved)."""
    writer = _Report(project, template, report, settings or FontSettings())
    if template.layout == "four_part":
        writer.four_part()
    else:
        writer.mof()
    return writer.doc


def export_docx(
    project: Project,
    template: Template,
    report: ScoreReport,
    path: Path,
    settings: FontSettings | None = None,
    *,
    overwrite: bool = True,
) -> None:
    """Write the self-evaluation report to ``path`` (atomically; ExportError with a Chinese message on failure)."""
    document = build_docx(project, template, report, settings)
    atomic_write(Path(path), lambda tmp: document.save(str(tmp)), overwrite=overwrite)
