"""Callers that are not IAM users or roles: root, anonymous, services, IdPs.

Pages cited, from the IAM User Guide:
[enforcement] "How AWS enforcement code logic evaluates requests to allow or
deny access"; [principal] "AWS JSON policy elements: Principal"; [cross]
"Cross-account policy evaluation logic".
"""

from __future__ import annotations

from tests.factories import (
    ACCOUNT,
    BUCKET,
    OBJECT,
    OTHER_ACCOUNT,
    allow,
    anonymous,
    deny,
    request,
    resource_policy,
    role_arn,
    root,
    service,
    trust,
    user,
)

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet, Principal, PrincipalType

QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
GITHUB = Principal(PROVIDER, PrincipalType.WEB_IDENTITY, ACCOUNT)
CI_ROLE = role_arn("ci")


def test_root_user_is_allowed_without_any_policy() -> None:
    """The account root user has full access by default [enforcement]."""
    policies = PolicySet()

    decision = evaluate(request(root(), "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_root_user_is_bound_by_an_explicit_deny() -> None:
    """An explicit deny in any policy overrides even the root user [enforcement]."""
    bucket = resource_policy(deny("s3:DeleteBucket", BUCKET, Principal="*"))
    policies = PolicySet(resource=bucket)

    decision = evaluate(request(root(), "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_root_user_needs_the_resource_policy_across_accounts() -> None:
    """Another account's resource needs its resource policy to allow [cross]."""
    policies = PolicySet()

    decision = evaluate(request(root(OTHER_ACCOUNT), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_root_user_uses_a_resource_policy_trusting_its_account() -> None:
    """A resource policy naming the root's account admits its root user [cross]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": OTHER_ACCOUNT})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(root(OTHER_ACCOUNT), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_anonymous_caller_is_allowed_by_a_public_grant() -> None:
    """Principal "*" in a resource policy includes anonymous callers [principal]."""
    public = allow("s3:GetObject", f"{BUCKET}/*", Principal="*")
    policies = PolicySet(resource=resource_policy(public))

    decision = evaluate(request(anonymous(), "s3:GetObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_anonymous_caller_is_denied_without_a_resource_policy() -> None:
    """An anonymous caller has no identity policy to grant it access [principal]."""
    policies = PolicySet()

    decision = evaluate(request(anonymous(), "s3:GetObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_anonymous_caller_is_not_matched_by_an_account_principal() -> None:
    """Naming an account grants nothing to callers outside it [principal]."""
    grant = allow("s3:GetObject", f"{BUCKET}/*", Principal={"AWS": ACCOUNT})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(anonymous(), "s3:GetObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_wildcard_aws_principal_matches_an_iam_user() -> None:
    """{"AWS": "*"} in a resource policy matches every AWS principal [principal]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": "*"})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(user("alice"), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_service_principal_named_in_resource_policy_is_allowed() -> None:
    """A resource policy may grant to an AWS service principal [principal]."""
    grant = allow("sqs:SendMessage", QUEUE, Principal={"Service": "sns.amazonaws.com"})
    policies = PolicySet(resource=resource_policy(grant))
    sns = service("sns.amazonaws.com")

    decision = evaluate(request(sns, "sqs:SendMessage", QUEUE), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_service_principal_not_named_is_denied() -> None:
    """A grant to one service does not extend to another [principal]."""
    grant = allow("sqs:SendMessage", QUEUE, Principal={"Service": "sns.amazonaws.com"})
    policies = PolicySet(resource=resource_policy(grant))
    events = service("events.amazonaws.com")

    decision = evaluate(request(events, "sqs:SendMessage", QUEUE), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_service_named_in_trust_policy_may_assume_the_role() -> None:
    """A trust policy naming a service lets that service assume the role [principal]."""
    trusted = trust(
        allow("sts:AssumeRole", None, Principal={"Service": "ec2.amazonaws.com"})
    )
    ec2 = service("ec2.amazonaws.com")

    decision = evaluate(
        request(ec2, "sts:AssumeRole", CI_ROLE), PolicySet(resource=trusted)
    )

    assert decision.effect is DecisionEffect.ALLOW


def test_service_not_named_in_trust_policy_may_not_assume_the_role() -> None:
    """A trust policy naming one service excludes the others [principal]."""
    trusted = trust(
        allow("sts:AssumeRole", None, Principal={"Service": "ec2.amazonaws.com"})
    )
    lam = service("lambda.amazonaws.com")

    decision = evaluate(
        request(lam, "sts:AssumeRole", CI_ROLE), PolicySet(resource=trusted)
    )

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_identity_provider_named_in_trust_may_assume_with_web_identity() -> None:
    """A trust naming an OIDC provider admits its tokens [principal]."""
    trusted = trust(
        allow("sts:AssumeRoleWithWebIdentity", None, Principal={"Federated": PROVIDER})
    )
    ask = request(GITHUB, "sts:AssumeRoleWithWebIdentity", CI_ROLE)

    decision = evaluate(ask, PolicySet(resource=trusted))

    assert decision.effect is DecisionEffect.ALLOW


def test_identity_provider_not_named_in_trust_is_denied() -> None:
    """A trust naming another provider does not admit this one [principal]."""
    other = f"arn:aws:iam::{ACCOUNT}:oidc-provider/accounts.google.com"
    trusted = trust(
        allow("sts:AssumeRoleWithWebIdentity", None, Principal={"Federated": other})
    )
    ask = request(GITHUB, "sts:AssumeRoleWithWebIdentity", CI_ROLE)

    decision = evaluate(ask, PolicySet(resource=trusted))

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
