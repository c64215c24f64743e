"""The file commands of docs/cli.md: demo, import, dump, check, and score on a .jxdb."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import cli
from app.models import lock
from app.models.document import Document

from .helpers import SAMPLES, run_app


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_score_check_and_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "示例.jxdb"
    code, out, err = _run(capsys, "demo", str(demo))
    assert (code, err) == (0, "") and "2 个项目" in out
    code, out, err = _run(capsys, "demo", str(demo))
    assert code == 1 and "已存在" in err and err.count("\n") == 1

    code, out, err = _run(capsys, "score", str(demo), "--json")
    assert code == 0, err
    projects = json.loads(out)["projects"]
    assert [(p["year"], p["total"], p["grade"]) for p in projects] == [(2021, "93.08", "优"), (2019, "97.80", "优")]
    assert [p["id"] for p in projects] == [1, 2]
    code, out, _ = _run(capsys, "score", str(demo), "--year", "2019")
    assert code == 0 and "馆藏档案保护" in out and "大宁县" not in out

    code, out, err = _run(capsys, "check", str(demo))
    assert code == 0, err
    assert "完好：2 个项目，2 个模板" in out and "总分 93.08 等级 优" in out and "[提示]" in out

    code, out, err = _run(capsys, "dump", str(demo), "--project", "2")
    assert code == 0, err
    data = json.loads(out)
    assert data["format"] == "jixiao-project" and [p["name"] for p in data["projects"]] == ["馆藏档案保护"]
    code, _, err = _run(capsys, "dump", str(demo), "--project", "99")
    assert code == 1 and "没有编号为 99 的项目" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["示例.jxdb"]  # read-only commands leave nothing


def test_import_creates_then_adds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "导入.jxdb"
    code, out, err = _run(capsys, "import", str(target), str(SAMPLES / "seed000-daning.json"))
    assert code == 0, err
    assert "已导入 1 个项目" in out
    code, out, err = _run(capsys, "import", str(target), str(SAMPLES / "seed003-luoding.json"),
                          str(SAMPLES / "seed000-daning.json"))
    assert code == 0, err
    with Document.open(target, read_only=True) as doc:
        assert [s.year for s in doc.list_projects()] == [2021, 2021, 2019]
    assert (tmp_path / "导入.jxdb.bak").exists()
    # a bad source is reported before the file is touched
    before = target.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"year": 2021}', encoding="utf-8")
    code, _, err = _run(capsys, "import", str(target), str(SAMPLES / "seed000-daning.json"), str(bad))
    assert code == 1 and "bad.json" in err
    assert target.read_bytes() == before


def test_import_round_trip_of_a_dump(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "a.jxdb"
    assert _run(capsys, "demo", str(demo))[0] == 0
    code, first, _ = _run(capsys, "dump", str(demo))
    dumped = tmp_path / "a.json"
    dumped.write_text(first, encoding="utf-8")
    assert _run(capsys, "import", str(tmp_path / "b.jxdb"), str(dumped))[0] == 0
    code, second, _ = _run(capsys, "dump", str(tmp_path / "b.jxdb"))
    assert code == 0 and second == first


def test_import_into_a_file_open_elsewhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "在用.jxdb"
    assert _run(capsys, "demo", str(target))[0] == 0
    lock.lock_path(target).write_text(json.dumps({"user": "周八", "machine": "PC-9", "pid": 4,
                                                  "since": "2024-03-01T10:00:00"}), encoding="utf-8")
    code, _, err = _run(capsys, "import", str(target), str(SAMPLES / "seed000-daning.json"))
    assert code == 1 and "周八" in err
    code, out, _ = _run(capsys, "score", str(target))  # reading is not blocked by the lock
    assert code == 0 and "93.08" in out


def test_import_refuses_a_target_that_is_not_jxdb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "import", str(tmp_path / "x.json"), str(SAMPLES / "seed000-daning.json"))
    assert code == 1 and "不是 .jxdb 文件名" in err


def test_score_on_a_jxdb_in_a_subprocess(tmp_path: Path) -> None:
    demo = tmp_path / "sub.jxdb"
    res = run_app("demo", str(demo))
    assert res.returncode == 0, res.stderr
    res = run_app("score", str(demo))
    assert res.returncode == 0 and res.stderr == ""
    assert "总分 93.08  等级 优" in res.stdout and "总分 97.8  等级 优" in res.stdout
