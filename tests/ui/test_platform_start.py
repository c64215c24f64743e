"""The real window under a real X server (Xvfb, platform xcb), and one Chinese line when it cannot start."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.ui import platform_check

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "--smoke", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private Xvfb on a display number it picks itself (-displayfd); yields ":N"."""
    binary = shutil.which("Xvfb")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing: .ci/run installs the xvfb package")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen([binary, "-displayfd", str(write), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not report its display"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_smoke_under_xvfb_with_the_xcb_platform(xvfb: str, sample_file: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=xvfb)
    env.pop("WAYLAND_DISPLAY", None)
    result = _run(env, str(sample_file))
    assert result.returncode == 0, result.stderr
    assert "Could not load" not in result.stderr and "错误" not in result.stderr


def test_no_display_is_one_chinese_line() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":65000")
    result = _run(env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["错误：无法打开窗口：无法连接到图形显示 :65000，请在桌面环境中启动本程序。"], result.stderr


def test_unknown_platform_plugin_is_one_chinese_line() -> None:
    result = _run(dict(os.environ, QT_QPA_PLATFORM="nosuchplatform"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "错误：无法打开窗口：找不到 Qt 平台插件“nosuchplatform”。请按 docs/install.md 安装窗口所需的系统软件包后重试。"]


def test_a_missing_system_library_is_named_with_its_package(tmp_path: Path) -> None:
    """A broken libxcb-icccm.so.4 found first on the library path behaves like a missing one."""
    (tmp_path / "libxcb-icccm.so.4").write_bytes(b"")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":0",
               LD_LIBRARY_PATH=f"{tmp_path}:{os.environ.get('LD_LIBRARY_PATH', '')}")
    result = _run(env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "错误：无法打开窗口：缺少系统组件 libxcb-icccm.so.4（Debian/Ubuntu 软件包 libxcb-icccm4）。"
        "请按 docs/install.md 安装窗口所需的系统软件包后重试。"], result.stderr


def test_headless_platforms_are_not_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.problem() is None


def test_the_system_packages_are_the_same_in_readme_install_doc_and_ci() -> None:
    """README.md, docs/install.md and .ci/run name the same Debian packages for the window."""
    import re

    def listed(text: str) -> set[str]:
        line = next(ln for ln in text.splitlines() if "apt-get install" in ln and "libxcb-icccm4" in ln)
        return {w for w in line.split() if re.fullmatch(r"(lib|fonts-)[\w.+-]+", w)}

    readme = listed((ROOT / "README.md").read_text(encoding="utf-8"))
    install = listed((ROOT / "docs" / "install.md").read_text(encoding="utf-8"))
    ci_text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    found = re.search(r"window_pkgs=\(([^)]*)\)", ci_text)
    assert found is not None
    ci = set(found.group(1).split())
    assert readme == install == ci
    assert set(platform_check.DEBIAN_PACKAGES.values()) <= readme
