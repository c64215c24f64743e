"""文件 → 连接服务器…: server, port, database, account and password; connects before it closes."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL

from app.models.errors import JxdbError
from app.models.server import AuthError, ServerDocument, server_url


class ConnectDialog(QDialog):
    """Ask where the bureau database is and who is connecting. The password is asked every time and kept
    only in memory; the rest is remembered for next time. ``document`` is set when 连接 succeeded."""

    def __init__(self, parent: QWidget | None, settings: QSettings, url: str | None = None,
                 message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器")
        self.settings = settings
        self.document: ServerDocument | None = None
        self.host = QLineEdit(str(settings.value("server/host", "") or ""))
        self.host.setPlaceholderText("如 192.168.1.10 或 czj-server")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        port = str(settings.value("server/port", 5432))
        self.port.setValue(int(port) if port.isdigit() else 5432)
        self.database = QLineEdit(str(settings.value("server/database", "jixiao") or "jixiao"))
        self.user = QLineEdit(str(settings.value("server/user", "") or ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("每次连接时输入，不会保存在本机")
        self.status = QLabel(message)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020;")
        if url:
            self._fill_from(url)
        form = QFormLayout()
        form.addRow("服务器地址(&S)：", self.host)
        form.addRow("端口(&P)：", self.port)
        form.addRow("数据库(&D)：", self.database)
        form.addRow("账号(&U)：", self.user)
        form.addRow("密码(&W)：", self.password)
        note = QLabel("连接后，修改会直接保存到服务器；断网时先保存在本机，恢复后自动上传。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.connect_button.setText("连接")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.try_connect)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        first_empty = next((w for w in (self.host, self.user, self.password) if not w.text()), self.password)
        first_empty.setFocus()

    def _fill_from(self, url: str) -> None:
        try:
            parsed = server_url(url)
        except JxdbError as exc:
            self.status.setText(str(exc))
            return
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or 5432)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")
        if parsed.password:
            self.password.setText(parsed.password)

    def url(self) -> URL:
        return URL.create("postgresql+psycopg", username=self.user.text().strip(),
                          password=self.password.text() or None, host=self.host.text().strip(),
                          port=self.port.value(), database=self.database.text().strip())

    def try_connect(self) -> None:
        """连接: check the fields, connect (the wait cursor shows while it tries), stay open on failure."""
        missing = [label for label, w in (("服务器地址", self.host), ("数据库", self.database), ("账号", self.user))
                   if not w.text().strip()]
        if missing:
            self.status.setText("请填写" + "、".join(missing) + "。")
            return
        self.status.setText("正在连接…")
        self.connect_button.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.document = ServerDocument.connect(self.url())
        except JxdbError as exc:
            self.status.setText(str(exc))
            if isinstance(exc, AuthError):
                self.password.clear()
                self.password.setFocus()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
            self.connect_button.setEnabled(True)
        for key, value in (("host", self.host.text().strip()), ("port", self.port.value()),
                           ("database", self.database.text().strip()), ("user", self.user.text().strip())):
            self.settings.setValue(f"server/{key}", value)
        self.accept()
