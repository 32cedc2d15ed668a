"""Read JSON exports and walk them knowing where every value came from.

A value taken out of an export is wrapped in a :class:`Node` that remembers
its file and JSON path, so a malformed value is reported as, for example,
``auth.json: RoleDetailList[3].AssumeRolePolicyDocument: ...``.

Imports nothing of iamsim but errors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from iamsim.errors import InputError

PathArg = str | os.PathLike[str]
Document = dict[str, Any]

IN_MEMORY = "<input>"  # the place name of data passed in rather than read
_REPR_LIMIT = 60  # characters of a bad value quoted in a message


@dataclass(frozen=True)
class Node:
    """A JSON value with the file and JSON path it was read from."""

    value: object
    source: str
    path: str = ""

    @property
    def where(self) -> str:
        """The place to name in an error: ``file: json.path``."""
        return f"{self.source}: {self.path}" if self.path else self.source

    def error(self, message: str, hint: str = "") -> InputError:
        """An InputError located at this value, for the caller to raise."""
        return InputError(message, where=self.where, hint=hint)

    def mapping(self) -> Mapping[str, object]:
        """The value as a JSON object."""
        if not isinstance(self.value, Mapping):
            raise self.error(f"expected an object, got {describe(self.value)}")
        return self.value

    def key(self, name: str) -> Node:
        """The member ``name``, which must be present and not null."""
        found = self.get(name)
        if found is None:
            raise self.error(f"missing required key {name!r}")
        return found

    def get(self, name: str) -> Node | None:
        """The member ``name``, or None when it is absent or null."""
        value = self.mapping().get(name)
        if value is None:
            return None
        return Node(value, self.source, _join(self.path, name))

    def members(self) -> list[tuple[str, Node]]:
        """The value as a JSON object, one node per member."""
        return [
            (str(name), Node(value, self.source, _join(self.path, str(name))))
            for name, value in self.mapping().items()
        ]

    def elements(self) -> list[Node]:
        """The value as a JSON array, one node per element."""
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {describe(self.value)}")
        return [
            Node(item, self.source, f"{self.path}[{index}]")
            for index, item in enumerate(self.value)
        ]

    def list_at(self, name: str) -> list[Node]:
        """The elements of the array ``name``; an absent array is empty."""
        found = self.get(name)
        return [] if found is None else found.elements()

    def text(self) -> str:
        """The value as a string."""
        if not isinstance(self.value, str):
            raise self.error(f"expected a string, got {describe(self.value)}")
        return self.value

    def integer(self) -> int:
        """The value as an integer (a JSON boolean is not one)."""
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error(f"expected an integer, got {describe(self.value)}")
        return self.value

    def flag(self) -> bool:
        """The value as a boolean."""
        if not isinstance(self.value, bool):
            raise self.error(f"expected a boolean, got {describe(self.value)}")
        return self.value

    def pages(self) -> list[Node]:
        """The response pages this document holds: itself, or its elements."""
        return self.elements() if isinstance(self.value, list) else [self]


def describe(value: object) -> str:
    """A short ``type repr`` of a bad value for an error message."""
    shown = repr(value)
    if len(shown) > _REPR_LIMIT:
        shown = shown[: _REPR_LIMIT - 3] + "..."
    return f"{type(value).__name__} {shown}"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def read_documents(path: PathArg, hint: str = "") -> list[Node]:
    """Every JSON document in a file: one, or several written one after another.

    Several documents in one file are what ``cat page-*.json > all.json``
    gives for a paginated export; each is named ``file (document N)``.
    """
    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", where=name, hint=hint) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"file is not UTF-8 text (byte {exc.start})", where=name
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", where=name) from None
    return _parse_documents(text, name)


def _parse_documents(text: str, name: str) -> list[Node]:
    decoder = json.JSONDecoder()
    values: list[object] = []
    index = _skip_space(text, 0)
    while index < len(text):
        try:
            value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            message = exc.msg[:1].lower() + exc.msg[1:]
            where = f"{name}:{exc.lineno}:{exc.colno}"
            raise InputError(f"invalid JSON: {message}", where=where) from None
        values.append(value)
        index = _skip_space(text, index)
    if not values:
        raise InputError("file holds no JSON document", where=name)
    if len(values) == 1:
        return [Node(values[0], name)]
    return [
        Node(value, f"{name} (document {number})")
        for number, value in enumerate(values, start=1)
    ]


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def policy_document(node: Node) -> Document:
    """A policy document given as an object, a JSON string or URL-encoded JSON.

    The IAM API returns documents as URL-encoded JSON; the AWS CLI and boto3
    decode them to objects before printing. Organizations returns policy
    content as a plain JSON string.
    """
    if isinstance(node.value, Mapping):
        return _plain_copy(node)
    if not isinstance(node.value, str):
        raise node.error(
            "expected a policy document (an object or a JSON string), "
            f"got {describe(node.value)}"
        )
    text = node.value.strip()
    if not text.startswith("{"):
        text = unquote(text)
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise node.error(
            f"policy document is not valid JSON: {exc.msg[:1].lower()}"
            f"{exc.msg[1:]} at character {exc.pos} of {describe(node.value)}",
            hint="give the document as exported, URL-encoded or plain JSON",
        ) from None
    if not isinstance(decoded, dict):
        raise node.error(
            f"policy document must be a JSON object, got {describe(decoded)}"
        )
    return decoded


def _plain_copy(node: Node) -> Document:
    """A deep copy made of plain JSON types only."""
    try:
        copied = json.loads(json.dumps(node.value, default=_mapping_as_dict))
    except (TypeError, ValueError) as exc:
        raise node.error(f"policy document is not plain JSON data: {exc}") from None
    assert isinstance(copied, dict)  # INVARIANT: a Mapping dumps to an object
    return copied


def _mapping_as_dict(value: object) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON data")
