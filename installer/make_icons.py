"""Draw the program icon and the .jxdb document icon with Qt and write them as multi-size Windows .ico files.

Run from the project root (the generated icons are committed; run again only after changing the drawing):

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py

Sizes below 256 px are stored as 32-bit BMP (DIB) entries, 256 px as a PNG entry: the layout Windows itself
uses, readable by Explorer, the resource compiler, PyInstaller and Inno Setup.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 256)

RED_TOP = QColor("#c8322a")
RED_BOTTOM = QColor("#8f1d17")
GOLD = QColor("#f2b705")
INK = QColor("#5a5f66")
PAPER = QColor("#ffffff")

Draw = Callable[[QPainter, float], None]


def _bars(p: QPainter, left: float, bottom: float, width: float, heights: Sequence[float], color: QColor) -> None:
    """A small bar chart: bars of the given heights standing on ``bottom``."""
    gap = width / (len(heights) * 3 - 1)
    bar = gap * 2
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    for i, h in enumerate(heights):
        x = left + i * (bar + gap)
        p.drawRect(QRectF(x, bottom - h, bar, h))


def draw_app(p: QPainter, s: float) -> None:
    """The program: a red rounded square, a white sheet with text lines and a gold check mark."""
    grad = QLinearGradient(0, 0, 0, s)
    grad.setColorAt(0, RED_TOP)
    grad.setColorAt(1, RED_BOTTOM)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(QRectF(0.03 * s, 0.03 * s, 0.94 * s, 0.94 * s), 0.18 * s, 0.18 * s)
    # the sheet
    p.setBrush(PAPER)
    p.drawRoundedRect(QRectF(0.22 * s, 0.14 * s, 0.56 * s, 0.72 * s), 0.05 * s, 0.05 * s)
    # text lines (dropped at the smallest sizes, where they would only be grey noise)
    if s >= 24:
        p.setBrush(QColor("#c9ccd1"))
        for i, width in enumerate((0.40, 0.32, 0.40)):
            p.drawRect(QRectF(0.30 * s, (0.24 + i * 0.09) * s, width * s, max(1.0, 0.035 * s)))
    # the check mark
    pen = QPen(GOLD if s >= 24 else RED_BOTTOM, max(1.6, 0.085 * s))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath(QPointF(0.33 * s, 0.62 * s))
    path.lineTo(QPointF(0.45 * s, 0.74 * s))
    path.lineTo(QPointF(0.69 * s, 0.48 * s))
    p.drawPath(path)


def draw_document(p: QPainter, s: float) -> None:
    """A .jxdb file: a white page with a folded corner, a red band and a small bar chart."""
    fold = 0.22 * s
    left, top, right, bottom = 0.16 * s, 0.05 * s, 0.84 * s, 0.95 * s
    page = QPainterPath(QPointF(left, top))
    page.lineTo(QPointF(right - fold, top))
    page.lineTo(QPointF(right, top + fold))
    page.lineTo(QPointF(right, bottom))
    page.lineTo(QPointF(left, bottom))
    page.closeSubpath()
    p.setPen(QPen(QColor("#8a8f96"), max(1.0, 0.02 * s)))
    p.setBrush(PAPER)
    p.drawPath(page)
    corner = QPainterPath(QPointF(right - fold, top))
    corner.lineTo(QPointF(right - fold, top + fold))
    corner.lineTo(QPointF(right, top + fold))
    corner.closeSubpath()
    p.setBrush(QColor("#dfe2e6"))
    p.drawPath(corner)
    # the red band with the gold check of the program icon
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED_TOP)
    band = QRectF(left + 0.06 * s, 0.58 * s, (right - left) - 0.12 * s, 0.28 * s)
    p.drawRoundedRect(band, 0.04 * s, 0.04 * s)
    pen = QPen(GOLD, max(1.4, 0.06 * s))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    check = QPainterPath(QPointF(band.left() + 0.30 * band.width(), band.center().y()))
    check.lineTo(QPointF(band.left() + 0.45 * band.width(), band.bottom() - 0.25 * band.height()))
    check.lineTo(QPointF(band.left() + 0.72 * band.width(), band.top() + 0.22 * band.height()))
    p.drawPath(check)
    # the bar chart above the band
    _bars(p, left + 0.10 * s, 0.50 * s, 0.36 * s, (0.10 * s, 0.18 * s, 0.26 * s), INK)


def render(draw: Draw, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw(painter, float(size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def dib_bytes(image: QImage) -> bytes:
    """A 32-bit BGRA bottom-up DIB with its (all-zero: alpha decides) AND mask, as stored inside .ico files."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)  # straight alpha, BGRA in memory (little-endian)
    w, h = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, w * h * 4, 0, 0, 0, 0)
    rows = []
    for y in range(h - 1, -1, -1):
        line = image.constScanLine(y)
        rows.append(bytes(line)[: w * 4])
    mask_stride = ((w + 31) // 32) * 4
    return header + b"".join(rows) + bytes(mask_stride * h)


def ico_bytes(images: Sequence[QImage]) -> bytes:
    entries = [png_bytes(img) if img.width() >= 256 else dib_bytes(img) for img in images]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for img, data in zip(images, entries, strict=True):
        w = img.width() if img.width() < 256 else 0  # 0 means 256
        out += struct.pack("<BBBBHHII", w, w, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(entries)


def write_icon(path: Path, draw: Draw) -> None:
    path.write_bytes(ico_bytes([render(draw, size) for size in SIZES]))
    render(draw, 256).save(str(path.with_suffix(".png")), "PNG")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    write_icon(OUT / "app.ico", draw_app)
    write_icon(OUT / "jxdb.ico", draw_document)
    del app
    print(f"icons written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
