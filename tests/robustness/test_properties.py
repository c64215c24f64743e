"""Property tests: project JSON through the import path, generated 自评表 workbooks back to their projects."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.importers.sources import read_json_source
from app.importers.workbook import read_workbook
from app.models import interchange
from app.models.document import Document
from app.scoring.engine import score_project
from app.scoring.records import Project, Template
from app.scoring.templates import load_directory
from tests.importing import builders
from tests.models.strategies import projects
from tests.robustness.strategies import mof_projects

TEMPLATES = load_directory(Path(__file__).resolve().parents[2] / "resources" / "templates")
MOF = TEMPLATES["mof-2020"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects(), bom=st.booleans())
def test_dumped_json_imports_through_the_command_line_reader(project: Project, bom: bool) -> None:
    """`dump` then `import`/`score` of the file: the reader the command line uses for .json gives the project
    back exactly (tests/models checks interchange.parse; this is the CLI's reader built on it)."""
    with Document.new() as doc:
        pid = doc.add_project(project, MOF)
        stored = doc.load_project(pid)
        text = interchange.dump_text(doc, builtin={"mof-2020": MOF})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "项目.json"
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        [loaded] = read_json_source(path, {"mof-2020": MOF}).items
    # an empty narrative section is left out of the JSON (docs/interchange.md): empty and absent are the same
    assert replace(loaded.project, id=stored.id) == replace(stored, narrative={
        k: v for k, v in stored.narrative.items() if v})
    assert loaded.template == MOF
    assert score_project(loaded.project, loaded.template) == score_project(stored, MOF)


def _tree(project: Project) -> list[Any]:
    return [(c.name, c.weight, [(g.name, [(i.name, i.weight, i.target, i.actual, i.rule.kind, i.deviation_reason,
                                           i.override_score) for i in g.indicators]) for g in c.groups])
            for c in project.categories]


def _budget(project: Project) -> list[Any]:
    return [(key, [(row.cell(c) or 0) for c in ("central", "provincial", "city", "county", "carryover", "other")])
            for key in ("initial", "adjusted", "executed") for row in [project.budget.row(key)]]


LAYOUTS = {"mof": builders.mof_form, "attachment": builders.seed_attachment, "comparator": builders.comparator_layout}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=mof_projects(), layout=st.sampled_from(sorted(LAYOUTS)))
def test_generated_workbooks_import_to_their_projects(project: Project, layout: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = LAYOUTS[layout](project, MOF, Path(folder) / "自评表.xlsx")
        result = read_workbook(path, TEMPLATES)
    assert [str(p) for p in result.problems] == []
    [item] = result.projects
    got = item.project
    assert (got.year, got.name, got.unit) == (project.year, project.name, project.unit)
    assert _tree(got) == _tree(project)
    if layout != "attachment":  # the attachment has no funds block
        assert got.department == project.department
        assert _budget(got) == _budget(project)
    assert score_project(got, item.template).total == score_project(project, MOF).total


def _unused(_: Template) -> None:
    pass


WORDS = ("一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "偏差原因", "指标性质", "度量单位",
         "项目名称", "年度", "2021年度项目支出绩效自评表", "年初预算数", "全年预算数", "全年执行数", "执行率",
         "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金", "总分", "合计", "小计", "注：", "扣分项",
         "产出指标", "≥50个", "≤90万元", "及时", "90%", "12 34", "10", "-5", "0", "=", "/", "（万元）", "单位：元",
         "正向", "定性", "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.tuples(st.integers(1, 14), st.integers(1, 9), st.one_of(
    st.sampled_from(WORDS), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=8))), max_size=80),
    merges=st.lists(st.tuples(st.integers(1, 14), st.integers(1, 9), st.integers(0, 3), st.integers(0, 2)),
                    max_size=6),
    header=st.none() | st.tuples(st.integers(1, 6), st.lists(st.sampled_from(WORDS[:10]), min_size=4, max_size=9)))
def test_any_grid_of_table_words_is_read_or_refused_cleanly(cells: list[tuple[int, int, object]],
                                                            merges: list[tuple[int, int, int, int]],
                                                            header: tuple[int, list[str]] | None) -> None:
    """Random sheets made of 自评表 words, numbers and merges (half of them with a header row): a project with
    located problems, or a WorkbookError; never another exception."""
    if header is not None:
        row, words = header
        cells = [(row, i + 1, w) for i, w in enumerate(words)] + [c for c in cells if c[0] != row]
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    from app.importers.workbook import WorkbookError

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row, col, value in cells:
        try:
            cell = ws.cell(row, col, value)
        except IllegalCharacterError:
            continue
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
    taken: set[tuple[int, int]] = set()
    for row, col, down, right in merges:
        area = {(r, c) for r in range(row, row + down + 1) for c in range(col, col + right + 1)}
        if (down or right) and not area & taken:
            ws.merge_cells(start_row=row, start_column=col, end_row=row + down, end_column=col + right)
            taken |= area
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "随机.xlsx"
        wb.save(path)
        try:
            result = read_workbook(path, TEMPLATES)
        except WorkbookError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
    for problem in result.problems:
        assert "\n" not in str(problem) and str(problem)
    for item in result.projects:
        score_project(item.project, item.template)  # the imported project is scoreable
