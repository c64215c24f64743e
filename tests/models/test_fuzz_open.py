"""Fuzzing the reader: a .jxdb with flipped bytes either opens and reads, or raises JxdbError — nothing else —
and the file is never changed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models.document import Document, JxdbError
from app.scoring.engine import score_project

from .helpers import builtin_template, sample_pairs, write_document

_GOOD: list[bytes] = []


def _good_file() -> bytes:
    if not _GOOD:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "good.jxdb"
            templates = {t: builtin_template(t) for t in ("mof-2020", "four-part-2019")}
            write_document(path, sample_pairs(templates))
            _GOOD.append(path.read_bytes())
    return _GOOD[0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 255)), min_size=1, max_size=8),
       truncate=st.none() | st.integers(0, 10**9))
def test_damaged_files_raise_only_jxdb_error(flips: list[tuple[int, int]], truncate: int | None) -> None:
    data = bytearray(_good_file())
    for offset, mask in flips:
        data[offset % len(data)] ^= mask
    if truncate is not None:
        data = data[: truncate % len(data)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "damaged.jxdb"
        path.write_bytes(bytes(data))
        try:
            with Document.open(path, read_only=True) as doc:
                for summary in doc.list_projects():
                    project = doc.load_project(summary.id)
                    score_project(project, doc.template_for(project))
        except JxdbError as exc:
            assert str(exc) and "\n" not in str(exc)
        assert path.read_bytes() == bytes(data)
