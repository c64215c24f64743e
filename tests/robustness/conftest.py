"""Print the corpus tally (attacks, clean results) at the end of a run that included tests/robustness."""

from __future__ import annotations

from typing import Any

from tests.robustness.tally import REPORT


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in REPORT.lines():
        terminalreporter.write_line(line)
