"""`python -m app score TABLE.xlsx` and `python -m app import FILE.jxdb TABLE.xlsx` in a real process."""

from __future__ import annotations

import json
from pathlib import Path

from tests.importing import builders, hostile
from tests.models.helpers import run_app


def test_score_a_workbook(tmp_path: Path, seed000: tuple) -> None:
    project, template = seed000
    path = builders.mof_form(project, template, tmp_path / "自评表.xlsx", scores={"安装及时性": 14.5}, total=94.08)
    res = run_app("score", str(path), "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    (item,) = data["projects"]
    assert item["total"] == "94.08" and item["year"] == 2021 and item["template"] == "mof-2020"
    line = next(i for i in item["indicators"] if i["path"][-1] == "安装及时性")
    assert line["overridden"] is True and line["computed"] == "13.50" and line["score"] == "14.50"
    assert res.stderr.startswith("提示：自评表.xlsx 自评表!H15：原表得分与计分规则结果不同")


def test_import_a_workbook_then_dump(tmp_path: Path, seed000: tuple) -> None:
    project, template = seed000
    table = builders.comparator_layout(project, template, tmp_path / "t.xlsx")
    target = tmp_path / "new.jxdb"
    res = run_app("import", str(target), str(table))
    assert res.returncode == 0, res.stderr
    assert "已导入 1 个项目" in res.stdout
    dumped = json.loads(run_app("dump", str(target)).stdout)
    (got,) = dumped["projects"]
    assert got["name"] == project.name and got["budget"]["adjusted"]["county"] == "107.26"
    res = run_app("score", str(target), "--json")
    assert json.loads(res.stdout)["projects"][0]["total"] == "93.08"


def test_refused_workbook_leaves_no_file_and_no_partial_project(tmp_path: Path, seed000: tuple) -> None:
    project, template = seed000
    good = builders.mof_form(project, template, tmp_path / "good.xlsx")
    bomb = hostile.billion_laughs(tmp_path / "bomb.xlsx", tmp_path)
    target = tmp_path / "new.jxdb"
    res = run_app("import", str(target), str(good), str(bomb))
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("错误：bomb.xlsx：") and "DOCTYPE" in res.stderr
    assert not target.exists()  # the good table was not imported alone either


def test_xls_names(tmp_path: Path, seed000: tuple) -> None:
    """A real old .xls is told to be saved as .xlsx; an .xlsx that was only misnamed .xls is read."""
    res = run_app("score", str(hostile.old_xls(tmp_path / "旧表.xls")))
    assert res.returncode == 1 and "旧版 Excel（.xls）" in res.stderr and res.stderr.count("\n") == 1
    project, template = seed000
    misnamed = tmp_path / "其实是新表.xls"
    misnamed.write_bytes(builders.mof_form(project, template, tmp_path / "t.xlsx").read_bytes())
    res = run_app("score", str(misnamed), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["projects"][0]["total"] == "93.08"
