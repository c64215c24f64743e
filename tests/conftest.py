"""Shared test set-up: offscreen Qt, isolated user folders, the bundled templates and samples."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

# GUI tests must run offscreen; set before anything imports Qt.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
TEMPLATES = ROOT / "resources" / "templates"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own user data and documents folders (never the real ones)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "documents"))
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(scope="session")
def templates() -> dict:
    from app.scoring.templates import load_directory

    return load_directory(TEMPLATES)


def _load_sample(name: str, templates: dict) -> tuple:
    from app.scoring.codec import document_from

    data = json.loads((SAMPLES / name).read_text(encoding="utf-8"), parse_float=Decimal)
    project, embedded = document_from(data)[0]
    return project, embedded or templates[project.template_id]


@pytest.fixture(scope="session")
def seed000(templates: dict) -> tuple:
    """(project, template) of seed 000 (大宁县档案馆, MoF form)."""
    return _load_sample("seed000-daning.json", templates)


@pytest.fixture(scope="session")
def seed003(templates: dict) -> tuple:
    """(project, template) of seed 003 (罗定市档案馆, four-part framework)."""
    return _load_sample("seed003-luoding.json", templates)


@pytest.fixture(scope="session")
def mof(templates: dict):  # type: ignore[no-untyped-def]
    """The MoF self-evaluation template."""
    return templates["mof-2020"]


@pytest.fixture(scope="session")
def four_part(templates: dict):  # type: ignore[no-untyped-def]
    """The four-part framework of seed 003."""
    return templates["four-part-2019"]
