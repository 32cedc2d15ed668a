"""The order in which IAM combines policy types, within and across accounts.

Pages cited, all from the IAM User Guide:
[enforcement] "How AWS enforcement code logic evaluates requests to allow or
deny access"; [single] "Policy evaluation for requests within a single
account"; [cross] "Cross-account policy evaluation logic"; [denies] "The
difference between explicit and implicit denies".
"""

from __future__ import annotations

from tests.factories import (
    BUCKET,
    OBJECT,
    OTHER_ACCOUNT,
    allow,
    boundary,
    deny,
    identity,
    labels,
    org,
    request,
    resource_policy,
    role_session,
    scp,
    scp_full_access,
    session,
    user,
)

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet

ALICE = user("alice")
OUTSIDER = user("carol", OTHER_ACCOUNT)


def test_request_with_no_policies_is_implicitly_denied() -> None:
    """With no applicable policy, a request is implicitly denied [denies]."""
    policies = PolicySet()

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_identity_policy_allow_grants_access() -> None:
    """An Allow in an identity-based policy alone grants access [single]."""
    policies = PolicySet(identity=(identity(allow("s3:ListBucket", sid="List")),))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "identity/List" in labels(decision)


def test_explicit_deny_overrides_allow_in_same_policy() -> None:
    """A Deny overrides an Allow in the same identity-based policy [denies]."""
    document = identity(allow("s3:*", sid="All"), deny("s3:DeleteBucket", sid="NoDel"))
    policies = PolicySet(identity=(document,))

    decision = evaluate(request(ALICE, "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY
    assert "identity/NoDel" in labels(decision)


def test_explicit_deny_in_one_attached_policy_overrides_allow_in_another() -> None:
    """A Deny in any attached policy overrides Allows in the others [enforcement]."""
    policies = PolicySet(
        identity=(
            identity(allow("s3:*"), name="admin"),
            identity(deny("s3:DeleteBucket", sid="Guard"), name="guardrail"),
        )
    )

    decision = evaluate(request(ALICE, "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert "guardrail/Guard" in labels(decision)


def test_statements_of_other_actions_do_not_apply() -> None:
    """An Allow for another action leaves the request implicitly denied [denies]."""
    policies = PolicySet(identity=(identity(allow("s3:GetObject")),))

    decision = evaluate(request(ALICE, "s3:PutObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_statements_of_other_resources_do_not_apply() -> None:
    """An Allow naming another resource does not grant this one [denies]."""
    grant = allow("s3:GetObject", "arn:aws:s3:::other-bucket/*")
    policies = PolicySet(identity=(identity(grant),))

    decision = evaluate(request(ALICE, "s3:GetObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_deny_not_matching_the_request_does_not_block_allow() -> None:
    """A Deny for other resources leaves an applicable Allow in force [denies]."""
    document = identity(allow("s3:*"), deny("s3:*", "arn:aws:s3:::*log*"))
    policies = PolicySet(identity=(document,))

    decision = evaluate(request(ALICE, "s3:PutObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_explicit_deny_wins_even_when_another_gate_implicitly_denies() -> None:
    """Deny evaluation runs first, so an explicit deny is reported [enforcement]."""
    policies = PolicySet(
        identity=(identity(deny("s3:ListBucket")),),
        scps=org(scp(allow("ec2:*"))),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_resource_policy_deny_overrides_identity_allow() -> None:
    """A Deny in a resource-based policy overrides an identity Allow [single]."""
    bucket = resource_policy(deny("s3:ListBucket", BUCKET, Principal="*", sid="Lock"))
    policies = PolicySet(identity=(identity(allow("s3:*")),), resource=bucket)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE
    assert "resource/Lock" in labels(decision)


def test_identity_deny_overrides_resource_policy_allow() -> None:
    """An identity Deny overrides an Allow in a resource-based policy [single]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": ALICE.arn})
    policies = PolicySet(
        identity=(identity(deny("s3:ListBucket")),),
        resource=resource_policy(grant),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_same_account_resource_policy_alone_grants_access() -> None:
    """In one account, a resource policy Allow suffices on its own [single]."""
    grant = allow(
        "s3:*", [BUCKET, f"{BUCKET}/*"], Principal={"AWS": ALICE.arn}, sid="Owner"
    )
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(ALICE, "s3:PutObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "resource/Owner" in labels(decision)


def test_same_account_identity_allow_suffices_beside_silent_resource_policy() -> None:
    """In one account, either an identity or a resource Allow suffices [single]."""
    other = allow("s3:*", BUCKET, Principal={"AWS": user("dave").arn})
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket")),),
        resource=resource_policy(other),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_policy_for_another_principal_grants_nothing() -> None:
    """A resource policy Allow applies only to the principals it names [single]."""
    other = allow("s3:ListBucket", BUCKET, Principal={"AWS": user("dave").arn})
    policies = PolicySet(resource=resource_policy(other))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_cross_account_needs_the_resource_policy_to_allow() -> None:
    """Across accounts, an identity Allow without a resource Allow fails [cross]."""
    policies = PolicySet(identity=(identity(allow("s3:ListBucket")),))
    ask = request(OUTSIDER, "s3:ListBucket")

    decision = evaluate(ask, policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_cross_account_needs_the_identity_policy_to_allow() -> None:
    """Across accounts, a resource Allow without an identity Allow fails [cross]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": OUTSIDER.arn})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_cross_account_is_allowed_when_both_sides_allow() -> None:
    """A cross-account request needs an Allow in both accounts [cross]."""
    grant = allow(
        "s3:ListBucket", BUCKET, Principal={"AWS": OUTSIDER.arn}, sid="Partner"
    )
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket", sid="Mine")),),
        resource=resource_policy(grant),
    )

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert {"identity/Mine", "resource/Partner"} <= set(labels(decision))


def test_cross_account_resource_policy_may_name_the_callers_account() -> None:
    """Naming the trusted account lets its identity policies decide [cross]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": OTHER_ACCOUNT})
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket")),),
        resource=resource_policy(grant),
    )

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_cross_account_resource_policy_deny_overrides_both_allows() -> None:
    """A Deny in the trusting account's resource policy always wins [cross]."""
    bucket = resource_policy(
        allow("s3:ListBucket", BUCKET, Principal={"AWS": OTHER_ACCOUNT}),
        deny("s3:ListBucket", BUCKET, Principal={"AWS": OUTSIDER.arn}),
    )
    policies = PolicySet(identity=(identity(allow("s3:*")),), resource=bucket)

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_scp_boundary_and_identity_must_all_allow() -> None:
    """With an SCP and a boundary, all three must allow [enforcement]."""
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket")),),
        boundary=boundary(allow("s3:*")),
        scps=org(scp_full_access(), scp_full_access()),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_implicit_deny_is_reported_before_identity_implicit_deny() -> None:
    """The SCP gate is checked before identity policies [enforcement]."""
    policies = PolicySet(scps=org(scp(allow("ec2:*"))))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_boundary_implicit_deny_is_reported_after_identity_allows() -> None:
    """The boundary is checked once identity policies allow [enforcement]."""
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket")),),
        boundary=boundary(allow("ec2:*")),
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.BOUNDARY


def test_session_policy_is_the_last_gate_for_a_role_session() -> None:
    """Session policies are checked after boundaries, last [enforcement]."""
    policies = PolicySet(
        identity=(identity(allow("s3:ListBucket")),),
        boundary=boundary(allow("s3:*")),
        session=(session(allow("ec2:*")),),
    )

    decision = evaluate(request(role_session(), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SESSION


def test_request_context_keys_match_regardless_of_case_and_shape() -> None:
    """Condition key names are case-insensitive ("IAM JSON policy elements: Condition")."""
    from iamsim.engine.evaluate import evaluate
    from iamsim.engine.request import PolicySet, Principal, PrincipalType, Request
    from iamsim.policy.model import PolicyKind
    from iamsim.policy.parse import parse_policy

    policy = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "*",
                    "Condition": {
                        "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
                        "Bool": {"aws:SecureTransport": "true"},
                    },
                }
            ],
        },
        kind=PolicyKind.IDENTITY,
    )
    principal = Principal(
        "arn:aws:iam::111122223333:user/alice", PrincipalType.USER, "111122223333"
    )
    request = Request(
        principal,
        "s3:GetObject",
        "arn:aws:s3:::b/k",
        {"AWS:SourceIP": "203.0.113.9", "aws:SecureTransport": True},
    )

    decision = evaluate(request, PolicySet(identity=(policy,)))

    assert decision.allowed


def test_tag_session_outside_a_role_needs_only_the_identity_policy() -> None:
    """Only a role's trust policy must allow sts:TagSession ("Passing session tags in AWS STS"); for a federation token the caller's own policy decides."""
    from iamsim.engine.evaluate import evaluate
    from iamsim.engine.request import PolicySet, Principal, PrincipalType, Request
    from iamsim.policy.model import PolicyKind
    from iamsim.policy.parse import parse_policy

    policy = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "sts:TagSession", "Resource": "*"}
            ],
        },
        kind=PolicyKind.IDENTITY,
    )
    principal = Principal(
        "arn:aws:iam::111122223333:user/alice", PrincipalType.USER, "111122223333"
    )
    request = Request(
        principal,
        "sts:TagSession",
        "arn:aws:sts::111122223333:federated-user/bob",
        resource_account="111122223333",
    )

    decision = evaluate(request, PolicySet(identity=(policy,)))

    assert decision.allowed
