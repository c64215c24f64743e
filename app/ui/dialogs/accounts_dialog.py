"""文件 → 单位与账号…: the admin's list of accounts on the server, and adding, re-passwording, removing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Connection

from app.models import server_admin
from app.models.errors import JxdbError
from app.models.server import ServerDocument
from app.ui.dialogs import prompts

_R = TypeVar("_R")


class AccountsDialog(QDialog):
    """Accounts of the connected server database (admin and owner accounts only)."""

    def __init__(self, parent: QWidget | None, doc: ServerDocument) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWindowTitle("单位与账号")
        self.resize(620, 560)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["账号", "类型", "单位"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()

        self.login = QLineEdit()
        self.login.setPlaceholderText("字母开头，如 daning")
        self.kind = QComboBox()
        for kind, label in server_admin.KINDS.items():
            self.kind.addItem(label, kind)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        unit_edit = self.unit.lineEdit()
        if unit_edit is not None:
            unit_edit.setPlaceholderText("选择或输入单位名称（新单位会自动添加）")
        self.kind.currentIndexChanged.connect(lambda _: self.unit.setEnabled(self.kind.currentData() == "unit"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("至少 8 个字符")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton("添加账号")
        self.add_button.clicked.connect(self.add_account)
        self.password_button = QPushButton("修改所选账号的密码")
        self.password_button.clicked.connect(self.change_password)
        self.remove_button = QPushButton("删除所选账号")
        self.remove_button.clicked.connect(self.remove_account)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("账号名(&N)：", self.login)
        form.addRow("类型(&K)：", self.kind)
        form.addRow("单位(&U)：", self.unit)
        form.addRow("密码(&W)：", self.password)
        form.addRow("再输入一次(&A)：", self.again)
        group = QGroupBox("新账号 / 新密码")
        group.setLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.password_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(group)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.reload()

    def _run(self, fn: Callable[[Connection], _R]) -> tuple[bool, _R | None]:
        """Run ``fn`` on the server in one transaction: (True, result), or (False, None) with the message shown."""
        try:
            return True, self.doc.administer(fn)
        except JxdbError as exc:
            self._say(str(exc), error=True)
            return False, None

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.status.setText(text)

    def reload(self) -> None:
        rows = self._run(server_admin.accounts)[1] or []
        units = self._run(server_admin.units)[1] or []
        self.table.setRowCount(len(rows))
        for r, acc in enumerate(rows):
            for c, text in enumerate((acc.login, server_admin.KINDS.get(acc.kind, acc.kind), acc.unit or "")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        current = self.unit.currentText()
        self.unit.clear()
        self.unit.addItems(units)
        self.unit.setCurrentText(current)

    def selected_login(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        if item is None:
            self._say("请先在表中选择一个账号。", error=True)
            return None
        return item.text()

    def _new_password(self) -> str | None:
        if self.password.text() != self.again.text():
            self._say("两次输入的密码不一致。", error=True)
            return None
        return self.password.text()

    def _clear_passwords(self) -> None:
        self.password.clear()
        self.again.clear()

    def add_account(self) -> None:
        login, kind, unit = self.login.text().strip(), str(self.kind.currentData()), self.unit.currentText().strip()
        password = self._new_password()
        if password is None:
            return

        def add(conn: Connection) -> None:
            if kind == "unit" and unit and unit not in server_admin.units(conn):
                server_admin.add_unit(conn, unit)
            server_admin.add_account(conn, login, kind, password, unit if kind == "unit" else None)

        if not self._run(add)[0]:
            return
        self._clear_passwords()
        self.login.clear()
        self.reload()
        self._say(f"已添加{server_admin.KINDS[kind]}“{login}”" + (f"（{unit}）。" if kind == "unit" else "。"))

    def change_password(self) -> None:
        login = self.selected_login()
        password = self._new_password() if login else None
        if login is None or password is None:
            return
        if self._run(lambda c: server_admin.set_password(c, login, password))[0]:
            self._clear_passwords()
            self._say(f"已修改账号“{login}”的密码。")

    def remove_account(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        if login == self.doc.account.login:
            self._say("不能删除当前登录的账号。", error=True)
            return
        if not prompts.confirm(self, "删除账号", f"确定删除账号“{login}”吗？删除后该账号不能再登录；"
                               "它填写的项目仍保留在服务器上。", "删除", "取消"):
            return
        if self._run(lambda c: server_admin.remove_account(c, login))[0]:
            self.reload()
            self._say(f"已删除账号“{login}”。")
