"""The Word report, reopened with python-docx: outline, numbers equal to the score report, fonts, layout."""

from __future__ import annotations

from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table

from app.exporters.fonts import FontSettings
from app.exporters.text import rate_text, score_text, weight_text
from app.exporters.word import build_docx
from app.scoring.engine import score_project

from .conftest import SCORING_HEADER, Output


def near(length: int | None, mm: float) -> bool:
    """python-docx stores lengths in twips: equal to the millimetres within 0.05 mm."""
    return length is not None and abs(length - Mm(mm)) < Mm(0.05)


def all_text(document: docx.document.Document) -> str:
    parts = ["".join(t.text or "" for t in document.element.body.iter(qn("w:t")))]
    for section in document.sections:
        for footer in (section.footer, section.even_page_footer):
            parts.append("".join(t.text or "" for t in footer._element.iter(qn("w:t"))))
    return "\n".join(parts)


def unique_cells(row: object) -> list[str]:
    """The text of each cell of a row, a merged cell counted once."""
    seen: list[object] = []
    out: list[str] = []
    for cell in row.cells:  # type: ignore[attr-defined]
        if cell._tc in seen:
            continue
        seen.append(cell._tc)
        out.append(cell.text)
    return out


def find_table(document: docx.document.Document, first_header: str, must_have: str) -> Table:
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if header[0] == first_header and must_have in header:
            return table
    raise AssertionError(f"no table starting with {first_header}")


def test_page_size_margins_and_line_pitch(out: Output) -> None:
    d = docx.Document(str(out.docx))
    first = d.sections[0]
    assert near(first.page_width, 210) and near(first.page_height, 297)
    assert near(first.top_margin, 37) and near(first.bottom_margin, 35)
    assert near(first.left_margin, 28) and near(first.right_margin, 26)
    grid = first._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 22 lines per page
    normal = d.styles["Normal"]
    assert normal.font.size.pt == 16
    assert abs(normal.paragraph_format.line_spacing.pt - 28.95) < 0.05
    landscape = [s for s in d.sections if s.page_width > s.page_height]
    assert landscape, "the 自评表 attachment is on a landscape page"
    assert near(landscape[0].page_width, 297) and near(landscape[0].page_height, 210)


def test_east_asian_font_on_every_style_and_run(out: Output) -> None:
    d = docx.Document(str(out.docx))
    fonts = FontSettings()
    expected = {
        "Normal": fonts.body,
        "Title": fonts.title,
        "Heading 1": fonts.heading1,
        "Heading 2": fonts.heading2,
    }
    for name, font in expected.items():
        rfonts = d.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) == font, name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None, name
    for st in d.styles:
        kind, default = st.element.get(qn("w:type")), st.element.get(qn("w:default"))
        rpr = st.element.rPr
        if kind == "paragraph" or (kind == "character" and default != "1"):
            assert rpr is not None and rpr.rFonts is not None, st.name
            assert rpr.rFonts.get(qn("w:eastAsia")), st.name
        elif default == "1" and kind != "paragraph":  # Default Paragraph Font etc. stay empty
            assert rpr is None or rpr.rFonts is None, st.name
    runs = list(d.element.body.iter(qn("w:r")))
    for section in d.sections:
        runs += list(section.footer._element.iter(qn("w:r")))
    assert len(runs) > 100
    for run in runs:
        rfonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert rfonts is not None and rfonts.get(qn("w:eastAsia")), "a run without w:eastAsia"


def test_title_and_headings_use_their_fonts(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    by_text = {p.text: p for p in d.paragraphs}
    title = next(p for p in d.paragraphs if p.style.name == "Title")
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22
    assert by_text["一、项目的基本情况"].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert by_text["（一）项目概况"].runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"


def test_font_fallbacks_are_written_for_word(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    font_part = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = font_part.blob.decode("utf-8") if not hasattr(font_part, "element") else font_part.element.xml
    assert 'w:name="仿宋_GB2312"' in xml and 'w:altName w:val="仿宋"' in xml


def test_page_numbers_odd_right_even_left(out: Output) -> None:
    d = docx.Document(str(out.docx))
    assert d.settings.odd_and_even_pages_header_footer
    section = d.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # RIGHT, LEFT
    for para in (odd, even):
        xml = para._p.xml
        assert "PAGE" in "".join(t.text or "" for t in para._p.iter(qn("w:instrText")))
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert para.text.startswith("— ") and para.text.endswith(" —")
        assert para.runs[0].font.size.pt == 14
        assert para.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"


def test_mof_outline_and_total_sentence(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    text = all_text(d)
    for heading in (
        "一、项目的基本情况",
        "（一）项目概况",
        "（二）预算执行情况",
        "（三）项目绩效目标",
        "二、项目绩效情况",
        "三、项目绩效分析",
        "四、项目主要经验做法",
        "五、项目管理中存在问题及原因分析",
        "六、进一步加强项目管理措施及建议",
        "附件1",
        "项目支出绩效自评表",
        "附件2",
        "绩效自评相关资料",
    ):
        assert heading in text, heading
    assert "总得分93.08分，属于“优秀”" in text
    assert "设立的必要性：（未填写）" in text  # empty section marked, not "None"
    paragraphs = [p.text for p in d.paragraphs]
    assert paragraphs[paragraphs.index("绩效自评相关资料") + 1] == "无"


def test_budget_grid_with_derived_rows(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    table = find_table(d, "项目", "行次")
    rows = {unique_cells(r)[0]: unique_cells(r) for r in table.rows[2:]}
    assert rows["全年预算资金"][1:3] == ["(2)", "107.26"]
    assert rows["实际到位资金"][2] == "106.49"
    assert rows["资金结余"][1:3] == ["(5)=(3)-(4)", "0.00"]
    assert rows["预算到位率"][2] == "99.28%"
    assert rows["预算执行率"][1:3] == ["(7)=(4)/(2)", "99.28%"]
    # 财政资金 spans 小计 and the four levels in the first header row
    assert unique_cells(table.rows[0]).count("财政资金(万元)") == 1
    assert len(unique_cells(table.rows[0])) == 6


def test_category_tables_hold_every_score(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    tables = [t for t in d.tables if [c.text for c in t.rows[0].cells][:2] == ["二级指标", "三级指标"]]
    assert len(tables) == len(out000.project.categories) == 4
    for ci, table in enumerate(tables):
        lines = [ln for ln in out000.report.lines if ln.index[0] == ci]
        body = [unique_cells(r) for r in table.rows[1:]]
        names = [row[1] for row in body[:-1]]
        assert names == [ln.path[2] for ln in lines]
        for row, line in zip(body, lines, strict=False):
            assert row[-1] == score_text(line.score)
            assert row[2] == weight_text(line.weight)
        total = body[-1]
        assert total[0] == "合计" and total[-1] == score_text(out000.report.categories[ci].score)


def test_mof_form_rows_merges_and_header(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    table = find_table(d, "一级指标", "偏差原因分析及改进措施")
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "一级指标",
        "二级指标",
        "三级指标",
        "权重",
        "目标值",
        "业绩值",
        "完成率",
        "指标得分",
        "偏差原因分析及改进措施",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    report = out000.report
    body = table.rows[1 : 1 + len(report.lines)]
    for row, line in zip(body, report.lines, strict=True):
        cells = [c.text for c in row.cells]
        assert cells[2] == line.path[2]
        assert cells[6] == rate_text(line.completion)
        assert cells[7] == score_text(line.score)
    # 产出指标 is one merged cell over its four rows, written once
    firsts = [row.cells[0] for row in body]
    produce = [c for c, line in zip(firsts, report.lines, strict=True) if line.path[0] == "产出指标"]
    assert len(produce) == 4 and len({c._tc for c in produce}) == 1
    assert produce[0].text == "产出指标" and len(produce[0].paragraphs) == 1
    total_row = unique_cells(table.rows[1 + len(report.lines)])
    assert total_row[0] == "总分" and score_text(report.total) in total_row
    assert "优（优秀）" in unique_cells(table.rows[2 + len(report.lines)])
    numbers = body[0].cells[7].paragraphs[0]
    assert numbers.alignment == 2  # right-aligned


def test_deviation_reason_of_mof_form(out000: Output) -> None:
    d = docx.Document(str(out000.docx))
    table = find_table(d, "一级指标", "偏差原因分析及改进措施")
    assert table.rows[1].cells[-1].text == "开源节流，保障资金有效使用"


def test_four_part_outline_and_scoring_table(out003: Output) -> None:
    d = docx.Document(str(out003.docx))
    text = all_text(d)
    for heading in (
        "一、基本情况",
        "二、评价工作开展情况",
        "三、综合评价及结论",
        "四、绩效指标分析",
        "（一）项目决策情况",
        "（二）项目过程情况",
        "（三）项目产出情况",
        "（四）项目效益情况",
        "五、主要经验做法、存在问题",
        "六、有关建议",
        "罗定市项目支出绩效自评表",
    ):
        assert heading in text, heading
    assert "总得分97.80分，属于“优秀”" in text
    assert "（未填写）" in text
    table = find_table(d, "一级指标", "评分标准")
    header = [c.text for c in table.rows[0].cells]
    assert header == SCORING_HEADER
    rows = [unique_cells(r) for r in table.rows[1:]]
    flat = [[c.text for c in r.cells] for r in table.rows[1:]]
    names = [r[2] for r in flat]
    report = out003.report
    for line in report.lines:
        if line.path[2] == "项目效益":
            continue
        i = names.index(line.path[2])
        assert flat[i][7] == score_text(line.score), line.path
        assert flat[i][8] == score_text(line.reviewer_score), line.path
    # 项目效益: three sub-item rows share one weight / score cell
    subs = [i for i, n in enumerate(names) if n in ("经济效益", "社会效益", "生态效益")]
    assert len(subs) == 3
    weight_cells = {table.rows[1 + i].cells[3]._tc for i in subs}
    score_cells = {table.rows[1 + i].cells[7]._tc for i in subs}
    assert len(weight_cells) == 1 and len(score_cells) == 1
    assert table.rows[1 + subs[0]].cells[7].text == "20.00"
    penalty = next(r for r in flat if r[0].startswith("扣分项"))
    assert penalty[2] == "财政资金支出率" and penalty[7] == "0.00"
    total = next(r for r in rows if r[0] == "总分值")
    assert "97.80" in total and "100" in total
    assert "第三方复核人员签名：阳江市 师强 吴有礼" in text
    assert "第三方机构盖章：" in text
    # 决策(24分) is merged over its six indicators
    decision = [table.rows[1 + i].cells[0]._tc for i, r in enumerate(flat) if r[0] == "决策(24分)"]
    assert len(decision) == 6 and len(set(decision)) == 1


def test_summary_table_of_four_part_report(out003: Output) -> None:
    d = docx.Document(str(out003.docx))
    table = find_table(d, "一级指标", "部门自评得分")
    rows = {unique_cells(r)[0]: unique_cells(r) for r in table.rows[1:]}
    for cat in out003.report.categories:
        assert rows[cat.name][2] == score_text(cat.score)
    assert rows["总分"][2] == "97.80"


def test_no_none_anywhere(out: Output) -> None:
    assert "None" not in all_text(docx.Document(str(out.docx)))


def test_override_reason_and_empty_materials(seed000: tuple) -> None:
    from dataclasses import replace

    project, template = seed000
    cat = project.categories[1]
    grp = cat.groups[0]
    ind = replace(grp.indicators[0], override_score=Decimal("8"), override_reason="采购延期")
    cat = replace(cat, groups=(replace(grp, indicators=(ind,)), *cat.groups[1:]))
    project = replace(
        project, categories=(project.categories[0], cat, *project.categories[2:]), materials=("验收报告", "")
    )
    report = score_project(project, template)
    d = build_docx(project, template, report)
    text = all_text(d)
    assert "手工调整得分：采购延期" in text
    assert "1．验收报告" in text
    assert score_text(report.total) in text


@pytest.mark.parametrize("title_font", ["黑体", "宋体"])
def test_settings_change_the_fonts(seed000: tuple, title_font: str) -> None:
    project, template = seed000
    settings = FontSettings().resolved({"仿宋", title_font, "楷体", "黑体", "宋体"})
    assert settings.body == "仿宋" and settings.heading2 == "楷体" and settings.title_bold
    d = build_docx(project, template, score_project(project, template), settings)
    assert d.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert d.styles["Title"].element.rPr.rFonts.get(qn("w:eastAsia")) == settings.title


#: Schema order of the children of w:tblPr and w:pPr (ECMA-376 Part 1, CT_TblPr / CT_PPrBase), as Word
#: rejects out-of-order elements as "unreadable content".
TBLPR_ORDER = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
]  # fmt: skip
PPR_ORDER = [
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
    "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
    "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
    "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
]  # fmt: skip


def _in_order(element: object, order: list[str]) -> bool:
    names = [child.tag.split("}")[1] for child in element]  # type: ignore[attr-defined]
    known = [n for n in names if n in order]
    return len(known) == len(set(known)) and known == sorted(known, key=order.index)


def test_xml_children_in_schema_order(out: Output) -> None:
    d = docx.Document(str(out.docx))
    for table in d.tables:
        assert _in_order(table._tbl.tblPr, TBLPR_ORDER), table._tbl.tblPr.xml
    for ppr in d.element.body.iter(qn("w:pPr")):
        assert _in_order(ppr, PPR_ORDER), ppr.xml
