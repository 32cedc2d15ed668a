"""CloudTrail records in the store: written whole, found by indexed fields.

A record is kept as its JSON text next to the fields LookupEvents filters
on ("LookupEvents", AWS CloudTrail API Reference: EventId, EventName,
ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId,
and a time range). Results run newest first; a page ends at a (time, id)
cursor, so events recorded meanwhile never shift a later page.

Imports only the store's own modules.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from sqlite3 import Connection
from typing import Any

from iamsim.world.store_rows import parse_time, time_text

#: LookupAttributes keys and the column each one filters.
ATTRIBUTE_COLUMNS = {
    "EventId": "event_id",
    "EventName": "event_name",
    "Username": "username",
    "EventSource": "event_source",
    "AccessKeyId": "access_key_id",
    "ReadOnly": "read_only",
}
RESOURCE_ATTRIBUTES = {"ResourceName": "resource_name", "ResourceType": "resource_type"}


@dataclass(frozen=True, slots=True)
class EventRow:
    event_id: str
    event_time: datetime
    event_name: str | None
    username: str | None
    event_source: str | None
    access_key_id: str | None
    read_only: bool | None
    record: str
    resources: tuple[tuple[str, str | None], ...] = ()


def record_time(value: Any) -> datetime:
    """A record's ``eventTime`` (text such as ``2024-05-01T12:00:00Z``)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _username(identity: Mapping[str, Any]) -> str | None:
    """The name LookupEvents shows for a caller: user, session or ``root``."""
    kind = identity.get("type")
    if identity.get("userName"):
        return str(identity["userName"])
    if kind == "Root":
        return "root"
    arn = str(identity.get("arn") or "")
    if kind in ("AssumedRole", "FederatedUser") and "/" in arn:
        return arn.rsplit("/", 1)[1]
    return None


def _resources(record: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for item in record.get("resources") or ():
        if not isinstance(item, Mapping):
            continue
        kind = item.get("type")
        for key in ("ARN", "resourceName"):
            name = item.get(key)
            if isinstance(name, str) and name:
                found.append((name, None if kind is None else str(kind)))
    return found


def insert_event(db: Connection, record: Mapping[str, Any]) -> str:
    """Store ``record`` and return its event id (made up when it has none)."""
    identity = record.get("userIdentity") or {}
    event_id = str(record.get("eventID") or uuid.uuid4())
    moment = record_time(record.get("eventTime") or datetime.now(UTC))
    read_only = record.get("readOnly")
    db.execute(
        "INSERT INTO trail_events (event_id, event_time, account, event_name, "
        "username, event_source, access_key_id, read_only, record) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            event_id,
            time_text(moment),
            record.get("recipientAccountId") or identity.get("accountId"),
            record.get("eventName"),
            _username(identity),
            record.get("eventSource"),
            identity.get("accessKeyId"),
            None if read_only is None else int(bool(read_only)),
            json.dumps(record, default=str),
        ),
    )
    for name, kind in _resources(record):
        db.execute(
            "INSERT INTO trail_resources (event_id, resource_name, resource_type) "
            "VALUES (?, ?, ?)",
            (event_id, name, kind),
        )
    return event_id


def lookup_events(
    db: Connection,
    *,
    account: str | None,
    start: datetime | None,
    end: datetime | None,
    attributes: Sequence[tuple[str, str]],
    after: tuple[str, str] | None,
    limit: int,
) -> list[EventRow]:
    """Matching events, newest first, after the ``(time, id)`` cursor."""
    clauses: list[str] = []
    params: list[Any] = []
    if account is not None:
        clauses.append("account = ?")
        params.append(account)
    if start is not None:
        clauses.append("event_time >= ?")
        params.append(time_text(start))
    if end is not None:
        clauses.append("event_time <= ?")
        params.append(time_text(end))
    for key, value in attributes:
        clause, value_param = _attribute_clause(key, value)
        clauses.append(clause)
        params.append(value_param)
    if after is not None:
        clauses.append("(event_time, event_id) < (?, ?)")
        params.extend(after)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"SELECT * FROM trail_events {where} "
        "ORDER BY event_time DESC, event_id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    return [_event(db, row) for row in rows]


def _attribute_clause(key: str, value: str) -> tuple[str, Any]:
    if key in RESOURCE_ATTRIBUTES:
        column = RESOURCE_ATTRIBUTES[key]
        return (
            f"event_id IN (SELECT event_id FROM trail_resources WHERE {column} = ?)",
            value,
        )
    column = ATTRIBUTE_COLUMNS[key]
    if key == "ReadOnly":
        return f"{column} = ?", int(value.lower() == "true")
    return f"{column} = ?", value


def _event(db: Connection, row: Any) -> EventRow:
    resources = db.execute(
        "SELECT resource_name, resource_type FROM trail_resources "
        "WHERE event_id = ? ORDER BY rowid",
        (row["event_id"],),
    ).fetchall()
    read_only = row["read_only"]
    return EventRow(
        row["event_id"],
        parse_time(row["event_time"]),
        row["event_name"],
        row["username"],
        row["event_source"],
        row["access_key_id"],
        None if read_only is None else bool(read_only),
        row["record"],
        tuple((str(item[0]), item[1]) for item in resources),
    )


def event_cursor(event: EventRow) -> tuple[str, str]:
    """The cursor that continues after ``event``."""
    return time_text(event.event_time), event.event_id
