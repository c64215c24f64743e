"""Edits made while the server could not be reached, kept in a JSON file in the user data folder until
they are sent (one file per server database and account; the latest state of each project)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from app.models.errors import JxdbError, reason
from app.paths import user_data_dir
from app.scoring.codec import CodecError, project_from, project_to
from app.scoring.records import Project

FORMAT = "jixiao-server-queue"


@dataclass(frozen=True)
class QueuedEdit:
    """The newest local state of one project and the server version it was based on."""

    project: Project
    base_version: int | None
    queued_at: str


def queue_dir() -> Path:
    path = user_data_dir() / "server-queue"
    path.mkdir(parents=True, exist_ok=True)
    return path


class OfflineQueue:
    """The queue file of one server database and login; every change is written to disk at once."""

    def __init__(self, server: str, login: str, folder: Path | None = None) -> None:
        key = hashlib.sha256(f"{server}\n{login}".encode()).hexdigest()[:20]
        self.server, self.login = server, login
        self._folder = folder
        self.path_name = f"{key}.json"

    @property
    def path(self) -> Path:
        return (self._folder or queue_dir()) / self.path_name

    def load(self) -> dict[int, QueuedEdit]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise JxdbError(f"无法读取本机保存的离线修改（{reason(exc)}）：{self.path}") from exc
        try:
            data = json.loads(raw)
            out: dict[int, QueuedEdit] = {}
            for key, entry in data["edits"].items():
                project, _ = project_from(entry["project"], "离线修改")
                out[int(key)] = QueuedEdit(replace(project, id=int(key)), entry.get("base_version"),
                                           str(entry.get("queued_at", "")))
            return out
        except (ValueError, KeyError, TypeError, AttributeError, CodecError) as exc:
            raise JxdbError(f"本机保存的离线修改文件已损坏，无法上传：{self.path}。请把该文件交给管理员。") from exc

    def _write(self, edits: dict[int, QueuedEdit]) -> None:
        path = self.path
        if not edits:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            return
        data: dict[str, Any] = {
            "format": FORMAT, "server": self.server, "login": self.login,
            "edits": {str(pid): {"base_version": e.base_version, "queued_at": e.queued_at,
                                 "project": project_to(e.project)} for pid, e in edits.items()},
        }
        tmp = path.with_name(path.name + ".tmp~")
        try:
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise JxdbError(f"服务器无法连接，本机也无法保存这次修改（{reason(exc)}）。"
                            "请检查本机磁盘空间，修改仍在窗口中，请勿关闭程序。") from exc

    def put(self, project: Project, base_version: int | None) -> None:
        """Keep ``project`` (replacing an earlier queued state, whose base version is kept)."""
        assert project.id is not None
        edits = self.load()
        earlier = edits.get(project.id)
        base = earlier.base_version if earlier is not None else base_version
        edits[project.id] = QueuedEdit(project, base, datetime.now().isoformat(timespec="seconds"))
        self._write(edits)

    def remove(self, project_id: int) -> None:
        edits = self.load()
        if edits.pop(project_id, None) is not None:
            self._write(edits)

    def __len__(self) -> int:
        return len(self.load())
