"""Font names for Word (with fallbacks for PCs without the official fonts) and a TrueType CJK font for PDFs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

#: Fallback chains: the official font first, then what ordinary Windows PCs have (Word matches by name).
FALLBACKS: dict[str, tuple[str, ...]] = {
    "仿宋_GB2312": ("仿宋", "FangSong"),
    "仿宋": ("FangSong", "仿宋_GB2312"),
    "方正小标宋简体": ("方正小标宋_GBK", "黑体", "宋体"),
    "黑体": ("SimHei",),
    "楷体_GB2312": ("楷体", "KaiTi"),
    "楷体": ("KaiTi", "楷体_GB2312"),
    "宋体": ("SimSun",),
}

#: Latin faces matching each Chinese face (for digits and Latin letters in the same run).
LATIN: dict[str, str] = {"宋体": "Times New Roman"}


@dataclass(frozen=True)
class FontSettings:
    """The fonts of a report (GB/T 9704): body 仿宋, title 小标宋, "一、" 黑体, "（一）" 楷体, page numbers 宋体."""

    body: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    #: True when the title font is a stand-in (黑体/宋体) that should be set bold to look like 小标宋.
    title_bold: bool = False
    fallbacks: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(FALLBACKS))

    def names(self) -> tuple[str, ...]:
        return (self.body, self.title, self.heading1, self.heading2, self.page_number)

    def alternatives(self, name: str) -> tuple[str, ...]:
        """What Word should use when ``name`` is not installed (written as w:altName in the font table)."""
        return self.fallbacks.get(name, ())

    def resolved(self, installed: Iterable[str]) -> FontSettings:
        """The same settings with each font replaced by the first installed one of its chain."""
        have = {n.casefold() for n in installed}

        def pick(name: str) -> str:
            for candidate in (name, *self.alternatives(name)):
                if candidate.casefold() in have:
                    return candidate
            return name

        title = pick(self.title)
        stand_in = title != self.title and "小标宋" not in title
        return replace(
            self,
            body=pick(self.body),
            title=title,
            heading1=pick(self.heading1),
            heading2=pick(self.heading2),
            page_number=pick(self.page_number),
            title_bold=self.title_bold or stand_in,
        )


# --------------------------------------------------------------------------- PDF (reportlab)


@dataclass(frozen=True)
class CjkFont:
    """A TrueType font file reportlab can embed; ``subfont`` is the index inside a .ttc collection."""

    path: Path
    subfont: int = 0

    @property
    def name(self) -> str:
        return f"CJK-{self.path.stem}-{self.subfont}"


def _windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


#: Windows fonts in order of preference (all TrueType outlines).
WINDOWS_CANDIDATES: tuple[tuple[str, int], ...] = (("simfang.ttf", 0), ("simsun.ttc", 0), ("simhei.ttf", 0))

#: Free TrueType (glyf) CJK fonts found on Linux: file name → subfont (0 = simplified Chinese).
SYSTEM_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("wqy-zenhei.ttc", 0),
    ("wqy-microhei.ttc", 0),
    ("uming.ttc", 0),
    ("ukai.ttc", 0),
    ("simfang.ttf", 0),
    ("simsun.ttc", 0),
)

#: Folders fontconfig searches on Linux (and the per-user ones).
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)


def _is_truetype(path: Path) -> bool:
    """True for glyf-outline fonts: a .ttc whose first font is TrueType, or a .ttf; never CFF (OpenType 'OTTO')."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    if head[:4] == b"ttcf":
        with path.open("rb") as fh:
            fh.seek(12)
            offset = int.from_bytes(fh.read(4), "big")
            fh.seek(offset)
            head = fh.read(4)
    return head[:4] in (b"\x00\x01\x00\x00", b"true")


def find_cjk_ttf(search_dirs: Sequence[Path] | None = None) -> CjkFont | None:
    """The TrueType CJK font to embed: Windows simfang/simsun when present, else one found in the font folders.

    Noto CJK and Source Han (CFF outlines) are skipped: reportlab cannot embed them.
    """
    if search_dirs is None and sys.platform == "win32":
        for name, sub in WINDOWS_CANDIDATES:
            path = _windows_fonts_dir() / name
            if path.is_file() and _is_truetype(path):
                return CjkFont(path, sub)
    dirs = list(search_dirs) if search_dirs is not None else [*FONT_DIRS, _windows_fonts_dir()]
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        try:
            for path in d.rglob("*"):
                lower = path.name.lower()
                if lower not in found and path.suffix.lower() in (".ttf", ".ttc"):
                    found[lower] = path
        except OSError:
            continue
    for name, sub in SYSTEM_CANDIDATES:
        candidate = found.get(name)
        if candidate is not None and _is_truetype(candidate):
            return CjkFont(candidate, sub)
    return None


def installed_font_names() -> set[str]:
    """Family names of the installed fonts (fontconfig's fc-list, or the Windows font file names); empty if unknown."""
    import shutil
    import subprocess

    names: set[str] = set()
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":", "family"], capture_output=True, text=True, timeout=20, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            names.update(part.strip() for part in line.split(",") if part.strip())
    if sys.platform == "win32":
        files = {p.name.lower() for p in _windows_fonts_dir().glob("*")} if _windows_fonts_dir().is_dir() else set()
        known = {
            "simfang.ttf": "仿宋",
            "simsun.ttc": "宋体",
            "simhei.ttf": "黑体",
            "simkai.ttf": "楷体",
            "fzxbsjw.ttf": "方正小标宋简体",
            "仿宋_gb2312.ttf": "仿宋_GB2312",
            "楷体_gb2312.ttf": "楷体_GB2312",
        }
        names.update(v for k, v in known.items() if k in files)
    return names
