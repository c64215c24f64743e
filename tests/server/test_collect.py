"""汇集 into a server database: `collect postgresql://… SOURCE...` and 文件 → 汇集… on a ServerDocument;
each source in one transaction, duplicates decided as for a .jxdb, the roles still enforced."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.models.server import ServerDocument
from app.ui.dialogs.collect import CollectDialog, DuplicateDialog
from app.ui.main_window import MainWindow
from tests.bureau.helpers import unit_json, unit_jxdb
from tests.server.helpers import run_cli as _run
from tests.ui.drive import modals, picks

A = "甲单位"




def _on_server(bureau: Any, login: str) -> list[tuple[int, str, str, str]]:
    with ServerDocument.connect(bureau.url(login)) as doc:
        return sorted((s.year, s.unit, s.name, doc.load_project(s.id).contact) for s in doc.list_projects())


def test_collect_command_into_a_server(bureau, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    admin = bureau.account("admin")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    unit_jxdb(inbox / "甲单位.jxdb", A, ["甲项目一", "甲项目二"])
    unit_json(inbox / "乙单位.json", "乙单位", ["乙项目"])
    (inbox / "坏表.xlsx").write_bytes(b"broken")
    code, out, err = _run(["collect", bureau.url(admin), str(inbox)], capsys)
    assert code == 1  # one source refused
    assert "坏表.xlsx：未汇集" in err and "已汇集 3 个项目到 postgresql://" in out
    assert "pass-word" not in out + err  # the address is printed without the password
    assert [(y, u, n) for y, u, n, _ in _on_server(bureau, admin)] == sorted([
        (2024, A, "甲项目一"), (2024, A, "甲项目二"), (2024, "乙单位", "乙项目")])
    # the same projects again: kept by default, replaced with --on-duplicate replace
    again = unit_json(tmp_path / "甲补报.json", A, ["甲项目一"], contact="补报")
    code, out, _ = _run(["collect", bureau.url(admin), str(again)], capsys)
    assert code == 0 and "没有汇集任何项目" in out
    code, out, _ = _run(["collect", bureau.url(admin), str(again), "--on-duplicate", "replace"], capsys)
    assert code == 0 and "已汇集 1 个项目" in out
    stored = _on_server(bureau, admin)
    assert len(stored) == 3 and (2024, A, "甲项目一", "补报") in stored


def test_a_source_is_all_or_nothing_on_the_server(bureau, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A unit account collecting a file that also holds another unit's project: the server refuses that
    row, so none of the file is added; its own file goes in."""
    clerk = bureau.account("unit", A)
    mixed = tmp_path / "混合.jxdb"
    from tests.bureau.helpers import unit_projects
    from tests.models.helpers import write_document

    write_document(mixed, [*unit_projects(A, ["甲项目一"]), *unit_projects("乙单位", ["乙项目"])])
    own = unit_json(tmp_path / "本单位.json", A, ["甲项目二"])
    code, out, err = _run(["collect", bureau.url(clerk), str(mixed), str(own)], capsys)
    assert code == 1 and "已汇集 1 个项目" in out
    assert "混合.jxdb：未汇集：写入失败，此文件的项目均未汇集" in err and "只能查看和修改本单位" in err
    assert [n for _, _, n, _ in _on_server(bureau, clerk)] == ["甲项目二"]
    admin = bureau.account("admin")
    assert [n for _, _, n, _ in _on_server(bureau, admin)] == ["甲项目二"]  # nothing of 混合.jxdb


def test_load_projects_reads_many_at_once_and_keeps_queued_edits(bureau, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from tests.bureau.helpers import unit_projects

    clerk = bureau.account("unit", A)
    with ServerDocument.connect(bureau.url(clerk), queue_folder=tmp_path) as doc:
        ids = doc.add_projects(unit_projects(A, ["一", "二", "三"]))
        loaded = doc.load_projects([ids[2], 999999, ids[0]])
        assert [p.name for p in loaded] == ["三", "一"]
        assert loaded[0] == doc.load_project(ids[2])
        doc.queue.put(replace(loaded[1], contact="离线"), doc.version_of(ids[0]))
        assert doc.load_projects([ids[0]])[0].contact == "离线"




def test_collect_in_the_window_on_a_server(window: MainWindow, bureau, tmp_path: Path,  # type: ignore[no-untyped-def]
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from app.importers.collect import Decision
    from app.ui import server_mode

    admin = bureau.account("admin")
    assert server_mode.connect(window, bureau.url(admin))
    first = unit_jxdb(tmp_path / "甲单位.jxdb", A, ["甲项目一", "甲项目二"])
    again = unit_json(tmp_path / "甲补报.json", A, ["甲项目一"], contact="补报")
    picks(monkeypatch, [first], [again])
    report: list[str] = []

    def fill(dialog: CollectDialog) -> None:
        from PySide6.QtWidgets import QLabel

        assert any(bureau.name in label.text() for label in dialog.findChildren(QLabel))  # says where it goes
        dialog.add_files_button.click()
        dialog.add_files_button.click()
        dialog.start_button.click()
        report.extend(dialog.results.item(r, 1).text() for r in range(dialog.results.rowCount()))
        report.append(dialog.status.text())
        dialog.close_button.click()

    def answer(dialog: DuplicateDialog) -> None:
        dialog.buttons[Decision.REPLACE].click()

    driver = modals(monkeypatch, fill, answer)
    window.act_collect.trigger()
    assert driver.opened == ["CollectDialog", "DuplicateDialog"]
    assert report[:2] == ["汇集 2 个项目", "汇集 1 个项目（替换 1 个）"] and "已汇集 3 个项目" in report[2]
    names = sorted(i.name for i in window.project_list.model.items)
    assert names == ["甲项目一", "甲项目二"]
    assert (2024, A, "甲项目一", "补报") in _on_server(bureau, admin)
    item = next(i for i in window.project_list.model.items if i.name == "甲项目一")
    window.project_list.select_id(item.id)
    assert window.ctl.project is not None and window.ctl.project.contact == "补报"
    assert not window.isWindowModified()  # nothing to save: it is on the server
