"""The AWS JSON 1.1 protocol (Organizations, CloudTrail).

The operation is named by ``X-Amz-Target: {targetPrefix}.{Operation}`` and the
input is the JSON body; timestamps travel as epoch seconds and blobs as
base64. Replies are ``application/x-amz-json-1.1``; errors are
``{"__type": code, "message": text}``.

Everything is read from botocore's shapes; nothing here names an operation.

Imports nothing of iamsim.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from iamsim.server._values import (
    WireValueError,
    blob_text,
    epoch_seconds,
    read_blob,
    read_timestamp,
)

CONTENT_TYPE = "application/x-amz-json-1.1"


def split_target(target: str) -> tuple[str, str]:
    """``X-Amz-Target`` as (target prefix, operation name)."""
    prefix, _, operation = target.strip().rpartition(".")
    return prefix, operation


def decode_body(shape: Any, body: bytes) -> dict[str, Any]:
    """The input structure ``shape`` read from a JSON body."""
    if not body.strip():
        document: Any = {}
    else:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise WireValueError(f"the body is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise WireValueError("the body is not a JSON object")
    if shape is None:
        return {}
    return dict(_read(shape, document))


def _read(shape: Any, value: Any) -> Any:
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure":
        return _read_structure(shape, value)
    if kind == "list":
        _expect(isinstance(value, list), value, "a list")
        return [_read(shape.member, item) for item in value]
    if kind == "map":
        _expect(isinstance(value, dict), value, "an object")
        return {key: _read(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return read_timestamp(value)
    if kind == "blob":
        _expect(isinstance(value, str), value, "base64 text")
        return read_blob(value)
    return _read_simple(kind, value)


def _read_structure(shape: Any, value: Any) -> dict[str, Any]:
    _expect(isinstance(value, dict), value, "an object")
    found: dict[str, Any] = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        if wire in value and value[wire] is not None:
            found[name] = _read(member, value[wire])
    return found


def _read_simple(kind: str, value: Any) -> Any:
    if kind == "string":
        _expect(isinstance(value, str), value, "a string")
    elif kind == "boolean":
        _expect(isinstance(value, bool), value, "a boolean")
    elif kind in ("integer", "long"):
        is_int = isinstance(value, int) and not isinstance(value, bool)
        _expect(is_int, value, "an integer")
    elif kind in ("float", "double"):
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        _expect(is_number, value, "a number")
    return value


def _expect(holds: bool, value: Any, wanted: str) -> None:
    if not holds:
        raise WireValueError(f"expected {wanted}, got {type(value).__name__}")


def encode_result(operation: Any, result: Mapping[str, Any]) -> bytes:
    """The JSON reply to a JSON-protocol operation."""
    output = operation.output_shape
    document = {} if output is None else _write_structure(output, result)
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def encode_error(code: str, message: str) -> bytes:
    """AWS's JSON-protocol error document."""
    return json.dumps({"__type": code, "message": message}).encode("utf-8")


def _write_structure(shape: Any, value: Mapping[str, Any]) -> dict[str, Any]:
    members = shape.members
    written: dict[str, Any] = {}
    for name, item in value.items():
        member = members.get(name)
        if member is None:
            raise ValueError(f"{name!r} is not a member of shape {shape.name!r}")
        if item is not None:
            written[member.serialization.get("name", name)] = _write(member, item)
    return written


def _write(shape: Any, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _write_structure(shape, value)
    if kind == "list":
        return [_write(shape.member, item) for item in value]
    if kind == "map":
        return {key: _write(shape.value, item) for key, item in value.items()}
    if kind == "timestamp":
        return epoch_seconds(value)
    if kind == "blob":
        return blob_text(value)
    return value
