"""复核 in the core: what the history records, the review in JSON, and review columns in every export."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.exporters.excel import export_xlsx
from app.models.document import Document
from app.scoring import edits
from app.scoring.codec import CodecError, project_from, project_to
from app.scoring.engine import score_project
from app.scoring.history import changes
from app.scoring.records import ReviewInfo

from .helpers import seed000


def test_history_lists_review_score_and_override_changes_by_indicator_name() -> None:
    project, _ = seed000()
    (index, ind), (index2, _) = project.indicators()[:2]
    after = edits.set_indicator(project, index, reviewer_score=Decimal("4.5"), override_score=Decimal(3),
                                override_reason="资料不全")
    after = edits.set_indicator(after, index2, actual="99%")  # typed values are not history
    after = replace(after, review=ReviewInfo(status="已复核", reviewers="李四"))
    found = {(c.what.split("：")[-1], c.before, c.after) for c in changes(project, after)}
    assert found == {("复核状态", "待复核", "已复核"), ("复核人", "（空）", "李四"), ("复核得分", "（空）", "4.5"),
                     ("调整得分", "（空）", "3"), ("调整理由", "（空）", "资料不全")}
    where = next(c.what for c in changes(project, after) if c.what.endswith("复核得分"))
    assert ind.name in where and project.categories[index[0]].name in where
    moved = edits.move_indicator(after, index, 1)  # moving rows is no change of a score
    assert changes(after, moved) == []
    assert [(c.what, c.before, c.after) for c in changes(after, replace(after, convention="一体化"))] == [
        ("计分口径", "按模板", "一体化")]


def test_history_is_written_with_each_update_and_kept_per_project(tmp_path: Path) -> None:
    project, template = seed000()
    with Document.new() as doc:
        a = doc.add_project(project, template)
        b = doc.add_project(replace(project, name="另一个"), template)
        doc.user = "张三"
        stored = doc.load_project(a)
        doc.update_project(replace(stored, review=replace(stored.review, status="已复核")))
        doc.update_project(replace(doc.load_project(a), contact="x"))  # not a history field
        assert [(h.what, h.who) for h in doc.history(a)] == [("复核状态", "张三")]
        assert doc.history(b) == []
        doc.delete_project(a)
        assert doc.history(a) == []


def test_review_round_trips_through_json_and_refuses_unknown_states() -> None:
    project, template = seed000()
    reviewed = replace(project, review=ReviewInfo(status="退回修改", opinion="请补充资料", reviewers="李四"))
    data = project_to(reviewed)
    assert data["review"] == {"reviewers": "李四", "status": "退回修改", "opinion": "请补充资料"}
    assert project_from(data, {template.id: template})[0].review == reviewed.review
    assert "status" not in project_to(project).get("review", {})  # 待复核 is the default, not written
    data["review"]["status"] = "通过"
    with pytest.raises(CodecError, match="待复核、已复核、退回修改"):
        project_from(data, {template.id: template})


def test_a_mof_project_with_review_scores_exports_its_review_column(tmp_path: Path) -> None:
    project, template = seed000()
    assert not template.has_reviewer
    plain = tmp_path / "plain.xlsx"
    export_xlsx(project, template, score_project(project, template), plain)
    index, ind = project.indicators()[0]
    reviewed = edits.set_indicator(project, index, reviewer_score=ind.weight)
    out = tmp_path / "reviewed.xlsx"
    export_xlsx(reviewed, template, score_project(reviewed, template), out)

    def texts(path: Path) -> set[str]:
        ws = openpyxl.load_workbook(path).active
        return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}

    assert "第三方复核" not in texts(plain) and "第三方复核" in texts(out)


def test_many_projects_read_at_once_equal_one_by_one(tmp_path: Path, templates: dict) -> None:  # type: ignore[type-arg]
    from tests.models.helpers import sample_pairs

    pairs = sample_pairs(templates) * 3
    with Document.new() as doc:
        ids = [doc.add_project(replace(p, name=f"{p.name}{i}"), t) for i, (p, t) in enumerate(pairs)]
        doc.delete_project(ids[1])
        wanted = [ids[4], ids[0], 999, ids[1], ids[5]]
        many = doc.load_projects(wanted)
        assert [p.id for p in many] == [ids[4], ids[0], ids[5]]
        assert many == [doc.load_project(i) for i in (ids[4], ids[0], ids[5])]
