"""The AWS query protocol (IAM, STS): form parameters in, XML out.

A request is a flat list of ``Name=value`` pairs; structure members are joined
with dots (``Tags.member.1.Key``), lists count from one under ``member`` (or
directly under the name when the list is flattened), and maps count entries
under ``entry`` with ``key`` and ``value``. The reply is
``<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>…`` with lists as
``<member>`` elements and maps as ``<entry><key/><value/></entry>``.

Everything is read from botocore's shapes; nothing here names an operation.

Imports nothing of iamsim.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote
from xml.sax.saxutils import escape

from iamsim.server._values import blob_text, iso8601, read_scalar

_MISSING: Any = object()


#: IAM returns policy documents URL-encoded (RFC 3986), as its API reference
#: notes for every PolicyDocument member; SDKs decode them.
URL_ENCODED_SHAPES = frozenset({"policyDocumentType"})


def parse_form(text: str) -> dict[str, str]:
    """Form-encoded pairs; a repeated name keeps its last value."""
    return dict(parse_qsl(text, keep_blank_values=True))


def decode_params(shape: Any, flat: Mapping[str, str]) -> dict[str, Any]:
    """The input structure ``shape`` read from flat query parameters."""
    if shape is None:
        return {}
    value = _read_structure(shape, flat, "")
    return {} if value is _MISSING else dict(value)


def _read(shape: Any, flat: Mapping[str, str], key: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return _read_structure(shape, flat, key)
    if kind == "list":
        return _read_list(shape, flat, key)
    if kind == "map":
        return _read_map(shape, flat, key)
    text = flat.get(key)
    return _MISSING if text is None else read_scalar(kind, text)


def _read_structure(shape: Any, flat: Mapping[str, str], prefix: str) -> Any:
    found: dict[str, Any] = {}
    for name, member in shape.members.items():
        wire = member.serialization.get("name", name)
        value = _read(member, flat, f"{prefix}.{wire}" if prefix else wire)
        if value is not _MISSING:
            found[name] = value
    return found if found else _MISSING


def _read_list(shape: Any, flat: Mapping[str, str], key: str) -> Any:
    if shape.serialization.get("flattened"):
        base = key
    else:
        base = f"{key}.{shape.member.serialization.get('name', 'member')}"
    items: list[Any] = []
    while True:
        item = _read(shape.member, flat, f"{base}.{len(items) + 1}")
        if item is _MISSING:
            break
        items.append(item)
    if not items and flat.get(key) == "":
        return []
    return items if items else _MISSING


def _read_map(shape: Any, flat: Mapping[str, str], key: str) -> Any:
    base = key if shape.serialization.get("flattened") else f"{key}.entry"
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    entries: dict[Any, Any] = {}
    index = 1
    while True:
        entry_key = _read(shape.key, flat, f"{base}.{index}.{key_name}")
        if entry_key is _MISSING:
            break
        entry_value = _read(shape.value, flat, f"{base}.{index}.{value_name}")
        entries[entry_key] = None if entry_value is _MISSING else entry_value
        index += 1
    return entries if entries else _MISSING


def encode_result(
    operation: Any, result: Mapping[str, Any], namespace: str, request_id: str
) -> bytes:
    """The XML reply to a query-protocol operation."""
    name = operation.name
    parts = [f'<{name}Response xmlns="{namespace}">']
    output = operation.output_shape
    if output is not None:
        wrapper = operation.output_shape.serialization.get(
            "resultWrapper", f"{name}Result"
        )
        parts.append(f"<{wrapper}>")
        _write_members(output, result, parts)
        parts.append(f"</{wrapper}>")
    parts.append(_metadata(request_id))
    parts.append(f"</{name}Response>")
    return "".join(parts).encode("utf-8")


def encode_error(
    code: str,
    message: str,
    request_id: str,
    *,
    namespace: str = "",
    sender_fault: bool = True,
) -> bytes:
    """AWS's query-protocol error document."""
    fault = "Sender" if sender_fault else "Receiver"
    opening = f'<ErrorResponse xmlns="{namespace}">' if namespace else "<ErrorResponse>"
    return (
        f"{opening}<Error>"
        f"<Type>{fault}</Type><Code>{escape(code)}</Code>"
        f"<Message>{escape(message)}</Message>"
        f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()


def _metadata(request_id: str) -> str:
    return f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"


def _write_members(shape: Any, value: Mapping[str, Any], parts: list[str]) -> None:
    members = shape.members
    for name, item in value.items():
        member = members.get(name)
        if member is None:
            raise ValueError(f"{name!r} is not a member of shape {shape.name!r}")
        if item is None:
            continue
        tag = member.serialization.get("name", name)
        if member.type_name == "list" and member.serialization.get("flattened"):
            for element in item:
                _write_element(member.member, tag, element, parts)
        else:
            _write_element(member, tag, item, parts)


def _write_element(shape: Any, tag: str, value: Any, parts: list[str]) -> None:
    parts.append(f"<{tag}>")
    _write_value(shape, value, parts)
    parts.append(f"</{tag}>")


def _write_value(shape: Any, value: Any, parts: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        _write_members(shape, value, parts)
    elif kind == "list":
        tag = shape.member.serialization.get("name", "member")
        for element in value:
            _write_element(shape.member, tag, element, parts)
    elif kind == "map":
        _write_map(shape, value, parts)
    elif shape.name in URL_ENCODED_SHAPES:
        parts.append(escape(quote(str(value), safe="")))
    else:
        parts.append(escape(_scalar_text(kind, value)))


def _write_map(shape: Any, value: Mapping[Any, Any], parts: list[str]) -> None:
    key_tag = shape.key.serialization.get("name", "key")
    value_tag = shape.value.serialization.get("name", "value")
    for key, item in value.items():
        parts.append("<entry>")
        _write_element(shape.key, key_tag, key, parts)
        _write_element(shape.value, value_tag, item, parts)
        parts.append("</entry>")


def _scalar_text(kind: str, value: Any) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp":
        return iso8601(value)
    if kind == "blob":
        return blob_text(value)
    return str(value)
