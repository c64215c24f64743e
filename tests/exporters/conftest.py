"""Fixtures for the exporter tests: every output of both samples, written once per session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.exporters.excel import export_xlsx
from app.exporters.pdf import export_pdf
from app.exporters.word import export_docx
from app.scoring.engine import score_project
from app.scoring.records import Project, ScoreReport, Template

#: The columns of seed 003's scoring table.
SCORING_HEADER = ["一级指标", "二级指标", "三级指标", "单项分值", "指标解释", "标杆值", "评分标准"]
SCORING_HEADER += ["部门自评分数", "第三方复核", "扣分事项"]


@dataclass(frozen=True)
class Output:
    """One sample's project, template, report and the three files written from them."""

    tag: str
    project: Project
    template: Template
    report: ScoreReport
    docx: Path
    xlsx: Path
    pdf: Path
    pdf_warnings: tuple[str, ...]


def write_all(tag: str, project: Project, template: Template, folder: Path) -> Output:
    report = score_project(project, template)
    docx, xlsx, pdf = folder / f"{tag}.docx", folder / f"{tag}.xlsx", folder / f"{tag}.pdf"
    export_docx(project, template, report, docx)
    export_xlsx(project, template, report, xlsx)
    warnings = export_pdf(project, template, report, pdf)
    return Output(tag, project, template, report, docx, xlsx, pdf, tuple(warnings))


@pytest.fixture(scope="session")
def out000(seed000: tuple, tmp_path_factory: pytest.TempPathFactory) -> Output:
    return write_all("seed000", *seed000, tmp_path_factory.mktemp("out000"))


@pytest.fixture(scope="session")
def out003(seed003: tuple, tmp_path_factory: pytest.TempPathFactory) -> Output:
    return write_all("seed003", *seed003, tmp_path_factory.mktemp("out003"))


@pytest.fixture(params=["seed000", "seed003"])
def out(request: pytest.FixtureRequest) -> Output:
    """Each sample in turn."""
    fixture = "out000" if request.param == "seed000" else "out003"
    result: Output = request.getfixturevalue(fixture)
    return result
