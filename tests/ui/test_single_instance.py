"""The single-instance hand-over: a second start passes its file to the first over a QLocalServer."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from app.ui.single_instance import SingleInstance, bring_to_front, claim, decode_request, encode_request, user_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key() -> str:
    """A fresh server name per test (never the real program's)."""
    return f"JixiaoZiping-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def first(qtbot: object, key: str) -> Iterator[SingleInstance]:
    instance = SingleInstance()
    assert instance.listen(key)
    yield instance
    instance.close()


def test_platform_is_offscreen(qapp: object) -> None:
    from PySide6.QtWidgets import QApplication

    assert QApplication.platformName() == "offscreen"


def test_user_key_is_ascii_stable_and_per_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERDOMAIN", "CZJ")
    monkeypatch.setattr("getpass.getuser", lambda: "张三")
    a = user_key()
    assert a == user_key()
    assert a.startswith("JixiaoZiping-") and a.isascii() and len(a) < 40
    monkeypatch.setattr("getpass.getuser", lambda: "李四")
    assert user_key() != a
    monkeypatch.setattr("getpass.getuser", lambda: "张三")
    monkeypatch.setenv("USERDOMAIN", "OTHERPC")
    assert user_key() != a


def test_request_round_trip() -> None:
    assert decode_request(encode_request(r"D:\绩效\2023年.jxdb").rstrip(b"\n")) == r"D:\绩效\2023年.jxdb"
    assert decode_request(encode_request(None).rstrip(b"\n")) == ""
    assert decode_request(b"\xff\xfe") is None
    assert decode_request(b"[1, 2]") is None
    assert decode_request(b'{"open": 3}') is None
    assert decode_request(b"GET / HTTP/1.1") is None


def test_no_running_instance(key: str, qtbot: object) -> None:
    assert SingleInstance.send_to_running(key, "x.jxdb") is False


def test_second_instance_hands_its_file_to_the_first(qtbot, first: SingleInstance, key: str, tmp_path: Path) -> None:
    """In-process "second instance": a plain QLocalSocket sends the request and gets the acknowledgement."""
    target = tmp_path / "县财政局 2023.jxdb"
    client = QLocalSocket()
    client.connectToServer(key)
    assert client.waitForConnected(1000)
    with qtbot.waitSignal(first.fileReceived, timeout=5000) as blocker:
        client.write(encode_request(str(target)))
        client.flush()
    assert blocker.args == [str(target)]
    qtbot.waitUntil(lambda: client.bytesAvailable() >= 3, timeout=5000)
    assert bytes(client.readAll().data()) == b"ok\n"
    client.disconnectFromServer()


def test_relative_path_is_made_absolute(qtbot, first: SingleInstance, key: str, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with qtbot.waitSignal(first.fileReceived, timeout=5000) as blocker:
        _send_from_subprocess(key, "项目.jxdb", cwd=tmp_path, qtbot=qtbot)
    assert blocker.args == [str(tmp_path / "项目.jxdb")]


def test_second_start_without_file_asks_for_activation(qtbot, first: SingleInstance, key: str) -> None:
    received: list[str] = []
    first.fileReceived.connect(received.append)
    with qtbot.waitSignal(first.activationRequested, timeout=5000):
        rc = _send_from_subprocess(key, None, cwd=ROOT, qtbot=qtbot)
    assert rc == 0
    assert received == []


def test_a_real_second_process(qtbot, first: SingleInstance, key: str, tmp_path: Path) -> None:
    target = tmp_path / "a.jxdb"
    with qtbot.waitSignal(first.fileReceived, timeout=10000) as blocker:
        rc = _send_from_subprocess(key, str(target), cwd=ROOT, qtbot=qtbot)
    assert rc == 0
    assert blocker.args == [str(target)]


def test_stale_server_name_is_cleaned_up(qtbot, key: str, tmp_path: Path) -> None:
    """A crashed instance leaves its socket file behind (Unix): nobody answers, the next start takes the name."""
    if sys.platform == "win32":
        pytest.skip("named pipes vanish with their process")
    path = os.path.join(QDir.tempPath(), key)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(path)
    stale.close()  # the file stays, nobody listens
    assert os.path.exists(path)
    plain = QLocalServer()
    assert not plain.listen(key)  # what the first start would run into without the clean-up
    assert SingleInstance.send_to_running(key, "x.jxdb") is False

    instance = SingleInstance()
    try:
        assert instance.listen(key)
        assert instance.is_listening()
        assert instance.server_name() == path
        with qtbot.waitSignal(instance.activationRequested, timeout=10000):
            assert _send_from_subprocess(key, None, cwd=ROOT, qtbot=qtbot) == 0
    finally:
        instance.close()
    assert not os.path.exists(path)


def test_a_live_instance_is_not_taken_over(qtbot, first: SingleInstance, key: str) -> None:
    other = SingleInstance()
    assert other.listen(key) is False
    assert not other.is_listening()
    assert first.is_listening()
    with qtbot.waitSignal(first.activationRequested, timeout=10000):
        assert _send_from_subprocess(key, None, cwd=ROOT, qtbot=qtbot) == 0


def test_garbage_and_over_long_requests_are_dropped(qtbot, first: SingleInstance, key: str) -> None:
    received: list[str] = []
    first.fileReceived.connect(received.append)
    for payload in (b"GET / HTTP/1.1\r\n\r\n", b"x" * 70_000):
        client = QLocalSocket()
        client.connectToServer(key)
        assert client.waitForConnected(1000)
        client.write(payload)
        client.waitForBytesWritten(1000)
        qtbot.waitUntil(lambda c=client: c.state() == QLocalSocket.LocalSocketState.UnconnectedState, timeout=5000)
    assert received == []
    # still serving after the rubbish
    with qtbot.waitSignal(first.activationRequested, timeout=10000):
        assert _send_from_subprocess(key, None, cwd=ROOT, qtbot=qtbot) == 0


def test_close_stops_listening(qtbot, key: str) -> None:
    instance = SingleInstance()
    assert instance.listen(key)
    instance.close()
    assert not instance.is_listening()
    assert instance.server_name() == ""
    assert SingleInstance.send_to_running(key, "x.jxdb") is False


def test_claim_first_start_listens_second_start_hands_over(qtbot, key: str, tmp_path: Path) -> None:
    first = claim(None, key)
    assert first is not None and first.is_listening()
    try:
        target = tmp_path / "b.jxdb"
        code = (
            "import sys\n"
            "from PySide6.QtCore import QCoreApplication\n"
            "from app.ui.single_instance import claim\n"
            "app = QCoreApplication(sys.argv[:1])\n"
            "sys.exit(0 if claim(sys.argv[2], sys.argv[1]) is None else 3)\n"
        )
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        with qtbot.waitSignal(first.fileReceived, timeout=10000) as blocker:
            proc = subprocess.Popen([sys.executable, "-c", code, key, str(target)], cwd=ROOT, env=env)
            qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15000)
        assert proc.returncode == 0
        assert blocker.args == [str(target)]
    finally:
        first.close()


def test_claim_after_a_crash_takes_the_name(qtbot, key: str) -> None:
    dead = SingleInstance()
    assert dead.listen(key)
    dead.close()
    instance = claim("x.jxdb", key)
    assert instance is not None and instance.is_listening()
    instance.close()


@pytest.mark.qt_log_ignore("This plugin does not support")  # offscreen has no window stacking
def test_bring_to_front_restores_a_minimised_window(qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    bring_to_front(window)
    assert window.isVisible()
    assert not window.windowState() & Qt.WindowState.WindowMinimized


def _send_from_subprocess(key: str, path: str | None, cwd: Path, qtbot) -> int:  # type: ignore[no-untyped-def]
    """Run send_to_running in another Python process while this one's event loop serves the request."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from app.ui.single_instance import SingleInstance\n"
        "app = QCoreApplication(sys.argv[:1])\n"
        "path = sys.argv[2] if len(sys.argv) > 2 else None\n"
        "sys.exit(0 if SingleInstance.send_to_running(sys.argv[1], path) else 3)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    args = [sys.executable, "-c", code, key] + ([path] if path is not None else [])
    proc = subprocess.Popen(args, cwd=cwd, env=env)
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=15000)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode
