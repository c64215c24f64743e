"""Every question the window asks, in one place; ``pick`` is the one seam for the OS file pickers."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

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


class Pick(Enum):
    OPEN = "open"
    OPEN_MANY = "open_many"
    SAVE = "save"
    FOLDER = "folder"


class _HideLockFiles(QSortFilterProxyModel):
    """Leave out the ``~$name.jxdb`` lock files (and Office's own ``~$`` owner files)."""

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        name = str(model.index(source_row, 0, source_parent).data() or "") if model is not None else ""
        return not name.startswith("~$")


def pick(parent: QWidget | None, mode: Pick, title: str, start: str, file_filter: str = "") -> list[Path]:
    """The one place a file or folder picker is shown; returns the chosen paths (empty when cancelled).

    Windows gets its native dialog (the lock files are hidden there); elsewhere Qt's own dialog, in
    Chinese through the installed zh_CN translation, without the ``~$`` lock files."""
    dialog = QFileDialog(parent, title, start, file_filter)
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setProxyModel(_HideLockFiles(dialog))
    if mode is Pick.SAVE:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    elif mode is Pick.FOLDER:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if mode is Pick.OPEN_MANY
                           else QFileDialog.FileMode.ExistingFile)
    dialog.setLabelText(QFileDialog.DialogLabel.Accept, "保存" if mode is Pick.SAVE else
                        "选择" if mode is Pick.FOLDER else "打开")
    dialog.setLabelText(QFileDialog.DialogLabel.Reject, "取消")
    for label, text in ((QFileDialog.DialogLabel.LookIn, "查找范围(&I)："),
                        (QFileDialog.DialogLabel.FileName, "文件名(&N)："),
                        (QFileDialog.DialogLabel.FileType, "文件类型(&T)：")):
        dialog.setLabelText(label, text)  # qtbase_zh_CN.qm leaves these two in English
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return [Path(name) for name in dialog.selectedFiles() if name]


def open_file(parent: QWidget | None, folder: str) -> Path | None:
    names = pick(parent, Pick.OPEN, "打开文件", folder, FILE_FILTER)
    return names[0] if names else None


IMPORT_FILTER = "自评表或项目数据 (*.xlsx *.json);;自评表 (*.xlsx);;项目数据 (*.json)"


def import_files(parent: QWidget | None, folder: str) -> list[Path]:
    return pick(parent, Pick.OPEN_MANY, "导入项目", folder, IMPORT_FILTER)


def choose_folder(parent: QWidget | None, title: str, folder: str) -> Path | None:
    names = pick(parent, Pick.FOLDER, title, folder)
    return names[0] if names else None


def save_file(parent: QWidget | None, suggested: str, file_filter: str = FILE_FILTER) -> Path | None:
    names = pick(parent, Pick.SAVE, "另存为", suggested, file_filter)
    if not names:
        return None
    path = names[0]
    if file_filter == FILE_FILTER and path.suffix.lower() != ".jxdb":
        path = path.with_name(path.name + ".jxdb")
    return path


COLLECT_FILTER = "单位报来的文件 (*.jxdb *.xlsx *.json);;绩效自评文件 (*.jxdb);;自评表 (*.xlsx);;项目数据 (*.json)"


def collect_files(parent: QWidget | None, folder: str) -> list[Path]:
    """Files to collect (汇集)."""
    return pick(parent, Pick.OPEN_MANY, "选择要汇集的文件", folder, COLLECT_FILTER)


def collect_folder(parent: QWidget | None, folder: str) -> Path | None:
    """A folder of units' files (searched with its subfolders)."""
    return choose_folder(parent, "选择要汇集的文件夹", folder)
