"""Checking decoded input against the constraints of its botocore shapes.

AWS's front end refuses input that breaks the model's own constraints before
an operation runs: a required member missing, a length or value outside
``min``/``max``, a value outside an enum or not matching the ``pattern``. The
refusal lists every violation the way AWS words it, for example::

    1 validation error detected: Value 'a b' at 'userName' failed to satisfy
    constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+

Patterns are Java regular expressions, matched against the whole value with
ASCII classes as Java does. # GAP: patterns using Java-only syntax
(``\\p{L}`` and friends) are not checked.

Imports nothing of iamsim.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

SIZED_TYPES = frozenset({"string", "list", "map", "blob"})
NUMBER_TYPES = frozenset({"integer", "long", "float", "double"})


def violations(shape: Any, params: Mapping[str, Any]) -> list[str]:
    """Every constraint ``params`` breaks, as AWS phrases each one."""
    found: list[str] = []
    if shape is not None:
        _check_structure(shape, params, "", found)
    return found


def summary(found: list[str]) -> str:
    """AWS's one-line message for a list of violations."""
    noun = "error" if len(found) == 1 else "errors"
    return f"{len(found)} validation {noun} detected: " + "; ".join(found)


def _check_structure(
    shape: Any, value: Mapping[str, Any], path: str, found: list[str]
) -> None:
    required = set(shape.required_members)
    for name, member in shape.members.items():
        where = _join(path, name[:1].lower() + name[1:])
        item = value.get(name)
        if item is None:
            if name in required:
                found.append(
                    f"Value null at '{where}' failed to satisfy constraint: "
                    "Member must not be null"
                )
            continue
        _check(member, item, where, found)


def _check(shape: Any, value: Any, where: str, found: list[str]) -> None:
    problem = _constraint_problem(shape, value)
    if problem:
        # A value the model marks sensitive (a password, a token) is not echoed.
        shown = "" if shape.metadata.get("sensitive") else f" {_show(value)}"
        found.append(
            f"Value{shown} at '{where}' failed to satisfy constraint: Member {problem}"
        )
        return
    kind = shape.type_name
    if kind == "structure":
        _check_structure(shape, value, where, found)
    elif kind == "list":
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{where}.{index}.member", found)
    elif kind == "map":
        for key, item in value.items():
            _check(shape.value, item, f"{where}.{key}", found)


def _constraint_problem(shape: Any, value: Any) -> str:
    metadata = shape.metadata
    kind = shape.type_name
    if kind in SIZED_TYPES:
        size = len(value)
        if "min" in metadata and size < metadata["min"]:
            return f"must have length greater than or equal to {metadata['min']}"
        if "max" in metadata and size > metadata["max"]:
            return f"must have length less than or equal to {metadata['max']}"
    if kind in NUMBER_TYPES:
        if "min" in metadata and value < metadata["min"]:
            return f"must have value greater than or equal to {metadata['min']}"
        if "max" in metadata and value > metadata["max"]:
            return f"must have value less than or equal to {metadata['max']}"
    if kind == "string":
        return _string_problem(shape, value)
    return ""


def _string_problem(shape: Any, value: str) -> str:
    enum = shape.enum
    if enum and value not in enum:
        return f"must satisfy enum value set: [{', '.join(enum)}]"
    pattern = shape.metadata.get("pattern")
    if pattern:
        compiled = _compile(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            return f"must satisfy regular expression pattern: {pattern}"
    return ""


@cache
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.ASCII | re.DOTALL)
    except re.error:
        return None


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return "'java.nio.HeapByteBuffer'"
    if isinstance(value, list | dict):
        return "'[...]'"
    return f"'{value}'"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
