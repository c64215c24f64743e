"""A real client: LibreOffice converts every output of both samples to PDF, and every font in the PDFs is embedded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import Output

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = (
    "LibreOffice (soffice) 未安装，跳过真实客户端转换：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
)


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb column) of each font pdffonts lists."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60).stdout
    rows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) >= 6:
            rows.append((cols[0], cols[-5]))  # from the right: object ID (2 columns), uni, sub, emb
    return rows


def convert(sources: list[Path], outdir: Path, profile: Path) -> list[Path]:
    outdir.mkdir()
    command = [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", "pdf", "--outdir", str(outdir), *map(str, sources)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return [outdir / f"{src.stem}.pdf" for src in sources]


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason=NO_SOFFICE)
def test_libreoffice_converts_every_output(out000: Output, out003: Output, tmp_path: Path) -> None:
    assert shutil.which("pdffonts"), "pdffonts (poppler-utils) is needed to check the fonts"
    profile = tmp_path / "lo-profile"
    # docx and xlsx of a sample share a stem: one output folder per kind
    docs = convert([out000.docx, out003.docx], tmp_path / "docx", profile)
    books = convert([out000.xlsx, out003.xlsx], tmp_path / "xlsx", profile)
    totals = {"seed000": "93.08", "seed003": "97.80"}
    for pdf in [*docs, *books, out000.pdf, out003.pdf]:
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf
        text = "".join("".join((p.extract_text() or "").split()) for p in PdfReader(str(pdf)).pages)
        assert totals[pdf.stem] in text, pdf  # the client really read the content
        fonts = pdffonts(pdf)
        assert fonts, f"{pdf}: no fonts"
        assert all(emb == "yes" for _, emb in fonts), (str(pdf), fonts)
