"""Expand command-line paths into the scenario files they name."""

from __future__ import annotations

from pathlib import Path

from iamsim.errors import InputError

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def scenario_files(paths: list[str]) -> list[Path]:
    """Every scenario file named by ``paths``, directories searched recursively."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in SCENARIO_SUFFIXES and p.is_file()
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"no such file or directory {raw!r}", where=raw)
    if not found:
        raise InputError(
            "no scenario files found",
            where=" ".join(paths),
            hint="scenario files end in .yaml, .yml or .json",
        )
    return found
