"""The frozen program's entry script: no-console stream guards, multiprocessing support, then ``app.__main__``.

PyInstaller runs this file as ``__main__`` inside JixiaoZiping.exe (built from installer/app.spec).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import TextIO


class _LazyLog:
    """A text stream that opens the log file only when something is written to it (so a clean run leaves none)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._fh: TextIO | None = None
        self.encoding = "utf-8"
        self.errors = "replace"

    def _open(self) -> TextIO:
        if self._fh is None:
            try:
                from app.paths import log_dir

                self._fh = (log_dir() / self._name).open("a", encoding="utf-8", errors="replace")
            except Exception:  # no log folder (read-only profile, full disk): drop the text
                self._fh = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        return self._fh

    def write(self, text: str) -> int:
        fh = self._open()
        n = fh.write(text)
        fh.flush()
        return n

    def flush(self) -> None:
        if self._fh is not None:
            self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def guard_streams() -> None:
    """A windowed (no console) Windows build has sys.stdout/sys.stderr = None: give them somewhere to go.

    Standard output is discarded (nobody can read it); error output goes to ``stderr.log`` in the log folder,
    where the install guide (docs/install.md) tells people to look.
    """
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = _LazyLog("stderr.log")  # type: ignore[assignment]


def main() -> int:
    # Batch export runs worker processes; in a frozen program they re-enter here and must stop in freeze_support().
    multiprocessing.freeze_support()
    guard_streams()
    from app.__main__ import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
