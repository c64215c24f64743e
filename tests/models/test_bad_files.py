"""Bad files get one clear Chinese message (JxdbError, or exit 1 on the command line) and stay unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from app.models.document import Document, JxdbError
from app.models.schema import SCHEMA_VERSION
from app.scoring.records import Template

from .helpers import run_app, sample_pairs, write_document


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def good_file(tmp_path: Path, templates: dict[str, Template]) -> Path:
    path = tmp_path / "good.jxdb"
    write_document(path, sample_pairs(templates))
    return path


def _empty(p: Path, good: Path) -> None:
    p.write_bytes(b"")


def _random(p: Path, good: Path) -> None:
    p.write_bytes(os.urandom(5000))


def _text(p: Path, good: Path) -> None:
    p.write_text("这不是数据库，只是一段文字。\n" * 50, encoding="utf-8")


def _truncated(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes()[: 3 * 4096 + 100])


def _truncated_header(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes()[:40])


def _other_sqlite(p: Path, good: Path) -> None:
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三', '123')")
    conn.commit()
    conn.close()


def _newer(p: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    data[60:64] = struct.pack(">i", SCHEMA_VERSION + 1)
    p.write_bytes(bytes(data))


def _corrupt_pages(p: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    for offset in range(2 * 4096, len(data), 4096):  # smash the b-tree page headers
        data[offset: offset + 12] = b"\xff" * 12
    p.write_bytes(bytes(data))


def _with_trigger(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes())
    conn = sqlite3.connect(p)
    conn.execute("CREATE TRIGGER evil AFTER INSERT ON projects BEGIN DELETE FROM templates; END")
    conn.commit()
    conn.close()


def _with_view(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes())
    conn = sqlite3.connect(p)
    conn.execute("CREATE VIEW v AS SELECT * FROM projects")
    conn.commit()
    conn.close()


def _with_table(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes())
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE extra (x)")
    conn.commit()
    conn.close()


def _bad_template_json(p: Path, good: Path) -> None:
    p.write_bytes(good.read_bytes())
    conn = sqlite3.connect(p)
    conn.execute("UPDATE templates SET data = '{not json'")
    conn.commit()
    conn.close()


CASES: list[tuple[str, Callable[[Path, Path], None], str]] = [
    ("empty", _empty, "是空的（0 字节）"),
    ("random", _random, "不是绩效自评文件"),
    ("text", _text, "不是绩效自评文件"),
    ("truncated", _truncated, "不完整"),
    ("truncated_header", _truncated_header, "不完整"),
    ("other_sqlite", _other_sqlite, "其他程序的数据库文件"),
    ("newer", _newer, f"文件格式版本 {SCHEMA_VERSION + 1}），本程序只能打开版本 {SCHEMA_VERSION}"),
    ("corrupt_pages", _corrupt_pages, "已损坏"),
    ("trigger", _with_trigger, "不认识的内容（evil）"),
    ("view", _with_view, "不认识的内容（v）"),
    ("extra_table", _with_table, "不认识的内容（extra）"),
    ("bad_template_json", _bad_template_json, "数据已损坏"),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_and_unchanged(tmp_path: Path, good_file: Path, name: str,
                                           make: Callable[[Path, Path], None], message: str) -> None:
    path = tmp_path / f"{name}.jxdb"
    make(path, good_file)
    before = _digest(path)
    listing = sorted(os.listdir(tmp_path))
    with pytest.raises(JxdbError) as info:
        Document.open(path)
    text = str(info.value)
    assert message in text
    assert "\n" not in text and "Traceback" not in text
    assert _digest(path) == before
    assert sorted(os.listdir(tmp_path)) == listing  # no lock, journal or temp file left behind
    assert Document.find_recoverable() == []


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(JxdbError, match=r"找不到文件“nope\.jxdb”"):
        Document.open(tmp_path / "nope.jxdb")
    folder = tmp_path / "folder.jxdb"
    folder.mkdir()
    with pytest.raises(JxdbError, match="是一个文件夹"):
        Document.open(folder)


def test_no_read_permission(tmp_path: Path, good_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def deny(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)) == good_file:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)  # every read of the file opens it through os.open (regular files only)
    with pytest.raises(JxdbError, match=r"没有权限读取文件“good\.jxdb”"):
        Document.open(good_file)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_no_read_permission_for_real(tmp_path: Path, good_file: Path) -> None:  # pragma: no cover - non-root
    good_file.chmod(0)
    with pytest.raises(JxdbError, match="没有权限读取"):
        Document.open(good_file)


@pytest.mark.parametrize(("name", "make", "message"), [CASES[0], CASES[2], CASES[3], CASES[5], CASES[6], CASES[8]],
                         ids=["empty", "text", "truncated", "other_sqlite", "newer", "trigger"])
def test_command_line_reports_bad_files(tmp_path: Path, good_file: Path, name: str,
                                        make: Callable[[Path, Path], None], message: str) -> None:
    path = tmp_path / f"{name}.jxdb"
    make(path, good_file)
    before = _digest(path)
    commands = [["check", str(path)]] + ([["score", str(path)]] if name in ("empty", "newer") else [])
    for command in commands:
        res = run_app(*command)
        assert res.returncode == 1, res
        assert res.stdout == ""
        assert res.stderr.startswith("错误：") and message in res.stderr
        assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert _digest(path) == before


def test_command_line_missing_file_and_directory(tmp_path: Path) -> None:
    res = run_app("dump", str(tmp_path / "没有.jxdb"))
    assert res.returncode == 1 and "找不到文件" in res.stderr and res.stderr.count("\n") == 1
    res = run_app("check", str(tmp_path))
    assert res.returncode == 1 and "是一个文件夹" in res.stderr
    res = run_app("dump")
    assert res.returncode == 2
