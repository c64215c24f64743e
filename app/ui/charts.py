"""The overview's four charts drawn with QPainter: grade distribution, 执行率 spread, score vs budget, unit averages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.exporters import yearstats
from app.exporters.batch import SummaryRow
from app.scoring.numbers import fmt_decimal

GRADE_COLOURS = {"优": QColor("#2e7d32"), "良": QColor("#1d4f91"), "中": QColor("#ef8f00"), "差": QColor("#c62828")}
BAR = QColor("#4f81bd")
GRID = QColor("#d9d9d9")
TITLES = ("等级分布（项目数）", "预算执行率分布（项目数）", "自评得分与全年预算", "各单位平均得分")
MAX_UNITS = 12


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** (len(str(int(value))) - 1)
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _num(value: float) -> str:
    return fmt_decimal(Decimal(str(round(value, 2))))


class Charts:
    """The figures of one set of rows and the drawing of the four panels onto any QPainter."""

    def __init__(self, rows: Sequence[SummaryRow] = ()) -> None:
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[SummaryRow]) -> None:
        """The four figures, computed by app.exporters.yearstats (the same figures the 汇总表 prints); only the
        conversion to floats for drawing happens here."""
        self.count = len(rows)
        self.grades = yearstats.grade_counts(rows)
        self.rates = yearstats.rate_bins(rows)
        self._xy: dict[str, list[tuple[float, float]]] = {}
        for pt in yearstats.points(rows):
            self._xy.setdefault(pt.grade, []).append((float(pt.budget), float(pt.score)))
        self.units = yearstats.unit_averages(rows)

    def paint(self, p: QPainter, rect: QRectF, font: QFont) -> None:
        p.fillRect(rect, QColor("white"))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = rect.width() / 2, rect.height() / 2
        panels = [QRectF(rect.left() + (i % 2) * w, rect.top() + (i // 2) * h, w, h).adjusted(6, 6, -6, -6)
                  for i in range(4)]
        for title, panel in zip(TITLES, panels, strict=True):
            p.setPen(QPen(GRID))
            p.drawRect(panel)
            bold = QFont(font)
            bold.setBold(True)
            p.setFont(bold)
            p.setPen(QColor("#222"))
            p.drawText(panel.adjusted(8, 4, -8, 0), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft, title)
            p.setFont(font)
        line = p.fontMetrics().height()
        inner = [panel.adjusted(8, line + 10, -10, -8) for panel in panels]
        if not self.count:
            for box in inner:
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, "没有项目")
            return
        self._bars(p, inner[0], self.grades, lambda label: GRADE_COLOURS.get(label, BAR))
        self._bars(p, inner[1], self.rates, lambda label: BAR)
        self._scatter(p, inner[2])
        self._units(p, inner[3])

    # ------------------------------------------------------------------ panels

    def _bars(self, p: QPainter, box: QRectF, items: Sequence[tuple[str, int]], colour: object) -> None:
        fm = p.fontMetrics()
        line = fm.height()
        top = _nice_max(max((n for _, n in items), default=0))
        axis = QRectF(box.left() + fm.horizontalAdvance("0000") + 6, box.top() + line, 0, 0)
        axis.setRight(box.right())
        axis.setBottom(box.bottom() - line - 4)
        self._y_axis(p, axis, top, integer=True)
        slot = axis.width() / max(len(items), 1)
        for i, (label, n) in enumerate(items):
            bar_w = slot * 0.6
            x = axis.left() + i * slot + (slot - bar_w) / 2
            height = axis.height() * n / top
            p.fillRect(QRectF(x, axis.bottom() - height, bar_w, height), colour(label))  # type: ignore[operator]
            p.setPen(QColor("#222"))
            p.drawText(QRectF(x - slot, axis.bottom() - height - line, bar_w + 2 * slot, line),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, str(n))
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(slot))
            p.drawText(QRectF(axis.left() + i * slot, axis.bottom() + 2, slot, line),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    def _y_axis(self, p: QPainter, axis: QRectF, top: float, *, integer: bool = False, bottom: float = 0.0,
                steps: int = 4) -> None:
        fm = p.fontMetrics()
        for k in range(steps + 1):
            value = bottom + (top - bottom) * k / steps
            y = axis.bottom() - axis.height() * k / steps
            p.setPen(QPen(GRID))
            p.drawLine(QPointF(axis.left(), y), QPointF(axis.right(), y))
            p.setPen(QColor("#555"))
            text = str(int(value)) if integer and value == int(value) else _num(value)
            if integer and value != int(value):
                continue
            p.drawText(QRectF(axis.left() - fm.horizontalAdvance(text) - 6, y - fm.height() / 2,
                              fm.horizontalAdvance(text) + 2, fm.height()), Qt.AlignmentFlag.AlignRight, text)
        p.setPen(QPen(QColor("#888")))
        p.drawLine(QPointF(axis.left(), axis.top()), QPointF(axis.left(), axis.bottom()))
        p.drawLine(QPointF(axis.left(), axis.bottom()), QPointF(axis.right(), axis.bottom()))

    def _scatter(self, p: QPainter, box: QRectF) -> None:
        fm = p.fontMetrics()
        line = fm.height()
        right = _nice_max(max((b for xy in self._xy.values() for b, _ in xy), default=0.0))
        low = min((s for xy in self._xy.values() for _, s in xy), default=0.0)
        bottom = 0.0 if low < 50 else 50.0
        axis = QRectF(box.left() + fm.horizontalAdvance("100") + 8, box.top() + 4, 0, 0)
        axis.setRight(box.right() - fm.horizontalAdvance("万元") / 2)
        axis.setBottom(box.bottom() - 2 * line - 4)
        # scores in steps of 10 (or 20 from 0): the lines at 60, 80 and 90 are where the grades change
        self._y_axis(p, axis, 100.0, bottom=bottom, steps=5)
        self._legend(p, QRectF(box.left(), box.top() - line - 6, box.width(), line))
        p.setPen(QColor("#555"))
        for k in range(5):
            value = right * k / 4
            x = axis.left() + axis.width() * k / 4
            text = _num(value)
            p.drawText(QRectF(x - 40, axis.bottom() + 2, 80, line), Qt.AlignmentFlag.AlignHCenter, text)
        p.drawText(QRectF(axis.left(), axis.bottom() + line + 2, axis.width(), line), Qt.AlignmentFlag.AlignHCenter,
                   "全年预算（万元）")
        # one drawPoints per grade with a round pen: 1,000 points are a handful of calls, not 1,000
        left, width, base, height = axis.left(), axis.width(), axis.bottom(), axis.height()
        span = 100.0 - bottom
        for grade, xy in self._xy.items():
            colour = QColor(GRADE_COLOURS.get(grade, BAR))
            colour.setAlpha(190)
            pen = QPen(colour, 7.0 if self.count <= 300 else 5.0)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawPoints(QPolygonF([QPointF(left + width * min(b, right) / right,
                                            base - height * (min(max(s, bottom), 100.0) - bottom) / span)
                                    for b, s in xy]))

    def legend(self) -> list[str]:
        """The grades the scatter shows, best first: each a colour in the legend."""
        others = sorted(g for g in self._xy if g not in yearstats.GRADE_ORDER)
        return [g for g in (*yearstats.GRADE_ORDER, *others) if self._xy.get(g)]

    def _legend(self, p: QPainter, row: QRectF) -> None:
        """● 优 ● 良 … right-aligned in the title row: what the colours of the points mean."""
        fm = p.fontMetrics()
        radius = fm.height() / 4  # grows with the font of an exported image
        x = row.right()
        for grade in reversed(self.legend()):
            width = fm.horizontalAdvance(grade)
            x -= width
            p.setPen(QColor("#222"))
            p.drawText(QRectF(x, row.top(), width + 2, row.height()), Qt.AlignmentFlag.AlignVCenter, grade)
            x -= radius * 2 + 3
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(GRADE_COLOURS.get(grade, BAR))
            p.drawEllipse(QPointF(x + radius, row.center().y()), radius, radius)
            p.setBrush(Qt.BrushStyle.NoBrush)
            x -= radius * 3

    def _units(self, p: QPainter, box: QRectF) -> None:
        fm = p.fontMetrics()
        units = self.units[:MAX_UNITS]
        if not units:
            return
        label_w = min(box.width() * 0.38, max(fm.horizontalAdvance(u.unit) for u in units) + 8)
        value_w = fm.horizontalAdvance("100.00（99）") + 6
        left, right = box.left() + label_w, box.right() - value_w
        row_h = min(box.height() / len(units), fm.height() * 1.8)
        for i, u in enumerate(units):
            y = box.top() + i * row_h
            p.setPen(QColor("#222"))
            name = fm.elidedText(u.unit, Qt.TextElideMode.ElideMiddle, int(label_w - 8))
            p.drawText(QRectF(box.left(), y, label_w - 6, row_h), Qt.AlignmentFlag.AlignVCenter
                       | Qt.AlignmentFlag.AlignRight, name)
            width = (right - left) * float(u.average) / 100
            p.fillRect(QRectF(left, y + row_h * 0.18, width, row_h * 0.64), BAR)
            p.drawText(QRectF(left + width + 4, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter,
                       f"{fmt_decimal(u.average, 2)}（{u.count}）")
        if len(self.units) > MAX_UNITS:
            p.setPen(QColor("#666"))
            p.drawText(box, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight,
                       f"另有 {len(self.units) - MAX_UNITS} 个单位未显示")


class ChartsWidget(QWidget):
    """The four charts of the rows given with ``set_rows``; ``image`` renders them for a PNG."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts = Charts()
        self.setMinimumSize(640, 420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_rows(self, rows: Sequence[SummaryRow]) -> None:
        self.charts.set_rows(rows)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, 560)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        try:
            self.charts.paint(p, QRectF(self.rect()), self.font())
        finally:
            p.end()

    def image(self, size: QSize | None = None, scale: float = 1.0) -> QImage:
        """The charts as an image (white background) of ``size`` pixels (1600 × 1000); fonts grow with ``scale``."""
        size = size or QSize(1600, 1000)
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        p = QPainter(image)
        try:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * scale)
            p.setFont(font)
            self.charts.paint(p, QRectF(0, 0, size.width(), size.height()), font)
        finally:
            p.end()
        return image
