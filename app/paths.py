"""Where things are: bundled resources (from source or a frozen build) and the user's data folders."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "JixiaoZiping"


def resources_dir() -> Path:
    """The resources/ folder: beside the package in a source tree, inside _MEIPASS when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def templates_dir() -> Path:
    return resources_dir() / "templates"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def user_data_dir() -> Path:
    """Per-user data (working copies, logs, settings): %LOCALAPPDATA%\\JixiaoZiping on Windows."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_documents_dir() -> Path:
    return Path(platformdirs.user_documents_dir())


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
