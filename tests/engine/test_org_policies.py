"""Service control policies and resource control policies at every org level.

Pages cited, from the AWS Organizations User Guide unless noted:
[scp] "Service control policies (SCPs)"; [scp-eval] "SCP evaluation";
[rcp] "Resource control policies (RCPs)"; [rcp-eval] "RCP evaluation";
[enforcement] IAM User Guide, "How AWS enforcement code logic evaluates
requests to allow or deny access".
"""

from __future__ import annotations

from tests.factories import (
    ACCOUNT,
    BUCKET,
    KEY,
    OBJECT,
    OTHER_ACCOUNT,
    allow,
    deny,
    identity,
    labels,
    org,
    rcp,
    rcp_full_access,
    request,
    resource_policy,
    role_arn,
    role_session,
    root,
    scp,
    scp_full_access,
    trust,
    user,
)

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet, Request
from iamsim.policy.model import Policy

ALICE = user("alice")
OUTSIDER = user("carol", OTHER_ACCOUNT)
INSTANCE = f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-0123456789abcdef0"
S3_ADMIN = identity(allow("s3:*"))


def _rcp_deny_s3(sid: str = "NoS3") -> Policy:
    return rcp(deny("s3:*", Principal="*", sid=sid), name="perimeter")


def test_full_access_scp_at_every_level_lets_identity_allow_through() -> None:
    """FullAWSAccess at root, OU and account passes every request [scp-eval]."""
    gates = org(scp_full_access(), scp_full_access(), scp_full_access())
    policies = PolicySet(identity=(S3_ADMIN,), scps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_without_matching_allow_implicitly_denies() -> None:
    """An SCP that allows nothing for the action denies it [scp]."""
    policies = PolicySet(identity=(S3_ADMIN,), scps=org(scp(allow("ec2:*"))))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_scp_allow_is_needed_at_every_level() -> None:
    """An OU whose SCPs lack the Allow blocks accounts beneath it [scp-eval]."""
    gates = org(scp_full_access(), scp(allow("ec2:*"), name="ou"), scp_full_access())
    policies = PolicySet(identity=(S3_ADMIN,), scps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_scp_allow_missing_at_the_account_level_blocks() -> None:
    """The account's own SCPs must allow too, not only root and OUs [scp-eval]."""
    gates = org(scp_full_access(), scp_full_access(), scp(allow("ec2:*")))
    policies = PolicySet(identity=(S3_ADMIN,), scps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_narrowing_allows_at_each_level_grant_their_intersection() -> None:
    """Differing Allows at each level pass what all of them allow [scp-eval]."""
    gates = org(
        scp_full_access(),
        scp(allow("s3:*"), name="ou"),
        scp(allow(["s3:GetObject", "s3:ListBucket"]), name="account"),
    )
    policies = PolicySet(identity=(S3_ADMIN,), scps=gates)

    decision = evaluate(request(ALICE, "s3:GetObject", OBJECT), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_any_policy_at_a_level_may_supply_that_levels_allow() -> None:
    """Several SCPs attached at one level allow what any of them allows [scp-eval]."""
    account_level = (
        scp(allow("ec2:*"), name="compute"),
        scp(allow("s3:*"), name="storage"),
    )
    gates = org(scp_full_access(), account_level)
    policies = PolicySet(identity=(S3_ADMIN,), scps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_allow_grants_no_permission_by_itself() -> None:
    """SCPs never grant; an identity or resource Allow is still needed [scp]."""
    policies = PolicySet(scps=org(scp_full_access(), scp_full_access()))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.IDENTITY


def test_scp_deny_at_an_ou_overrides_identity_allow() -> None:
    """A Deny in an SCP at any level denies the request [scp-eval]."""
    guard = scp(allow("*"), deny("s3:DeleteBucket", sid="KeepBuckets"), name="ou")
    policies = PolicySet(
        identity=(S3_ADMIN,), scps=org(scp_full_access(), guard, scp_full_access())
    )

    decision = evaluate(request(ALICE, "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP
    assert "ou/KeepBuckets" in labels(decision)


def test_scp_deny_at_the_root_reaches_every_account() -> None:
    """A Deny attached to the organization root applies below it [scp-eval]."""
    guard = scp(allow("*"), deny("s3:DeleteBucket"), name="root")
    policies = PolicySet(
        identity=(S3_ADMIN,), scps=org(guard, scp_full_access(), scp_full_access())
    )

    decision = evaluate(request(ALICE, "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def _region_locked() -> PolicySet:
    region_lock = deny(
        "*", Condition={"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}
    )
    gates = org(scp(allow("*"), region_lock))
    return PolicySet(identity=(identity(allow("ec2:*")),), scps=gates)


def _start_instance_in(region: str) -> Request:
    context = {"aws:requestedregion": (region,)}
    return request(ALICE, "ec2:StartInstances", INSTANCE, context=context)


def test_scp_conditional_deny_applies_when_its_condition_holds() -> None:
    """An SCP Deny applies when its Condition matches the request [scp]."""
    policies = _region_locked()

    decision = evaluate(_start_instance_in("eu-west-1"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_scp_conditional_deny_is_skipped_when_its_condition_fails() -> None:
    """An SCP Deny whose Condition does not match leaves the Allow [scp]."""
    policies = _region_locked()

    decision = evaluate(_start_instance_in("us-east-1"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scps_limit_permissions_granted_by_resource_policies() -> None:
    """Resource policy grants to member-account principals obey SCPs [enforcement]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": ALICE.arn})
    policies = PolicySet(resource=resource_policy(grant), scps=org(scp(allow("ec2:*"))))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.IMPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_scps_restrict_the_member_account_root_user() -> None:
    """SCPs apply to the root user of a member account [scp]."""
    guard = scp(allow("*"), deny("s3:DeleteBucket"))
    policies = PolicySet(scps=org(guard))

    decision = evaluate(request(root(), "s3:DeleteBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_scp_deny_does_not_affect_the_management_account() -> None:
    """SCPs do not affect users or roles in the management account [scp]."""
    guard = scp(allow("*"), deny("s3:*"))
    policies = PolicySet(identity=(S3_ADMIN,), scps=org(guard, management=True))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_without_allow_does_not_affect_the_management_account() -> None:
    """A missing SCP Allow does not restrict the management account [scp]."""
    policies = PolicySet(
        identity=(S3_ADMIN,), scps=org(scp(allow("ec2:*")), management=True)
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_deny_does_not_affect_service_linked_roles() -> None:
    """SCPs do not affect service-linked roles [scp]."""
    linked = role_session("AWSServiceRoleForExample", "svc", service_linked=True)
    policies = PolicySet(identity=(S3_ADMIN,), scps=org(scp(allow("*"), deny("s3:*"))))

    decision = evaluate(request(linked, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_scp_deny_still_applies_to_ordinary_role_sessions() -> None:
    """SCPs restrict role sessions that are not service-linked [scp]."""
    policies = PolicySet(identity=(S3_ADMIN,), scps=org(scp(allow("*"), deny("s3:*"))))

    decision = evaluate(request(role_session(), "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_rcp_full_access_at_every_level_lets_requests_through() -> None:
    """RCPFullAWSAccess everywhere keeps existing permissions working [rcp-eval]."""
    gates = org(rcp_full_access(), rcp_full_access(), rcp_full_access())
    policies = PolicySet(identity=(S3_ADMIN,), rcps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_rcp_deny_at_an_ou_overrides_identity_allow() -> None:
    """A Deny in an RCP at any level denies access to the resource [rcp-eval]."""
    ou_level = (rcp_full_access(), _rcp_deny_s3())
    gates = org(rcp_full_access(), ou_level, rcp_full_access())
    policies = PolicySet(identity=(S3_ADMIN,), rcps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RCP
    assert "perimeter/NoS3" in labels(decision)


def test_rcp_of_the_resource_account_restricts_external_principals() -> None:
    """RCPs apply to the resource even when an outside account calls [rcp]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": OUTSIDER.arn})
    gates = org((rcp_full_access(), _rcp_deny_s3()))
    policies = PolicySet(
        identity=(S3_ADMIN,), resource=resource_policy(grant), rcps=gates
    )

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RCP


def test_rcp_deny_does_not_affect_management_account_resources() -> None:
    """RCPs do not affect resources in the management account [rcp]."""
    gates = org((rcp_full_access(), _rcp_deny_s3()), management=True)
    policies = PolicySet(identity=(S3_ADMIN,), rcps=gates)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_rcp_does_not_apply_to_services_outside_its_list() -> None:
    """RCPs apply only to the services they support; EC2 is not one [rcp]."""
    blanket = rcp(deny("*", Principal="*"), name="blanket")
    policies = PolicySet(
        identity=(identity(allow("ec2:StartInstances")),),
        rcps=org((rcp_full_access(), blanket)),
    )

    decision = evaluate(request(ALICE, "ec2:StartInstances", INSTANCE), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_rcp_applies_to_kms_keys() -> None:
    """AWS KMS is among the services RCPs support [rcp]."""
    key_policy = resource_policy(allow("kms:*", Principal={"AWS": ACCOUNT}))
    no_kms = rcp(deny("kms:*", Principal="*"), name="no-kms")
    policies = PolicySet(
        identity=(identity(allow("kms:Decrypt")),),
        resource=key_policy,
        rcps=org((rcp_full_access(), no_kms)),
    )

    decision = evaluate(request(ALICE, "kms:Decrypt", KEY), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RCP


def test_rcp_applies_to_assuming_a_role() -> None:
    """AWS STS is among the services RCPs support [rcp]."""
    target = role_arn("deploy")
    trusted = trust(allow("sts:AssumeRole", None, Principal={"AWS": ALICE.arn}))
    no_assume = rcp(deny("sts:AssumeRole", Principal="*"), name="no-assume")
    policies = PolicySet(
        identity=(identity(allow("sts:AssumeRole")),),
        resource=trusted,
        rcps=org((rcp_full_access(), no_assume)),
    )

    decision = evaluate(request(ALICE, "sts:AssumeRole", target), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RCP


def test_rcp_deny_does_not_affect_service_linked_roles() -> None:
    """RCPs do not restrict actions taken by service-linked roles [rcp]."""
    linked = role_session("AWSServiceRoleForExample", "svc", service_linked=True)
    policies = PolicySet(
        identity=(S3_ADMIN,), rcps=org((rcp_full_access(), _rcp_deny_s3()))
    )

    decision = evaluate(request(linked, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.ALLOW


def test_callers_scps_apply_to_its_cross_account_requests() -> None:
    """The caller's SCPs apply beside the resource account's RCPs [enforcement]."""
    grant = allow("s3:ListBucket", BUCKET, Principal={"AWS": OUTSIDER.arn})
    policies = PolicySet(
        identity=(S3_ADMIN,),
        resource=resource_policy(grant),
        scps=org(scp(allow("*"), deny("s3:ListBucket"), name="callers-org")),
        rcps=org(rcp_full_access()),
    )

    decision = evaluate(request(OUTSIDER, "s3:ListBucket"), policies)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP
