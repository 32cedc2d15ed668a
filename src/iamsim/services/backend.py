"""The state behind the operations: a SQLite store, its read model and the engine.

:func:`open_backend` opens (or, the first time, creates) the state in a
directory. A new state gets an organization whose management account has a
root access key, the ``FullAWSAccess`` SCP on its root and a random server
key; the root's secret goes to ``root-credentials.json`` (mode 0600) and is
never printed. A scenario file can seed the accounts, entities and
organization instead, once, on the first start.

:class:`StoreBackend` implements :class:`iamsim.services.api.Backend`. Its
:meth:`~StoreBackend.authorize` asks the engine about the caller exactly as
AWS would: the principal (user, root, role session or federated user) with
its session policies and tags, and the request keys AWS supplies
("AWS global condition context keys", IAM User Guide).

Imports only iamsim.errors, iamsim.engine, iamsim.policy, iamsim.world and
iamsim.services.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from sqlite3 import Connection
from typing import Any

from iamsim.engine.decision import Decision
from iamsim.engine.evaluate import Authorizer
from iamsim.errors import InputError, NoSuchEntity
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.services import iam as _iam  # noqa: F401  (registers IAM operations)
from iamsim.services import organizations as _organizations  # noqa: F401
from iamsim.services import organizations_state
from iamsim.services.api import (
    AccessKeyRecord,
    Call,
    Result,
    ServiceError,
    SessionInfo,
    access_denied,
)
from iamsim.services.iam_common import (
    entity_arn,
    new_access_key_id,
    new_secret_access_key,
    root_arn,
)
from iamsim.world.model import World
from iamsim.world.query import Query, SessionSpec
from iamsim.world.resolve import resolve
from iamsim.world.store import Store
from iamsim.world.store_iam import (
    get_access_key,
    get_account,
    get_user,
    insert_access_key,
)
from iamsim.world.store_rows import AccessKeyRow
from iamsim.world.store_seed import seed_scenario as import_scenario
from iamsim.world.store_trail import (
    ATTRIBUTE_COLUMNS,
    RESOURCE_ATTRIBUTES,
    EventRow,
    event_cursor,
    insert_event,
    lookup_events,
)
from iamsim.world.store_world import WorldBuilder

CREDENTIALS_FILE = "root-credentials.json"
#: A session, and the principal and session spec made for it.
_RememberedSession = tuple[SessionInfo, str, SessionSpec | None]
#: How many temporary keys' session specs the backend remembers.
_SESSION_CACHE_SIZE = 10_000
#: How many access keys the backend remembers between world changes.
_KEY_CACHE_SIZE = 10_000
SERVER_KEY = "server_key"
ROOT_KEY_ID = "root_access_key_id"
BOOTSTRAP_ACCOUNT = "bootstrap_account"
#: The server key signs session tokens: 32 random bytes.
SERVER_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Z0-9]{16,128}$")
#: LookupEvents returns at most 50 events a page ("LookupEvents", CloudTrail
#: API Reference: MaxResults 1 to 50, default 50).
EVENTS_PAGE_MAX = 50


@dataclass(frozen=True, slots=True)
class Bootstrap:
    """What a caller may show after opening the state: never the secret."""

    access_key_id: str
    secret_path: Path
    created: bool
    account_id: str


class StoreBackend:
    """The :class:`~iamsim.services.api.Backend` over one :class:`Store`."""

    def __init__(self, store: Store, server_key: bytes) -> None:
        self.store = store
        self.server_key = server_key
        self._builder = WorldBuilder()
        self._authorizer = Authorizer()
        self._lock = threading.Lock()
        self._world: World | None = None
        self._generation = -1
        self._keys: dict[str, AccessKeyRecord | None] = {}
        self._sessions: dict[str, _RememberedSession] = {}
        self._keys_generation = -1

    # The read model

    def world(self) -> World:
        """The world as committed; rebuilt after each committed change.

        Inside a transaction that has already written, the world is built
        from that transaction's view and not cached.
        """
        if self.store.has_pending_changes():
            with self._lock:
                return self._builder.build(self.store.connection())
        generation = self.store.generation()
        with self._lock:
            if self._world is not None and self._generation == generation:
                return self._world
            with self.store.snapshot() as db:
                generation = self.store.generation()
                world = self._builder.build(db)
            self._world, self._generation = world, generation
            return world

    def transaction(self) -> AbstractContextManager[Connection]:
        """A write transaction: all of a call's changes land, or none do."""
        return self.store.transaction()

    def read(self) -> AbstractContextManager[Connection]:
        """A consistent read of the committed state."""
        return self.store.snapshot()

    def close(self) -> None:
        self.store.close()

    def partition(self, account: str) -> str:
        """The partition of ``account`` (``aws`` when it is unknown)."""
        row = get_account(self.store.connection(), account)
        return "aws" if row is None else row.partition

    # Credentials

    def access_key(self, access_key_id: str) -> AccessKeyRecord | None:
        """The long-term key with this id, with its owner's current ARN.

        Lookups are remembered until the next committed change to the world
        (every IAM write is one), since each signed request needs its key.
        """
        if self.store.has_pending_changes():
            return self._load_access_key(access_key_id)
        generation = self.store.generation()
        with self._lock:
            if self._keys_generation != generation:
                self._keys.clear()
                self._keys_generation = generation
            if access_key_id in self._keys:
                return self._keys[access_key_id]
        record = self._load_access_key(access_key_id)
        with self._lock:
            if (
                self._keys_generation == generation
                and len(self._keys) < _KEY_CACHE_SIZE
            ):
                self._keys[access_key_id] = record
        return record

    def _load_access_key(self, access_key_id: str) -> AccessKeyRecord | None:
        db = self.store.connection()
        row = get_access_key(db, access_key_id)
        if row is None:
            return None
        partition = self.partition(row.account)
        owner = root_arn(partition, row.account)
        if row.user_name is not None:
            user = get_user(db, row.account, row.user_name)
            if user is None:
                return None
            owner = entity_arn(partition, row.account, "user", user.path, user.name)
        return AccessKeyRecord(
            row.id, row.secret, owner, row.account, row.status, row.created
        )

    # Authorization

    def authorize(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """Raise AccessDenied, worded as AWS words it, unless the engine allows."""
        decision = self.decide(call, action, resource, context)
        if not decision.allowed:
            raise access_denied(decision.reason)

    def decide(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, Any] | None = None,
    ) -> Decision:
        """The engine's decision on ``call`` doing ``action`` on ``resource``."""
        query = caller_query(
            call, action, resource, context or {}, sessions=self._sessions
        )
        world = self.world()
        try:
            resolution = resolve(world, query, now=call.now)
        except NoSuchEntity:
            raise access_denied(
                f"User: {call.caller.arn} is not authorized to perform: {action} "
                f"on resource: {resource} because the caller no longer exists"
            ) from None
        return self._authorizer.evaluate(resolution.request, resolution.policies)

    # CloudTrail

    def record_event(self, record: Mapping[str, Any]) -> None:
        """Store one CloudTrail record (already in AWS's schema)."""
        with self.store.transaction(touches_world=False) as db:
            insert_event(db, record)

    def events(
        self,
        *,
        account: str | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        lookup_attributes: Sequence[Mapping[str, str]] = (),
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Result:
        """LookupEvents' output (``Events``, ``NextToken``), newest first.

        Filters follow "LookupEvents" (CloudTrail API Reference): a time
        range, and LookupAttributes on EventId, EventName, ReadOnly,
        Username, ResourceType, ResourceName, EventSource or AccessKeyId.
        """
        attributes = _lookup_attributes(lookup_attributes)
        limit = _max_results(max_results)
        if start_time is not None and end_time is not None and start_time > end_time:
            raise ServiceError(
                "InvalidTimeRangeException",
                "Start time must be earlier than or equal to end time.",
            )
        after = None if next_token is None else _cursor(next_token)
        with self.store.snapshot() as db:
            rows = lookup_events(
                db,
                account=account,
                start=start_time,
                end=end_time,
                attributes=attributes,
                after=after,
                limit=limit + 1,
            )
        result: Result = {"Events": [_event_shape(row) for row in rows[:limit]]}
        if len(rows) > limit:
            cursor = json.dumps(event_cursor(rows[limit - 1]))
            result["NextToken"] = base64.urlsafe_b64encode(cursor.encode()).decode()
        return result


def caller_query(
    call: Call,
    action: str,
    resource: str,
    context: Mapping[str, Any],
    *,
    sessions: dict[str, _RememberedSession] | None = None,
) -> Query:
    """The engine query for ``call``'s caller, with AWS's request keys.

    ``sessions`` remembers the session spec made for each temporary key, so
    later requests with the same credentials reuse it (and the world's
    resolution of it) instead of parsing the session policies again.
    """
    caller = call.caller
    session = caller.session
    keys: dict[str, Any] = {
        "aws:SourceIp": call.source_ip,
        "aws:SecureTransport": call.secure_transport,
        "aws:RequestedRegion": call.region,
        "aws:ViaAWSService": False,
    }
    if call.user_agent:
        keys["aws:UserAgent"] = call.user_agent
    principal = caller.arn
    spec: SessionSpec | None = None
    if session is not None:
        keys["aws:MultiFactorAuthPresent"] = session.mfa_authenticated
        if session.issued_at is not None:
            keys["aws:TokenIssueTime"] = session.issued_at
        remembered = None if sessions is None else sessions.get(caller.access_key_id)
        if remembered is not None and remembered[0] == session:
            principal, spec = remembered[1], remembered[2]
        else:
            principal, spec = _session_principal(caller.arn, session)
            if sessions is not None:
                if len(sessions) >= _SESSION_CACHE_SIZE:
                    sessions.clear()
                sessions[caller.access_key_id] = (session, principal, spec)
    stated = {key.lower() for key in context}
    keys = {k: v for k, v in keys.items() if k.lower() not in stated}
    keys.update(context)
    return Query(principal, action, resource, spec, keys, call.now)


def _session_principal(
    caller_arn: str, session: SessionInfo
) -> tuple[str, SessionSpec | None]:
    """The principal and session spec the world evaluates for ``session``."""
    principal = caller_arn
    spec: SessionSpec | None = None
    policies = _session_policies(session.policies)
    if session.kind == "assumed-role":
        principal = session.arn
        spec = SessionSpec(
            name=session.session_name,
            policies=policies,
            tags=dict(session.tags),
            source_identity=session.source_identity,
        )
    elif session.kind == "federated-user":
        principal = session.arn
        spec = SessionSpec(
            policies=policies, tags=dict(session.tags), user=session.user_arn
        )
    else:
        principal = session.user_arn or caller_arn
    return principal, spec


def _session_policies(documents: tuple[str, ...]) -> tuple[Policy, ...]:
    return tuple(
        parse_policy(text, kind=PolicyKind.SESSION, name=f"session-policy-{index}")
        for index, text in enumerate(documents, 1)
    )


def _lookup_attributes(items: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    allowed = (*ATTRIBUTE_COLUMNS, *RESOURCE_ATTRIBUTES)
    found: list[tuple[str, str]] = []
    for item in items:
        key = item.get("AttributeKey")
        value = item.get("AttributeValue")
        if key not in allowed or not isinstance(value, str) or not value:
            raise ServiceError(
                "InvalidLookupAttributesException",
                f"Invalid lookup attribute {key!r}; expected one of "
                f"{', '.join(allowed)} with a value.",
            )
        found.append((key, value))
    return found


def _max_results(value: int | None) -> int:
    if value is None:
        return EVENTS_PAGE_MAX
    if not 1 <= value <= EVENTS_PAGE_MAX:
        raise ServiceError(
            "InvalidMaxResultsException",
            f"MaxResults must be between 1 and {EVENTS_PAGE_MAX}.",
        )
    return value


def _cursor(token: str) -> tuple[str, str]:
    try:
        time, event_id = json.loads(base64.urlsafe_b64decode(token.encode()))
        return str(time), str(event_id)
    except (ValueError, TypeError):
        raise ServiceError(
            "InvalidNextTokenException", "The NextToken is invalid."
        ) from None


def _event_shape(row: EventRow) -> Result:
    shape: Result = {"EventId": row.event_id, "EventTime": row.event_time}
    optional = {
        "EventName": row.event_name,
        "Username": row.username,
        "EventSource": row.event_source,
        "AccessKeyId": row.access_key_id,
    }
    shape.update({key: value for key, value in optional.items() if value})
    if row.read_only is not None:
        shape["ReadOnly"] = "true" if row.read_only else "false"
    shape["Resources"] = [
        {"ResourceName": name, **({"ResourceType": kind} if kind else {})}
        for name, kind in row.resources
    ]
    shape["CloudTrailEvent"] = row.record
    return shape


# Opening the state


def open_backend(
    state_dir: Path,
    *,
    seed_scenario: Path | None = None,
    root_access_key_id: str | None = None,
    root_secret: str | None = None,
) -> tuple[StoreBackend, Bootstrap]:
    """Open the state in ``state_dir``, creating it on the first start.

    ``root_access_key_id`` and ``root_secret`` (both or neither) fix the
    management account root's key instead of a random one; on later starts
    a new pair is added to that root. ``seed_scenario`` is read only when
    the state is new.
    """
    given = _given_root_key(root_access_key_id, root_secret)
    store = Store.in_directory(state_dir)
    try:
        return _open(store, state_dir, seed_scenario, given)
    except BaseException:
        store.close()
        raise


def _given_root_key(key_id: str | None, secret: str | None) -> tuple[str, str] | None:
    if key_id is None and secret is None:
        return None
    if key_id is None or secret is None:
        raise InputError(
            "a root access key id needs its secret, and a secret its key id",
            where="IAMSIM_ROOT_ACCESS_KEY_ID"
            if key_id is None
            else "IAMSIM_ROOT_SECRET_ACCESS_KEY",
            hint="set both IAMSIM_ROOT_ACCESS_KEY_ID and IAMSIM_ROOT_SECRET_ACCESS_KEY",
        )
    if not _KEY_ID.match(key_id):
        raise InputError(
            f"root access key id {key_id!r} is not 16 to 128 upper-case letters "
            "or digits",
            where="IAMSIM_ROOT_ACCESS_KEY_ID",
            hint="an access key id reads like 'AKIAIOSFODNN7EXAMPLE'",
        )
    if not secret:
        raise InputError(
            "the root secret access key is empty",
            where="IAMSIM_ROOT_SECRET_ACCESS_KEY",
        )
    return key_id, secret


def _open(
    store: Store,
    state_dir: Path,
    seed: Path | None,
    given: tuple[str, str] | None,
) -> tuple[StoreBackend, Bootstrap]:
    secret_path = state_dir / CREDENTIALS_FILE
    with store.transaction() as db:
        server_key = store.get_value(SERVER_KEY)
        if server_key is not None:
            bootstrap = _reopen(store, db, secret_path, given)
            return StoreBackend(store, server_key), bootstrap
        server_key = secrets.token_bytes(SERVER_KEY_BYTES)
        store.set_value(SERVER_KEY, server_key)
        now = datetime.now(UTC)
        account = _found(db, seed, now)
        key_id, secret = given or (new_access_key_id(), new_secret_access_key())
        insert_access_key(
            db, AccessKeyRow(key_id, secret, account, None, "Active", now)
        )
        store.set_value(ROOT_KEY_ID, key_id.encode())
        store.set_value(BOOTSTRAP_ACCOUNT, account.encode())
        _write_credentials(secret_path, key_id, secret, account)
    return StoreBackend(store, server_key), Bootstrap(
        key_id, secret_path, True, account
    )


def _found(db: Connection, seed: Path | None, now: datetime) -> str:
    """Create the first state; the id of the account that gets the root key."""
    organizations_state.install_aws_managed_policies(db, now)
    if seed is not None:
        return import_scenario(db, seed, now)
    account = organizations_state.new_account_id(db)
    organizations_state.insert_account(db, account, "management", now)
    organizations_state.found_organization(db, account, now, enable_scps=True)
    return account


def _reopen(
    store: Store, db: Connection, secret_path: Path, given: tuple[str, str] | None
) -> Bootstrap:
    key_id = (store.get_value(ROOT_KEY_ID) or b"").decode()
    account = (store.get_value(BOOTSTRAP_ACCOUNT) or b"").decode()
    if given is None:
        return Bootstrap(key_id, secret_path, False, account)
    given_id, given_secret = given
    existing = get_access_key(db, given_id)
    if existing is None:
        now = datetime.now(UTC)
        row = AccessKeyRow(given_id, given_secret, account, None, "Active", now)
        insert_access_key(db, row)
    elif existing.secret != given_secret or existing.user_name is not None:
        raise InputError(
            f"access key {given_id!r} already exists with another secret or owner",
            where="IAMSIM_ROOT_ACCESS_KEY_ID",
            hint="unset the variables, or give the key's own secret",
        )
    return Bootstrap(given_id, secret_path, False, account)


def _write_credentials(path: Path, key_id: str, secret: str, account: str) -> None:
    """Write the root credentials with mode 0600, atomically and durably."""
    payload = json.dumps(
        {"AccountId": account, "AccessKeyId": key_id, "SecretAccessKey": secret},
        indent=2,
    )
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, payload.encode() + b"\n")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
