"""What a caller asks the world: who, which action, on what, in which session.

A :class:`Query` is the world-level question; :mod:`iamsim.world.resolve`
turns it into the engine's ``Request`` and ``PolicySet``. Caller-supplied
context values are normalized here to the engine's form: lowercase keys,
tuples of strings, booleans as ``"true"``/``"false"``.

Keys that the world fills from the principal, the resource and the time
(``aws:PrincipalArn``, ``aws:ResourceTag/...``, ``aws:CurrentTime`` and the
rest listed in :mod:`iamsim.world.keys`) may be supplied too: the stated
value then wins, as context entries do in IAM's policy simulator. Prefer
setting them through the world (tags, sessions, the query's time), which
keeps related keys consistent.

Imports only iamsim.errors, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from iamsim.errors import InputError
from iamsim.policy.model import Context, Policy
from iamsim.world.keys import is_world_filled
from iamsim.world.model import Tags

logger = logging.getLogger(__name__)

#: A value a caller may give for one context key.
ContextScalar = str | bool | int | float | datetime | date
ContextInput = ContextScalar | Sequence[ContextScalar]


def _no_tags() -> Tags:
    return {}


def _no_context() -> Mapping[str, ContextInput]:
    return {}


# GAP: role chaining and transitive session tags are not modelled, and the
# session tag limits (50 tags, keys of 128 and values of 256 characters) are
# not checked.
@dataclass(frozen=True, slots=True)
class SessionSpec:
    """The session a role or federated-user principal speaks through.

    ``policies`` are session policies, already parsed with kind SESSION;
    ``tags`` are session tags, which override the role's (or the federating
    user's) tags of the same key. ``federated_provider`` names the SAML or
    OIDC provider (its ARN) that minted a role session; ``user`` names the
    IAM user (name or ARN) whose ``GetFederationToken`` call made a
    federated-user session.
    """

    name: str | None = None
    policies: tuple[Policy, ...] = ()
    tags: Tags = field(default_factory=_no_tags)
    source_identity: str | None = None
    federated_provider: str | None = None
    user: str | None = None


@dataclass(frozen=True)
class Query:
    """One question to the world: may ``principal`` do ``action`` on ``resource``?

    ``principal`` is an ARN, a bare account id, a service principal name or
    ``"anonymous"``; see :func:`iamsim.world.principals.resolve_caller`.
    ``context`` holds request-side keys only, as the caller would send them.
    ``time`` is the request time and must carry a time zone.
    """

    principal: str
    action: str
    resource: str
    session: SessionSpec | None = None
    context: Mapping[str, ContextInput] = field(default_factory=_no_context)
    time: datetime | None = None
    normalized_context: Context = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if ":" not in self.action:
            raise InputError(
                f"action {self.action!r} has no service prefix",
                where="action",
                hint="an action reads SERVICE:ActionName, e.g. 's3:GetObject'",
            )
        if not self.resource:
            raise InputError(
                "resource is empty",
                where="resource",
                hint="give the resource's ARN, or '*'",
            )
        if self.time is not None and self.time.utcoffset() is None:
            raise InputError(
                f"time {self.time.isoformat()!r} has no time zone",
                where="time",
                hint="add a zone, e.g. '2024-05-01T12:00:00Z'",
            )
        normalized = normalize_context(self.context)
        object.__setattr__(self, "normalized_context", normalized)


def normalize_context(raw: Mapping[str, ContextInput]) -> dict[str, tuple[str, ...]]:
    """Caller-supplied context in the engine's form, or InputError.

    Errors name the offending key as their place (``where``).
    """
    context: dict[str, tuple[str, ...]] = {}
    for key, value in raw.items():
        lowered = normalize_context_key(key, seen=context)
        context[lowered] = normalize_context_value(key, value)
    return context


def normalize_context_key(key: Any, *, seen: Mapping[str, Any]) -> str:
    """``key`` lowercased, refused if malformed or given twice."""
    if not isinstance(key, str) or ":" not in key:
        raise InputError(
            f"context key {key!r} has no prefix",
            where=str(key),
            hint="condition keys read PREFIX:Name, e.g. 'aws:SourceIp'",
        )
    lowered = key.lower()
    if lowered in seen:
        raise InputError(
            f"context key {key!r} is given twice",
            where=key,
            hint="condition key names are case-insensitive; keep one spelling",
        )
    if is_world_filled(lowered):
        logger.debug("context key %s overrides the value the world fills", key)
    return lowered


def normalize_context_value(key: str, value: Any) -> tuple[str, ...]:
    """The strings a context value stands for; a list is a multivalued key."""
    if isinstance(value, list | tuple):
        return tuple(_scalar(f"{key}[{i}]", item) for i, item in enumerate(value))
    return (_scalar(key, value),)


def _scalar(where: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return format_time(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return value.isoformat()
    raise InputError(
        f"context value {value!r} is {type(value).__name__}, not a string, "
        "number or boolean",
        where=where,
        hint="give a string, a number, true/false, or a list of those",
    )


def format_time(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, as AWS writes ``aws:CurrentTime``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
