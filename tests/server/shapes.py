"""Random values for botocore shapes, to drive codec round trips.

Values are built from a ``random.Random`` the caller seeds, so every run
checks the same inputs. Strings mix ASCII, XML-special and non-ASCII
characters; timestamps are whole seconds, as AWS's XML carries them.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

ALPHABET = "abcXYZ019 -_.:/=+@,<>&'\"é€中"
MAX_DEPTH = 5
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def value_for(shape: Any, rng: random.Random, depth: int = 0) -> Any:
    """A random value of ``shape``; None for a structure nested too deep."""
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, rng, depth)
    if kind == "list":
        count = 0 if depth >= MAX_DEPTH else rng.randint(1, 3)
        items = [value_for(shape.member, rng, depth + 1) for _ in range(count)]
        return [item for item in items if item is not None]
    if kind == "map":
        count = 0 if depth >= MAX_DEPTH else rng.randint(1, 3)
        return {
            _text(rng, 1 + index): value_for(shape.value, rng, depth + 1)
            for index in range(count)
        }
    return _scalar(shape, rng)


def _structure(shape: Any, rng: random.Random, depth: int) -> dict[str, Any] | None:
    if depth >= MAX_DEPTH:
        return None
    value: dict[str, Any] = {}
    for name, member in shape.members.items():
        if member.type_name == "structure" and member.name == shape.name:
            continue
        item = value_for(member, rng, depth + 1)
        if item is not None and item != {}:
            value[name] = item
    return value


def _scalar(shape: Any, rng: random.Random) -> Any:
    kind = shape.type_name
    if kind == "string":
        if shape.enum:
            return rng.choice(shape.enum)
        return _text(rng, rng.randint(1, 12))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "long"):
        return rng.randint(0, 100_000)
    if kind in ("float", "double"):
        return rng.randint(0, 1000) / 4
    if kind == "timestamp":
        return EPOCH + timedelta(seconds=rng.randint(0, 10**8))
    if kind == "blob":
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    raise AssertionError(f"no generator for shape type {kind!r}")


def _text(rng: random.Random, length: int) -> str:
    # A value never starts or ends with a space: XML parsers may strip it.
    text = "".join(rng.choice(ALPHABET) for _ in range(length))
    return "k" + text.strip() + "k"
