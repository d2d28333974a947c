"""core is the bottom layer: no module of it imports a feature app."""

from __future__ import annotations

import ast
from pathlib import Path

import simlane.core

CORE = Path(simlane.core.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_core_imports_no_feature_app():
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) > 10  # the walk found core's code, tests included
    offending = {
        f"{path.relative_to(CORE)}: {name}"
        for path in modules
        for name in imported_modules(path)
        if name.startswith("simlane.") and not name.startswith(("simlane.core", "simlane.conftest"))
    }
    assert not offending
