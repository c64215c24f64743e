"""Exported file names are safe on Windows and never collide."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.exporters.naming import MAX_PATH, assign_stems, project_stem, safe_stem


@pytest.mark.parametrize(("text", "expected"), [
    ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
    ("  档案保护. . ", "档案保护"),
    ("CON", "_CON"),
    ("lpt1.txt", "_lpt1.txt"),
    ("", "未命名项目"),
    ("...", "未命名项目"),
    ("第一行\n第二行\t项目", "第一行 第二行 项目"),
    ("a\x00b", "a_b"),
])
def test_safe_stem(text: str, expected: str) -> None:
    assert safe_stem(text) == expected


def test_project_stem() -> None:
    assert project_stem("大宁县档案馆", "档案数字化") == "大宁县档案馆-档案数字化"
    assert project_stem("", "档案数字化") == "档案数字化"
    assert project_stem("大宁县档案馆", "大宁县档案馆档案数字化") == "大宁县档案馆档案数字化"


def test_duplicates_get_numbers_case_insensitively(tmp_path: Path) -> None:
    stems = assign_stems([(1, "单位", "项目"), (2, "单位", "项目"), (3, "单位", "项目"), (4, "", "Ab"), (5, "", "aB")],
                         tmp_path, [".docx"], taken=["汇总表"])
    assert stems == {1: "单位-项目", 2: "单位-项目（2）", 3: "单位-项目（3）", 4: "Ab", 5: "aB（2）"}
    assert assign_stems([(1, "", "汇总表")], tmp_path, [".xlsx"], taken=["汇总表"])[1] == "汇总表（2）"


def test_long_names_fit_in_max_path(tmp_path: Path) -> None:
    stems = assign_stems([(1, "单位" * 50, "很长的项目名称" * 40), (2, "单位" * 50, "很长的项目名称" * 40)],
                         tmp_path, [".docx", ".xlsx"])
    for stem in stems.values():
        assert len(str((tmp_path / (stem + ".docx")).resolve())) <= MAX_PATH
    assert stems[1] != stems[2]


def test_folder_too_deep(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 250)
    with pytest.raises(ValueError, match="路径过长"):
        assign_stems([(1, "a", "b")], deep, [".docx"])
