"""汇集: sources all or nothing, duplicates kept / replaced / both, folders searched, the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.importers.collect import Decision, Duplicate, collect, find_sources
from app.models import mapping
from app.models.document import Document
from tests.models.helpers import run_app

from .helpers import names_in, unit_json, unit_jxdb


@pytest.fixture
def bureau(tmp_path: Path, templates: dict) -> Path:  # type: ignore[type-arg]
    return unit_jxdb(tmp_path / "2024年度.jxdb", "甲单位", ["甲项目一"])


def _collect(path: Path, sources: list[Path], templates: dict, decide=lambda d: Decision.KEEP, **kw):  # type: ignore[no-untyped-def, type-arg]
    with Document.open(path) as doc:
        report = collect(doc, sources, templates, decide, **kw)
        doc.save()
    return report


def test_folder_of_units_is_collected_with_a_line_per_source(tmp_path: Path, bureau: Path, templates: dict) -> None:  # type: ignore[type-arg]
    inbox = tmp_path / "收件箱"
    (inbox / "乙").mkdir(parents=True)
    unit_jxdb(inbox / "乙" / "乙单位.jxdb", "乙单位", ["乙项目一", "乙项目二"])
    unit_json(inbox / "丙单位.json", "丙单位", ["丙项目"])
    (inbox / "说明.txt").write_text("不是项目文件", encoding="utf-8")
    (inbox / "~$乙单位.jxdb").write_bytes(b"lock")
    report = _collect(bureau, [inbox], templates)
    assert [o.source.name for o in report.outcomes] == ["丙单位.json", "乙单位.jxdb"]
    assert report.taken == 3 and not report.refused
    assert report.outcomes[1].summary() == "汇集 2 个项目"
    assert names_in(bureau) == [(2024, "丙单位", "丙项目"), (2024, "乙单位", "乙项目一"), (2024, "乙单位", "乙项目二"),
                                (2024, "甲单位", "甲项目一")]


def test_a_refused_source_changes_nothing_and_says_why(tmp_path: Path, bureau: Path, templates: dict) -> None:  # type: ignore[type-arg]
    bad = tmp_path / "坏表.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "x.docx").write_bytes(b"word")
    good = unit_json(tmp_path / "乙.json", "乙单位", ["乙项目"])
    before = names_in(bureau)
    report = _collect(bureau, [bad, tmp_path / "没有.json", tmp_path / "x.docx", good], templates)
    reasons = {o.source.name: o.refused for o in report.outcomes}
    assert "文件不存在" in reasons["没有.json"] and "不支持的文件类型" in reasons["x.docx"]
    assert reasons["坏表.xlsx"] and reasons["乙.json"] == ""
    assert names_in(bureau) == sorted([*before, (2024, "乙单位", "乙项目")])
    assert bad.read_bytes() == b"PK\x03\x04 broken"


def test_a_write_failure_in_the_middle_of_a_source_adds_none_of_it(tmp_path: Path, bureau: Path, templates: dict,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
    source = unit_jxdb(tmp_path / "乙.jxdb", "乙单位", ["乙一", "乙二", "乙三"])
    real = mapping.insert_project
    calls: list[int] = []

    def failing(conn, project):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(conn, project)

    monkeypatch.setattr(mapping, "insert_project", failing)
    before = names_in(bureau)
    with pytest.raises(OSError):  # not a database error: it reaches the caller, and the transaction rolled back
        _collect(bureau, [source], templates)
    with Document.open(bureau) as doc:
        assert sorted((s.year, s.unit, s.name) for s in doc.list_projects()) == before


def test_duplicates_keep_replace_both(tmp_path: Path, bureau: Path, templates: dict) -> None:  # type: ignore[type-arg]
    again = unit_json(tmp_path / "甲单位再报.json", "甲单位", ["甲项目一", "甲项目二"], contact="再报")
    seen: list[Duplicate] = []

    def keep(dup: Duplicate) -> Decision:
        seen.append(dup)
        return Decision.KEEP

    report = _collect(bureau, [again], templates, keep)
    assert [d.incoming.name for d in seen] == ["甲项目一"] and seen[0].existing_where == "文件中已有"
    assert report.outcomes[0].skipped == ["2024年 甲单位 甲项目一"] and len(report.outcomes[0].added) == 1
    assert len(names_in(bureau)) == 2

    report = _collect(bureau, [again], templates, lambda d: Decision.REPLACE)
    assert len(report.outcomes[0].replaced) == 2
    with Document.open(bureau, read_only=True) as doc:
        contacts = [doc.load_project(s.id).contact for s in doc.list_projects()]
    assert contacts == ["再报", "再报"]

    report = _collect(bureau, [again], templates, lambda d: Decision.BOTH)
    assert len(report.outcomes[0].kept_both) == 2 and len(names_in(bureau)) == 4


def test_the_same_project_in_two_sources_of_one_run_is_a_duplicate(tmp_path: Path, bureau: Path,
                                                                     templates: dict) -> None:  # type: ignore[type-arg]
    first = unit_json(tmp_path / "a.json", "乙单位", ["乙项目"])
    second = unit_jxdb(tmp_path / "b.jxdb", "乙单位 ", [" 乙项目"])  # spaces do not make another project
    seen: list[Duplicate] = []
    _collect(bureau, [first, second], templates, lambda d: seen.append(d) or Decision.REPLACE)  # type: ignore[func-returns-value]
    assert len(seen) == 1 and "a.json" in seen[0].existing_where
    assert names_in(bureau).count((2024, "乙单位 ", " 乙项目")) == 1 and len(names_in(bureau)) == 2


def test_stopping_at_a_duplicate_keeps_earlier_sources_and_adds_nothing_of_that_one(
        tmp_path: Path, bureau: Path, templates: dict) -> None:  # type: ignore[type-arg]
    first = unit_json(tmp_path / "a.json", "乙单位", ["乙项目"])
    second = unit_json(tmp_path / "b.json", "甲单位", ["新项目", "甲项目一"])
    report = _collect(bureau, [first, second], templates, lambda d: None)
    assert report.cancelled and [o.source.name for o in report.outcomes] == ["a.json"]
    assert (2024, "甲单位", "新项目") not in names_in(bureau) and (2024, "乙单位", "乙项目") in names_in(bureau)


def test_year_filter_and_the_target_itself_are_left_out(tmp_path: Path, bureau: Path, templates: dict) -> None:  # type: ignore[type-arg]
    inbox = tmp_path
    unit_json(inbox / "旧.json", "乙单位", ["乙项目"], year=2023)
    report = _collect(bureau, [inbox], templates, year=2024)
    assert [o.source.name for o in report.outcomes] == ["旧.json"]  # not 2024年度.jxdb itself
    assert report.outcomes[0].other_year and report.taken == 0
    files, refused = find_sources([inbox], exclude=bureau)
    assert bureau not in files and not refused


def test_collect_command(tmp_path: Path) -> None:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    unit_jxdb(inbox / "乙单位.jxdb", "乙单位", ["乙项目一", "乙项目二"])
    unit_json(inbox / "甲单位.json", "甲单位", ["甲项目一"])
    (inbox / "坏.xlsx").write_bytes(b"not a workbook")
    target = tmp_path / "2024年度.jxdb"
    res = run_app("collect", str(target), str(inbox))
    assert res.returncode == 1, res.stderr  # one source refused
    assert "坏.xlsx：未汇集：" in res.stderr
    assert "乙单位.jxdb：汇集 2 个项目" in res.stdout and "已汇集 3 个项目" in res.stdout
    assert len(names_in(target)) == 3
    res = run_app("collect", str(target), str(inbox / "甲单位.json"))
    assert res.returncode == 0 and "重复未汇集 1 个（保留原有）" in res.stdout and len(names_in(target)) == 3
    res = run_app("collect", str(target), str(inbox / "甲单位.json"), "--on-duplicate", "both")
    assert res.returncode == 0 and "都保留 1 个" in res.stdout and len(names_in(target)) == 4
    res = run_app("collect", str(tmp_path / "x.xlsx"), str(inbox))
    assert res.returncode == 1 and "不是 .jxdb 文件名" in res.stderr
