"""Every question the window asks, in one place (tests patch these functions instead of clicking)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FILE_FILTER = "绩效自评文件 (*.jxdb)"


class Answer(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


#: Set to a list by ``--smoke``: no dialog is ever shown; its text is recorded here and the answer is
#: the cancel choice, so a start-up check can never block on a modal box.
HEADLESS: list[str] | None = None


def _headless(title: str, text: str) -> bool:
    if HEADLESS is None:
        return False
    HEADLESS.append(f"{title}：{text}")
    return True


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         buttons: list[tuple[str, QMessageBox.ButtonRole]], default: int = 0) -> int:
    if _headless(title, text):
        return len(buttons) - 1
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    made = [box.addButton(label, role) for label, role in buttons]
    box.setDefaultButton(made[default])
    box.exec()
    clicked = box.clickedButton()
    return made.index(clicked) if clicked in made else len(made) - 1


def ask_save(parent: QWidget | None, name: str) -> Answer:
    """保存 / 不保存 / 取消 before closing a file with unsaved changes."""
    pos = _box(parent, QMessageBox.Icon.Warning, "保存修改",
               f"“{name}”有尚未保存的修改。是否在关闭前保存？",
               [("保存", QMessageBox.ButtonRole.AcceptRole), ("不保存", QMessageBox.ButtonRole.DestructiveRole),
                ("取消", QMessageBox.ButtonRole.RejectRole)])
    return (Answer.SAVE, Answer.DISCARD, Answer.CANCEL)[pos]


def confirm(parent: QWidget | None, title: str, text: str, yes: str = "确定", no: str = "取消") -> bool:
    pos = _box(parent, QMessageBox.Icon.Question, title, text,
               [(yes, QMessageBox.ButtonRole.AcceptRole), (no, QMessageBox.ButtonRole.RejectRole)], default=1)
    return pos == 0


def choose(parent: QWidget | None, title: str, text: str, options: list[str]) -> int:
    """One of several buttons; the last option is the cancel choice (also when the box is closed)."""
    roles = [QMessageBox.ButtonRole.AcceptRole] * (len(options) - 1) + [QMessageBox.ButtonRole.RejectRole]
    return _box(parent, QMessageBox.Icon.Question, title, text, list(zip(options, roles, strict=True)))


def error(parent: QWidget | None, title: str, text: str) -> None:
    if not _headless(title, text):
        QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    if HEADLESS is None:  # information is no failure: not recorded
        QMessageBox.information(parent, title, text)


def open_file(parent: QWidget | None, folder: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "打开文件", folder, FILE_FILTER)
    return Path(name) if name else None


IMPORT_FILTER = "自评表或项目数据 (*.xlsx *.json);;自评表 (*.xlsx);;项目数据 (*.json)"


def import_files(parent: QWidget | None, folder: str) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, "导入项目", folder, IMPORT_FILTER)
    return [Path(n) for n in names]


def save_file(parent: QWidget | None, suggested: str, file_filter: str = FILE_FILTER) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "另存为", suggested, file_filter)
    if not name:
        return None
    path = Path(name)
    if file_filter == FILE_FILTER and path.suffix.lower() != ".jxdb":
        path = path.with_name(path.name + ".jxdb")
    return path
