"""A helper process that imports the program once and runs each command line in a forked child, so a corpus
of hundreds of bad files goes through the real command line (``app.cli.run``: argument parsing, messages, exit
status, a fresh process each time) in seconds.

Protocol, one line each way: ``{"argv": [...], "out": PATH, "err": PATH, "timeout": S}`` →
``{"status": N}`` or ``{"status": null, "timeout": true}`` (the child was killed)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from app import cli
from app.cli import common


def _child(argv: list[str], out: str, err: str) -> None:
    code = 99
    try:
        for fd, path in ((1, out), (2, err)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        code = cli.run(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def main() -> None:
    common.builtin_templates()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request["argv"], request["out"], request["err"])
        deadline = time.monotonic() + float(request.get("timeout", 60))
        reply: dict[str, object] = {"status": None, "timeout": True}
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                reply = {"status": os.waitstatus_to_exitcode(status)}
                break
            time.sleep(0.002)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
