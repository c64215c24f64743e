"""Shared helpers of the server tests."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from typing import Any

import pytest


def set_actual(project: Any, ci: int, gi: int, ii: int, actual: str) -> Any:
    """``project`` with one indicator's 实际完成值 changed."""
    return set_indicator(project, ci, gi, ii, actual=actual)


def set_indicator(project: Any, ci: int, gi: int, ii: int, **fields: Any) -> Any:
    """``project`` with fields of the indicator at (category, group, indicator) replaced."""
    cat = project.categories[ci]
    grp = cat.groups[gi]
    ind = replace(grp.indicators[ii], **fields)
    grp = replace(grp, indicators=(*grp.indicators[:ii], ind, *grp.indicators[ii + 1:]))
    cat = replace(cat, groups=(*cat.groups[:gi], grp, *cat.groups[gi + 1:]))
    return replace(project, categories=(*project.categories[:ci], cat, *project.categories[ci + 1:]))


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str, str]:
    """``python -m app ARGV`` in this process with ``stdin``: (exit status, stdout, stderr)."""
    from app.cli import run

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = run(argv)
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err
