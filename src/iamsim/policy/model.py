"""The parsed form of a policy document: frozen, typed, matched many times.

A :class:`Policy` is built once by :func:`iamsim.policy.parse_policy` and is
immutable afterwards. Statements keep their original index and Sid so that a
decision can name exactly what matched. Imports nothing of iamsim.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

#: A request context: lowercase condition-key name to its values. A key that
#: is absent has no value; an empty tuple is a multivalued key with no members.
Context = Mapping[str, tuple[str, ...]]

VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"


class Effect(Enum):
    ALLOW = "Allow"
    DENY = "Deny"


class PolicyKind(Enum):
    """Where a policy is attached, which decides the rules it must follow."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"
    SCP = "scp"
    RCP = "rcp"
    BOUNDARY = "boundary"
    SESSION = "session"

    @property
    def title(self) -> str:
        """The policy type as AWS names it in access-denied messages."""
        return _KIND_TITLES[self]


_KIND_TITLES = {
    PolicyKind.IDENTITY: "identity-based policy",
    PolicyKind.RESOURCE: "resource-based policy",
    PolicyKind.TRUST: "resource-based policy",
    PolicyKind.SCP: "service control policy",
    PolicyKind.RCP: "resource control policy",
    PolicyKind.BOUNDARY: "permissions boundary",
    PolicyKind.SESSION: "session policy",
}


@dataclass(frozen=True, slots=True)
class ConditionClause:
    """One operator-key-values triple of a Condition block, as written.

    JSON scalars are kept as the strings AWS compares: ``true`` becomes
    ``"true"`` and ``5`` becomes ``"5"``.
    """

    operator: str
    key: str
    values: tuple[str, ...]
    where: str = ""


class ConditionMatcher:
    """A compiled Condition block; the policy.conditions module builds these."""

    __slots__ = ("clauses", "keys", "matches")

    def __init__(
        self,
        clauses: tuple[ConditionClause, ...],
        keys: frozenset[str],
        matches: Callable[[Context], bool],
    ) -> None:
        self.clauses = clauses
        self.keys = keys
        self.matches = matches


@dataclass(frozen=True, slots=True)
class PrincipalSet:
    """The principals a Principal or NotPrincipal element names.

    ``everyone`` is true for ``"*"`` and ``{"AWS": "*"}``. A bare account id
    in ``AWS`` is stored as that account's root ARN, as IAM itself rewrites it.
    """

    everyone: bool = False
    aws: frozenset[str] = frozenset()
    service: frozenset[str] = frozenset()
    federated: frozenset[str] = frozenset()
    canonical_user: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        return not (
            self.everyone
            or self.aws
            or self.service
            or self.federated
            or self.canonical_user
        )


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement. Exactly one of each Action/NotAction pair is set."""

    index: int
    sid: str | None
    effect: Effect
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principal: PrincipalSet | None = None
    not_principal: PrincipalSet | None = None
    condition: ConditionMatcher | None = None

    @property
    def label(self) -> str:
        """The Sid, or the statement's position when it has none."""
        return self.sid if self.sid else f"statement {self.index}"


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document with its name and kind."""

    name: str
    kind: PolicyKind
    version: str
    statements: tuple[Statement, ...]
    policy_id: str | None = None
    document: Mapping[str, Any] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
