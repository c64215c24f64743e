"""整改通知 (Word): the bureau's notice to one unit listing the projects sent back and what to correct in each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from app.exporters import wordkit as wk
from app.exporters.atomic import atomic_write
from app.exporters.fonts import FontSettings
from app.exporters.text import clean, score_text
from app.exporters.word import _Report
from app.scoring.numbers import fmt_decimal
from app.scoring.records import Level
from app.scoring.rectify import Rectification

_NUMBERS = "一二三四五六七八九十"
MAX_PER_PROJECT = 12  # findings listed in the notice per project; the 整改清单 has them all


def chinese_number(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一, 21 → 二十一 (for “一、” headings)."""
    if n <= 10:
        return _NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (_NUMBERS[ones - 1] if ones else "")


def date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Notice(_Report):
    """The report writer's page, styles and paragraphs, without a project."""

    def __init__(self, fonts: FontSettings) -> None:  # the report's __init__ needs a project: not called
        self.fonts = fonts
        self.doc = docx.Document()
        self._setup()

    def right(self, text: str) -> None:
        para = self.doc.add_paragraph(style="Normal")
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Pt(wk.BODY_PT * 4)
        wk.fixed_pitch(para)
        wk.add_run(para, text, self.fonts.body, wk.BODY_PT)


def build_notice(unit: str, year: int, items: Sequence[Rectification], *, issuer: str, deadline: str,
                 attachment: str, today: date | None = None, fonts: FontSettings | None = None) -> DocxDocument:
    """The notice as an unsaved python-docx Document."""
    w = _Notice(fonts or FontSettings())
    w.title(f"关于{year}年度项目支出绩效自评材料整改的通知")
    w.body(f"{clean(unit)}：", indent=False, align="left")
    errors = sum(i.errors for i in items)
    w.body(f"经复核，你单位报送的{year}年度项目支出绩效自评材料中，有 {len(items)} 个项目需要整改"
           f"（共 {sum(len(i.findings) for i in items)} 个问题，其中必须改正的 {errors} 个）。具体如下：")
    table = wk.new_table(w.doc, len(items) + 1, [12, 62, 22, 22, 26, 20])
    heads = ("序号", "项目名称", "自评得分", "复核得分", "复核状态", "问题数")
    for c, head in enumerate(heads):
        wk.write_cell(table.rows[0].cells[c], head, w.fonts.heading1, bold=False)
    for r, item in enumerate(items, 1):
        rep = item.report
        values = (str(r), item.project.name, score_text(rep.total),
                  score_text(rep.reviewer_total) if rep.reviewer_total is not None else "—",
                  item.project.review.status, str(len(item.findings)))
        for c, value in enumerate(values):
            wk.write_cell(table.rows[r].cells[c], value, w.fonts.body, align="left" if c == 1 else "center")
    wk.mark_header(table, 1, 8)
    w.spacer()
    for n, item in enumerate(items, 1):
        w.heading(f"{chinese_number(n)}、{clean(item.project.name)}", 1)
        rep = item.report
        scores = f"自评得分{fmt_decimal(rep.total, 2)}分"
        if rep.reviewer_total is not None:
            scores += f"，复核得分{fmt_decimal(rep.reviewer_total, 2)}分"
        w.body(scores + "。" + ("存在以下问题：" if item.findings else "未发现需要整改的问题。"))
        for k, f in enumerate(item.findings[:MAX_PER_PROJECT], 1):
            mark = "（必须改正）" if f.level is Level.ERROR else ""
            where = "" if f.indicator in ("复核意见", "") else f"{f.indicator}："
            problem, advice = f.problem.rstrip("。；;. "), f.advice.rstrip("。；;. ")
            w.body(f"{k}. {where}{problem}{mark}。整改要求：{advice}。")
        if len(item.findings) > MAX_PER_PROJECT:
            w.body(f"另有 {len(item.findings) - MAX_PER_PROJECT} 个问题，详见附件整改清单。")
    w.heading(f"{chinese_number(len(items) + 1)}、整改要求", 1)
    w.body(f"请你单位对照上述问题和附件整改清单逐项核实整改，于{deadline}前将整改后的绩效自评表、自评报告"
           "和相关佐证资料重新报送。对确实无法整改的问题，请书面说明原因。")
    w.spacer()
    w.body(f"附件：{attachment}", indent=True, align="left")
    w.spacer()
    w.spacer()
    w.right(clean(issuer))
    w.right(date_text(today or date.today()))
    return w.doc


def write_notice(path: Path, unit: str, year: int, items: Sequence[Rectification], *, issuer: str, deadline: str,
                 attachment: str, overwrite: bool = True) -> None:
    """Write the 整改通知 atomically (ExportError with a Chinese message on failure)."""
    document = build_notice(unit, year, items, issuer=issuer, deadline=deadline, attachment=attachment)
    atomic_write(path, lambda tmp: document.save(str(tmp)), overwrite=overwrite)
