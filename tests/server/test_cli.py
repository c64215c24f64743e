"""push, pull and server (init, units, accounts) on the command line, against the test server."""

from __future__ import annotations

from dataclasses import replace

from app.models.document import Document
from app.models.server import ServerDocument
from tests.server.conftest import PASSWORD
from tests.server.helpers import run_cli as _run


def test_init_units_and_accounts_from_the_command_line(pg_cluster, capsys) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    # as docs/server.md says: an owner account with CREATEROLE (not a superuser) owns the database
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE ROLE jixiao_owner LOGIN CREATEROLE PASSWORD 'owner-pass-1'")
        conn.execute("CREATE DATABASE clidb OWNER jixiao_owner")
    owner = pg_cluster.url("jixiao_owner", "clidb", "owner-pass-1")
    code, out, err = _run(["server", "init", owner], capsys)
    assert code == 0, err
    assert "已建立数据表" in out and "服务器结构已升级到版本 1" in out
    assert _run(["server", "init", owner], capsys)[1].strip() == "数据库已是最新版本，无需改动"
    assert _run(["server", "add-unit", owner, "大宁县档案馆"], capsys)[0] == 0
    code, out, err = _run(["server", "add-account", owner, "clerk_cli", "--unit", "大宁县档案馆"], capsys,
                          stdin="secret-pass-1\n")
    assert code == 0, err
    assert "已添加单位账号“clerk_cli”（大宁县档案馆）" in out
    code, out, _ = _run(["server", "accounts", owner], capsys)
    assert "clerk_cli\t单位账号\t大宁县档案馆" in out
    code, _, err = _run(["server", "add-account", owner, "clerk_x", "--unit", "没有这个单位"], capsys,
                        stdin="secret-pass-1\n")
    assert code == 1 and "单位“没有这个单位”不存在" in err
    with ServerDocument.connect(pg_cluster.url("clerk_cli", "clidb", "secret-pass-1")) as doc:
        assert doc.account.unit == "大宁县档案馆"
    # a unit account cannot administer
    code, _, err = _run(["server", "add-unit", pg_cluster.url("clerk_cli", "clidb", "secret-pass-1"), "x"], capsys)
    assert code == 1 and "没有权限" in err


def test_push_then_pull_round_trips_projects(bureau, seed000, seed003, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "单位.jxdb"
    doc = Document.new()
    doc.add_project(replace(seed000[0], year=2021), seed000[1])
    doc.add_project(replace(seed003[0], year=2022, unit="大宁县档案馆"), seed003[1])
    doc.save_as(source)
    doc.close()
    login = bureau.account("unit", "大宁县档案馆")
    url = bureau.url(login)
    code, out, err = _run(["push", str(source), url], capsys)
    assert code == 0, err
    assert "新增 2 个项目" in out
    code, out, _ = _run(["push", str(source), url], capsys)
    assert "新增 0 个项目" in out and "跳过已有的 2 个" in out
    target = tmp_path / "下载.jxdb"
    code, out, err = _run(["pull", url, str(target), "--year", "2022"], capsys)
    assert code == 0, err
    assert "新增 1 个项目" in out
    with Document.open(target, read_only=True) as pulled:
        [summary] = pulled.list_projects()
        assert pulled.load_project(summary.id) == replace(seed003[0], year=2022, unit="大宁县档案馆", id=summary.id)


def test_push_asks_for_the_password_only_when_the_server_wants_it(bureau, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", "大宁县档案馆")
    no_password = bureau.url(login, password=None)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    code, _, err = _run(["pull", no_password, str(tmp_path / "x.jxdb")], capsys)
    assert code == 1 and "PGPASSWORD" in err and "不会保存在本机" in err
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    code, _, err = _run(["pull", no_password, str(tmp_path / "x.jxdb")], capsys)
    assert code == 0, err
    monkeypatch.setenv("PGPASSWORD", "wrong-one")
    code, _, err = _run(["pull", no_password, str(tmp_path / "y.jxdb")], capsys)
    assert code == 1 and "密码不正确" in err


def test_bad_addresses_are_one_line(capsys) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(["pull", "mysql://a@b/c", "x.jxdb"], capsys)
    assert code == 1 and "不是 PostgreSQL 地址" in err
    code, _, err = _run(["pull", "postgresql://127.0.0.1/db", "x.jxdb"], capsys)
    assert code == 1 and "缺少" in err


def test_export_reads_a_server_database(bureau, seed000, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    login = bureau.account("unit", "大宁县档案馆")
    with ServerDocument.connect(bureau.url(login)) as doc:
        doc.add_project(*seed000)
    code, out, err = _run(["export", bureau.url(login), "--to", str(tmp_path / "导出"), "--format", "xlsx",
                           "--jobs", "1"], capsys)
    assert code == 0, err
    assert "已导出 1 个项目" in out
    assert len(list((tmp_path / "导出").glob("*.xlsx"))) >= 1


def test_score_and_dump_read_a_server(bureau, seed000, seed003, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The same output as for a .jxdb with the same projects; a unit account sees only its own."""
    import json

    clerk = bureau.account("unit", "大宁县档案馆")
    with ServerDocument.connect(bureau.url(clerk)) as doc:
        doc.add_project(replace(seed000[0], unit="大宁县档案馆"), seed000[1])
    other = bureau.account("unit", "罗定市档案馆")
    with ServerDocument.connect(bureau.url(other)) as doc:
        doc.add_project(replace(seed003[0], unit="罗定市档案馆"), seed003[1])
    reviewer = bureau.account("reviewer")
    local = tmp_path / "副本.jxdb"
    assert _run(["pull", bureau.url(reviewer), str(local)], capsys)[0] == 0

    code, out, err = _run(["score", bureau.url(reviewer), "--json"], capsys)
    assert code == 0, err
    served = json.loads(out)["projects"]
    from_file = json.loads(_run(["score", str(local), "--json"], capsys)[1])["projects"]
    assert len(served) == 2
    assert [{k: v for k, v in p.items() if k != "source"} for p in served] == \
        [{k: v for k, v in p.items() if k != "source"} for p in from_file]
    assert served[0]["source"] == f"postgresql://{reviewer}@127.0.0.1:{bureau.cluster.port}/{bureau.name}"
    code, out, _ = _run(["score", bureau.url(clerk)], capsys)
    assert code == 0 and "大宁县档案馆" in out and "罗定市档案馆" not in out and "总分" in out
    assert _run(["score", bureau.url(reviewer), "--year", "1999"], capsys)[0] == 1

    code, out, err = _run(["dump", bureau.url(reviewer)], capsys)
    assert code == 0, err
    assert json.loads(out) == json.loads(_run(["dump", str(local)], capsys)[1])
    one = json.loads(_run(["dump", bureau.url(clerk)], capsys)[1])
    assert [p["unit"] for p in one["projects"]] == ["大宁县档案馆"]
    code, _, err = _run(["dump", bureau.url(clerk, "wrong-password")], capsys)
    assert code == 1 and "密码不正确" in err
