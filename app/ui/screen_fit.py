"""Window sizes that fit the screen: a 1366×768 laptop gets a window it can see whole, a large screen the size asked."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room left for the title bar and the window frame, which the available geometry does not include.
FRAME = 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> bool:
    """Resize ``widget`` to ``width`` × ``height`` or less, so all of it is on its screen; True when made smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return False
    room = screen.availableGeometry()
    fitted_w = max(min(width, room.width() - FRAME // 2), widget.minimumSizeHint().width())
    fitted_h = max(min(height, room.height() - FRAME), widget.minimumSizeHint().height())
    widget.resize(fitted_w, fitted_h)
    return (fitted_w, fitted_h) != (width, height)
