"""Both seeds end to end through `python -m app score`, and bad input on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT, SAMPLES


def run_app(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=60, check=False)


def test_score_both_samples_text() -> None:
    res = run_app("score", str(SAMPLES / "seed000-daning.json"), str(SAMPLES / "seed003-luoding.json"))
    assert res.returncode == 0, res.stderr
    assert "总分 93.08  等级 优" in res.stdout
    assert "总分 97.8  等级 优" in res.stdout
    assert res.stderr == ""


def test_score_json() -> None:
    res = run_app("score", "--json", str(SAMPLES / "seed000-daning.json"), str(SAMPLES / "seed003-luoding.json"))
    assert res.returncode == 0, res.stderr
    projects = json.loads(res.stdout)["projects"]
    assert [(p["total"], p["grade"]) for p in projects] == [("93.08", "优"), ("97.80", "优")]
    first = projects[0]
    assert [c["score"] for c in first["categories"]] == ["9.93", "47.20", "27.00", "8.95"]
    assert first["indicators"][1]["path"] == ["产出指标", "数量指标", "软件采购数量（套）"]
    assert first["indicators"][-1]["completion"] == "0.8947"
    assert projects[1]["reviewer_total"] == "97.80"
    assert {"level", "where", "message"} <= set(projects[1]["issues"][0])


def test_score_year_filter() -> None:
    res = run_app("score", "--json", "--year", "2019", str(SAMPLES / "seed000-daning.json"),
                  str(SAMPLES / "seed003-luoding.json"))
    assert [p["name"] for p in json.loads(res.stdout)["projects"]] == ["馆藏档案保护"]


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "JSON"),
    (b"{not json", "JSON"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b'{"projects": [{"name": "x", "year": 2021, "template": "nope"}]}', "模板"),
    (b'{"projects": [{"name": "x", "year": "2021", "template": "mof-2020"}]}', "year"),
    (b"[" * 100000, "JSON"),
])
def test_bad_json_one_chinese_line(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    res = run_app("score", str(path))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("错误：") and fragment in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == content


def test_missing_file_directory_and_suffix(tmp_path: Path) -> None:
    assert "不存在" in run_app("score", str(tmp_path / "none.json")).stderr
    assert "文件夹" in run_app("score", str(tmp_path)).stderr
    (tmp_path / "a.txt").write_text("x")
    res = run_app("score", str(tmp_path / "a.txt"))
    assert res.returncode == 1 and "不支持的文件类型" in res.stderr


def test_usage_errors_exit_2() -> None:
    res = run_app("score")
    assert res.returncode == 2 and "用法错误" in res.stderr


@pytest.mark.parametrize(("args", "said"), [
    (("collect", "a.jxdb", "b.json", "--on-duplicate", "foo"), "'foo' 不是可选的值，可选：'both', 'keep', 'replace'"),
    (("collect",), "缺少参数：YEAR.jxdb, SOURCE"),
    (("score", "a.jxdb", "--year"), "参数 --year：后面应跟一个值"),
    (("score", "a.jxdb", "--bogus"), "无法识别的参数：--bogus"),
])
def test_usage_errors_are_in_chinese(args: tuple[str, ...], said: str) -> None:
    """argparse's own English (usage:, invalid choice, required, unrecognized) never reaches the user."""
    res = run_app(*args)
    assert res.returncode == 2 and said in res.stderr, res.stderr
    assert res.stderr.startswith("用法：") and "usage" not in res.stderr and "invalid" not in res.stderr
    assert run_app("--version").stdout.startswith("绩效自评")


def test_help_is_in_chinese() -> None:
    res = run_app("score", "--help")
    assert res.returncode == 0 and res.stdout.startswith("用法：") and "选项：" in res.stdout
    assert not any(word in res.stdout for word in ("usage", "options:", "show this help"))
