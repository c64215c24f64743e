"""Builders shared by the .jxdb tests: sample documents, files on disk, the command line in a subprocess."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from app.models.document import Document
from app.scoring.codec import document_from
from app.scoring.records import Project, Template

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "resources" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@functools.cache
def builtin_template(template_id: str) -> Template:
    """A built-in template, read once per test session."""
    from app.scoring.templates import load_directory

    return load_directory(ROOT / "resources" / "templates")[template_id]


def sample_pairs(templates: dict[str, Template]) -> list[tuple[Project, Template]]:
    """Every project of the bundled samples with its template."""
    out: list[tuple[Project, Template]] = []
    for path in sorted(SAMPLES.glob("*.json")):
        for project, embedded in document_from(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)):
            out.append((project, embedded or templates[project.template_id]))
    return out


def write_document(path: Path, pairs: list[tuple[Project, Template]]) -> list[int]:
    """A saved .jxdb at ``path`` holding ``pairs``; returns the project ids."""
    doc = Document.new()
    try:
        ids = [doc.add_project(p, t) for p, t in pairs]
        doc.save_as(path)
    finally:
        doc.close()
    return ids


def run_app(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout, check=False)


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.Popen[str]:
    """Start ``python -c code args…`` in the project root with the test's environment."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.PIPE, text=True, cwd=ROOT, env=env)
