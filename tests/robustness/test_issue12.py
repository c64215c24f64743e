"""Issue 12 through the command line: each class of the adversarial pass gets one clear Chinese line and a
non-zero exit (or the right answer), never a traceback, 程序内部错误, a hang or an orphan process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from app.models import recovery
from app.models.document import Document
from app.scoring.codec import document_to
from app.scoring.records import Template
from tests.models.helpers import ROOT, run_app, sample_pairs, write_document
from tests.robustness.tally import REPORT

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/zero and /proc are POSIX")


def _clean(res: subprocess.CompletedProcess[str], *needles: str) -> None:
    """One Chinese error line, exit 1 (or 2 for usage), no traceback, no English from the library."""
    REPORT.add("issue 12 (command line)", 1, 0)
    err = res.stderr
    assert res.returncode in (1, 2), (res.returncode, err)
    assert "Traceback" not in err and "程序内部错误" not in err and "Errno" not in err, err
    assert all(n in err for n in needles), err
    REPORT.add("issue 12 (command line)", 0, 1)


@pytest.fixture
def good(tmp_path: Path, templates: dict[str, Template]) -> Path:
    path = tmp_path / "good.jxdb"
    write_document(path, sample_pairs(templates))
    return path


# ----------------------------------------------------------------------------- 5: clear messages


def _json_file(path: Path, templates: dict[str, Template], **changes: object) -> Path:
    project, template = sample_pairs(templates)[0]
    data = document_to([(project, template)])
    data["projects"][0].update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_rule_parameters_beyond_decimal_range_are_named(tmp_path: Path, templates: dict[str, Template]) -> None:
    project, template = sample_pairs(templates)[0]
    data = document_to([(project, template)])
    ind = data["projects"][0]["categories"][2]["groups"][0]["indicators"][0]
    ind["rule"] = {"kind": "deduct_per_point", "params": {"penalty": "1e999999", "step": "1e-999999"}}
    path = tmp_path / "overflow.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run_app("score", str(path))
    REPORT.add("issue 12 (command line)", 1, 0)
    assert res.returncode == 0 and "Traceback" not in res.stderr and "程序内部错误" not in res.stderr, res.stderr
    assert "计分规则" in res.stdout  # the indicator says its rule is wrong; the others are scored
    REPORT.add("issue 12 (command line)", 0, 1)


def test_results_beyond_28_digits_are_an_issue_not_a_crash(tmp_path: Path, templates: dict[str, Template]) -> None:
    project, template = sample_pairs(templates)[0]
    data = document_to([(project, template)])
    budget = data["projects"][0]["budget"]
    budget["adjusted"] = {"county": "0.0000000001"}
    budget["executed"] = {"county": "999999999999.9999999999"}
    path = tmp_path / "rates.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run_app("score", str(path))
    REPORT.add("issue 12 (command line)", 1, 0)
    assert res.returncode == 0 and "程序内部错误" not in res.stderr, res.stderr
    REPORT.add("issue 12 (command line)", 0, 1)


@pytest.mark.parametrize(("argv", "needle"), [
    (["dump", "{good}", "--project", "99999999999999999999999"], "项目编号超出范围"),
    (["score", "{good}", "--year", "99999999999999999999999"], "年度应在"),
    (["export", "{good}", "--to", "{tmp}/out", "--year", "-99999999999999999999"], "年度应在"),
    (["score", "{good}", "--year", "abc"], "年度应为整数"),
])
def test_numbers_on_the_command_line_beyond_int64(good: Path, tmp_path: Path, argv: list[str], needle: str) -> None:
    res = run_app(*(a.format(good=good, tmp=tmp_path) for a in argv))
    _clean(res, needle)
    assert "argument" not in res.stderr and "invalid" not in res.stderr


def test_a_lone_surrogate_in_json_text(tmp_path: Path, templates: dict[str, Template]) -> None:
    path = _json_file(tmp_path / "surrogate.json", templates)
    path.write_text(path.read_text(encoding="utf-8").replace('"name": "', '"name": "\\ud800', 1), encoding="utf-8")
    _clean(run_app("score", str(path)), "无效的字符")
    _clean(run_app("import", str(tmp_path / "new.jxdb"), str(path)), "无效的字符")
    assert not (tmp_path / "new.jxdb").exists()


def test_an_export_folder_path_over_250_characters(good: Path, tmp_path: Path) -> None:
    folder = tmp_path
    while len(str(folder)) < 255:
        folder = folder / ("深" * 40)
    res = run_app("export", str(good), "--to", str(folder), "--format", "xlsx")
    _clean(res, "路径过长")


# ----------------------------------------------------------------------------- 6: --smoke


def test_smoke_exits_non_zero_instead_of_showing_a_dialog(good: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(good)  # a project whose template is missing: loading it fails in the window
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE projects SET template_id = 'missing'")
    conn.commit()
    conn.close()
    res = run_app("--smoke", str(good), timeout=120)
    _clean(res, "错误：")
    assert next(line for line in res.stderr.splitlines() if "错误" in line).startswith("错误：")


def test_smoke_on_a_good_file_exits_zero(good: Path) -> None:
    res = run_app("--smoke", str(good), timeout=120)
    assert res.returncode == 0, res.stderr


# ----------------------------------------------------------------------------- 8: JSON numbers


def test_json_numbers_score_like_strings(tmp_path: Path, templates: dict[str, Template]) -> None:
    project, template = sample_pairs(templates)[0]
    data = document_to([(project, template)])
    ind = data["projects"][0]["categories"][2]["groups"][0]["indicators"][0]
    results = []
    for weight, penalty in (("10", "0.5"), (10.0, 0.5)):
        ind["weight"] = weight
        ind["rule"] = {"kind": "deduct_per_point", "params": {"penalty": penalty, "step": 1}}
        path = tmp_path / f"numbers-{type(weight).__name__}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        res = run_app("score", str(path), "--json")
        assert res.returncode == 0, res.stderr
        results.append(json.loads(res.stdout)["projects"][0]["indicators"])
    assert results[0] == results[1]
    assert Decimal(results[1][next(i for i, ln in enumerate(results[1]) if ln["path"][0] ==
                                   data["projects"][0]["categories"][2]["name"])]["weight"]) == 10


# ----------------------------------------------------------------------------- 12: only regular files


@posix_only
@pytest.mark.parametrize("suffix", [".jxdb", ".json", ".xlsx"])
def test_a_fifo_is_refused_without_hanging(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"pipe{suffix}"
    os.mkfifo(fifo)
    res = run_app("score", str(fifo), timeout=30)
    _clean(res, "不是普通文件")


@posix_only
@pytest.mark.parametrize("suffix", [".jxdb", ".json", ".xlsx"])
def test_a_symlink_to_dev_zero_is_refused(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    res = run_app("score", str(link), timeout=30)
    _clean(res, "不是普通文件")
    res = run_app("--smoke", str(link), timeout=60)
    _clean(res, "不是普通文件")


# ----------------------------------------------------------------------------- 10: orphan workers


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        out |= {int(x) for x in text.split()}
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_exit_when_the_export_is_killed(tmp_path: Path, templates: dict[str, Template]) -> None:
    pairs = sample_pairs(templates)
    many = [(replace(p, name=f"{p.name}{i}"), t) for i in range(12) for p, t in pairs]
    path = tmp_path / "many.jxdb"
    write_document(path, many)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "app", "export", str(path), "--to", str(tmp_path / "out"),
                             "--jobs", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2:
        workers = {c for c in _children(proc.pid) if "_worker" in Path(f"/proc/{c}/cmdline").read_text()
                   or "multiprocessing" in Path(f"/proc/{c}/cmdline").read_text()}
        workers -= {c for c in workers if "resource_tracker" in Path(f"/proc/{c}/cmdline").read_text()}
        time.sleep(0.1)
    assert len(workers) >= 2, "the export did not start its workers"
    time.sleep(1.5)  # the workers have opened their working copies
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.2)
    alive = [w for w in workers if _alive(w)]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert alive == [], "worker processes outlived the killed export"
    # the next start cleans the working copies they leave behind
    res = run_app("export", str(path), "--to", str(tmp_path / "again"), "--format", "xlsx", "--jobs", "1",
                  timeout=300)
    assert res.returncode == 0, res.stderr


def test_stale_working_copies_are_removed_at_start(good: Path, tmp_path: Path) -> None:
    doc = Document.open(good, read_only=True)
    working = doc.working_path
    doc._dispose()  # as if killed: the copy and its sidecar stay
    sidecar = json.loads(recovery.sidecar_path(working).read_text(encoding="utf-8"))
    sidecar["pid"] = 2**22 + 12345  # a process that does not exist
    recovery.sidecar_path(working).write_text(json.dumps(sidecar), encoding="utf-8")
    assert working.exists()
    res = run_app("export", str(good), "--to", str(tmp_path / "out"), "--format", "xlsx", "--jobs", "1",
                  timeout=300)
    assert res.returncode == 0, res.stderr
    assert not working.exists() and not recovery.sidecar_path(working).exists()


# ----------------------------------------------------------------------------- 13: messages


def _on_a_full_disk(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m app argv…`` with ``folder`` a 64 KB tmpfs in a private mount namespace (skips the test
    where such a namespace cannot be made)."""
    folder.mkdir()
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1)")
    script = 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 97; shift; exec "$@"'
    flags = "-m" if os.geteuid() == 0 else "-rm"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    res = subprocess.run(["unshare", flags, "sh", "-c", script, "sh", str(folder), sys.executable, "-m", "app",
                          *argv], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300, check=False)
    if res.returncode == 97 or "unshare failed" in res.stderr:
        pytest.skip("cannot mount a small tmpfs here")
    return res


@posix_only
def test_a_full_disk_during_export_is_one_chinese_message(good: Path, tmp_path: Path) -> None:
    res = _on_a_full_disk(tmp_path / "full", "export", str(good), "--to", str(tmp_path / "full"), "--jobs", "1")
    _clean(res, "磁盘空间不足")
    assert res.stderr.count("\n") == 1 and "Exception ignored" not in res.stderr
    assert ".tmp" not in res.stderr and ".~" not in res.stderr


def test_a_folder_taking_the_lock_name_is_named_not_called_read_only(good: Path, tmp_path: Path,
                                                                     templates: dict[str, Template]) -> None:
    (good.parent / f"~${good.name}").mkdir()
    source = _json_file(tmp_path / "one.json", templates)
    before = good.read_bytes()
    res = run_app("import", str(good), str(source))
    _clean(res, "名为“~$good.jxdb”的文件夹")
    assert "只读" not in res.stderr and good.read_bytes() == before
    with Document.open(good) as doc:
        assert doc.read_only and "文件夹" in doc.read_only_reason


def test_a_lock_name_too_long_is_named_not_called_read_only(good: Path, tmp_path: Path,
                                                           templates: dict[str, Template]) -> None:
    long = tmp_path / ("x" * 250 + ".jxdb")  # 255 characters: the file fits, "~$" + its name does not
    shutil.copyfile(good, long)
    source = _json_file(tmp_path / "one.json", templates)
    res = run_app("import", str(long), str(source))
    _clean(res, "文件名过长")
    assert "只读" not in res.stderr and "Errno" not in res.stderr
