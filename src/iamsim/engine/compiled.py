"""Policies compiled once into matchers and an action index.

A :class:`CompiledPolicy` answers "which statements could apply to this
action?" with one dictionary lookup after the first request for that action,
so the per-request path does no parsing and no pattern compilation. Actions
match case-insensitively and resources case-sensitively, both with IAM's
``*`` and ``?`` wildcards ("IAM JSON policy elements: Action" and
"IAM JSON policy elements: Resource", IAM User Guide).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from iamsim.engine.decision import MatchedStatement
from iamsim.engine.request import Principal, PrincipalType
from iamsim.policy.arn import compile_arn_pattern
from iamsim.policy.model import (
    VERSION_2012,
    Context,
    Effect,
    Policy,
    PrincipalSet,
    Statement,
)
from iamsim.policy.variables import compile_template
from iamsim.policy.wildcard import compile_glob, has_wildcard, quote_glob

ResourceMatcher = Callable[[str, Context], bool]


class PrincipalMatch(IntEnum):
    """How a resource-based statement's Principal named the caller.

    The kind decides whether the grant stands on its own within an account.
    A grant to the exact identity (a user ARN or a session ARN) is not limited
    by permissions boundaries or session policies ("Policy evaluation for
    requests within a single account", IAM User Guide), and neither is a grant
    to ``"*"`` ("AWS JSON policy elements: Principal", IAM role principals:
    boundaries and session policies do not limit permissions granted with a
    wildcard Principal and an aws:PrincipalArn condition). A grant to a role
    ARN, or to the IAM user behind a federated-user session, is limited by
    them; a grant to the account only delegates to its identity policies.
    """

    ACCOUNT = 1
    ROLE = 2
    EVERYONE = 3
    DIRECT = 4


class CompiledStatement:
    """One statement with its matchers bound."""

    __slots__ = (
        "condition",
        "condition_keys",
        "is_deny",
        "matched",
        "not_principal",
        "principal",
        "resource_matches",
        "statement",
    )

    def __init__(self, statement: Statement, policy: Policy) -> None:
        self.statement = statement
        self.is_deny = statement.effect is Effect.DENY
        self.principal = statement.principal
        self.not_principal = statement.not_principal
        self.resource_matches = _resource_matcher(statement, policy.version)
        condition = statement.condition
        self.condition = condition.matches if condition is not None else None
        self.condition_keys = tuple(sorted(condition.keys)) if condition else ()
        self.matched = MatchedStatement(
            policy.name, policy.kind, statement.index, statement.sid, statement.effect
        )

    def matches_action(self, action: str) -> bool:
        """Whether ``action`` (lowercase) is covered by Action / NotAction."""
        statement = self.statement
        if statement.actions is not None:
            return any(_action_matcher(p)(action) for p in statement.actions)
        assert statement.not_actions is not None
        return not any(_action_matcher(p)(action) for p in statement.not_actions)


class CompiledPolicy:
    """A policy's statements, indexed lazily by lowercase action name."""

    __slots__ = ("_by_action", "policy", "statements")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.statements = tuple(CompiledStatement(s, policy) for s in policy.statements)
        self._by_action: dict[str, tuple[CompiledStatement, ...]] = {}

    def for_action(self, action: str) -> tuple[CompiledStatement, ...]:
        """The statements whose Action or NotAction covers ``action`` (lowercase)."""
        found = self._by_action.get(action)
        if found is None:
            found = tuple(s for s in self.statements if s.matches_action(action))
            self._by_action[action] = found
        return found


def _action_matcher(pattern: str) -> Callable[[str], bool]:
    return compile_glob(pattern.lower(), ignore_case=True)


def _resource_matcher(statement: Statement, version: str) -> ResourceMatcher:
    if statement.resources is None and statement.not_resources is None:
        return _always
    negate = statement.resources is None
    patterns = (
        statement.resources
        if statement.resources is not None
        else (statement.not_resources or ())
    )
    if "*" in patterns:
        return _never if negate else _always
    matchers = tuple(_pattern_matcher(p, version) for p in patterns)
    if len(matchers) == 1:
        only = matchers[0]
        if negate:
            return lambda resource, context: not only(resource, context)
        return only
    if negate:
        return lambda resource, context: not any(m(resource, context) for m in matchers)
    return lambda resource, context: any(m(resource, context) for m in matchers)


def _pattern_matcher(pattern: str, version: str) -> ResourceMatcher:
    if version == VERSION_2012 and "${" in pattern:
        template = compile_template(pattern, version=version)

        def matches_template(resource: str, context: Context) -> bool:
            rendered = template.render(context, quote=quote_glob)
            return rendered is not None and compile_arn_pattern(rendered)(resource)

        return matches_template
    matcher = compile_arn_pattern(pattern)
    if not has_wildcard(pattern):
        return lambda resource, _context: resource == pattern
    return lambda resource, _context: matcher(resource)


def _always(_resource: str, _context: Context) -> bool:
    return True


def _never(_resource: str, _context: Context) -> bool:
    return False


def match_principal(names: PrincipalSet, principal: Principal) -> PrincipalMatch | None:
    """How, if at all, a Principal element names ``principal``."""
    kind = principal.type
    if kind is PrincipalType.SERVICE:
        return (
            PrincipalMatch.DIRECT
            if principal.arn in names.service
            else (PrincipalMatch.EVERYONE if names.everyone else None)
        )
    if kind is PrincipalType.WEB_IDENTITY:
        return (
            PrincipalMatch.DIRECT
            if principal.arn in names.federated
            else (PrincipalMatch.EVERYONE if names.everyone else None)
        )
    aws = names.aws
    if principal.arn in aws:
        return PrincipalMatch.DIRECT
    if principal.role_arn is not None and principal.role_arn in aws:
        return PrincipalMatch.ROLE
    if principal.user_arn is not None and principal.user_arn in aws:
        return PrincipalMatch.ROLE
    if names.everyone:
        return PrincipalMatch.EVERYONE
    root = principal.root_arn
    if root is not None and root in aws and kind is not PrincipalType.ANONYMOUS:
        return PrincipalMatch.ACCOUNT
    return None


def is_excluded_by_not_principal(names: PrincipalSet, principal: Principal) -> bool:
    """Whether a NotPrincipal element exempts ``principal`` from its Deny.

    AWS documents that a caller is exempt only when the element names both its
    own identity and, for principals inside an account, that account
    ("AWS JSON policy elements: NotPrincipal", IAM User Guide). A role session
    must be named by its session ARN; naming only the role is not enough.
    """
    if names.everyone:
        return True
    kind = principal.type
    if kind is PrincipalType.SERVICE:
        return principal.arn in names.service
    if kind is PrincipalType.WEB_IDENTITY:
        return principal.arn in names.federated
    if principal.arn not in names.aws:
        return False
    root = principal.root_arn
    return root is None or root in names.aws
