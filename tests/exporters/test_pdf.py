"""The printable PDF form, reopened with pypdf: page size, embedded font, every score, signatures, line breaking."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.exporters import pdfkit
from app.exporters.fonts import CjkFont, FontSettings, find_cjk_ttf
from app.exporters.pdf import export_pdf
from app.exporters.text import score_text
from app.scoring.engine import score_project

from .conftest import Output


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def squash(text: str) -> str:
    return "".join(text.split())


def fonts_of(path: Path) -> list[tuple[str, bool]]:
    """(base font, embedded) of every font used on every page."""
    out: list[tuple[str, bool]] = []
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out.append((str(font["/BaseFont"]), embedded))
    return out


def test_landscape_a4_with_page_numbers(out: Output) -> None:
    reader = PdfReader(str(out.pdf))
    assert len(reader.pages) >= 1
    for n, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)
        assert f"— {n} —" in (page.extract_text() or "")


def test_font_is_embedded_truetype(out: Output) -> None:
    assert out.pdf_warnings == ()
    fonts = fonts_of(out.pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert not any("Helvetica" in name for name, _ in fonts)


def test_every_score_and_the_total(out: Output) -> None:
    text = squash(pdf_text(out.pdf))
    for line in out.report.lines:
        name = "经济效益" if line.path[2] == "项目效益" else line.path[2]
        assert squash(name) in text, name
        assert score_text(line.score) in text
    assert score_text(out.report.total) in text
    assert "优（优秀）" in text
    assert "None" not in text


def test_mof_form_content(out000: Output) -> None:
    text = squash(pdf_text(out000.pdf))
    for label in (
        "项目支出绩效自评表",
        "（2021年度）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
        "年度总体目标",
    ):
        assert label in text
    assert "107.26" in text and "106.49" in text and "99.28%" in text and "89.47%" in text
    assert "第三方机构盖章" not in text  # no reviewer in the MoF template


def test_scoring_table_and_signatures(out003: Output) -> None:
    text = squash(pdf_text(out003.pdf))
    for label in (
        "罗定市项目支出绩效自评表",
        "部门自评分数",
        "第三方复核",
        "扣分项(-10分)",
        "财政资金支出率",
        "总分值",
        "97.80",
    ):
        assert label in text, label
    assert "第三方机构盖章：" in text
    assert "第三方复核人员签名：阳江市师强吴有礼" in text


def test_last_resort_font_warns(seed000: tuple, tmp_path: Path) -> None:
    project, template = seed000
    bogus = tmp_path / "broken.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00not a font")
    warnings = export_pdf(project, template, score_project(project, template), tmp_path / "a.pdf", font=CjkFont(bogus))
    assert any("STSong-Light" in w for w in warnings)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in w) for w in warnings)
    assert (tmp_path / "a.pdf").stat().st_size > 0


def test_find_cjk_ttf_skips_cff_fonts(tmp_path: Path) -> None:
    (tmp_path / "NotoSerifCJK-Regular.ttc").write_bytes(b"ttcf" + b"\x00" * 8 + (16).to_bytes(4, "big") + b"OTTO")
    assert find_cjk_ttf([tmp_path]) is None
    (tmp_path / "wqy-zenhei.ttc").write_bytes(b"ttcf" + b"\x00" * 8 + (16).to_bytes(4, "big") + b"\x00\x01\x00\x00")
    found = find_cjk_ttf([tmp_path])
    assert found is not None and found.path.name == "wqy-zenhei.ttc"


def test_system_font_is_truetype() -> None:
    font = find_cjk_ttf()
    if font is None:
        pytest.skip("没有安装 TrueType 中文字体（fonts-wqy-zenhei）")
    assert "noto" not in font.path.name.lower()


def test_cjk_breaking_keeps_punctuation_and_percentages() -> None:
    name, _ = pdfkit.register_font()
    assert "，" in pdfkit.rl_paragraph.ALL_CANNOT_START and "：" in pdfkit.rl_paragraph.ALL_CANNOT_START
    sample = "项目满意度达到95%，资金到位率为99.28%；完成情况：良好。（备注）" * 4
    for width in range(40, 200, 3):
        lines = pdfkit.break_lines(sample, name, 10, width)
        assert "".join(lines) == sample
        for ln in lines:
            assert ln and ln[0] not in "，：；。%）", (width, lines)
            assert ln[-1] != "（", (width, lines)
        for a, b in itertools.pairwise(lines):
            assert not (a[-1].isdigit() and (b[0].isdigit() or b[0] in ".%")), (width, lines)
        # reportlab keeps the lines as broken (no second break inside a cell)
        para = pdfkit.para(sample, pdfkit.style(name, 10, "left"))
        para.wrap(width + 0.5, 1000)
        assert len(para.blPara.lines) == len(lines)


def test_font_settings_names() -> None:
    s = FontSettings()
    assert s.alternatives("仿宋_GB2312")[0] == "仿宋"
    assert s.alternatives("方正小标宋简体")[-1] == "宋体"
    assert s.resolved([]).body == "仿宋_GB2312"  # nothing known: keep the official names
