"""The rows of the state store as frozen dataclasses, and their text forms.

Times are timezone-aware datetimes in memory and ISO 8601 UTC text on disk;
tags are ``(key, value)`` pairs in memory and a JSON list on disk. Imports
nothing of iamsim.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

#: Tags in the order they were given, as (key, value) pairs.
TagPairs = tuple[tuple[str, str], ...]


class EntityKind(StrEnum):
    """The IAM entities that policies attach to."""

    USER = "user"
    GROUP = "group"
    ROLE = "role"


def time_text(moment: datetime) -> str:
    """``moment`` as sortable UTC text with microseconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """The datetime that :func:`time_text` wrote."""
    return datetime.fromisoformat(text)


def tags_text(tags: TagPairs) -> str:
    return json.dumps([{"Key": key, "Value": value} for key, value in tags])


def parse_tags(text: str) -> TagPairs:
    return tuple((item["Key"], item["Value"]) for item in json.loads(text))


def strings_text(values: tuple[str, ...]) -> str:
    return json.dumps(list(values))


def parse_strings(text: str) -> tuple[str, ...]:
    return tuple(str(value) for value in json.loads(text))


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: str
    partition: str
    name: str
    email: str
    created: datetime

    @classmethod
    def of(cls, row: sqlite3.Row) -> AccountRow:
        return cls(
            row["id"], row["partition"], row["name"], row["email"], _t(row, "created")
        )


@dataclass(frozen=True, slots=True)
class UserRow:
    account: str
    name: str
    path: str
    id: str
    created: datetime
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> UserRow:
        return cls(
            row["account"],
            row["name"],
            row["path"],
            row["id"],
            _t(row, "created"),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class GroupRow:
    account: str
    name: str
    path: str
    id: str
    created: datetime

    @classmethod
    def of(cls, row: sqlite3.Row) -> GroupRow:
        return cls(
            row["account"], row["name"], row["path"], row["id"], _t(row, "created")
        )


@dataclass(frozen=True, slots=True)
class RoleRow:
    account: str
    name: str
    path: str
    id: str
    created: datetime
    trust_policy: str
    description: str | None = None
    max_session_duration: int = 3_600
    service_linked: bool = False
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> RoleRow:
        return cls(
            row["account"],
            row["name"],
            row["path"],
            row["id"],
            _t(row, "created"),
            row["trust_policy"],
            row["description"],
            int(row["max_session_duration"]),
            bool(row["service_linked"]),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class ManagedPolicyRow:
    """A managed policy; ``account`` is ``"aws"`` for AWS managed policies."""

    arn: str
    account: str
    name: str
    path: str
    id: str
    created: datetime
    updated: datetime
    description: str | None
    default_version: str
    next_version: int
    tags: TagPairs = ()

    @property
    def aws_managed(self) -> bool:
        return self.account == "aws"

    @classmethod
    def of(cls, row: sqlite3.Row) -> ManagedPolicyRow:
        return cls(
            row["arn"],
            row["account"],
            row["name"],
            row["path"],
            row["id"],
            _t(row, "created"),
            _t(row, "updated"),
            row["description"],
            row["default_version"],
            int(row["next_version"]),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class PolicyVersionRow:
    policy_arn: str
    version_id: str
    document: str
    created: datetime

    @classmethod
    def of(cls, row: sqlite3.Row) -> PolicyVersionRow:
        return cls(
            row["policy_arn"], row["version_id"], row["document"], _t(row, "created")
        )


@dataclass(frozen=True, slots=True)
class InlinePolicyRow:
    account: str
    entity_kind: EntityKind
    entity_name: str
    policy_name: str
    document: str

    @classmethod
    def of(cls, row: sqlite3.Row) -> InlinePolicyRow:
        return cls(
            row["account"],
            EntityKind(row["entity_kind"]),
            row["entity_name"],
            row["policy_name"],
            row["document"],
        )


@dataclass(frozen=True, slots=True)
class AccessKeyRow:
    """A long-term key; ``user_name`` is None for the account root's keys."""

    id: str
    secret: str
    account: str
    user_name: str | None
    status: str
    created: datetime

    @classmethod
    def of(cls, row: sqlite3.Row) -> AccessKeyRow:
        return cls(
            row["id"],
            row["secret"],
            row["account"],
            row["user_name"],
            row["status"],
            _t(row, "created"),
        )


@dataclass(frozen=True, slots=True)
class InstanceProfileRow:
    account: str
    name: str
    path: str
    id: str
    created: datetime
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> InstanceProfileRow:
        return cls(
            row["account"],
            row["name"],
            row["path"],
            row["id"],
            _t(row, "created"),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class SamlProviderRow:
    arn: str
    account: str
    name: str
    metadata: str
    uuid: str
    created: datetime
    valid_until: datetime | None
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> SamlProviderRow:
        until = row["valid_until"]
        return cls(
            row["arn"],
            row["account"],
            row["name"],
            row["metadata"],
            row["uuid"],
            _t(row, "created"),
            None if until is None else parse_time(until),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class OidcProviderRow:
    """An OIDC provider; ``url`` is kept without its ``https://`` scheme."""

    arn: str
    account: str
    url: str
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    created: datetime
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> OidcProviderRow:
        return cls(
            row["arn"],
            row["account"],
            row["url"],
            parse_strings(row["client_ids"]),
            parse_strings(row["thumbprints"]),
            _t(row, "created"),
            parse_tags(row["tags"]),
        )


def _t(row: sqlite3.Row, column: str) -> datetime:
    return parse_time(row[column])
