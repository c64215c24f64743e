"""reportlab helpers: the embedded CJK font, CJK line breaking rules, paragraph styles and a span-aware grid."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import reportlab.lib.textsplit as textsplit
import reportlab.platypus.paragraph as rl_paragraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

from app.exporters.fonts import CjkFont, find_cjk_ttf
from app.exporters.text import clean

#: Full-width punctuation that must never start a line (reportlab's list lacks "，" "：" "；" and others).
EXTRA_CANNOT_START = "，：；。、！？）》」』】〕…％%"

FALLBACK_FONT = "STSong-Light"


def extend_kinsoku() -> None:
    """Add the full-width punctuation to reportlab's "cannot start a line" list (idempotent)."""
    missing = "".join(ch for ch in EXTRA_CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    if missing:
        textsplit.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + missing
        textsplit.CANNOT_START_LINE[0] = textsplit.CANNOT_START_LINE[0] + missing
    rl_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


extend_kinsoku()
ALL_CANNOT_START_EXTENDED: str = textsplit.ALL_CANNOT_START


def _family(name: str) -> None:
    """One face for every style, so <b> in a paragraph does not look for a bold file."""
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


def register_font(font: CjkFont | None = None) -> tuple[str, list[str]]:
    """Register an embeddable TrueType CJK font; STSong-Light (not embedded) only as a last resort, with a warning."""
    warnings: list[str] = []
    candidate = font if font is not None else find_cjk_ttf()
    if candidate is not None:
        if candidate.name in pdfmetrics.getRegisteredFontNames():
            return candidate.name, warnings
        try:
            pdfmetrics.registerFont(TTFont(candidate.name, str(candidate.path), subfontIndex=candidate.subfont))
            _family(candidate.name)
            return candidate.name, warnings
        except (TTFError, OSError) as exc:
            why = "文件无法读取" if isinstance(exc, OSError) else "字体格式不受支持"
            warnings.append(f"中文字体“{candidate.path.name}”无法嵌入（{why}），已改用备用字体。")
    if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        _family(FALLBACK_FONT)
    warnings.append(
        "未找到可嵌入的中文 TrueType 字体（如仿宋 simfang.ttf、宋体 simsun.ttc 或文泉驿正黑），"
        "PDF 中的中文使用未嵌入的 STSong-Light 字体，在其他电脑上可能显示不同或无法显示。"
        "请安装上述字体后重新导出。"
    )
    return FALLBACK_FONT, warnings


def style(font: str, size: float = 9, align: str = "center", *, bold: bool = False) -> ParagraphStyle:
    """A CJK paragraph style: wordWrap 'CJK' keeps "95%" together and honours the kinsoku list."""
    alignment = {"center": TA_CENTER, "left": TA_LEFT, "right": TA_RIGHT, "justify": TA_JUSTIFY}[align]
    return ParagraphStyle(
        f"cjk-{size}-{align}-{bold}",
        fontName=font,
        fontSize=size,
        leading=size * 1.35,
        alignment=alignment,
        wordWrap="CJK",
        textColor=colors.black,
    )


#: Characters that may not end a line (opening brackets and quotes).
CANNOT_END = "（《「『【〔“‘([{"
#: A run that must stay on one line: numbers with their decimals, percent signs and units ("95%", "99.28%").
_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:/_+\-]*[%％]?|\s+|.", re.S)


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """See ``_break_lines`` (cached: tables measure every cell several times)."""
    return list(_break_lines(text, font, size, round(width, 2)))


@functools.lru_cache(maxsize=4096)
def _break_lines(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """Chinese line breaking: any break between CJK characters, never inside "95%" or "99.28",
    never before "，" "：" "；" "。" (the previous character moves down with it), never after "（"."""
    out: list[str] = []
    for paragraph in clean(text).split("\n"):
        tokens = _TOKEN.findall(paragraph)
        line: list[str] = []
        used = 0.0
        for token in tokens:
            w = pdfmetrics.stringWidth(token, font, size)
            if line and used + w > width:
                carry: list[str] = []
                if token[0] in ALL_CANNOT_START_EXTENDED:
                    if len(line) == 1:  # nothing to carry down: let the punctuation hang in the margin
                        line.append(token)
                        used += w
                        continue
                    carry = [line.pop()]
                while len(line) > 1 and line[-1] and line[-1][-1] in CANNOT_END:
                    carry.insert(0, line.pop())
                out.append("".join(line).rstrip())
                line = carry if carry != [" "] else []
                used = sum(pdfmetrics.stringWidth(t, font, size) for t in line)
                if token.isspace() and not line:
                    continue
            if w > width and not line:  # a run longer than the cell: split it by characters
                for ch in token:
                    cw = pdfmetrics.stringWidth(ch, font, size)
                    if line and used + cw > width:
                        out.append("".join(line))
                        line, used = [], 0.0
                    line.append(ch)
                    used += cw
                continue
            line.append(token)
            used += w
        out.append("".join(line).rstrip())
    return tuple(out)


class CjkParagraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks Chinese text with ``break_lines`` for the width it is given."""

    def __init__(self, text: str, st: ParagraphStyle, bold: bool = False) -> None:
        self._raw = text
        self._bold = bold
        super().__init__(self._markup([text]), st)

    def _markup(self, lines: list[str]) -> str:
        # lines are already broken: keep runs of spaces (reportlab would collapse them)
        body = "<br/>".join(escape(line).replace(" ", "\u00a0") for line in lines)
        return f"<b>{body}</b>" if self._bold else body

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        st = self.style
        lines = break_lines(self._raw, st.fontName, st.fontSize, max(availWidth - 0.5, 1.0))
        Paragraph.__init__(self, self._markup(lines), st)
        widest = max((pdfmetrics.stringWidth(line, st.fontName, st.fontSize) for line in lines), default=0.0)
        if widest <= availWidth:
            result: tuple[float, float] = super().wrap(availWidth, availHeight)
            return result
        # a hanging punctuation mark: let reportlab keep the line as it is
        _, height = super().wrap(widest + 1, availHeight)
        return availWidth, height


def para(text: object, st: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    """Text as a Paragraph with Chinese line breaking; markup escaped, line breaks kept."""
    return CjkParagraph(clean(text), st, bold)


TRUNCATED = "……（内容过长，此处已截断，完整内容见 Word 报告）"
PADDING = 2.0


def fit_text(text: str, font: str, size: float, width: float, max_lines: int) -> str:
    """The text, cut so that it needs at most ``max_lines`` lines in ``width`` (a row may not outgrow a page)."""
    lines = break_lines(text, font, size, width)
    if len(lines) <= max_lines:
        return text
    keep = max(max_lines - 2, 1)
    return "".join(lines[:keep]) + TRUNCATED


@dataclass
class Grid:
    """A table under construction: cells by (row, col), spans, and per-cell alignment."""

    widths: list[float]
    font: str
    size: float = 8.5
    #: The tallest a row may be (the frame height less room for the header row).
    max_height: float = 400.0
    cells: dict[tuple[int, int], tuple[str, str, bool]] = field(default_factory=dict)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2)
    rows: int = 0

    def set(self, row: int, col: int, text: object, align: str = "center", *, bold: bool = False) -> None:
        self.cells[(row, col)] = (clean(text), align, bold)
        self.rows = max(self.rows, row + 1)

    def span(self, row1: int, col1: int, row2: int, col2: int) -> None:
        if (row1, col1) != (row2, col2):
            self.spans.append((row1, col1, row2, col2))
            self.rows = max(self.rows, row2 + 1)

    def table(self, repeat_rows: int = 0) -> Table:
        """The reportlab Table. A merged block taller than ``max_height`` is unmerged (the label repeats in
        each row), because reportlab cannot break a page inside a merged block."""
        table = self._build(self.spans, repeat_rows)
        table.wrap(sum(self.widths), 1e6)
        heights = table._rowHeights
        keep = [s for s in self.spans if s[0] == s[2] or sum(heights[s[0] : s[2] + 1]) <= self.max_height]
        if len(keep) != len(self.spans):
            table = self._build(keep, repeat_rows)
        return table

    def _build(self, spans: list[tuple[int, int, int, int]], repeat_rows: int) -> Table:
        styles: dict[tuple[str, bool], ParagraphStyle] = {}
        data: list[list[object]] = []
        span_width = {(r1, c1): sum(self.widths[c1 : c2 + 1]) for r1, c1, _, c2 in spans}
        covered = {(r, c) for r1, c1, r2, c2 in spans for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {
            (r1, c1) for r1, c1, _, _ in spans
        }
        max_lines = max(int((self.max_height - 2 * PADDING) // (self.size * 1.35)), 3)
        for r in range(self.rows):
            out: list[object] = []
            for c in range(len(self.widths)):
                text, align, bold = self.cells.get((r, c), ("", "center", False))
                if (r, c) in covered:
                    out.append("")
                    continue
                width = span_width.get((r, c), self.widths[c]) - 2 * PADDING
                text = fit_text(text, self.font, self.size, width - 0.5, max_lines) if text else text
                key = (align, bold)
                if key not in styles:
                    styles[key] = style(self.font, self.size, align, bold=bold)
                out.append(para(text, styles[key], bold=bold) if text else "")
            data.append(out)
        table = Table(data, colWidths=self.widths, repeatRows=repeat_rows)
        commands: list[tuple[object, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), self.font),  # empty cells too: no stray Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
        ]
        commands += [("SPAN", (c1, r1), (c2, r2)) for r1, c1, r2, c2 in spans]
        table.setStyle(TableStyle(commands))
        return table
