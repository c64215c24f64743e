"""Files the window deals with beside the open document: the sample file, recent files, built-in templates."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings

from app.models import interchange
from app.models.document import JxdbError
from app.paths import templates_dir, user_data_dir, user_documents_dir
from app.scoring.records import Template
from app.scoring.templates import TemplateError, load_directory

log = logging.getLogger(__name__)
SAMPLE_NAME = "绩效自评示例.jxdb"
MAX_RECENT = 8


def builtin_templates() -> dict[str, Template]:
    try:
        return load_directory(templates_dir())
    except TemplateError as exc:
        log.error("built-in templates: %s", exc)
        return {}


def make_sample_file(path: Path) -> Path:
    """Write every sample project into a new .jxdb at ``path`` (the first-run file)."""
    try:
        interchange.write_sample_file(path, builtin_templates())
    except interchange.InterchangeError as exc:
        raise JxdbError(str(exc)) from exc
    return path


def first_run_file() -> Path | None:
    """A fresh copy of the sample file in the documents folder (the data folder if that cannot be written)."""
    for folder in (user_documents_dir(), user_data_dir()):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / SAMPLE_NAME
            n = 2
            while target.exists():
                target = folder / f"绩效自评示例（{n}）.jxdb"
                n += 1
            return make_sample_file(target)
        except (OSError, JxdbError) as exc:
            log.warning("cannot write the sample file in %s: %s", folder, exc)
    return None


def settings_file() -> Path:
    return user_data_dir() / "settings.ini"


def open_settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def recent_files(settings: QSettings) -> list[Path]:
    value = settings.value("recentFiles", [])
    names: list[object] = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(str(n)) for n in names if n]


def add_recent(settings: QSettings, path: Path) -> None:
    names = [str(path)] + [str(p) for p in recent_files(settings) if p != path]
    settings.setValue("recentFiles", names[:MAX_RECENT])
    settings.setValue("lastFile", str(path))
    settings.sync()


def last_file(settings: QSettings) -> Path | None:
    value = settings.value("lastFile", "")
    return Path(str(value)) if value else None
