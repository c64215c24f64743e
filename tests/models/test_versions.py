"""Schema versions: the fixture of every released version opens; older ones are migrated after a backup."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from app.models import migrations
from app.models.document import Document
from app.models.recovery import backup_dir
from app.models.schema import APPLICATION_ID, SCHEMA_VERSION
from app.scoring.records import ReviewInfo, Template

from .helpers import FIXTURES, sample_pairs


def test_there_is_a_fixture_for_every_released_version() -> None:
    versions = sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.jxdb"))
    assert versions == list(range(migrations.OLDEST_SUPPORTED, SCHEMA_VERSION + 1))


def test_every_migration_path_gives_the_current_schema() -> None:
    expected = migrations.expected_signature(SCHEMA_VERSION)
    for version in range(migrations.OLDEST_SUPPORTED, SCHEMA_VERSION):
        assert migrations.migrated_signature(version) == expected


@pytest.mark.parametrize("version", range(migrations.OLDEST_SUPPORTED, SCHEMA_VERSION + 1))
def test_fixture_opens_with_the_sample_projects(tmp_path: Path, templates: dict[str, Template],
                                                version: int) -> None:
    path = tmp_path / f"v{version}.jxdb"
    shutil.copyfile(FIXTURES / path.name, path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with Document.open(path) as doc:
        assert not doc.modified
        loaded = [doc.load_project(s.id) for s in doc.list_projects()]
        for (project, template), got in zip(sample_pairs(templates), loaded, strict=True):
            want = replace(project, id=got.id)
            if version < 2:  # version 1 kept neither materials nor review information
                want = replace(want, materials=(), review=ReviewInfo())
            assert got == want
            assert doc.template_for(got) == template
        assert doc.integrity_check() == []
    # opening (and migrating) never touches the user's file
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    backups = sorted(backup_dir().glob("*.jxdb")) if backup_dir().exists() else []
    if version < SCHEMA_VERSION:
        assert len(backups) == 1 and backups[0].name.startswith(f"v{version}.v{version}.")
        assert backups[0].read_bytes() == path.read_bytes()
    else:
        assert backups == []


def test_migrated_file_is_saved_in_the_current_version(tmp_path: Path) -> None:
    path = tmp_path / "old.jxdb"
    shutil.copyfile(FIXTURES / "v1.jxdb", path)
    with Document.open(path) as doc:
        project = doc.load_project(doc.list_projects()[0].id)
        doc.update_project(replace(project, materials=("自评报告",), review=ReviewInfo(reviewers="李四")))
        doc.save()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    assert (tmp_path / "old.jxdb.bak").read_bytes() == (FIXTURES / "v1.jxdb").read_bytes()
    with Document.open(path, read_only=True) as doc:
        again = doc.load_project(doc.list_projects()[0].id)
        assert again.materials == ("自评报告",) and again.review.reviewers == "李四"


def test_version_2_file_upgrades_to_3_with_review_state_and_history(tmp_path: Path) -> None:
    """2 → 3: every project starts 待复核 with no history; the upgraded file keeps changes and their history."""
    path = tmp_path / "二〇二四.jxdb"
    shutil.copyfile(FIXTURES / "v2.jxdb", path)
    with Document.open(path) as doc:
        summaries = doc.list_projects()
        project = doc.load_project(summaries[0].id)
        assert project.review.status == "待复核" and project.review.opinion == ""
        assert all(doc.history(s.id) == [] for s in summaries)
        (index, indicator), *_ = project.indicators()
        from app.scoring import edits

        doc.user = "复核员甲"
        changed = edits.set_indicator(project, index, reviewer_score=indicator.weight, reviewer_note="资料齐全")
        doc.update_project(replace(changed, review=replace(changed.review, status="已复核", opinion="同意")))
        doc.save()
    backups = sorted(backup_dir().glob("*.jxdb"))
    assert len(backups) == 1 and backups[0].read_bytes() == (FIXTURES / "v2.jxdb").read_bytes()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    finally:
        conn.close()
    with Document.open(path, read_only=True) as doc:
        again = doc.load_project(summaries[0].id)
        assert again.review.status == "已复核" and again.review.opinion == "同意"
        history = doc.history(summaries[0].id)
    whats = [h.what for h in history]
    assert "复核状态" in whats and "复核意见" in whats
    assert any(w.endswith("：复核得分") for w in whats) and any(w.endswith("：复核意见") for w in whats)
    status = next(h for h in history if h.what == "复核状态")
    assert (status.before, status.after, status.who) == ("待复核", "已复核", "复核员甲") and status.at[:2] == "20"


def test_failed_migration_leaves_everything_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.jxdb"
    shutil.copyfile(FIXTURES / "v1.jxdb", path)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE materials (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(migrations.MIGRATIONS, 1, broken)
    from app.models.document import JxdbError

    with pytest.raises(JxdbError, match="无法升级文件格式"):
        Document.open(path)
    assert path.read_bytes() == (FIXTURES / "v1.jxdb").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.jxdb"]
