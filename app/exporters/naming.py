"""File names for exported documents: `单位-项目名称`, safe on Windows, never two projects on one name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
#: Windows' classic MAX_PATH is 260 characters including the drive and the terminating NUL.
MAX_PATH = 259
MAX_STEM = 120


def safe_stem(text: str, fallback: str = "未命名项目") -> str:
    """A name Windows accepts: forbidden characters become "_", no trailing dots or spaces, no reserved names."""
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())  # tabs and line breaks from pasted names
    text = _FORBIDDEN.sub("_", text)
    text = text.strip(" .")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text[:MAX_STEM].rstrip(" .") or fallback


def project_stem(unit: str, name: str) -> str:
    """`单位-项目名称` (only the name when the unit is empty or already part of the name)."""
    unit, name = unit.strip(), name.strip()
    if unit and not name.startswith(unit):
        return safe_stem(f"{unit}-{name}")
    return safe_stem(name)


def _fit(stem: str, folder: Path, longest_suffix: str, extra: int) -> str:
    """Shorten a stem so that folder/stem+suffix stays within MAX_PATH (with room for a collision mark)."""
    room = MAX_PATH - len(str(folder.resolve())) - 1 - len(longest_suffix) - extra
    if room < 8:
        raise ValueError(f"导出文件夹的路径过长（{len(str(folder))} 个字符），请换一个较短的文件夹")
    return stem if len(stem) <= room else stem[:room].rstrip(" .") or stem[:room]


def assign_stems(
    items: Iterable[tuple[int, str, str]], folder: Path, suffixes: Iterable[str], taken: Iterable[str] = ()
) -> dict[int, str]:
    """A unique stem per item (id, unit, name), in the given order: duplicates get "（2）", "（3）"…

    Names are compared without regard to case, as Windows does. ``taken`` are stems reserved for other files.
    """
    longest = max(suffixes, key=len, default="")
    used = {t.casefold() for t in taken}
    out: dict[int, str] = {}
    for key, unit, name in items:
        base = _fit(project_stem(unit, name), folder, longest, extra=6)
        stem, n = base, 1
        while stem.casefold() in used:
            n += 1
            stem = f"{base}（{n}）"
        used.add(stem.casefold())
        out[key] = stem
    return out
