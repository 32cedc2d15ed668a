"""Read a scenario's text while remembering where each value sits.

YAML is composed node by node, so every value's line and column is kept
(and duplicate keys, which YAML loaders silently merge, are refused). JSON
is decoded by the json module and positions are found on demand, only when
an error needs one. A :class:`Cursor` walks the decoded data and builds
errors whose ``where`` reads ``FILE:LINE:COL at accounts.X.users.alice``.

Imports only iamsim.errors and iamsim.policy.jsonpos.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from iamsim.errors import InputError
from iamsim.policy.jsonpos import line_column, locate

PathPart = str | int
Path = tuple[PathPart, ...]
Position = tuple[int, int]


def render_path(path: Path) -> str:
    """``accounts.111122223333.users.alice.groups[0]``-style text for ``path``."""
    rendered = ""
    for part in path:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            rendered += f".{part}" if rendered else part
    return rendered


def type_name(value: Any) -> str:
    """How a message names the type of a decoded value."""
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


@dataclass(frozen=True)
class Source:
    """Where a scenario came from, and how to find positions in it."""

    name: str
    json_text: str | None = None
    marks: Mapping[Path, Position] = field(default_factory=dict)
    key_marks: Mapping[Path, Position] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> Position | None:
        """The line and column of ``path`` or of its nearest located parent."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        for end in range(len(path), -1, -1):
            found = self._lookup(path[:end])
            if found is not None:
                return found
        return None

    def _lookup(self, path: Path) -> Position | None:
        if self.json_text is not None:
            return locate(self.json_text, path) if path else None
        return self.marks.get(path)

    def where(self, path: Path, *, key: bool = False) -> str:
        """``FILE:LINE:COL at PATH``, as precise as the source allows."""
        position = self.position(path, key=key)
        head = (
            self.name
            if position is None
            else f"{self.name}:{position[0]}:{position[1]}"
        )
        rendered = render_path(path)
        return f"{head} at {rendered}" if rendered else head


def read_text(text: str, name: str, *, is_json: bool) -> tuple[Any, Source]:
    """Decode scenario ``text`` (JSON or YAML) and its :class:`Source`."""
    if is_json:
        return _read_json(text, name), Source(name, json_text=text)
    return _read_yaml(text, name)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _read_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        line, column = line_column(text, error.pos)
        raise InputError(
            f"not valid JSON: {error.msg.lower()}",
            where=f"{name}:{line}:{column}",
            hint="check quotes, commas and brackets near that place",
        ) from None
    except _DuplicateKey as error:
        raise InputError(
            f"key {error.key!r} appears twice in one object",
            where=name,
            hint="merge the two entries; JSON keeps only the last",
        ) from None


def _read_yaml(text: str, name: str) -> tuple[Any, Source]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = name if mark is None else f"{name}:{mark.line + 1}:{mark.column + 1}"
        problem = error.problem or error.context or "unreadable"
        raise InputError(
            f"not valid YAML: {problem}",
            where=where,
            hint="check indentation and quoting near that place",
        ) from None
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", where=name) from None
    finally:
        loader.dispose()
    marks: dict[Path, Position] = {}
    key_marks: dict[Path, Position] = {}
    if node is not None:
        _mark(node, (), marks, key_marks, name, set())
    return data, Source(name, marks=marks, key_marks=key_marks)


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _mark(
    node: yaml.Node,
    path: Path,
    marks: dict[Path, Position],
    key_marks: dict[Path, Position],
    name: str,
    active: set[int],
) -> None:
    if id(node) in active:
        return
    marks[path] = _position(node)
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        _mark_mapping(node, path, marks, key_marks, name, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _mark(item, (*path, index), marks, key_marks, name, active)
    active.discard(id(node))


def _mark_mapping(
    node: yaml.MappingNode,
    path: Path,
    marks: dict[Path, Position],
    key_marks: dict[Path, Position],
    name: str,
    active: set[int],
) -> None:
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
            continue
        key = str(key_node.value)
        child = (*path, key)
        if key in seen:
            line, column = _position(key_node)
            raise InputError(
                f"key {key!r} appears twice in one mapping",
                where=f"{name}:{line}:{column} at {render_path(child)}",
                hint="merge the two entries; YAML keeps only the last",
            )
        seen.add(key)
        key_marks[child] = _position(key_node)
        _mark(value_node, child, marks, key_marks, name, active)


@dataclass(frozen=True, slots=True)
class Cursor:
    """A decoded value with its path, able to check its shape and fail there."""

    source: Source
    path: Path
    value: Any

    @property
    def where(self) -> str:
        return self.source.where(self.path)

    def fail(self, message: str, hint: str = "", *, key: bool = False) -> InputError:
        """An InputError located at this value (or at its key)."""
        return InputError(
            message, where=self.source.where(self.path, key=key), hint=hint
        )

    def child(self, part: PathPart, value: Any) -> Cursor:
        return Cursor(self.source, (*self.path, part), value)

    def entries(self, what: str) -> list[tuple[str, Cursor]]:
        """The items of a mapping (null counts as empty); keys must be text."""
        if self.value is None:
            return []
        if not isinstance(self.value, Mapping):
            raise self.fail(f"{what} must be a mapping, not {type_name(self.value)}")
        items: list[tuple[str, Cursor]] = []
        for key, value in self.value.items():
            child = self.child(str(key), value)
            if not isinstance(key, str):
                raise child.fail(
                    f"{what} key {key!r} is {type_name(key)}, not a string",
                    'quote it, e.g. "111122223333":',
                    key=True,
                )
            items.append((key, child))
        return items

    def fields(
        self, what: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Cursor]:
        """The fields of a mapping, refusing unknown keys and missing ones."""
        found = dict(self.entries(what))
        for key, child in found.items():
            if key not in allowed:
                raise child.fail(
                    f"unknown key {key!r} in {what}",
                    closest_hint(key, allowed),
                    key=True,
                )
        for key in required:
            if key not in found or found[key].value is None:
                raise self.fail(f"{what} has no {key!r}", f"add {key}: to this {what}")
        return {key: child for key, child in found.items() if child.value is not None}

    def elements(self, what: str) -> list[Cursor]:
        """The items of a list (null counts as empty)."""
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.fail(f"{what} must be a list, not {type_name(self.value)}")
        return [self.child(index, item) for index, item in enumerate(self.value)]

    def text(self, what: str) -> str:
        """A non-empty string."""
        if not isinstance(self.value, str):
            raise self.fail(f"{what} must be a string, not {type_name(self.value)}")
        if not self.value:
            raise self.fail(f"{what} is empty")
        return self.value

    def boolean(self, what: str) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail(
                f"{what} must be true or false, not {type_name(self.value)}"
            )
        return self.value

    def integer(self, what: str) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(
                f"{what} must be a whole number, not {type_name(self.value)}"
            )
        return self.value


def closest_hint(word: str, choices: Sequence[str], fallback: str = "") -> str:
    """``did you mean 'x'?`` for the nearest choice, else a list of choices."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if match:
        return f"did you mean {match[0]!r}?"
    if fallback:
        return fallback
    shown = ", ".join(repr(choice) for choice in list(choices)[:8])
    return f"expected one of {shown}" if shown else ""
