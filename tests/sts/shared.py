"""The world, keys and in-memory backend the STS tests share.

Two accounts. In A (111111111111): ``alice`` may assume roles, tag sessions,
set source identities, federate and read key info; ``bob`` has no policy;
``carol`` may federate but not tag sessions;
``mallory`` is denied every STS action explicitly.
Roles of A: ``Dev`` (trusts alice, may chain into other roles, reads
``data/*`` only with principal tag ``team=blue``, maximum session 2 h),
``Ops`` (trusts account A, 12 h), ``Vendor`` (trusts account A with an
external id), ``Plain`` (trusts alice for sts:AssumeRole only, so no
session tags or source identity). In B (222222222222): ``Shared`` trusts
account A as a whole, so a caller from A also needs its own permission.

:class:`FakeBackend` implements the operations' Backend protocol over the
world: ``authorize`` turns the Call's caller into a world Query with
:func:`iamsim.services.sts.query_principal` and raises AccessDenied with
the engine's wording when the decision is not Allow.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from iamsim.services.api import (
    OPERATIONS,
    AccessKeyRecord,
    Call,
    Caller,
    Result,
    ServiceError,
    access_denied,
)
from iamsim.services.sts import query_principal, resolve_caller
from iamsim.sts import keys
from iamsim.world.model import World
from iamsim.world.query import Query
from iamsim.world.scenario import scenario_from_dict

A = "111111111111"
B = "222222222222"
ALICE = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{A}:user/bob"
CAROL = f"arn:aws:iam::{A}:user/carol"
MALLORY = f"arn:aws:iam::{A}:user/mallory"
ROOT_A = f"arn:aws:iam::{A}:root"
DEV = f"arn:aws:iam::{A}:role/Dev"
OPS = f"arn:aws:iam::{A}:role/ops/Ops"
VENDOR = f"arn:aws:iam::{A}:role/Vendor"
PLAIN = f"arn:aws:iam::{A}:role/Plain"
SHARED = f"arn:aws:iam::{B}:role/Shared"
DATA_OBJECT = "arn:aws:s3:::data/report.csv"
READ_ONLY_ARN = f"arn:aws:iam::{A}:policy/ReadOnlyData"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
SERVER_KEY = b"iamsim test server key, 32 bytes"

_STS_FOR_ALL = {
    "Effect": "Allow",
    "Action": [
        "sts:AssumeRole",
        "sts:TagSession",
        "sts:SetSourceIdentity",
        "sts:GetFederationToken",
        "sts:GetAccessKeyInfo",
    ],
    "Resource": "*",
}
_READ_DATA_AS_BLUE = {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::data/*",
    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}},
}
_EVERYTHING = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def _document(*statements: Mapping[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _trust(principal: Mapping[str, Any], *actions: str, **extra: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Principal": principal, "Action": list(actions)}
    statement.update(extra)
    return _document(statement)


_TRUST_ACTIONS = ("sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity")

SCENARIO: dict[str, Any] = {
    "policies": {
        READ_ONLY_ARN: _document(
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        ),
    },
    "accounts": {
        A: {
            "users": {
                "alice": {"policies": [_document(_STS_FOR_ALL, _READ_DATA_AS_BLUE)]},
                "bob": {},
                "carol": {
                    "policies": [
                        _document(
                            {
                                "Effect": "Allow",
                                "Action": "sts:GetFederationToken",
                                "Resource": "*",
                            }
                        )
                    ]
                },
                "mallory": {
                    "policies": [
                        _document(
                            {"Effect": "Deny", "Action": "sts:*", "Resource": "*"}
                        )
                    ]
                },
            },
            "roles": {
                "Dev": {
                    "trust_policy": _trust({"AWS": ALICE}, *_TRUST_ACTIONS),
                    "policies": [_document(_STS_FOR_ALL, _READ_DATA_AS_BLUE)],
                    "tags": {"team": "red"},
                    "max_session_duration": 7200,
                },
                "Ops": {
                    "path": "/ops/",
                    "trust_policy": _trust({"AWS": A}, *_TRUST_ACTIONS),
                    "policies": [_document(_STS_FOR_ALL, _READ_DATA_AS_BLUE)],
                    "max_session_duration": 43200,
                },
                "Vendor": {
                    "trust_policy": _trust(
                        {"AWS": A},
                        "sts:AssumeRole",
                        Condition={"StringEquals": {"sts:ExternalId": "Example987"}},
                    ),
                    "policies": [_document(_EVERYTHING)],
                },
                "Plain": {
                    "trust_policy": _trust({"AWS": ALICE}, "sts:AssumeRole"),
                    "policies": [_document(_EVERYTHING)],
                },
            },
        },
        B: {
            "roles": {
                "Shared": {
                    "trust_policy": _trust({"AWS": A}, *_TRUST_ACTIONS),
                    "policies": [_document(_EVERYTHING)],
                },
            },
        },
    },
}


def fixed_bytes(seed: int) -> keys.RandomBytes:
    """A stand-in for ``secrets.token_bytes`` returning ``seed`` repeated."""
    return lambda count: bytes([seed]) * count


ALICE_KEY = keys.long_term_key_id(A, fixed_bytes(1))
BOB_KEY = keys.long_term_key_id(A, fixed_bytes(2))
ROOT_KEY = keys.long_term_key_id(A, fixed_bytes(3))
INACTIVE_KEY = keys.long_term_key_id(A, fixed_bytes(4))
MALLORY_KEY = keys.long_term_key_id(A, fixed_bytes(5))
CAROL_KEY = keys.long_term_key_id(A, fixed_bytes(6))


def _records() -> dict[str, AccessKeyRecord]:
    records = [
        AccessKeyRecord(ALICE_KEY, "alice-secret", ALICE, A),
        AccessKeyRecord(BOB_KEY, "bob-secret", BOB, A),
        AccessKeyRecord(ROOT_KEY, "root-secret", ROOT_A, A),
        AccessKeyRecord(INACTIVE_KEY, "old-secret", ALICE, A, status="Inactive"),
        AccessKeyRecord(MALLORY_KEY, "mallory-secret", MALLORY, A),
        AccessKeyRecord(CAROL_KEY, "carol-secret", CAROL, A),
    ]
    return {record.access_key_id: record for record in records}


class FakeBackend:
    """An in-memory Backend over a scenario world, for the STS operations."""

    def __init__(self, world: World) -> None:
        self.server_key = SERVER_KEY
        self._world = world
        self._keys = _records()
        self.events: list[Mapping[str, Any]] = []
        self.authorized: list[tuple[str, str, dict[str, Any]]] = []

    def world(self) -> World:
        return self._world

    def access_key(self, access_key_id: str) -> AccessKeyRecord | None:
        return self._keys.get(access_key_id)

    def record_event(self, record: Mapping[str, Any]) -> None:
        self.events.append(record)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def authorize(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        supplied = dict(context or {})
        self.authorized.append((action, resource, supplied))
        principal, session = query_principal(call.caller)
        query = Query(principal, action, resource, session, supplied, call.now)
        decision = self._world.authorize(query)
        if not decision.allowed:
            raise access_denied(decision.reason)


def build_world() -> World:
    return scenario_from_dict(SCENARIO, source="sts-tests").world


def caller(backend: FakeBackend, key: str, token: str | None = None) -> Caller:
    """The caller behind ``key`` (and ``token``) at :data:`NOW`."""
    return resolve_caller(backend, key, token, NOW)


def session_caller(backend: FakeBackend, result: Result, now: datetime = NOW) -> Caller:
    """The caller behind the credentials an operation returned."""
    credentials = result["Credentials"]
    return resolve_caller(
        backend, credentials["AccessKeyId"], credentials["SessionToken"], now
    )


def invoke(
    backend: FakeBackend,
    who: Caller,
    operation: str,
    params: Mapping[str, Any] | None = None,
    now: datetime = NOW,
) -> Result:
    """Run STS ``operation`` as ``who``, the way the server would."""
    found = OPERATIONS.find("sts", operation)
    assert found is not None, operation
    call = Call(who, "sts", operation, "us-east-1", now, "req-1")
    return found.handler(backend, call, dict(params or {}))


def assume(
    backend: FakeBackend, who: Caller, role: str, name: str = "s1", **params: Any
) -> Result:
    """AssumeRole of ``role`` as ``who`` with session ``name`` and ``params``."""
    return invoke(
        backend, who, "AssumeRole", {"RoleArn": role, "RoleSessionName": name, **params}
    )


def tags(**pairs: str) -> list[dict[str, str]]:
    """A ``Tags`` parameter from keyword pairs."""
    return [{"Key": key, "Value": value} for key, value in pairs.items()]


def refused(
    backend: FakeBackend,
    who: Caller,
    operation: str,
    params: Mapping[str, Any] | None = None,
) -> ServiceError:
    """The ServiceError ``operation`` raises for ``who``; fails if none."""
    try:
        invoke(backend, who, operation, params)
    except ServiceError as error:
        return error
    raise AssertionError(f"{operation} was not refused")
