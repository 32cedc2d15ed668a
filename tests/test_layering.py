"""The package layers import only downward, as the architecture prescribes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "iamsim"

#: For each layer, the iamsim layers it may import besides itself.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "policy": {"errors"},
    "catalog": {"errors", "policy"},
    "sigv4": {"errors"},
    "engine": {"errors", "policy", "catalog"},
    "world": {"errors", "policy", "catalog", "engine"},
    "trail": {"errors", "policy", "world"},
    "sts": {"errors", "policy", "engine", "world", "sigv4"},
    "services": {
        "errors",
        "policy",
        "catalog",
        "engine",
        "world",
        "sts",
        "trail",
        "sigv4",
    },
    "analyze": {"errors", "policy", "catalog", "engine", "world", "trail"},
    "server": {
        "errors",
        "policy",
        "catalog",
        "engine",
        "world",
        "sts",
        "trail",
        "sigv4",
        "services",
    },
}


def _layer_of(path: Path) -> str:
    relative = path.relative_to(SOURCE)
    return relative.parts[0].removesuffix(".py")


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.split(".")[1] for n in names if n.startswith("iamsim.")}


MODULES = sorted(
    p for p in SOURCE.rglob("*.py") if p.parent != SOURCE or p.name == "errors.py"
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    """A module imports its own layer and the layers beneath it, never above."""
    layer = _layer_of(path)
    if layer == "cli":
        return

    imported = _imported_layers(path) - {layer}

    assert imported <= ALLOWED[layer], f"{layer} imports {imported - ALLOWED[layer]}"
