"""Build installer/app.spec with PyInstaller and run the frozen program offscreen (catches missing imports and data).

Slow (about a minute on 2 cores) and needs PyInstaller, so it runs only with JIXIAO_PACKAGING_TEST=1:

    .venv/bin/pip install pyinstaller
    JIXIAO_PACKAGING_TEST=1 .venv/bin/pytest tests/packaging/test_pyinstaller_smoke.py -q
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "seed000-daning.json"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("JIXIAO_PACKAGING_TEST") != "1",
                       reason="builds the PyInstaller folder (about a minute, needs pyinstaller installed): "
                              "set JIXIAO_PACKAGING_TEST=1 to run"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="pyinstaller is not installed (pip install pyinstaller); not a project dependency"),
]


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The built program folder (dist/JixiaoZiping)."""
    base = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(base / "dist"), "--workpath", str(base / "build"), str(ROOT / "installer" / "app.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    folder = base / "dist" / "JixiaoZiping"
    size = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\nPyInstaller build: {time.perf_counter() - started:.0f} s, {size / 2**20:.0f} MB in {folder}")
    yield folder


def _exe(folder: Path, name: str) -> Path:
    path = folder / (name + (".exe" if sys.platform == "win32" else ""))
    assert path.is_file(), path
    return path


def _run(exe: Path, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)  # the frozen program must not borrow anything from the source tree
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=300, check=False)


def test_folder_holds_every_resource(frozen: Path) -> None:
    internal = frozen / "_internal"
    for rel in ("resources/templates/mof-2020.json", "resources/templates/four-part-2019.json",
                "resources/samples/seed000-daning.json", "resources/samples/seed003-luoding.json",
                "resources/icons/app.ico", "resources/icons/jxdb.ico",
                "docx/templates/default.docx", "docx/templates/default-header.xml", "docx/parts"):
        assert (internal / rel).exists(), rel
    assert list(internal.glob("reportlab/fonts/*")), "reportlab's font data is missing"
    translations = {p.name for p in internal.rglob("translations/*.qm")}
    assert "qtbase_zh_CN.qm" in translations
    assert all("zh_CN" in name for name in translations), "other languages should be left out"
    names = {p.name for p in internal.rglob("*")}
    for unwanted in ("QtQml", "QtQuick", "QtWebEngineCore", "Qt3DCore", "pytest", "hypothesis"):
        assert not any(unwanted in n for n in names), unwanted
    assert any("QtNetwork" in n for n in names), "QtNetwork (single instance) must be bundled"


def test_score_the_sample(frozen: Path) -> None:
    result = _run(_exe(frozen, "jixiao"), "score", SAMPLE)
    assert result.returncode == 0, result.stderr
    assert "总分 93.08" in result.stdout and "等级 优" in result.stdout


def test_bad_input_is_one_chinese_line(frozen: Path, tmp_path: Path) -> None:
    result = _run(_exe(frozen, "jixiao"), "score", tmp_path / "没有这个文件.json")
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_smoke_without_and_with_a_file(frozen: Path, tmp_path: Path) -> None:
    cli, gui = _exe(frozen, "jixiao"), _exe(frozen, "JixiaoZiping")
    first = _run(gui, "--smoke")
    assert first.returncode == 0, first.stderr
    demo = tmp_path / "示例 文件.jxdb"
    made = _run(cli, "demo", demo)
    assert made.returncode == 0, made.stderr
    opened = _run(gui, "--smoke", demo)
    assert opened.returncode == 0, opened.stderr
    relative = _run(cli, "--smoke", demo.name, cwd=tmp_path)
    assert relative.returncode == 0, relative.stderr
    from app.paths import log_dir

    gui_log = log_dir() / "jixiao-gui.log"
    text = gui_log.read_text(encoding="utf-8") if gui_log.exists() else ""
    assert "not found" not in text, text  # Qt's zh_CN translation was found
    assert "Traceback" not in text


def test_export_in_worker_processes(frozen: Path, tmp_path: Path) -> None:
    """Word needs python-docx's templates, PDF reportlab's data, and --jobs 2 the frozen multiprocessing support."""
    demo = tmp_path / "demo.jxdb"
    cli = _exe(frozen, "jixiao")
    assert _run(cli, "demo", demo).returncode == 0
    out = tmp_path / "导出"
    result = _run(cli, "export", demo, "--to", out, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in out.iterdir())
    assert len([f for f in files if f.endswith(".docx")]) == 2, files
    assert len([f for f in files if f.endswith(".pdf")]) == 2, files
    assert "汇总表.xlsx" in files

    import docx
    import openpyxl
    from pypdf import PdfReader

    report = next(out.glob("大宁县*.docx"))
    assert "大宁县" in "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
    pdf = PdfReader(str(next(out.glob("大宁县*.pdf"))))
    assert "93.08" in "".join(page.extract_text() for page in pdf.pages)
    book = openpyxl.load_workbook(out / "汇总表.xlsx", read_only=True)
    assert book.sheetnames
    book.close()
