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
#: None stands for a statement that covers every resource.
OptionalResourceMatcher = ResourceMatcher | None


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
        "action_test",
        "condition",
        "condition_keys",
        "is_deny",
        "is_unconditional_allow",
        "matched",
        "not_principal",
        "principal",
        "resource_matches",
        "services",
        "statement",
    )

    def __init__(self, statement: Statement, policy: Policy) -> None:
        self.statement = statement
        self.action_test = _action_test(statement)
        self.is_deny = statement.effect is Effect.DENY
        self.principal = statement.principal
        self.not_principal = statement.not_principal
        self.resource_matches = _resource_matcher(statement, policy.version)
        condition = statement.condition
        self.condition = condition.matches if condition is not None else None
        self.condition_keys = tuple(sorted(condition.keys)) if condition else ()
        self.services = self._services()
        self.is_unconditional_allow = (
            not self.is_deny
            and self.resource_matches is None
            and self.condition is None
            and self.principal is None
            and self.not_principal is None
        )
        self.matched = MatchedStatement(
            policy.name, policy.kind, statement.index, statement.sid, statement.effect
        )

    def matches_action(self, action: str) -> bool:
        """Whether ``action`` (lowercase) is covered by Action / NotAction."""
        return self.action_test(action)

    def _services(self) -> frozenset[str] | None:
        """The services this statement can match, or None for any service."""
        statement = self.statement
        if statement.actions is None:
            return None
        services: set[str] = set()
        for pattern in statement.actions:
            service = pattern.split(":", 1)[0].lower()
            if pattern == "*" or has_wildcard(service):
                return None
            services.add(service)
        return frozenset(services)


def _action_test(statement: Statement) -> Callable[[str], bool]:
    """One predicate for the statement's Action or NotAction patterns."""
    negated = statement.actions is None
    patterns = statement.actions if not negated else statement.not_actions
    lowered = [p.lower() for p in patterns or ()]
    if "*" in lowered:
        return _never_action if negated else _any_action
    exact = frozenset(p for p in lowered if not has_wildcard(p))
    globs = tuple(compile_glob(p, ignore_case=True) for p in lowered if has_wildcard(p))
    if not globs:
        if negated:
            return lambda action: action not in exact
        return exact.__contains__
    if negated:
        return lambda action: not (action in exact or any(m(action) for m in globs))
    return lambda action: action in exact or any(m(action) for m in globs)


def _any_action(_action: str) -> bool:
    return True


def _never_action(_action: str) -> bool:
    return False


class CompiledPolicy:
    """A policy's statements, each with its matchers bound."""

    __slots__ = ("policy", "statements")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.statements = tuple(CompiledStatement(s, policy) for s in policy.statements)


class GateScan:
    """The statements of one gate that matched a request."""

    __slots__ = ("allows", "denies", "match")

    def __init__(
        self,
        allows: list[MatchedStatement] | None = None,
        denies: list[MatchedStatement] | None = None,
    ) -> None:
        self.allows: list[MatchedStatement] = allows if allows is not None else []
        self.denies: list[MatchedStatement] = denies if denies is not None else []
        self.match: PrincipalMatch | None = None


class ActionPlan:
    """What a gate holds for one action.

    ``statements`` are those whose Action or NotAction covers it. When every
    one of them is an Allow with no Resource limit, no Condition and no
    Principal, the gate's result cannot depend on the request beyond its
    action, and ``static`` holds that result ready-made (never modified).
    """

    __slots__ = ("statements", "static")

    def __init__(self, statements: tuple[CompiledStatement, ...]) -> None:
        self.statements = statements
        self.static: GateScan | None = None
        if statements and all(s.is_unconditional_allow for s in statements):
            self.static = GateScan(allows=[s.matched for s in statements])


class CompiledGate:
    """The statements of several policies, indexed by service and by action.

    The first request for an action tests only the statements of its service
    (and those whose Action names every service, or that use NotAction);
    later requests for it are one dictionary lookup.
    """

    __slots__ = ("_by_action", "_by_service", "_everywhere", "_order", "policies")

    def __init__(self, policies: tuple[Policy, ...], compiled: list[CompiledPolicy]):
        self.policies = policies
        by_service: dict[str, list[CompiledStatement]] = {}
        everywhere: list[CompiledStatement] = []
        self._order: dict[int, int] = {}
        for policy in compiled:
            for statement in policy.statements:
                self._order[id(statement)] = len(self._order)
                services = statement.services
                if services is None:
                    everywhere.append(statement)
                    continue
                for service in services:
                    by_service.setdefault(service, []).append(statement)
        self._by_service = {k: tuple(v) for k, v in by_service.items()}
        self._everywhere = tuple(everywhere)
        self._by_action: dict[str, ActionPlan] = {}

    def for_action(self, action: str) -> ActionPlan:
        """The plan for ``action`` (lowercase): its statements, maybe its result."""
        found = self._by_action.get(action)
        if found is None:
            found = self._index(action)
        return found

    def _index(self, action: str) -> ActionPlan:
        service = action.split(":", 1)[0]
        candidates = self._by_service.get(service, ()) + self._everywhere
        found = tuple(s for s in candidates if s.action_test(action))
        if self._everywhere and len(found) > 1:
            order = self._order
            found = tuple(sorted(found, key=lambda s: order[id(s)]))
        if len(self._by_action) >= _ACTION_MEMO_LIMIT:
            self._by_action.clear()
        plan = ActionPlan(found)
        self._by_action[action] = plan
        return plan


#: A gate remembers this many actions before starting afresh; it bounds the
#: memory of a long-running process asked about ever new action names.
_ACTION_MEMO_LIMIT = 4_096


def _resource_matcher(statement: Statement, version: str) -> OptionalResourceMatcher:
    if statement.resources is None and statement.not_resources is None:
        return None
    negate = statement.resources is None
    patterns = (
        statement.resources
        if statement.resources is not None
        else (statement.not_resources or ())
    )
    if "*" in patterns:
        return _never if negate else None
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


class CompiledLevels:
    """The compiled gates of an organization's levels, root first.

    For an action that every level allows unconditionally (the common case of
    FullAWSAccess), the levels' results are fixed: they are remembered per
    action so such requests skip scanning the levels at all.
    """

    __slots__ = ("_static", "gates")

    def __init__(self, gates: tuple[CompiledGate, ...]) -> None:
        self.gates = gates
        self._static: dict[str, tuple[GateScan, ...] | None] = {}

    def static_scans(self, action: str) -> tuple[GateScan, ...] | None:
        """Every level's fixed result for ``action``, or None if any may vary."""
        if action in self._static:
            return self._static[action]
        plans = [gate.for_action(action) for gate in self.gates]
        scans = tuple(plan.static for plan in plans if plan.static is not None)
        found = scans if len(scans) == len(plans) else None
        if len(self._static) >= _ACTION_MEMO_LIMIT:
            self._static.clear()
        self._static[action] = found
        return found
