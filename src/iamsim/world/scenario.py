"""Load a scenario file (YAML or JSON) into a World and a list of requests.

The format, every key optional except where noted::

    organization:                      # optional
      id: o-a1b2c3d4e5
      management_account: "111111111111"
      root:
        scps: [FullAWSAccess]          # names from policies:, ARNs or documents
        rcps: []
        accounts: ["111111111111", {id: "333333333333", scps: [...], rcps: [...]}]
        ous: [{name: Prod, scps: [...], rcps: [...], accounts: [...], ous: [...]}]
    policies: {NAME: <policy document>}
    accounts:
      "222222222222":
        partition: aws
        users:  {alice: {path: /, groups: [devs], policies: [...],
                         permissions_boundary: ..., tags: {...}}}
        groups: {devs: {policies: [...]}}
        roles:  {Dev: {trust_policy: ..., policies: [...], tags: {...},
                       max_session_duration: 3600, service_linked: false}}
        resources: [{arn: ..., policy: ..., tags: {...}}]
        saml_providers: [MyIdP]
        oidc_providers: [token.actions.githubusercontent.com]
    requests:
      - name: the session policy stops ListBucket
        principal: arn:aws:iam::222222222222:role/Dev     # required
        session: {name: s1, policies: [...], tags: {...}, source_identity: ...,
                  federated_provider: ..., user: ...}
        action: s3:ListBucket                             # required
        resource: arn:aws:s3:::data-bucket                # required
        context: {aws:SourceIp: 203.0.113.7}
        time: 2024-05-01T12:00:00Z
        expect: ImplicitDeny     # Allow | Deny | ExplicitDeny | ImplicitDeny
        description: free text
        doc: https://docs.aws.amazon.com/...

Every mistake raises ``InputError`` whose ``where`` names the file, line,
column and path (``scenario.yaml:12:9 at accounts.222222222222.users.alice``),
and nothing is returned until everything has been built and checked.

Imports only iamsim.errors, iamsim.engine, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from iamsim.engine.decision import DecisionEffect
from iamsim.errors import IamsimError, InputError
from iamsim.policy.model import Policy, PolicyKind
from iamsim.world.builder import build_accounts, build_organization, tags
from iamsim.world.model import World
from iamsim.world.principals import resolve_caller
from iamsim.world.query import (
    ContextInput,
    Query,
    SessionSpec,
    normalize_context_key,
    normalize_context_value,
)
from iamsim.world.references import PolicyBook
from iamsim.world.source import Cursor, Source, closest_hint, read_text

TOP_KEYS = ("organization", "policies", "accounts", "requests", "description")
REQUEST_KEYS = (
    "name",
    "principal",
    "session",
    "action",
    "resource",
    "context",
    "time",
    "expect",
    "description",
    "doc",
)
SESSION_KEYS = (
    "name",
    "policies",
    "tags",
    "source_identity",
    "federated_provider",
    "user",
)


class Expect(Enum):
    """What a scenario request expects; ``Deny`` accepts either kind of deny."""

    ALLOW = "Allow"
    DENY = "Deny"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"

    def is_met_by(self, effect: DecisionEffect) -> bool:
        """Whether a decision with ``effect`` meets this expectation."""
        if self is Expect.DENY:
            return effect is not DecisionEffect.ALLOW
        return bool(effect.value == self.value)


@dataclass(frozen=True, slots=True)
class ScenarioRequest:
    """One request of a scenario, with where it was written."""

    name: str
    query: Query
    expect: Expect | None = None
    description: str | None = None
    doc: str | None = None
    location: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A loaded scenario: its world and its requests, in file order."""

    world: World
    requests: tuple[ScenarioRequest, ...]
    source: str
    description: str | None = None


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load the scenario file at ``path``; ``.json`` files are read as JSON."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            f"cannot read scenario: {error}",
            where=str(file),
            hint="check the path and that the file is UTF-8 text",
        ) from None
    return scenario_from_text(
        text, source=str(file), is_json=file.suffix.lower() == ".json"
    )


def scenario_from_text(text: str, *, source: str, is_json: bool = False) -> Scenario:
    """Load a scenario from YAML (or, with ``is_json``, JSON) text."""
    data, located = read_text(text, source, is_json=is_json)
    return _build(Cursor(located, (), data))


def scenario_from_dict(
    data: Mapping[str, Any], *, source: str = "<scenario>"
) -> Scenario:
    """Load a scenario already decoded into plain data (importers, Python API).

    Errors name ``source`` and the path, without line numbers.
    """
    return _build(Cursor(Source(source), (), data))


def _build(top: Cursor) -> Scenario:
    with _collector_paused():
        return _build_unpaused(top)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a world is built.

    Building allocates hundreds of thousands of objects that all stay alive,
    so collections during the build find nothing and cost a large share of
    the load time. The collector's previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build_unpaused(top: Cursor) -> Scenario:
    if top.value is None:
        raise top.fail("scenario is empty", "start with accounts: or requests:")
    fields = top.fields("scenario", TOP_KEYS)
    book = PolicyBook(fields.get("policies"))
    accounts = build_accounts(fields.get("accounts"), book)
    organization = None
    if "organization" in fields:
        organization = build_organization(fields["organization"], book)
    drafts = _drafts(fields.get("requests"), book)
    book.check_unreferenced()
    world = World(accounts, organization, book.managed_policies())
    for draft in drafts:
        _check_principal(world, draft)
    description = None
    if "description" in fields:
        description = fields["description"].text("description")
    requests = tuple(draft.request for draft in drafts)
    return Scenario(world, requests, top.source.name, description)


@dataclass(frozen=True, slots=True)
class _Draft:
    request: ScenarioRequest
    fields: dict[str, Cursor]
    cursor: Cursor


def _drafts(cursor: Cursor | None, book: PolicyBook) -> list[_Draft]:
    drafts: list[_Draft] = []
    names: set[str] = set()
    items = [] if cursor is None else cursor.elements("requests")
    for index, child in enumerate(items):
        draft = _draft(child, book, f"request {index + 1}")
        if draft.request.name in names:
            place = draft.fields.get("name", child)
            raise place.fail(
                f"request name {draft.request.name!r} is used twice",
                "give each request its own name",
            )
        names.add(draft.request.name)
        drafts.append(draft)
    return drafts


def _draft(cursor: Cursor, book: PolicyBook, default_name: str) -> _Draft:
    fields = cursor.fields(
        "request", REQUEST_KEYS, required=("principal", "action", "resource")
    )
    name = fields["name"].text("name") if "name" in fields else default_name
    session = None
    if "session" in fields:
        session = _session(fields["session"], book, name)
    principal = fields["principal"].text("principal")
    action = fields["action"].text("action")
    resource = fields["resource"].text("resource")
    context = _context(fields.get("context"))
    time = _time(fields["time"]) if "time" in fields else None
    try:
        query = Query(principal, action, resource, session, context, time)
    except IamsimError as error:
        raise _relocated(cursor, fields, error) from None
    request = ScenarioRequest(
        name=name,
        query=query,
        expect=_expect(fields["expect"]) if "expect" in fields else None,
        description=_optional_text(fields, "description"),
        doc=_optional_text(fields, "doc"),
        location=cursor.where,
    )
    return _Draft(request, fields, cursor)


def _session(cursor: Cursor, book: PolicyBook, request_name: str) -> SessionSpec:
    fields = cursor.fields("session", SESSION_KEYS)
    name = _optional_text(fields, "name")
    policies: tuple[Policy, ...] = ()
    if "policies" in fields:
        owner = name or f"{request_name} session"
        policies = book.many(fields["policies"], PolicyKind.SESSION, owner)
    return SessionSpec(
        name=name,
        policies=policies,
        tags=tags(fields["tags"], "tags") if "tags" in fields else {},
        source_identity=_optional_text(fields, "source_identity"),
        federated_provider=_optional_text(fields, "federated_provider"),
        user=_optional_text(fields, "user"),
    )


def _context(cursor: Cursor | None) -> dict[str, ContextInput]:
    context: dict[str, tuple[str, ...]] = {}
    for key, child in [] if cursor is None else cursor.entries("context"):
        try:
            lowered = normalize_context_key(key, seen=context)
            context[lowered] = normalize_context_value(key, child.value)
        except InputError as error:
            raise child.fail(
                error.message, error.hint, key=error.where == key
            ) from None
    return dict(context)


def _time(cursor: Cursor) -> datetime:
    value = cursor.value
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise cursor.fail(
                f"time {value!r} is not an ISO 8601 date and time",
                "write e.g. 2024-05-01T12:00:00Z",
            ) from None
        if value.utcoffset() is None:
            raise cursor.fail(
                f"time {cursor.value!r} has no time zone",
                "end it with Z or an offset such as +02:00",
            )
        return value
    if isinstance(value, datetime):
        # YAML reads a timestamp without a zone as UTC (YAML 1.1 timestamp type).
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        raise cursor.fail(
            f"time {value.isoformat()!r} has no time of day",
            "write e.g. 2024-05-01T12:00:00Z",
        )
    raise cursor.fail(f"time must be an ISO 8601 date and time, not {value!r}")


#: Spellings of an expectation, folded: case, ``_``, ``-`` and spaces are
#: ignored, and the IAM policy simulator's ``allowed``/``denied`` forms count.
_EXPECT_SPELLINGS = {
    "allow": Expect.ALLOW,
    "allowed": Expect.ALLOW,
    "deny": Expect.DENY,
    "denied": Expect.DENY,
    "explicitdeny": Expect.EXPLICIT_DENY,
    "implicitdeny": Expect.IMPLICIT_DENY,
}


def _expect(cursor: Cursor) -> Expect:
    value = cursor.value
    choices = [expect.value for expect in Expect]
    if isinstance(value, str):
        folded = value.lower().replace("_", "").replace("-", "").replace(" ", "")
        if folded in _EXPECT_SPELLINGS:
            return _EXPECT_SPELLINGS[folded]
    raise cursor.fail(
        f"expect {value!r} is not a decision", closest_hint(str(value), choices)
    )


def _optional_text(fields: dict[str, Cursor], key: str) -> str | None:
    return fields[key].text(key) if key in fields else None


def _check_principal(world: World, draft: _Draft) -> None:
    query = draft.request.query
    try:
        resolve_caller(world, query.principal, query.session)
    except IamsimError as error:
        raise _relocated(draft.cursor, draft.fields, error) from None


def _relocated(
    cursor: Cursor, fields: dict[str, Cursor], error: IamsimError
) -> InputError:
    """``error`` as an InputError at the request field its ``where`` names."""
    head, _, rest = error.where.partition(".")
    place = fields.get(head, cursor)
    if rest and isinstance(place.value, Mapping) and rest in place.value:
        place = place.child(rest, place.value[rest])
    return place.fail(error.message, error.hint)
