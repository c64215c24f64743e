"""Batch export: every format per project, the summary equals the score reports, failures, overwrite, cancel."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.exporters.batch import SUMMARY_NAME, open_read_only, plan_jobs, run_batch
from app.models.document import Document
from app.scoring.engine import score_project

from ..conftest import ROOT


@pytest.fixture
def year_file(tmp_path: Path, seed000, seed003) -> Path:  # type: ignore[no-untyped-def]
    """A file with four 2021 projects (two of the same name, one with forbidden characters) and one of 2019."""
    p0, t0 = seed000
    p3, t3 = seed003
    doc = Document.new()
    try:
        doc.add_project(p0, t0)
        doc.add_project(replace(p0, name="档案/数字化:整理*项目?"), t0)
        doc.add_project(replace(p3, year=2021), t3)
        doc.add_project(replace(p3, year=2021), t3)
        doc.add_project(p3, t3)
        path = tmp_path / "year.jxdb"
        doc.save_as(path)
    finally:
        doc.close()
    return path


def _jobs(path: Path, folder: Path, year: int | None, formats: list[str]):  # type: ignore[no-untyped-def]
    doc = open_read_only(path)
    try:
        summaries = doc.list_projects(year)  # type: ignore[attr-defined]
    finally:
        doc.close()
    return plan_jobs([(s.id, s.unit, s.name) for s in summaries], folder, formats)


def _no_temp_files(folder: Path) -> None:
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith(".~") or p.suffix == ".tmp"]
    assert leftovers == []


def test_year_exports_every_format_and_a_matching_summary(year_file: Path, tmp_path: Path, templates) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    jobs = _jobs(year_file, out, 2021, ["docx", "xlsx", "pdf"])
    assert len(jobs) == 4
    outcome = run_batch(year_file, open_read_only, jobs, out, workers=2)
    assert not outcome.failed and not outcome.cancelled
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 * 3 + 1 and SUMMARY_NAME in names
    assert "大宁县档案馆-档案_数字化_整理_项目_.docx" in names
    assert "罗定市档案馆-馆藏档案保护（2）.pdf" in names
    _no_temp_files(out)

    doc = open_read_only(year_file)
    try:
        expected = {}
        for s in doc.list_projects(2021):  # type: ignore[attr-defined]
            project = doc.load_project(s.id)
            expected.setdefault(project.name, []).append(score_project(project, doc.template_for(project)))
    finally:
        doc.close()
    ws = load_workbook(out / SUMMARY_NAME).active
    heads = [c.value for c in ws[2]]
    assert heads[:7] == ["序号", "主管部门", "实施单位", "项目名称", "全年预算（万元）", "全年执行（万元）", "执行率"]
    total_col, grade_col = heads.index("总分"), heads.index("等级")
    data = [r for r in ws.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)]
    assert len(data) == 4
    for row in data:
        report = expected[row[3]][0]
        assert Decimal(str(row[total_col])) == report.total
        assert row[grade_col] == report.grade
    totals = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == "合计")
    assert Decimal(str(totals[4])).quantize(Decimal("0.01")) == Decimal("214.52")  # 107.26 × 2 (MoF projects)
    counts = list(ws.iter_rows(min_row=ws.max_row - 1, values_only=True))
    assert counts[0][:3] == ("等级", "优", "合计") and counts[1][:3] == ("项目数", 4, 4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.orientation == "landscape"


def test_no_overwrite_without_the_flag(year_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    jobs = _jobs(year_file, out, 2019, ["xlsx"])
    first = run_batch(year_file, open_read_only, jobs, out, formats=["xlsx"], workers=1)
    assert not first.failed and first.summary is not None
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(before) == 2
    again = run_batch(year_file, open_read_only, jobs, out, formats=["xlsx"], workers=1)
    assert len(again.failed) == 1 and "已存在" in again.failed[0].error
    assert again.summary is None  # nothing new was written, so the old summary stays as it was
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = run_batch(year_file, open_read_only, jobs, out, formats=["xlsx"], workers=1, overwrite=True)
    assert not forced.failed and forced.summary is not None


def test_a_failing_project_does_not_stop_the_others(year_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    jobs = _jobs(year_file, out, 2021, ["xlsx"])
    blocker = out / (jobs[1].stem + ".xlsx")
    blocker.write_bytes(b"someone else's file")
    outcome = run_batch(year_file, open_read_only, jobs, out, formats=["xlsx"], workers=2)
    assert [r.project_id for r in outcome.failed] == [jobs[1].project_id]
    assert len([r for r in outcome.results if not r.error]) == 3
    assert blocker.read_bytes() == b"someone else's file"
    assert outcome.summary is not None  # the summary lists the projects that were written
    _no_temp_files(out)


def test_cancel_leaves_no_partial_files(year_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    jobs = _jobs(year_file, out, None, ["docx", "xlsx", "pdf"])
    cancel = threading.Event()
    outcome = run_batch(year_file, open_read_only, jobs, out, workers=1, progress=lambda r: cancel.set(),
                        cancel=cancel)
    assert outcome.cancelled and len(outcome.results) == 1
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf", ".xlsx"]
    _no_temp_files(out)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300, check=False)


def test_export_command(year_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "新建文件夹"
    res = _cli("export", str(year_file), "--to", str(out), "--year", "2019", "--format", "xlsx,pdf", "--jobs", "2")
    assert res.returncode == 0, res.stderr
    assert "已导出 1 个项目" in res.stdout
    assert sorted(p.name for p in out.iterdir()) == ["汇总表.xlsx", "罗定市档案馆-馆藏档案保护.pdf",
                                                      "罗定市档案馆-馆藏档案保护.xlsx"]
    again = _cli("export", str(year_file), "--to", str(out), "--year", "2019", "--format", "xlsx")
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr
    assert _cli("export", str(year_file), "--to", str(out), "--format", "doc").returncode == 1
    missing = _cli("export", str(tmp_path / "none.jxdb"), "--to", str(out))
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
