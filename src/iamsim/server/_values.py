"""Scalar values on the wire: timestamps, booleans, numbers and blobs.

Both codecs turn wire text into Python values of the shape's type, and back.
A value that does not read as its type raises :class:`WireValueError`, which
the endpoint reports as AWS's malformed-input error.

Imports nothing of iamsim.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any

INTEGER_TYPES = frozenset({"integer", "long"})
FLOAT_TYPES = frozenset({"float", "double"})


class WireValueError(ValueError):
    """Wire text that is not a value of the shape's type."""


def read_scalar(type_name: str, text: str) -> Any:
    """The Python value of wire ``text`` for a scalar shape type."""
    if type_name == "string":
        return text
    if type_name == "boolean":
        return _read_boolean(text)
    if type_name in INTEGER_TYPES:
        return _read_number(int, text, type_name)
    if type_name in FLOAT_TYPES:
        return _read_number(float, text, type_name)
    if type_name == "timestamp":
        return read_timestamp(text)
    if type_name == "blob":
        return read_blob(text)
    raise WireValueError(f"no scalar reading for shape type {type_name!r}")


def read_timestamp(value: str | float) -> datetime:
    """An ISO 8601 text or epoch seconds, as an aware UTC datetime."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip()
    try:
        return datetime.fromtimestamp(float(text), UTC)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise WireValueError(f"{text!r} is not a timestamp") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_blob(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise WireValueError(f"{text[:40]!r} is not base64") from None


def iso8601(value: Any) -> str:
    """A timestamp as AWS's XML writes it: UTC, "Z", milliseconds if any."""
    moment = as_datetime(value)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        return f"{stamp}.{moment.microsecond // 1000:03d}Z"
    return f"{stamp}Z"


def epoch_seconds(value: Any) -> int | float:
    """A timestamp as AWS JSON writes it: seconds since the epoch."""
    seconds = as_datetime(value).timestamp()
    return int(seconds) if seconds.is_integer() else round(seconds, 3)


def as_datetime(value: Any) -> datetime:
    """A handler's timestamp (datetime, ISO text or epoch) as UTC datetime."""
    if not isinstance(value, datetime):
        return read_timestamp(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def blob_text(value: Any) -> str:
    raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def _read_boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    raise WireValueError(f"{text!r} is not a boolean")


def _read_number(kind: type[int] | type[float], text: str, type_name: str) -> Any:
    try:
        return kind(text.strip())
    except ValueError:
        raise WireValueError(f"{text!r} is not a valid {type_name}") from None
