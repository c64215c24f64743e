"""`check --report 自查.xlsx`: the printable 整改清单, and the published differences in `score --json` and `check`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.models.document import Document
from app.scoring.selfcheck import self_check
from tests.scoring.helpers import messy_project


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def messy_file(tmp_path: Path, mof) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "待查.jxdb"
    doc = Document.new()
    doc.add_project(messy_project(mof), mof)
    doc.save_as(path)
    doc.close()
    return path


def test_check_report_writes_a_printable_list(messy_file: Path, tmp_path: Path, mof,  # type: ignore[no-untyped-def]
                                              capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "自查.xlsx"
    code, out, err = _run(capsys, "check", str(messy_file), "--report", str(report))
    assert code == 0, err
    assert "原表得分 9，按规则 9.58" in out and "原表总分 95，各项得分之和 94" in out
    assert "[自查] 产出指标/成本指标/每公里养护成本：成本指标的指标值写成了“≥2万元”（正向）" in out
    expected = self_check(messy_project(mof), mof)
    assert f"已写入整改清单 {report}（{len(expected)} 个问题）" in out
    ws = openpyxl.load_workbook(report).active
    assert ws.title == "整改清单" and ws["A1"].value == "绩效自评自查整改清单"
    assert [c.value for c in ws[3]] == ["序号", "项目", "指标", "问题", "整改建议", "类别"]
    body = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(body) == len(expected)
    assert [(r[1], r[2], r[3], r[4]) for r in body] == [(f.project, f.indicator, f.problem, f.advice)
                                                         for f in expected]
    problems = [r[3] for r in body]
    for needle in ("原表得分 24，按规则 19.75", "一级指标权重之和为 120", "预算执行率为 52.80%", "超过100%",
                   "占位符", "偏差原因只写了“无”", "档得分应在"):
        assert any(needle in p for p in problems), needle
    # print-ready: A4, the header row repeated, wrapped text of at least 9 pt, page numbers
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.print_title_rows == "$3:$3"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert all(c.alignment.wrap_text and c.font.sz >= 9 for row in ws.iter_rows(min_row=3) for c in row)
    assert "&P" in ws.oddFooter.center.text


def test_check_report_refuses_other_formats_and_leaves_no_file(messy_file: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "check", str(messy_file), "--report", str(tmp_path / "自查.docx"))
    assert code == 1 and "应为 .xlsx" in err
    code, _, err = _run(capsys, "check", str(messy_file), "--report", str(tmp_path / "没有" / "自查.xlsx"))
    assert code == 1 and "不存在" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["待查.jxdb"]


def test_score_json_shows_the_convention_and_the_published_differences(
        messy_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "score", str(messy_file), "--json")
    assert code == 0, err
    project = json.loads(out)["projects"][0]
    assert project["convention"] == "mof-2020"
    differs = [i["message"] for i in project["issues"] if "原表" in i["message"]]
    assert differs == ["原表得分 24，按规则 19.75", "原表得分 9，按规则 9.58", "原表总分 95，各项得分之和 94"]
    line = next(x for x in project["indicators"] if x["path"][-1] == "群众满意度")
    assert (line["score"], line["computed"], line["overridden"]) == ("9.00", "9.58", True)
    code, out, _ = _run(capsys, "score", str(messy_file))
    assert "计分口径：财政部自评规则（财预〔2020〕10号）" in out
