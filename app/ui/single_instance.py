"""One running program per user: a second start hands its file to the first one over a QLocalServer and exits."""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

APP_KEY = "JixiaoZiping"
#: A request is one JSON line; anything longer is not ours and is dropped.
MAX_MESSAGE = 64 * 1024
CONNECT_TIMEOUT_MS = 1000
REPLY_TIMEOUT_MS = 3000
ACK = b"ok\n"


def user_key(app: str = APP_KEY) -> str:
    """The server name for this user: two Windows users (or a terminal server's sessions) never share one.

    The user name is hashed, so the name stays short and ASCII (a Unix socket path has a length limit,
    and Windows pipe names are case-insensitive).
    """
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = str(Path.home())
    domain = os.environ.get("USERDOMAIN", "")
    digest = hashlib.sha256(f"{domain}\\{user}".casefold().encode("utf-8")).hexdigest()[:16]
    return f"{app}-{digest}"


def encode_request(path: str | None) -> bytes:
    return json.dumps({"open": path}, ensure_ascii=False).encode("utf-8") + b"\n"


def decode_request(line: bytes) -> str | None:
    """The path of a request line ('' for "just bring the window forward"); None when the line is not a request."""
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or "open" not in data:
        return None
    path = data["open"]
    if path is None:
        return ""
    return path if isinstance(path, str) else None


class SingleInstance(QObject):
    """The first instance listens; later instances call ``send_to_running`` and exit when it returns True.

    ``fileReceived(path)`` carries an absolute path the running window should open;
    ``activationRequested()`` asks it to come to the front (a second start without a file).
    """

    fileReceived = Signal(str)
    activationRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    # ------------------------------------------------------------------ second instance

    @staticmethod
    def send_to_running(key: str, path: str | None, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
        """Hand ``path`` (or None: only activate) to a running instance; True once it has acknowledged it.

        False when no instance is running (or a dead one left its name behind): then this process is the first.
        Blocking, no event loop needed; call it after the QApplication exists and before any window is built.
        """
        socket = QLocalSocket()
        socket.connectToServer(key)
        if not socket.waitForConnected(timeout_ms):
            return False
        _allow_foreground()
        absolute = os.path.abspath(path) if path else None  # the running one has another working folder
        socket.write(encode_request(absolute))
        ok = socket.waitForBytesWritten(timeout_ms)
        reply = b""
        while ok and not reply.endswith(b"\n") and socket.waitForReadyRead(REPLY_TIMEOUT_MS):
            reply += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return reply == ACK

    # ------------------------------------------------------------------ first instance

    def listen(self, key: str) -> bool:
        """Start serving ``key``; a name left behind by a crashed instance is removed first.

        False when the name is taken by a live instance (two starts at the same moment): the caller should
        try ``send_to_running`` again. Other failures are logged and also return False; the program then
        simply runs without the hand-over.
        """
        self.close()
        # Qt replaces an existing socket file when listening with UserAccessOption, so ask first whether
        # somebody answers on the name; if nobody does, what is left is a crashed instance's and goes.
        if self._is_alive(key):
            return False
        QLocalServer.removeServer(key)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(key):
            log.warning("single instance: cannot listen on %s: %s", key, server.errorString())
            server.deleteLater()
            return False
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def is_listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def server_name(self) -> str:
        """The full name the server listens on (socket file or pipe), '' when not listening."""
        return self._server.fullServerName() if self._server is not None else ""

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    @staticmethod
    def _is_alive(key: str) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(key)
        alive = probe.waitForConnected(200)
        if alive:
            probe.disconnectFromServer()
        return alive

    def _on_new_connection(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            if socket is None:
                break
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += bytes(socket.readAll().data())
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE:
                log.warning("single instance: dropped an over-long request")
                self._drop(socket)
            return
        line = bytes(buffer[: buffer.index(b"\n")])
        path = decode_request(line)
        if path is None:
            log.warning("single instance: dropped a request that is not ours")
            self._drop(socket)
            return
        self._buffers[socket] = bytearray()
        socket.write(ACK)
        socket.flush()
        if path:
            self.fileReceived.emit(path)
        else:
            self.activationRequested.emit()

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.abort()
        socket.deleteLater()


def claim(file: str | None, key: str | None = None) -> SingleInstance | None:
    """Start-up in one call: None when a running instance took ``file`` (exit 0), else the listening instance.

    Keep a reference to the returned object for the life of the program and connect its signals.
    """
    key = key or user_key()
    if SingleInstance.send_to_running(key, file):
        return None
    instance = SingleInstance()
    if not instance.listen(key) and SingleInstance.send_to_running(key, file):
        return None  # another instance started at the same moment and won
    return instance


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` un-minimised and ask for the focus (Windows may only flash the taskbar button)."""
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)


def _allow_foreground() -> None:
    """Let the running instance take the foreground (Windows keeps it from stealing the focus otherwise)."""
    if sys.platform == "win32":
        import ctypes

        with contextlib.suppress(AttributeError, OSError):
            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
