"""Awkward input: markup characters, control characters, emoji, very long text, empty projects."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from app.exporters.atomic import ExportError
from app.exporters.excel import export_xlsx
from app.exporters.pdf import export_pdf
from app.exporters.word import export_docx
from app.scoring.engine import score_project
from app.scoring.records import Project, Template

NASTY = "<b>粗体</b> & \"引号\" 'x' \x00\x07控制符 😀 \u200b ＜=107.26万元\n第二行"


def nasty_project(project: Project, long_text: str = "") -> Project:
    cats = []
    for cat in project.categories:
        groups = []
        for grp in cat.groups:
            inds = tuple(
                replace(ind, deviation_reason=NASTY + long_text, criteria=ind.criteria + NASTY, reviewer_note=NASTY)
                for ind in grp.indicators
            )
            groups.append(replace(grp, indicators=inds))
        cats.append(replace(cat, groups=tuple(groups)))
    narrative = {k: NASTY for k in project.narrative} | {"overview": NASTY + long_text}
    return replace(
        project,
        categories=tuple(cats),
        name=project.name + NASTY.replace("\n", ""),
        unit=NASTY,
        narrative=narrative,
        materials=(NASTY, "", "  "),
    )


def write_all(project: Project, template: Template, folder: Path) -> tuple[Path, Path, Path]:
    report = score_project(project, template)
    paths = folder / "r.docx", folder / "t.xlsx", folder / "f.pdf"
    export_docx(project, template, report, paths[0])
    export_xlsx(project, template, report, paths[1])
    export_pdf(project, template, report, paths[2])
    return paths


@pytest.mark.parametrize("sample", ["seed000", "seed003"])
def test_markup_and_control_characters(sample: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    project, template = request.getfixturevalue(sample)
    docx_path, xlsx_path, pdf_path = write_all(nasty_project(project), template, tmp_path)
    text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert '<b>粗体</b> & "引号"' in text and "\x00" not in text
    wb = openpyxl.load_workbook(xlsx_path)
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("<b>粗体</b> & " in v for v in values)
    pdf_text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf_path)).pages)
    assert "<b>粗体</b>" in pdf_text.replace("\n", "")


def test_very_long_text(seed000: tuple, tmp_path: Path) -> None:
    """A deviation reason of 40 000 characters: Excel's cell limit is respected, the PDF still builds or says why."""
    project, template = seed000
    long_project = nasty_project(project, "很长的说明。" * 5500)
    report = score_project(long_project, template)
    export_docx(long_project, template, report, tmp_path / "r.docx")
    export_xlsx(long_project, template, report, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    longest = max(len(str(c.value or "")) for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    assert longest <= 32767
    try:
        export_pdf(long_project, template, report, tmp_path / "f.pdf")
    except ExportError as exc:
        assert "过长" in str(exc)
        assert not (tmp_path / "f.pdf").exists()
    else:
        assert len(PdfReader(str(tmp_path / "f.pdf")).pages) > 1


def test_empty_project(templates: dict, tmp_path: Path) -> None:
    from app.scoring.templates import new_project

    for template in templates.values():
        project = new_project(template, 2024, "新项目")
        project = replace(project, categories=())
        write_all(project, template, tmp_path)
        assert "（未填写）" in "\n".join(p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs)


def test_new_project_with_default_indicators(templates: dict, tmp_path: Path) -> None:
    from app.scoring.templates import new_project

    for template in templates.values():
        write_all(new_project(template, 2024, "新项目"), template, tmp_path)
