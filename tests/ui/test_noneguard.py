"""The guard against PySide6 6.12 dropping references to None/True/False on Python 3.11 (app/ui/noneguard.py)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

CODE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
from app.ui import noneguard
app = QApplication([])
label = QLabel()
for i in range(300_000):  # far more void calls than None has references at start-up
    label.setText("x")
    label.isVisible()
    if i % 10_000 == 0:
        noneguard.top_up()
print("ok")
"""


def test_many_void_calls_do_not_abort_the_program() -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    res = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120, env=env,
                         check=False)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]
