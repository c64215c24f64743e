"""A corpus of bad files through the command line (check, dump, score, import): each gives one Chinese line on
stderr and exit status 1 (never a traceback, a crash report or a hang) and leaves every input byte-identical."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.models import lock
from app.models.errors import current_machine, current_user
from app.models.schema import SCHEMA_VERSION
from tests.importing import builders, hostile
from tests.models.helpers import run_app, sample_pairs, write_document
from tests.robustness.tally import REPORT

ROOT = Path(__file__).resolve().parents[2]
ANY = ""  # any message will do (the damage may land anywhere)
FUZZ_VARIANTS = 8


@dataclass(frozen=True)
class Case:
    kind: str
    path: Path
    message: tuple[str, ...]  # one of these must be in the message; ANY for fuzzed files
    may_succeed: bool = False  # a flipped bit in unused space leaves a usable file
    skip: tuple[str, ...] = ()  # commands for which this is not bad input


class Runner:
    """The command line in a forked child of a helper process that has the program imported already."""

    def __init__(self, scratch: Path) -> None:
        env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
        self.scratch = scratch
        self.proc: subprocess.Popen[str] | None = None
        if hasattr(os, "fork"):  # elsewhere (Windows) every case starts ``python -m app`` itself: slower
            self.proc = subprocess.Popen([sys.executable, "-m", "tests.robustness.cli_zygote"], cwd=ROOT,
                                         env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.count = 0

    def run(self, *argv: str, timeout: float = 60) -> tuple[int | None, str, str]:
        self.count += 1
        if self.proc is None:
            res = run_app(*argv, timeout=timeout)
            return res.returncode, res.stdout, res.stderr
        assert self.proc.stdin is not None and self.proc.stdout is not None
        out, err = self.scratch / "out.txt", self.scratch / "err.txt"
        request = {"argv": list(argv), "out": str(out), "err": str(err), "timeout": timeout}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        assert not reply.get("timeout"), f"hang: {argv}"
        return reply["status"], out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")

    def close(self) -> None:
        if self.proc is None:
            return
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _digest(path: Path) -> str:
    if path.is_dir():
        return "dir:" + ",".join(sorted(os.listdir(path)))
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: _digest(p) for p in folder.iterdir()}


# --------------------------------------------------------------------------- the corpus


def _sqlite_edit(good: Path, target: Path, sql: str) -> Path:
    target.write_bytes(good.read_bytes())
    conn = sqlite3.connect(target)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return target


def jxdb_corpus(folder: Path, good: Path, xlsx: Path, rng: random.Random) -> list[Case]:
    data = good.read_bytes()
    cases = [
        Case("empty", _write(folder / "empty.jxdb", b""), ("是空的（0 字节）",)),
        Case("random bytes", _write(folder / "random.jxdb", rng.randbytes(8192)), ("不是绩效自评文件",)),
        Case("text renamed", _write(folder / "text.jxdb", "项目名称,得分\n档案,93\n".encode() * 40),
             ("不是绩效自评文件",)),
        Case("xlsx renamed", _write(folder / "table.jxdb", xlsx.read_bytes()), ("不是绩效自评文件",)),
        Case("zero-filled", _write(folder / "zeros.jxdb", bytes(len(data))), ("不是绩效自评文件",)),
        Case("header only", _write(folder / "header.jxdb", data[:100]), ("不完整",)),
        Case("foreign SQLite", _foreign(folder / "foreign.jxdb"), ("其他程序的数据库文件",)),
        Case("newer schema", _newer(folder / "newer.jxdb", data), ("较新版本",)),
        Case("extra trigger", _sqlite_edit(good, folder / "trigger.jxdb",
                                           "CREATE TRIGGER t AFTER INSERT ON projects BEGIN DELETE FROM projects; END"),
             ("不认识的内容（t）",)),
        Case("view", _sqlite_edit(good, folder / "view.jxdb", "CREATE VIEW v AS SELECT * FROM projects"),
             ("不认识的内容（v）",)),
        Case("directory", _mkdir(folder / "folder.jxdb"), ("是一个文件夹",)),
        Case("missing", folder / "missing.jxdb", ("找不到文件", "文件不存在"), skip=("import into",)),
    ]
    first_indicator = "WHERE id = (SELECT min(id) FROM indicators)"
    first_project = "WHERE id = (SELECT min(id) FROM projects)"
    bad_values = {  # issue 12, classes 5 and 7: values that used to crash or flood the program
        "NaN weight": f"UPDATE indicators SET weight = 'NaN' {first_indicator}",
        "weight 1e999999999": f"UPDATE indicators SET weight = '1e999999999' {first_indicator}",
        "weight of 40 digits": f"UPDATE indicators SET weight = '{'9' * 40}' {first_indicator}",
        "tier 'abc'": f"UPDATE indicators SET tier = 'abc' {first_indicator}",
        "unknown budget column": "INSERT INTO budget_cells VALUES ((SELECT min(id) FROM projects), 'initial', "
                                 "'bogus', '1')",
        "BLOB name": f"UPDATE projects SET name = X'FF00FE' {first_project}",
        "100k-deep JSON params": f"UPDATE indicators SET rule_params = '{'[' * 100_000}{']' * 100_000}' "
                                 f"{first_indicator}",
        "year 'abc'": f"UPDATE projects SET year = 'abc' {first_project}",
        "override NaN": f"UPDATE indicators SET override_score = 'sNaN' {first_indicator}",
    }
    # found when that project is read (not at open, which would cost 100 ms on a big file): importing other
    # projects beside it is allowed, so "import into" is no attack for these two
    on_load = {"tier 'abc'", "override NaN"}
    for i, (kind, sql) in enumerate(bad_values.items()):
        cases.append(Case(kind, _sqlite_edit(good, folder / f"value{i}.jxdb", sql), ("已损坏",),
                          skip=("import into",) if kind in on_load else ()))
    for i in range(FUZZ_VARIANTS):
        cut = rng.randrange(1, len(data) - 1)
        cases.append(Case("truncated", _write(folder / f"cut{i}-at-{cut}.jxdb", data[:cut]),
                          ("不完整", "已损坏", "不是绩效自评文件")))
    for i in range(FUZZ_VARIANTS):
        cases.append(Case("bit-flipped", hostile.bit_flipped(folder / f"flip{i}.jxdb", good, rng, rng.randint(1, 40)),
                          (ANY,), may_succeed=True))
    return cases


def xlsx_corpus(folder: Path, good: Path, jxdb: Path, rng: random.Random, tmp: Path) -> list[Case]:
    cases = [
        Case("empty", _write(folder / "empty.xlsx", b""), ("是空的（0 字节）",)),
        Case("random bytes", _write(folder / "random.xlsx", rng.randbytes(8192)), ("不是 Excel 工作簿",)),
        Case("text renamed", _write(folder / "text.xlsx", "一级指标,二级指标\n".encode() * 50), ("不是 Excel 工作簿",)),
        Case("xls renamed", hostile.old_xls(folder / "old.xlsx"), ("旧版 Excel（.xls）",)),
        Case("docx renamed", hostile.docx(folder / "report.xlsx"), ("Word 文档",)),
        Case("jxdb renamed", _write(folder / "db.xlsx", jxdb.read_bytes()), ("不是 Excel 工作簿",)),
        Case("plain zip", _plain_zip(folder / "plain.xlsx"), ("压缩包中没有工作簿内容",)),
        Case("zip bomb", hostile.zip_bomb(folder / "bomb.xlsx", tmp), ("压缩炸弹",)),
        Case("XML bomb", hostile.billion_laughs(folder / "lol.xlsx", tmp), ("DOCTYPE/ENTITY",)),
        Case("external entity", hostile.external_entity(folder / "xxe.xlsx", tmp), ("DOCTYPE/ENTITY",)),
        Case("10^6 rows", hostile.million_rows(folder / "million.xlsx", tmp), ("行数过多（超过 5000 行）",)),
        Case("300 columns", hostile.wide_sheet(folder / "wide.xlsx"), ("列数过多",)),
        Case("20000-character cell", hostile.long_cell(folder / "long.xlsx"), ("单元格文字过长",)),
        Case("3000 entries", hostile.many_entries(folder / "many.xlsx"), ("文件过多",)),
        Case("no header row", hostile.no_header(folder / "noheader.xlsx"), ("没有找到项目支出绩效自评表",)),
        Case("malformed sheet XML", hostile.replace_entry(good, folder / "malformed.xlsx", hostile.SHEET,
                                                          b"<worksheet><sheetData><row>"), ("格式不规范",)),
        Case("directory", _mkdir(folder / "folder.xlsx"), ("这是一个文件夹",)),
        Case("missing", folder / "missing.xlsx", ("文件不存在",)),
        # issue 12, classes 3 and 4: 6 KB files that grew to gigabytes, sheets the limits did not see
        Case("merged A1:XFD1048576", hostile.merged_everything(folder / "merged.xlsx", tmp), ("合并单元格范围过大",)),
        Case("cell at GR1048576", hostile.far_cell(folder / "far-gr.xlsx", tmp, "GR1048576"), ("超出自评表的范围",)),
        Case("cell at A1048576", hostile.far_cell(folder / "far-a.xlsx", tmp, "A1048576"), ("超出自评表的范围",)),
        Case("sheet outside xl/worksheets", hostile.sheet_elsewhere(folder / "elsewhere.xlsx", tmp),
             ("行数过多",)),
        Case("decoy workbook part", hostile.decoy_workbook(folder / "decoy.xlsx", tmp), ("不在标准位置",)),
    ]
    for i in range(FUZZ_VARIANTS):
        cases.append(Case("truncated", hostile.truncated(folder / f"cut{i}.xlsx", good, rng),
                          ("已损坏", "不是 Excel 工作簿", "格式不规范")))
    for i in range(FUZZ_VARIANTS):
        cases.append(Case("bit-flipped", hostile.bit_flipped(folder / f"flip{i}.xlsx", good, rng, rng.randint(1, 20)),
                          (ANY,), may_succeed=True))
    return cases


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _foreign(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    return path


def _newer(path: Path, data: bytes) -> Path:
    changed = bytearray(data)
    changed[60:64] = struct.pack(">i", SCHEMA_VERSION + 1)
    return _write(path, bytes(changed))


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "不是工作簿")
    return path


# --------------------------------------------------------------------------- the checks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, Path, list[Case], list[Case]]]:
    from app.scoring.templates import load_directory

    templates = load_directory(ROOT / "resources" / "templates")
    base = tmp_path_factory.mktemp("corpus")
    folder, work = base / "inputs", base / "work"
    folder.mkdir()
    work.mkdir()
    good_jxdb = work / "good.jxdb"
    write_document(good_jxdb, sample_pairs(templates))
    project, template = sample_pairs(templates)[0]
    good_xlsx = builders.mof_form(project, template, work / "good.xlsx")
    rng = random.Random(1234)
    jx = jxdb_corpus(folder, good_jxdb, good_xlsx, rng)
    xl = xlsx_corpus(folder, good_xlsx, good_jxdb, rng, base)
    yield folder, good_jxdb, good_xlsx, jx, xl


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    r = Runner(tmp_path_factory.mktemp("runner"))
    yield r
    r.close()


def _expect(case: Case, argv: list[str], status: int | None, out: str, err: str) -> None:
    where = f"{case.kind} ({case.path.name}) {' '.join(argv[:1])}"
    assert "Traceback" not in err and "程序内部错误" not in err, f"{where}: {err}"
    if case.may_succeed and status == 0:
        return
    assert status == 1, f"{where}: status {status}, {err}"
    assert err.endswith("\n") and err.count("\n") == 1 and err.startswith("错误："), f"{where}: {err!r}"
    assert any(m in err for m in case.message), f"{where}: {err}"
    assert out == "", f"{where}: {out}"


CommandMaker = Callable[[Case, Path, Path, Path], list[str]]
JXDB_COMMANDS: dict[str, CommandMaker] = {
    "check": lambda c, out, jx, xl: ["check", str(c.path)],
    "dump": lambda c, out, jx, xl: ["dump", str(c.path)],
    "score": lambda c, out, jx, xl: ["score", str(c.path), "--json"],
    "import into": lambda c, out, jx, xl: ["import", str(c.path), str(xl)],
}
XLSX_COMMANDS: dict[str, CommandMaker] = {
    "score": lambda c, out, jx, xl: ["score", str(c.path)],
    "import new": lambda c, out, jx, xl: ["import", str(out / "new.jxdb"), str(c.path)],
    "import existing": lambda c, out, jx, xl: ["import", str(jx), str(xl), str(c.path)],
}


@pytest.mark.parametrize("which", ["jxdb", "xlsx"])
def test_bad_files_through_the_command_line(corpus: tuple, runner: Runner, tmp_path: Path, which: str) -> None:
    folder, good_jxdb, good_xlsx, jx_cases, xl_cases = corpus
    cases, commands = (jx_cases, JXDB_COMMANDS) if which == "jxdb" else (xl_cases, XLSX_COMMANDS)
    assert len({c.kind for c in cases}) >= 14  # with the locked file below: 35 kinds in all
    out = tmp_path / "out"
    out.mkdir()
    inputs = _snapshot(folder) | {"good.jxdb": _digest(good_jxdb), "good.xlsx": _digest(good_xlsx)}
    runs = 0
    failures: list[str] = []
    for case in cases:
        for name, make in commands.items():
            if (case.may_succeed and name.startswith("import")) or name in case.skip:
                continue  # a file that still opens would really be imported into; import creates a missing file
            argv = make(case, out, good_jxdb, good_xlsx)
            runs += 1
            try:
                status, stdout, stderr = runner.run(*argv)
                _expect(case, argv, status, stdout, stderr)
                if status == 1:
                    assert sorted(os.listdir(out)) == [], f"{case.kind} {name}: left {os.listdir(out)}"
            except AssertionError as exc:  # count every attack, then fail with all of them
                failures.append(str(exc).splitlines()[0])
            for leftover in out.iterdir():
                leftover.unlink()
    REPORT.add(which, runs, runs - len(failures))
    after = _snapshot(folder) | {"good.jxdb": _digest(good_jxdb), "good.xlsx": _digest(good_xlsx)}
    print(f"{which}: {len(cases)} files, {len({c.kind for c in cases})} kinds, {runs} attacks, "
          f"{runs - len(failures)} clean")
    assert failures == [], "\n".join(failures)
    assert after == inputs  # every input byte-identical, nothing added beside them
    assert sorted(os.listdir(good_jxdb.parent)) == ["good.jxdb", "good.xlsx"]  # no .bak, lock or temp left


def test_a_locked_file_refuses_import_but_can_be_checked(corpus: tuple, runner: Runner, tmp_path: Path) -> None:
    _, good_jxdb, good_xlsx, _, _ = corpus
    path = tmp_path / "共享.jxdb"
    path.write_bytes(good_jxdb.read_bytes())
    lock.lock_path(path).write_text(json.dumps({"user": current_user(), "machine": current_machine(),
                                                "pid": os.getpid(), "since": "2024-05-01T09:30:00"}),
                                    encoding="utf-8")  # held by this (living) test process
    before = _digest(path)
    status, out, err = runner.run("import", str(path), str(good_xlsx))
    assert out == ""
    assert status == 1 and err.count("\n") == 1 and "已被" in err and "Traceback" not in err, err
    status, out, err = runner.run("check", str(path))
    assert status == 0, err
    assert _digest(path) == before


@pytest.mark.parametrize(("argv", "message"), [
    (["check", "{folder}/trigger.jxdb"], "不认识的内容"),
    (["import", "{tmp}/new.jxdb", "{folder}/lol.xlsx"], "DOCTYPE/ENTITY"),
])
def test_the_real_entry_point_gives_the_same_answers(corpus: tuple, tmp_path: Path, argv: list[str],
                                                     message: str) -> None:
    """A few of the corpus through ``python -m app`` itself, to show the forked runner is faithful."""
    folder = corpus[0]
    args = [a.format(folder=folder, tmp=tmp_path) for a in argv]
    res = run_app(*args, timeout=120)
    assert res.returncode == 1 and res.stderr.count("\n") == 1 and message in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "new.jxdb").exists()

