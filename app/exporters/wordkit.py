"""python-docx helpers for Chinese official documents: East Asian fonts, GB/T 9704 page, page-number footers, tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from app.exporters.fonts import LATIN, FontSettings
from app.exporters.text import clean

#: GB/T 9704: 22 lines in a 225 mm type area → 28.95 pt line pitch (579 twips).
LINE_PITCH_PT = 28.95
BODY_PT = 16.0
TITLE_PT = 22.0
PAGE_NUMBER_PT = 14.0
TABLE_PT = 10.5

_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_rfonts(rpr: Any, name: str) -> None:
    """Set the Latin, East Asian and complex-script font of an rPr element; drop theme fonts that would win."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    latin = LATIN.get(name, name)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), name)
    rfonts.set(qn("w:cs"), latin)


def style_font(doc: DocxDocument, style_name: str, font: str, size: float, *, bold: bool = False) -> None:
    """A paragraph style's font (East Asian too), size, black, not italic."""
    style = doc.styles[style_name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = None
    set_rfonts(style.element.get_or_add_rPr(), font)
    rpr = style.element.get_or_add_rPr()
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


def east_asian_everywhere(doc: DocxDocument, font: str) -> None:
    """Every other paragraph and character style (footer, list, caption…) gets the body font as its East Asian
    font. Default styles (Default Paragraph Font, Normal Table, No List) stay empty: properties on them would
    override the heading fonts of text typed later in Word."""
    for st in doc.styles:
        element = st.element
        if not _needs_font(element):
            continue
        rpr = element.rPr if hasattr(element, "rPr") else None
        rfonts = rpr.rFonts if rpr is not None else None
        if rfonts is not None and rfonts.get(qn("w:eastAsia")):
            continue
        if rpr is None:
            rpr = element.get_or_add_rPr()
        set_rfonts(rpr, font)


def _needs_font(element: Any) -> bool:
    kind = element.get(qn("w:type"))
    if kind == "paragraph":
        return True
    return kind == "character" and element.get(qn("w:default")) not in ("1", "true", "on")


def set_doc_defaults(doc: DocxDocument, font: str) -> None:
    """docDefaults: the body font for every script and Chinese as the East Asian language."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    set_rfonts(rpr, font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def add_font_alternatives(doc: DocxDocument, settings: FontSettings) -> None:
    """Font table entries with w:altName, so Word uses 仿宋 where 仿宋_GB2312 is missing."""
    font_part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            font_part = rel.target_part
    if font_part is None:
        return
    # python-docx keeps the font table as a plain part: edit its XML bytes
    root = parse_xml(font_part.blob)
    existing = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in dict.fromkeys(settings.names()):
        alts = settings.alternatives(name)
        if name in existing or not alts:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alts[0]), ("w:charset", "86")):  # 86: GB2312
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    font_part._blob = serialize_part_xml(root)


def add_run(paragraph: Paragraph, text: str, font: str, size: float | None = None, *, bold: bool = False) -> Any:
    """A run with its East Asian font set (python-docx would only set the Latin one)."""
    run = paragraph.add_run(clean(text))
    set_rfonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    return run


def fixed_pitch(paragraph: Paragraph, pitch: float = LINE_PITCH_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(pitch)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


# --------------------------------------------------------------------------- page


def page_setup(section: Section, *, landscape: bool = False) -> None:
    """A4 with the GB/T 9704 margins (top 37, bottom 35, left 28, right 26 mm); landscape keeps the binding side."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(35), Mm(37)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the page number 7 mm below the type area, as GB/T 9704 asks
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    if landscape:  # table pages: no line grid, rows as tall as their text
        grid.attrib.pop(qn("w:type"), None)
        grid.set(qn("w:linePitch"), "312")
    else:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _field_run(paragraph: Paragraph, font: str, kind: str) -> None:
    run = add_run(paragraph, "", font, PAGE_NUMBER_PT)
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


def _page_field(paragraph: Paragraph, font: str) -> None:
    _field_run(paragraph, font, "begin")
    run = add_run(paragraph, "", font, PAGE_NUMBER_PT)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    _field_run(paragraph, font, "separate")
    add_run(paragraph, "1", font, PAGE_NUMBER_PT)
    _field_run(paragraph, font, "end")


def page_number_footers(doc: DocxDocument, section: Section, font: str) -> None:
    """“— 1 —” in 4号宋体: odd pages right, even pages left, each inset by one character (GB/T 9704 7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.alignment = align
        fmt = para.paragraph_format
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        add_run(para, "— ", font, PAGE_NUMBER_PT)
        _page_field(para, font)
        add_run(para, " —", font, PAGE_NUMBER_PT)


# --------------------------------------------------------------------------- tables


def new_table(doc: DocxDocument, rows: int, widths_mm: Sequence[float]) -> Table:
    """A bordered table with fixed column widths, centred on the page."""
    table: Table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr  # autofit False has already written w:tblLayout fixed
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")  # 1 mm
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for col, width in zip(table.columns, widths_mm, strict=True):
        col.width = Mm(width)
    return table


def mark_header(
    table: Table, count: int = 1, min_height_mm: float = 0, row_heights_mm: dict[int, float] | None = None
) -> None:
    """Repeat the first ``count`` rows at the top of every page; no row breaks across pages; minimum row heights
    (``row_heights_mm`` per row index overrides ``min_height_mm`` when larger)."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        wanted = max(min_height_mm, (row_heights_mm or {}).get(i, 0.0))
        if wanted:
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(round(wanted / 25.4 * 1440)))
            height.set(qn("w:hRule"), "atLeast")
            tr_pr.append(height)
        if i < count:
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        tr_pr.append(cant)


def write_cell(
    cell: _Cell,
    text: str,
    font: str,
    *,
    size: float = TABLE_PT,
    align: str = "center",
    bold: bool = False,
) -> None:
    """Replace a cell's content with ``text`` (lines become paragraphs), vertically centred."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }.get(align, WD_ALIGN_PARAGRAPH.CENTER)
    lines = clean(text).split("\n") or [""]
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for r in list(first.runs):
        r._r.getparent().remove(r._r)
    for i, line in enumerate(lines):
        para = first if i == 0 else cell.add_paragraph()
        para.alignment = alignment
        fmt = para.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        snap = OxmlElement("w:snapToGrid")  # table text does not snap to the body's 28.95 pt grid
        snap.set(qn("w:val"), "0")
        para._p.get_or_add_pPr().insert(0, snap)
        add_run(para, line, font, size, bold=bold)


def merge_vertical(table: Table, col: int, first: int, last: int) -> None:
    """Merge rows first..last of one column; the text stays in the first cell (the others are empty)."""
    if last <= first:
        return
    top = table.cell(first, col)
    for r in range(first + 1, last + 1):
        cell = table.cell(r, col)
        for p in cell.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        for run in list(cell.paragraphs[0].runs):
            run._r.getparent().remove(run._r)
    top.merge(table.cell(last, col))


def merge_horizontal(table: Table, row: int, first: int, last: int) -> None:
    """Merge columns first..last of one row; the text stays in the first cell."""
    if last <= first:
        return
    for c in range(first + 1, last + 1):
        cell = table.cell(row, c)
        for p in cell.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        for run in list(cell.paragraphs[0].runs):
            run._r.getparent().remove(run._r)
    table.cell(row, first).merge(table.cell(row, last))


def merge_grid(
    cells: list[list[_Cell]],
    vertical: Sequence[tuple[int, int, int]],
    horizontal: Sequence[tuple[int, int, int]],
) -> None:
    """Merge many cells of a freshly built table at once through w:vMerge / w:gridSpan.

    ``cells`` is the table's cell grid fetched before any merge (python-docx's table.cell() rescans the
    whole table on each call, which made large tables take seconds). ``vertical`` holds (col, first row,
    last row), ``horizontal`` (row, first col, last col); the covered cells are emptied first.
    """
    for col, first, last in vertical:
        if last <= first:
            continue
        cells[first][col]._tc.vMerge = "restart"
        for r in range(first + 1, last + 1):
            tc = cells[r][col]._tc
            _empty(cells[r][col])
            cells[r][col].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            tc.vMerge = "continue"
    for row, first, last in sorted(horizontal, key=lambda m: (m[0], -m[1])):
        if last <= first:
            continue
        anchor = cells[row][first]._tc
        width = sum((cells[row][c].width or 0) for c in range(first, last + 1))
        for c in range(first + 1, last + 1):
            tc = cells[row][c]._tc
            tc.getparent().remove(tc)
        anchor.grid_span = last - first + 1
        if width:
            anchor.width = width


def _empty(cell: _Cell) -> None:
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    for run in list(cell.paragraphs[0].runs):
        run._r.getparent().remove(run._r)


def text_height_mm(text: str, width_mm: float, size_pt: float) -> float:
    """Rough height of wrapped text in a cell (a CJK character is one em wide, Latin half), for row heights."""
    em_mm = size_pt * 25.4 / 72
    per_line = max((width_mm - 2.5) / em_mm, 1.0)
    lines = 0
    for part in clean(text).split("\n"):
        units = sum(1.0 if ord(ch) > 0x2E80 else 0.55 for ch in part)
        lines += max(1, -(-int(units * 100) // int(per_line * 100)))
    return lines * em_mm * 1.25 + 1.5
