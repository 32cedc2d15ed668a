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

from dataclasses import dataclass
from datetime import datetime

from iamsim.engine.decision import Decision
from iamsim.engine.evaluate import ROLE_TRUST_ACTIONS, Authorizer, evaluate
from iamsim.engine.request import OrgGates, PolicySet, PrincipalType, Request
from iamsim.errors import InputError
from iamsim.policy.arn import is_arn, parse_arn
from iamsim.policy.model import Policy
from iamsim.world.context import Target, build_context
from iamsim.world.model import User, World
from iamsim.world.principals import Caller, resolve_caller
from iamsim.world.query import Query

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
    caller = resolve_caller(world, query.principal, query.session)
    target = locate_target(world, query.resource, query.action)
    context = build_context(world, caller, target, moment, query.normalized_context)
    request = Request(
        caller.principal, query.action, query.resource, context, target.account
    )
    return Resolution(request, gather_policies(world, caller, target), caller, target)


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
