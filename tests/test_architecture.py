"""The import contracts hold: scoring is pure, only app.ui imports Qt (import-linter)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    res = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "KEPT" in res.stdout and "BROKEN" not in res.stdout


def test_scoring_uses_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"app"}
    for path in (ROOT / "app" / "scoring").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                if name.startswith("app."):
                    assert name.startswith("app.scoring"), f"{path.name} imports {name}"


def test_every_module_says_what_it_is_for() -> None:
    for path in (ROOT / "app").rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.relative_to(ROOT)} has no module docstring"


def test_layers_put_the_command_line_on_top() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    assert layers[0] == "app.cli" and layers[-1] == "app.scoring"
    for package in ("app.ui", "app.exporters", "app.importers", "app.models"):
        assert any(package in layer.split(" | ") for layer in layers), package


def test_no_module_is_imported_by_name_at_run_time() -> None:
    """Every import is a plain import statement, so import-linter sees the whole graph (no registries, no
    ``__import__`` or ``importlib`` hiding a dependency)."""
    for path in (ROOT / "app").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("__import__(", "importlib", "register("):
            assert word not in text, f"{path.relative_to(ROOT)} uses {word}"


def test_every_command_of_the_cli_doc_is_listed() -> None:
    from app.cli.main import COMMANDS

    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert {"score", "demo", "import", "dump", "check", "export"} <= set(names)
