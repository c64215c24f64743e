"""The 比较符 / 数值 / 单位 picker under the indicator table: split a typed 指标值 into parts and compose it back."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from app.scoring.numbers import COMPARATORS, Kind, normalise, parse
from app.ui.elided import ElidedLabel

#: The comparator combo's entry for "no comparator".
NONE_LABEL = "（无）"
#: Units offered in the unit combo (any other unit may be typed).
UNITS = ("%", "个", "人次", "套", "项", "次", "家", "户", "人", "天", "万元", "元", "件", "台", "份", "册",
         "卷", "平方米", "公里", "‰")
#: Tooltips of the comparators in the combo and the context menu.
COMPARATOR_TIPS = {"≥": "大于等于（不低于）", "≤": "小于等于（不超过）", "=": "等于", ">": "大于", "<": "小于",
                   "": "不写比较符（按计分规则的默认方式比较）"}


@dataclass(frozen=True)
class Parts:
    """A numeric cell text in parts: comparator ("" for none), the number as written, the unit."""

    comparator: str
    number: str
    unit: str


def split(text: str) -> Parts | None:
    """The parts of a cell as ``app.scoring.numbers.parse`` reads it; None when it is not a number."""
    p = parse(text)
    if p.kind is not Kind.NUMBER or p.value is None:
        return None
    return Parts(p.comparator or "", f"{p.value:f}", p.unit)


def compose(parts: Parts) -> str | None:
    """The cell text for parts (≤ 90 万元 → "≤90万元"); None when the number is missing or the parser
    would read the text differently from what was chosen."""
    number, unit = parts.number.strip(), parts.unit.strip()
    if not number:
        return None
    text = f"{parts.comparator}{number}{unit}"
    p = parse(text)
    if p.kind is not Kind.NUMBER or (p.comparator or "") != parts.comparator or p.unit != normalise(unit):
        return None
    return text


def swap_comparator(text: str, comparator: str) -> str | None:
    """The text with another comparator ("" removes it); None when the text is not a number."""
    parts = split(text)
    return None if parts is None else compose(Parts(comparator, parts.number, parts.unit))


class ValuePicker(QWidget):
    """Comparator combo, number field and editable unit combo for one text field; ``composed`` gives the text."""

    composed = Signal(str)

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparator = QComboBox(self)
        for comp in ("", *COMPARATORS):
            self.comparator.addItem(comp or NONE_LABEL, comp)
            self.comparator.setItemData(self.comparator.count() - 1, COMPARATOR_TIPS[comp],
                                        Qt.ItemDataRole.ToolTipRole)
        self.comparator.setToolTip(f"{what}的比较符：≥ 不低于，≤ 不超过，= 等于")
        self.comparator.setMinimumWidth(self.comparator.fontMetrics().horizontalAdvance(NONE_LABEL) + 36)
        self.number = QLineEdit(self)
        self.number.setValidator(QRegularExpressionValidator(QRegularExpression(r"[+-]?[0-9,]*\.?[0-9]*"),
                                                             self.number))
        self.number.setToolTip(f"{what}的数值，回车或离开后写入表格")
        self.number.setFixedWidth(self.number.fontMetrics().horizontalAdvance("0") * 10)
        self.unit = QComboBox(self)
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit.addItems(list(UNITS))
        self.unit.setToolTip(f"{what}的单位：可选择，也可直接输入")
        self.unit.setMinimumContentsLength(4)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.comparator)
        layout.addWidget(self.number)
        layout.addWidget(self.unit)
        self.setTabOrder(self.comparator, self.number)
        self.setTabOrder(self.number, self.unit)
        self.setFocusProxy(self.comparator)
        self.comparator.activated.connect(self._emit)
        self.number.editingFinished.connect(self._emit)
        self.unit.activated.connect(self._emit)
        line = self.unit.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._emit)
        self._loading = False

    def load(self, text: str) -> bool:
        """Fill the fields from a cell text; empty fields (and False) when it is not a number."""
        parts = split(text)
        self._loading = True
        try:
            self.comparator.setCurrentIndex(max(0, self.comparator.findData(parts.comparator if parts else "")))
            self.number.setText(parts.number if parts else "")
            self.unit.setEditText(parts.unit if parts else "")
        finally:
            self._loading = False
        return parts is not None

    def parts(self) -> Parts:
        return Parts(str(self.comparator.currentData() or ""), self.number.text(), self.unit.currentText())

    def _emit(self, *_: object) -> None:
        if self._loading or not self.isEnabled():
            return
        text = compose(self.parts())
        if text is not None:
            self.composed.emit(text)


class ComparatorBar(QWidget):
    """One row under the table: pickers for 指标值 and 实际完成值 and a note on what the cells say."""

    #: (field, text): "target" or "actual" and the recomposed cell text.
    textChosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = ValuePicker("指标值", self)
        self.actual = ValuePicker("实际完成值", self)
        self.note = ElidedLabel("", self)
        self.note.setStyleSheet("color: #666;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, picker in (("指标值(&Z)：", self.target), ("实际完成值(&J)：", self.actual)):
            label = QLabel(title, self)
            label.setBuddy(picker.comparator)
            label.setToolTip("Alt+字母可直接跳到这里的比较符")
            layout.addWidget(label)
            layout.addWidget(picker)
            layout.addSpacing(12)
        layout.addWidget(self.note, 1)
        self.setTabOrder(self.target.unit, self.actual.comparator)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.target.composed.connect(lambda text: self.textChosen.emit("target", text))
        self.actual.composed.connect(lambda text: self.textChosen.emit("actual", text))
        self.show_texts(None, "", "")

    def show_texts(self, kind: str | None, target: str, actual: str) -> None:
        """Load the selected indicator (kind None: no indicator selected); only 定量（按比例） is editable here."""
        usable = kind == "proportional"
        readable = [self.target.load(target if usable else ""), self.actual.load(actual if usable else "")]
        self.target.setEnabled(usable)
        self.actual.setEnabled(usable)
        if kind is None:
            note = "选择一个三级指标后，可在这里选择比较符和单位"
        elif not usable:
            note = "仅“定量（按比例）”指标可用"
        else:
            problems = [f"{what}“{text}”{_why(text)}，请直接在表格中修改" for what, text, ok in
                        (("指标值", target, readable[0]), ("实际完成值", actual, readable[1]))
                        if not ok and text.strip()]
            note = "；".join(problems) or "修改比较符、数值或单位后写入表格（可撤销）"
        self.note.setText(note)
        self.note.setToolTip(note if usable or kind is None else
                             "只有“定量（按比例）”的指标可在这里选择比较符和单位；其他指标请直接在表格中输入")


def _why(text: str) -> str:
    return "是文字（定性）" if parse(text).kind is Kind.TEXT else "无法识别为数值"
