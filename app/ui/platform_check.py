"""Before Qt starts on Linux: can its window plugin load and reach a display? If not, say why in one Chinese line.

Qt itself would abort the process with an English message (qFatal) when the ``xcb`` plugin misses a system
library or no X server answers; this check runs first and cheaply (dlopen of the plugin, one xcb_connect)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import sys
from pathlib import Path

#: Shared libraries of Qt's xcb plugin and the Debian/Ubuntu package that brings each (docs/install.md).
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1", "libxcb.so.1": "libxcb1", "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6", "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
}
#: Platforms that need no display and no system libraries beyond Qt's own.
_HEADLESS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "minimalegl"}
_INSTALL = "请按 docs/install.md 安装窗口所需的系统软件包后重试"
#: The test connection to the X server, kept open until Qt has its own: an X server with no other client
#: resets when its last client leaves, and Qt connecting during that reset fails (and aborts).
_held: list[tuple[ctypes.CDLL, int]] = []


def _plugins_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def _missing_library(exc: OSError) -> str:
    found = re.search(r"(lib[\w.+-]+\.so[\d.]*)", str(exc))
    name = found.group(1) if found else str(exc)
    package = DEBIAN_PACKAGES.get(name)
    return f"缺少系统组件 {name}" + (f"（Debian/Ubuntu 软件包 {package}）" if package else "")


def _x_display_problem() -> str | None:
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "没有图形显示（未设置 DISPLAY），请在桌面环境中启动本程序"
    path = ctypes.util.find_library("xcb") or "libxcb.so.1"
    try:
        xcb = ctypes.CDLL(path)
    except OSError as exc:
        return _missing_library(exc)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(None, None)
    if xcb.xcb_connection_has_error(connection):
        xcb.xcb_disconnect(connection)
        return f"无法连接到图形显示 {display}，请在桌面环境中启动本程序"
    _held.append((xcb, connection))
    return None


def release() -> None:
    """Close the test connection (call once the QApplication exists)."""
    while _held:
        xcb, connection = _held.pop()
        xcb.xcb_disconnect(connection)


def problem() -> str | None:
    """Why the window cannot start on this Linux machine, in Chinese; None when it can (or not on Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    wanted = [p.split(":", 1)[0].strip() for p in os.environ.get("QT_QPA_PLATFORM", "").split(";") if p.strip()]
    if not wanted:  # Qt's own choice: Wayland in a Wayland session, else X11
        wanted = (["wayland"] if os.environ.get("WAYLAND_DISPLAY") else []) + ["xcb"]
    if any(name in _HEADLESS for name in wanted):
        return None
    first: str | None = None
    for name in wanted:
        plugin = _plugins_dir() / f"libq{name}.so"
        if not plugin.exists():
            found = f"找不到 Qt 平台插件“{name}”"
        else:
            try:
                ctypes.CDLL(str(plugin))
            except OSError as exc:
                found = _missing_library(exc)
            else:
                if name == "xcb":
                    display = _x_display_problem()
                    if display is None:
                        return None
                    found = display
                elif name == "wayland" and not os.environ.get("WAYLAND_DISPLAY"):
                    found = "没有 Wayland 显示（未设置 WAYLAND_DISPLAY）"
                else:
                    return None
        first = first or found
    hint = f"。{_INSTALL}" if first is not None and first.startswith(("缺少", "找不到")) else ""
    return f"无法打开窗口：{first}{hint}。"
