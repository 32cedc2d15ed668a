"""Permissions boundaries and session policies, and how resource grants meet them.

Pages cited:
[boundaries] IAM User Guide, "Permissions boundaries for IAM entities";
[enforcement] IAM User Guide, "How AWS enforcement code logic evaluates
requests to allow or deny access"; [sessions] IAM User Guide, "Policies and
permissions in AWS Identity and Access Management", section Session
policies; [cross] IAM User Guide, "Cross-account policy evaluation logic";
[federation] AWS STS API Reference, "GetFederationToken"; [notprincipal] IAM
User Guide, "AWS JSON policy elements: NotPrincipal".
"""

from __future__ import annotations

from tests.factories import (
    ACCOUNT,
    BUCKET,
    OTHER_ACCOUNT,
    allow,
    boundary,
    deny,
    federated_user,
    identity,
    labels,
    request,
    resource_policy,
    role_arn,
    role_session,
    session,
    user,
)

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet
from iamsim.policy.model import Policy

ALICE = user("alice")
APP = role_session("app", "s1")
BOB = federated_user("bob")
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
LIST = identity(allow("s3:ListBucket", sid="List"))
EC2_ONLY_BOUNDARY = boundary(allow("ec2:*"), name="ec2-only")


def _session(*statements: dict[str, object]) -> tuple[Policy, ...]:
    return (session(*statements),)


def _grant_to(principal_arn: str, sid: str = "Grant") -> Policy:
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": principal_arn}, sid=sid)
    return resource_policy(grant)


def test_boundary_alone_grants_nothing() -> None:
    """A boundary limits permissions but never grants them [boundaries]."""
    policies = PolicySet(boundary=boundary(allow("s3:*")))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_boundary_without_the_action_denies_identity_allow() -> None:
    """An action must be allowed by identity policy and boundary [boundaries]."""
    policies = PolicySet(identity=(LIST,), boundary=EC2_ONLY_BOUNDARY)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_identity_and_boundary_both_allowing_grants_access() -> None:
    """Effective permissions are the intersection of both [boundaries]."""
    policies = PolicySet(identity=(LIST,), boundary=boundary(allow("s3:*")))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "identity/List" in labels(decision)


def test_boundary_deny_overrides_identity_allow() -> None:
    """An explicit deny in a boundary overrides an identity Allow [boundaries]."""
    fence = boundary(allow("*"), deny("s3:ListBucket", sid="NoList"))
    policies = PolicySet(identity=(LIST,), boundary=fence)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY
    assert "boundary/NoList" in labels(decision)


def test_resource_grant_to_user_arn_is_not_limited_by_boundary() -> None:
    """A grant to a user ARN escapes a boundary's implicit deny [enforcement]."""
    policies = PolicySet(boundary=EC2_ONLY_BOUNDARY, resource=_grant_to(ALICE.arn))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "resource/Grant" in labels(decision)


def test_resource_grant_to_user_arn_is_still_limited_by_boundary_deny() -> None:
    """An explicit deny in a boundary overrides a resource grant [boundaries]."""
    fence = boundary(allow("*"), deny("s3:ListBucket"))
    policies = PolicySet(boundary=fence, resource=_grant_to(ALICE.arn))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_resource_grant_to_role_arn_is_limited_by_boundary() -> None:
    """A grant to a role ARN is limited by the role's boundary [enforcement]."""
    policies = PolicySet(boundary=EC2_ONLY_BOUNDARY, resource=_grant_to(role_arn()))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_resource_grant_to_session_arn_is_not_limited_by_boundary() -> None:
    """A grant to a session ARN escapes a boundary's implicit deny [enforcement]."""
    policies = PolicySet(boundary=EC2_ONLY_BOUNDARY, resource=_grant_to(APP.arn))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_cross_account_boundary_limits_the_callers_side() -> None:
    """Across accounts, the caller's boundary limits the identity side [cross]."""
    outsider = user("carol", OTHER_ACCOUNT)
    policies = PolicySet(
        identity=(LIST,), boundary=EC2_ONLY_BOUNDARY, resource=_grant_to(outsider.arn)
    )

    decision = evaluate(request(outsider, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_not_principal_deny_always_denies_a_principal_with_a_boundary() -> None:
    """NotPrincipal with Deny denies bounded principals even if listed [boundaries]."""
    spared = {"AWS": [ALICE.arn, ROOT_ARN]}
    fence = deny("s3:*", BUCKET, NotPrincipal=spared, sid="Fence")
    policies = PolicySet(
        identity=(LIST,),
        boundary=boundary(allow("s3:*")),
        resource=resource_policy(fence),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE
    assert "resource/Fence" in labels(decision)


def test_not_principal_deny_spares_the_listed_role_session_without_boundary() -> None:
    """Without a boundary, a session listed in NotPrincipal is spared [notprincipal]."""
    listed = {"AWS": [APP.arn, role_arn(), ROOT_ARN]}
    fence = deny("s3:*", BUCKET, NotPrincipal=listed)
    policies = PolicySet(identity=(LIST,), resource=resource_policy(fence))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_session_policy_without_the_action_denies_identity_allow() -> None:
    """A session's permissions are identity and session policy together [sessions]."""
    policies = PolicySet(identity=(LIST,), session=_session(allow("ec2:*")))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION


def test_session_policy_alone_grants_nothing() -> None:
    """A session policy cannot grant more than identity policies [sessions]."""
    policies = PolicySet(session=_session(allow("s3:*")))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_identity_and_session_policy_both_allowing_grants_access() -> None:
    """A role session may do what identity and session policy allow [sessions]."""
    policies = PolicySet(identity=(LIST,), session=_session(allow("s3:*")))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_session_policy_deny_overrides_identity_allow() -> None:
    """An explicit deny in a session policy overrides an Allow [sessions]."""
    scoped = _session(allow("*"), deny("s3:ListBucket", sid="NoList"))
    policies = PolicySet(identity=(LIST,), session=scoped)

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION
    assert "session/NoList" in labels(decision)


def test_role_session_without_session_policy_keeps_role_permissions() -> None:
    """A role session with no session policy is allowed by its role [enforcement]."""
    policies = PolicySet(identity=(LIST,))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_session_boundary_and_identity_must_all_allow() -> None:
    """With a session policy and a boundary, all three must allow [boundaries]."""
    policies = PolicySet(
        identity=(LIST,), boundary=EC2_ONLY_BOUNDARY, session=_session(allow("s3:*"))
    )

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_federated_user_without_session_policy_has_no_permissions() -> None:
    """A federation session without a session policy has no permissions [federation]."""
    policies = PolicySet(identity=(LIST,))

    decision = evaluate(request(BOB, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION


def test_federated_user_gets_user_and_session_policy_intersection() -> None:
    """A federated user may do what user and session policy allow [federation]."""
    policies = PolicySet(identity=(LIST,), session=_session(allow("s3:*")))

    decision = evaluate(request(BOB, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_grant_to_session_arn_is_not_limited_by_session_policy() -> None:
    """A grant to a session ARN escapes its session policy [enforcement]."""
    policies = PolicySet(session=_session(allow("ec2:*")), resource=_grant_to(APP.arn))

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_grant_to_role_arn_is_limited_by_session_policy() -> None:
    """A grant to a role ARN is limited by the session policy [enforcement]."""
    policies = PolicySet(
        session=_session(allow("ec2:*")), resource=_grant_to(role_arn())
    )

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION


def test_resource_grant_to_federated_user_arn_is_not_limited_by_session() -> None:
    """A grant to a federated user ARN escapes its session policy [enforcement]."""
    policies = PolicySet(session=_session(allow("ec2:*")), resource=_grant_to(BOB.arn))

    decision = evaluate(request(BOB, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_grant_to_the_federating_user_is_limited_by_session() -> None:
    """A grant to the federating IAM user obeys the session policy [enforcement]."""
    policies = PolicySet(
        session=_session(allow("ec2:*")), resource=_grant_to(user("bob").arn)
    )

    decision = evaluate(request(BOB, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION


def test_resource_grant_to_session_arn_still_obeys_session_policy_deny() -> None:
    """An explicit deny in a session policy overrides a resource grant [sessions]."""
    policies = PolicySet(
        session=_session(allow("*"), deny("s3:ListBucket")), resource=_grant_to(APP.arn)
    )

    decision = evaluate(request(APP, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION
