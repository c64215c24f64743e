"""The command line of docs/cli.md (the top layer): ``run`` parses and dispatches to the commands in ``main``."""

from __future__ import annotations

from app.cli.main import run

__all__ = ["run"]
