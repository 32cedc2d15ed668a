"""Gather what the engine needs for one query: the Request and its PolicySet.

Which policies apply follows "Policy evaluation logic" (IAM User Guide):

- identity policies: a user's own (inline and attached) and each of its
  groups'; a role session's role policies; a federated user's are those of
  the IAM user that called ``GetFederationToken``, when the session names it;
- the permissions boundary of that user or role;
- session policies, for role and federated-user sessions that pass any;
- the resource-based policy of the resource; when the resource is a role and
  the action is ``sts:AssumeRole*``, ``sts:TagSession``,
  ``sts:SetSourceIdentity`` or ``sts:SetContext``, the role's trust policy;
- SCP levels over the principal's account and RCP levels over the
  resource's account, root first, each marked when it is the management
  account. Callers outside any account (services, anonymous callers,
  identity providers) get no SCPs.

A federated user without session policies has none of its IAM user's
permissions ("GetFederationToken", STS API Reference): its identity side is
then empty, and only resource policies naming it can grant.

Imports only iamsim.errors, iamsim.engine, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from iamsim.engine.decision import Decision
from iamsim.engine.evaluate import ROLE_TRUST_ACTIONS, Authorizer, evaluate
from iamsim.engine.request import (
    NormalizedContext,
    OrgGates,
    PolicySet,
    PrincipalType,
    Request,
)
from iamsim.errors import InputError
from iamsim.policy.arn import is_arn, parse_arn
from iamsim.policy.model import Policy
from iamsim.world.context import (
    Target,
    principal_context,
    resource_context,
    time_context,
)
from iamsim.world.keys import CURRENT_TIME, TOKEN_ISSUE_TIME
from iamsim.world.model import User, World
from iamsim.world.principals import Caller, resolve_caller
from iamsim.world.query import Query, SessionSpec

_TEMPORARY = (PrincipalType.ASSUMED_ROLE, PrincipalType.FEDERATED_USER)
_IN_AN_ACCOUNT = (
    PrincipalType.USER,
    PrincipalType.ASSUMED_ROLE,
    PrincipalType.FEDERATED_USER,
    PrincipalType.ROOT,
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """A query resolved against a world, ready for the engine."""

    request: Request
    policies: PolicySet
    caller: Caller
    target: Target


def authorize(
    world: World,
    query: Query,
    *,
    now: datetime | None = None,
    authorizer: Authorizer | None = None,
) -> Decision:
    """Resolve ``query`` in ``world`` and let the engine decide it.

    Pass an ``authorizer`` to reuse compiled policies across requests.
    """
    resolution = resolve(world, query, now=now)
    if authorizer is None:
        return evaluate(resolution.request, resolution.policies)
    return authorizer.evaluate(resolution.request, resolution.policies)


def resolve(world: World, query: Query, *, now: datetime | None = None) -> Resolution:
    """The engine's Request and PolicySet for ``query``.

    The request time is the query's own or else ``now``; one of them must be
    given, since the world never reads a clock.
    """
    moment = query.time if query.time is not None else now
    if moment is None:
        raise InputError(
            "the request has no time",
            where="time",
            hint="set the query's time or pass now=",
        )
    if moment.utcoffset() is None:
        raise InputError(
            f"time {moment.isoformat()!r} has no time zone",
            where="time",
            hint="pass an aware datetime",
        )
    side = _principal_side(world, query.principal, query.session)
    target = _target_side(world, query.resource, query.action)
    context = NormalizedContext(side.context)
    context.update(target.context)
    context.update(_time_context(world, moment))
    if side.temporary:
        # Temporary credentials always carry their issue time ("AWS global
        # condition context keys", aws:TokenIssueTime); a session asked about
        # without one is taken as issued at the request time.
        context[TOKEN_ISSUE_TIME] = context[CURRENT_TIME]
    # What the caller states wins over what the world would fill, as context
    # entries do in IAM's policy simulator.
    context.update(query.normalized_context)
    caller = side.caller
    request = Request(
        caller.principal, query.action, query.resource, context, target.target.account
    )
    policies = PolicySet(
        identity=side.identity,
        boundary=side.boundary,
        session=side.session,
        resource=target.target.policy,
        scps=side.scps,
        rcps=target.rcps,
    )
    return Resolution(request, policies, caller, target.target)


@dataclass(frozen=True, slots=True)
class _PrincipalSide:
    """What a principal contributes to every request it makes."""

    caller: Caller
    context: Mapping[str, tuple[str, ...]]
    identity: tuple[Policy, ...]
    boundary: Policy | None
    session: tuple[Policy, ...] | None
    scps: OrgGates | None
    temporary: bool


@dataclass(frozen=True, slots=True)
class _TargetSide:
    """What a resource contributes to every request made on it."""

    target: Target
    context: Mapping[str, tuple[str, ...]]
    rcps: OrgGates | None


#: How many principals, resources and times a world remembers resolving
#: before it starts afresh; it bounds memory, not correctness.
_RESOLVED_LIMIT = 50_000


def _remember(world: World, key: Any, value: Any) -> None:
    cache = world._resolved
    if len(cache) >= _RESOLVED_LIMIT:
        cache.clear()
    cache[key] = value


def _principal_side(
    world: World, text: str, session: SessionSpec | None
) -> _PrincipalSide:
    # A session is matched by identity: the entry keeps the session object,
    # so its id cannot be reused by another while the entry lives.
    key = ("principal", text, id(session))
    entry = world._resolved.get(key)
    if entry is not None and entry[0] is session:
        return entry[1]  # type: ignore[no-any-return]
    caller = resolve_caller(world, text, session)
    identity, boundary, session_policies = _principal_policies(world, caller)
    principal = caller.principal
    scps = None
    organization = world.organization
    if (
        organization is not None
        and principal.type in _IN_AN_ACCOUNT
        and (principal.account is not None)
    ):
        scps = organization.scp_gates(principal.account)
    side = _PrincipalSide(
        caller,
        principal_context(world, caller),
        identity,
        boundary,
        session_policies,
        scps,
        principal.type in _TEMPORARY,
    )
    _remember(world, key, (session, side))
    return side


def _target_side(world: World, arn: str, action: str) -> _TargetSide:
    trust = action.lower() in ROLE_TRUST_ACTIONS
    key = ("target", arn, trust)
    side = world._resolved.get(key)
    if side is not None:
        return side  # type: ignore[no-any-return]
    target = locate_target(world, arn, action)
    rcps = None
    if world.organization is not None and target.account is not None:
        rcps = world.organization.rcp_gates(target.account)
    side = _TargetSide(target, resource_context(world, target), rcps)
    _remember(world, key, side)
    return side


def _time_context(world: World, moment: datetime) -> Mapping[str, tuple[str, ...]]:
    key = ("time", moment)
    context = world._resolved.get(key)
    if context is None:
        context = time_context(moment)
        _remember(world, key, context)
    return context


# GAP: S3 access points and object tags (s3:ExistingObjectTag) are not modelled.
def locate_target(world: World, arn: str, action: str) -> Target:
    """What the world knows of resource ``arn`` for ``action``.

    A listed resource gives its account, policy and tags. An S3 object falls
    under its listed bucket's account and bucket policy (object tags are not
    ``aws:ResourceTag``). A role or user gives its account and tags, and a
    role its trust policy for the role-trust actions. Any other ARN gives
    just the account in its account field, if any.
    """
    listed = world.resource(arn)
    if listed is not None:
        return Target(arn, listed.account, listed.policy, listed.tags)
    if not is_arn(arn):
        return Target(arn)
    parsed = parse_arn(arn)
    if parsed.service == "s3" and not parsed.account and "/" in parsed.resource:
        bucket_arn = arn.split("/", 1)[0]
        bucket = world.resource(bucket_arn)
        if bucket is not None:
            return Target(arn, bucket.account, bucket.policy)
    role = world.role(arn)
    if role is not None:
        trust = role.trust_policy if action.lower() in ROLE_TRUST_ACTIONS else None
        return Target(arn, role.account, trust, role.tags)
    user = world.user(arn)
    if user is not None:
        return Target(arn, user.account, None, user.tags)
    account = parsed.account if parsed.account.isdigit() else None
    return Target(arn, account)


def gather_policies(world: World, caller: Caller, target: Target) -> PolicySet:
    """Every policy that applies to ``caller`` acting on ``target``."""
    organization = world.organization
    principal = caller.principal
    scps: OrgGates | None = None
    rcps: OrgGates | None = None
    if organization is not None:
        if principal.type in _IN_AN_ACCOUNT and principal.account is not None:
            scps = organization.scp_gates(principal.account)
        if target.account is not None:
            rcps = organization.rcp_gates(target.account)
    identity, boundary, session = _principal_policies(world, caller)
    return PolicySet(
        identity=identity,
        boundary=boundary,
        session=session,
        resource=target.policy,
        scps=scps,
        rcps=rcps,
    )


def _principal_policies(
    world: World, caller: Caller
) -> tuple[tuple[Policy, ...], Policy | None, tuple[Policy, ...] | None]:
    session_policies = None
    if caller.session is not None and caller.session.policies:
        session_policies = caller.session.policies
    if caller.role is not None:
        role = caller.role
        return role.policies, role.permissions_boundary, session_policies
    user = caller.user
    if user is None:
        return (), None, None
    if caller.principal.type is PrincipalType.FEDERATED_USER and (
        session_policies is None
    ):
        return (), None, None
    return _user_policies(world, user), user.permissions_boundary, session_policies


def _user_policies(world: World, user: User) -> tuple[Policy, ...]:
    policies = list(user.policies)
    for group in world.groups_of(user):
        policies.extend(group.policies)
    return tuple(policies)
