"""Resource-based policies: ordinary ones, KMS key policies and role trust policies.

Pages cited:
[enforcement] IAM User Guide, "How AWS enforcement code logic evaluates
requests to allow or deny access"; [principal] IAM User Guide, "AWS JSON
policy elements: Principal"; [notprincipal] IAM User Guide, "AWS JSON policy
elements: NotPrincipal"; [keys] AWS KMS Developer Guide, "Key policies in AWS
KMS"; [default-key] AWS KMS Developer Guide, "Default key policy";
[assume-role] AWS STS API Reference, "AssumeRole"; [cross] IAM User Guide,
"Cross-account policy evaluation logic".
"""

from __future__ import annotations

from tests.factories import (
    ACCOUNT,
    BUCKET,
    KEY,
    OTHER_ACCOUNT,
    allow,
    deny,
    identity,
    labels,
    request,
    resource_policy,
    role_arn,
    role_session,
    root,
    trust,
    user,
)

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet
from iamsim.policy.model import Policy

ALICE = user("alice")
DAVE = user("dave")
OUTSIDER = user("carol", OTHER_ACCOUNT)
DEPLOY_ROLE = role_arn("deploy")


def _key_policy(*principals: str, action: str = "kms:*") -> Policy:
    grant = allow(action, Principal={"AWS": list(principals)}, sid="KeyAccess")
    return resource_policy(grant, name="key-policy")


def _trust(*principals: str) -> Policy:
    grant = allow(
        "sts:AssumeRole", None, Principal={"AWS": list(principals)}, sid="Trust"
    )
    return trust(grant, name="trust")


def test_resource_policy_naming_the_user_grants_without_identity_policy() -> None:
    """A same-account grant to a user ARN needs no identity Allow [enforcement]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": ALICE.arn}, sid="Alice")
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "resource/Alice" in labels(decision)


def test_resource_policy_naming_the_role_grants_its_sessions() -> None:
    """A grant to a role ARN applies to that role's sessions [enforcement]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": role_arn("app")})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(role_session("app"), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_policy_naming_the_session_grants_that_session() -> None:
    """A grant to a role session ARN applies to that session [enforcement]."""
    caller = role_session("app", "build-42")
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": caller.arn})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(caller, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_resource_policy_naming_another_role_does_not_grant() -> None:
    """A grant to one role does not reach sessions of another [principal]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": role_arn("other")})
    policies = PolicySet(resource=resource_policy(grant))

    decision = evaluate(request(role_session("app"), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_resource_policy_deny_to_everyone_blocks_the_named_user() -> None:
    """A Deny with Principal "*" applies to every caller [principal]."""
    bucket = resource_policy(
        allow("s3:*", BUCKET, Principal={"AWS": ALICE.arn}),
        deny("s3:DeleteBucket", BUCKET, Principal="*", sid="Keep"),
    )
    policies = PolicySet(resource=bucket)

    decision = evaluate(request(ALICE, "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE
    assert "resource/Keep" in labels(decision)


def test_not_principal_deny_spares_the_listed_principal() -> None:
    """A NotPrincipal Deny spares the principal it lists [notprincipal]."""
    fence = deny("s3:*", BUCKET, NotPrincipal={"AWS": [ALICE.arn, ACCOUNT]})
    policies = PolicySet(
        identity=(identity(allow("s3:*")),), resource=resource_policy(fence)
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_not_principal_deny_applies_to_everyone_else() -> None:
    """A Deny with NotPrincipal applies to every unlisted principal [notprincipal]."""
    fence = deny("s3:*", BUCKET, NotPrincipal={"AWS": [ALICE.arn, ACCOUNT]})
    policies = PolicySet(
        identity=(identity(allow("s3:*")),), resource=resource_policy(fence)
    )

    decision = evaluate(request(DAVE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def _fence_all_but_alice() -> PolicySet:
    fence = deny(
        "s3:*",
        BUCKET,
        Principal="*",
        Condition={"ArnNotEquals": {"aws:PrincipalArn": ALICE.arn}},
    )
    return PolicySet(
        identity=(identity(allow("s3:*")),), resource=resource_policy(fence)
    )


def test_principal_arn_condition_spares_the_named_principal() -> None:
    """ArnNotEquals on aws:PrincipalArn exempts the ARN it names [notprincipal]."""
    ask = request(ALICE, "s3:ListBucket", context={"aws:principalarn": (ALICE.arn,)})

    decision = evaluate(ask, _fence_all_but_alice())

    assert decision.effect is DecisionEffect.ALLOW


def test_principal_arn_condition_denies_every_other_principal() -> None:
    """ArnNotEquals on aws:PrincipalArn denies all other callers [notprincipal]."""
    ask = request(DAVE, "s3:ListBucket", context={"aws:principalarn": (DAVE.arn,)})

    decision = evaluate(ask, _fence_all_but_alice())

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_key_policy_trusting_the_account_enables_identity_policies() -> None:
    """The default key statement lets IAM policies grant key use [default-key]."""
    policies = PolicySet(
        identity=(identity(allow("kms:Decrypt")),),
        resource=_key_policy(f"arn:aws:iam::{ACCOUNT}:root"),
    )

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_key_policy_trusting_the_account_still_needs_an_identity_allow() -> None:
    """Trusting the account delegates to IAM; IAM must then allow [default-key]."""
    policies = PolicySet(resource=_key_policy(f"arn:aws:iam::{ACCOUNT}:root"))

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_identity_allow_has_no_effect_without_key_policy_permission() -> None:
    """Without key policy permission, IAM Allows on a key have no effect [keys]."""
    policies = PolicySet(
        identity=(identity(allow("kms:*")),), resource=_key_policy(DAVE.arn)
    )

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_key_policy_naming_the_user_grants_without_identity_policy() -> None:
    """A key policy Allow for a principal suffices on its own [keys]."""
    policies = PolicySet(resource=_key_policy(ALICE.arn, action="kms:Decrypt"))

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "key-policy/KeyAccess" in labels(decision)


def test_identity_deny_on_a_key_applies_without_key_policy_permission() -> None:
    """An IAM Deny restricts a key whatever the key policy says [keys]."""
    policies = PolicySet(
        identity=(identity(deny("kms:Decrypt")),), resource=_key_policy(ALICE.arn)
    )

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_root_user_has_no_key_access_the_key_policy_withholds() -> None:
    """Not even the root user may use a key its policy does not allow [keys]."""
    policies = PolicySet(resource=_key_policy(DAVE.arn))

    decision = evaluate(request(root(), "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY


def test_key_policy_trusting_another_account_enables_its_iam_policies() -> None:
    """Cross-account key use needs the key policy and an IAM Allow [cross]."""
    policies = PolicySet(
        identity=(identity(allow("kms:Decrypt")),),
        resource=_key_policy(f"arn:aws:iam::{OTHER_ACCOUNT}:root"),
    )

    decision = evaluate(request(OUTSIDER, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_cross_account_key_use_fails_without_an_iam_allow() -> None:
    """A key policy trusting an outside account is not enough alone [cross]."""
    policies = PolicySet(resource=_key_policy(f"arn:aws:iam::{OTHER_ACCOUNT}:root"))

    decision = evaluate(request(OUTSIDER, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_identity_allow_cannot_assume_a_role_whose_trust_omits_the_caller() -> None:
    """A role's trust policy must allow the caller to assume it [enforcement]."""
    policies = PolicySet(
        identity=(identity(allow("sts:AssumeRole")),), resource=_trust(DAVE.arn)
    )

    decision = evaluate(request(ALICE, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE


def test_trust_naming_the_user_allows_assume_role_without_identity_policy() -> None:
    """A same-account user named in trust may assume the role [assume-role]."""
    policies = PolicySet(resource=_trust(ALICE.arn))

    decision = evaluate(request(ALICE, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.ALLOW
    assert "trust/Trust" in labels(decision)


def test_trust_naming_the_account_needs_an_identity_allow() -> None:
    """Trusting the account root leaves the decision to IAM policies [assume-role]."""
    policies = PolicySet(resource=_trust(ACCOUNT))

    decision = evaluate(request(ALICE, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_trust_naming_the_account_with_identity_allow_permits_assume_role() -> None:
    """Account trust plus an identity Allow permits AssumeRole [assume-role]."""
    grant = allow("sts:AssumeRole", DEPLOY_ROLE)
    policies = PolicySet(identity=(identity(grant),), resource=_trust(ACCOUNT))

    decision = evaluate(request(ALICE, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_cross_account_assume_role_needs_the_callers_identity_allow() -> None:
    """Across accounts, naming the user in trust is not enough [assume-role]."""
    policies = PolicySet(resource=_trust(OUTSIDER.arn))

    decision = evaluate(request(OUTSIDER, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_cross_account_assume_role_with_both_sides_allowing() -> None:
    """Trust in the role's account plus IAM in the caller's allows [assume-role]."""
    policies = PolicySet(
        identity=(identity(allow("sts:AssumeRole", DEPLOY_ROLE)),),
        resource=_trust(OTHER_ACCOUNT),
    )

    decision = evaluate(request(OUTSIDER, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_trust_policy_deny_overrides_its_allow() -> None:
    """A Deny in a trust policy overrides any Allow [enforcement]."""
    guarded = trust(
        allow("sts:AssumeRole", None, Principal={"AWS": ACCOUNT}),
        deny("sts:AssumeRole", None, Principal={"AWS": ALICE.arn}, sid="NotAlice"),
    )
    policies = PolicySet(
        identity=(identity(allow("sts:AssumeRole")),), resource=guarded
    )

    decision = evaluate(request(ALICE, "sts:AssumeRole", DEPLOY_ROLE), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RESOURCE
    assert "trust/NotAlice" in labels(decision)
