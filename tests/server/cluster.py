"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temp folder, loopback only."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "jxsuper"


def find_bin() -> Path | None:
    """The newest installed PostgreSQL server binaries (Debian layout, or initdb on PATH)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: superuser URL parts and start/stop for the tests that cut the server."""

    bin: Path
    data: Path
    port: int
    password: str
    as_user: str | None  # run the server binaries as this OS user (root may not run initdb)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)

    def url(self, user: str = SUPERUSER, database: str = "postgres", password: str | None = None) -> str:
        pw = self.password if password is None and user == SUPERUSER else password
        auth = f"{user}:{pw}" if pw else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data}"
                  " -c fsync=off -c max_connections=60", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


def start_cluster() -> Cluster:
    """initdb + pg_ctl start on a free 127.0.0.1 port (as the postgres user when we are root)."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries not found")
    as_user = "postgres" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="jx-pg-"))
    data = base / "data"
    password = secrets.token_hex(12)
    pwfile = base / "pw"
    pwfile.write_text(password + "\n")
    if as_user:
        shutil.chown(base, as_user)
        shutil.chown(pwfile, as_user)
    cluster = Cluster(bin_dir, data, _free_port(), password, as_user)
    cluster._run("initdb", "-D", str(data), "-U", SUPERUSER, "--pwfile", str(pwfile), "-E", "UTF8",
                 "--locale=C", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256")
    with contextlib.suppress(OSError):
        pwfile.unlink()
    for attempt in range(3):
        try:
            cluster.start()
            break
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
            cluster.port = _free_port()
            time.sleep(0.5)
    return cluster


def remove_cluster(cluster: Cluster) -> None:
    cluster.stop()
    shutil.rmtree(cluster.data.parent, ignore_errors=True)
