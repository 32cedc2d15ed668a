"""Find where a JSON path sits in JSON text, so errors can name line:column.

Python's json module keeps no positions, so when an element is found to be
wrong this module rescans the text, only on the error path. Imports nothing
of iamsim.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable, Sequence

PathPart = str | int
_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: The JSON string scanner of the standard library (untyped in its stubs).
_scanstring: Callable[[str, int], tuple[str, int]] = getattr(  # noqa: B009
    json.decoder, "scanstring"
)
_SCALAR = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def locate(text: str, path: Sequence[PathPart]) -> tuple[int, int] | None:
    """The line and column of the value at ``path``, or None if not found.

    Object keys are matched exactly; a key's position is its value's start.
    """
    try:
        offset = _find(text, _skip(text, 0), list(path))
    except (ValueError, IndexError):
        return None
    return None if offset is None else line_column(text, offset)


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _find(text: str, index: int, path: list[PathPart]) -> int | None:
    if not path:
        return index
    head, rest = path[0], path[1:]
    if text[index] == "{" and isinstance(head, str):
        return _find_in_object(text, index, head, rest)
    if text[index] == "[" and isinstance(head, int):
        return _find_in_array(text, index, head, rest)
    return None


def _find_in_object(
    text: str, index: int, key: str, rest: list[PathPart]
) -> int | None:
    index = _skip(text, index + 1)
    while text[index] != "}":
        name, index = _scanstring(text, index + 1)
        index = _skip(text, _skip(text, index) + 1)
        if name == key:
            return _find(text, index, rest)
        index = _skip(text, _end_of_value(text, index))
        if text[index] == ",":
            index = _skip(text, index + 1)
    return None


def _find_in_array(
    text: str, index: int, position: int, rest: list[PathPart]
) -> int | None:
    index = _skip(text, index + 1)
    count = 0
    while text[index] != "]":
        if count == position:
            return _find(text, index, rest)
        index = _skip(text, _end_of_value(text, index))
        if text[index] == ",":
            index = _skip(text, index + 1)
        count += 1
    return None


def _end_of_value(text: str, index: int) -> int:
    char = text[index]
    if char == '"':
        return _scanstring(text, index + 1)[1]
    if char in "{[":
        closing = "}" if char == "{" else "]"
        index = _skip(text, index + 1)
        while text[index] != closing:
            if char == "{":
                index = _scanstring(text, index + 1)[1]
                index = _skip(text, _skip(text, index) + 1)
            index = _skip(text, _end_of_value(text, index))
            if text[index] == ",":
                index = _skip(text, index + 1)
        return index + 1
    match = _SCALAR.match(text, index)
    if match is None:
        raise ValueError(f"unexpected character at {index}")
    return match.end()
