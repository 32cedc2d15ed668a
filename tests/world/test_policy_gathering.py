"""The world gathers exactly the policies that apply to a request.

Pages cited: [logic] IAM User Guide, "Policy evaluation logic"; [groups]
IAM User Guide, "IAM user groups"; [boundary] IAM User Guide, "Permissions
boundaries for IAM entities"; [session] IAM User Guide, "Policies and
permissions in AWS Identity and Access Management", session policies;
[gft] AWS STS API Reference, "GetFederationToken"; [trust] IAM User Guide,
"Roles terms and concepts", trust policy; [kms] AWS KMS Developer Guide,
"Key policies in AWS KMS"; [scp] AWS Organizations User Guide, "Service
control policies (SCPs)"; [rcp] AWS Organizations User Guide, "Resource
control policies (RCPs)".
"""

from __future__ import annotations

import pytest
from tests.world.shared import ALICE, BUCKET, DEV, KEY, NOW, ask

from iamsim.engine.decision import DecisionEffect, Gate
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.world.model import World
from iamsim.world.query import Query, SessionSpec
from iamsim.world.scenario import scenario_from_dict

SESSION_POLICY = parse_policy(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    },
    kind=PolicyKind.SESSION,
    name="s1/inline-0",
)


def _names(policies: tuple[Policy, ...] | None) -> list[str] | None:
    return None if policies is None else [policy.name for policy in policies]


def test_user_identity_policies_include_each_groups(world: World) -> None:
    """[groups] A user's own policies come first, then its groups' policies."""
    policies = ask(world, ALICE).policies

    assert _names(policies.identity) == ["alice/inline-0", "S3Read"]


def test_user_permissions_boundary_applies(world: World) -> None:
    """[boundary] The user's permissions boundary is gathered."""
    boundary = ask(world, ALICE).policies.boundary

    assert boundary is not None
    assert (boundary.name, boundary.kind) == ("S3AndSts", PolicyKind.BOUNDARY)


def test_user_has_no_session_policies(world: World) -> None:
    """[session] Only sessions carry session policies."""
    assert ask(world, ALICE).policies.session is None


def test_role_session_gets_role_policies_and_boundary(world: World) -> None:
    """[logic] A role session is governed by its role's policies and boundary."""
    policies = ask(world, DEV).policies

    assert _names(policies.identity) == ["S3Read"]
    assert policies.boundary is not None and policies.boundary.name == "S3AndSts"


def test_role_session_policies_are_gathered(world: World) -> None:
    """[session] Policies passed when assuming the role apply to the session."""
    session = SessionSpec(name="s1", policies=(SESSION_POLICY,))

    policies = ask(world, DEV, session=session).policies

    assert _names(policies.session) == ["s1/inline-0"]


def test_session_without_policies_has_none(world: World) -> None:
    """[session] A session that passed no policies has no session gate."""
    assert ask(world, DEV, session=SessionSpec(name="s1")).policies.session is None


def test_federated_user_gets_its_users_policies_and_the_session_policy(
    world: World,
) -> None:
    """[gft] A federated user is limited to its user's and session policies."""
    session = SessionSpec(user="alice", policies=(SESSION_POLICY,))
    arn = "arn:aws:sts::222222222222:federated-user/fed-alice"

    resolution = ask(world, arn, session=session)

    assert _names(resolution.policies.identity) == ["alice/inline-0", "S3Read"]
    assert _names(resolution.policies.session) == ["s1/inline-0"]
    assert resolution.request.principal.user_arn == ALICE


def test_federated_user_without_session_policy_has_no_identity_grant(
    world: World,
) -> None:
    """[gft] Without a session policy a federated user has no IAM permissions."""
    arn = "arn:aws:sts::222222222222:federated-user/fed-alice"

    policies = ask(world, arn, session=SessionSpec(user="alice")).policies

    assert policies.identity == ()
    assert policies.session is None


@pytest.mark.parametrize(
    "action",
    [
        "sts:AssumeRole",
        "sts:AssumeRoleWithSAML",
        "sts:AssumeRoleWithWebIdentity",
        "sts:TagSession",
        "sts:SetSourceIdentity",
    ],
)
def test_trust_policy_is_the_resource_policy_of_role_actions(
    world: World, action: str
) -> None:
    """[trust] Assuming a role is authorized by its trust policy."""
    policies = ask(world, ALICE, action=action, resource=DEV).policies

    assert policies.resource is not None
    assert policies.resource.kind is PolicyKind.TRUST
    assert policies.resource.name == "Dev/trust-policy"


def test_trust_policy_does_not_govern_other_role_actions(world: World) -> None:
    """[trust] iam:GetRole on a role has no resource-based policy."""
    assert (
        ask(world, ALICE, action="iam:GetRole", resource=DEV).policies.resource is None
    )


def test_bucket_policy_is_the_resource_policy(world: World) -> None:
    """[logic] A listed resource's policy is its resource-based policy."""
    resource = ask(world, ALICE).policies.resource

    assert resource is not None and resource.name == "data-bucket/resource-policy"


def test_object_falls_under_its_buckets_policy_and_account(world: World) -> None:
    """An S3 object is governed by its bucket's policy, in the bucket's account."""
    resolution = ask(world, ALICE, resource=f"{BUCKET}/reports/q1.csv")

    assert resolution.policies.resource is not None
    assert resolution.request.resource_account == "222222222222"


def test_kms_key_policy_is_a_resource_policy(world: World) -> None:
    """[kms] A key policy is gathered like any resource-based policy."""
    resolution = ask(world, ALICE, action="kms:Decrypt", resource=KEY)

    assert resolution.policies.resource is not None
    assert resolution.policies.resource.kind is PolicyKind.RESOURCE


def test_bucket_account_comes_from_the_listing_account(world: World) -> None:
    """An S3 bucket ARN has no account, so the listing account owns it."""
    resolution = ask(world, "arn:aws:iam::444444444444:user/carol")

    assert resolution.request.resource_account == "222222222222"


def test_scp_levels_run_from_root_to_account(world: World) -> None:
    """[scp] SCPs at the root, each OU and the account all apply."""
    scps = ask(world, ALICE).policies.scps

    assert scps is not None
    assert [_names(level) for level in scps.levels] == [
        ["FullAWSAccess", "RootGuard"],
        ["FullAWSAccess", "DenyIam"],
        ["FullAWSAccess"],
    ]
    assert not scps.is_management_account


def test_account_scps_are_its_own_level(world: World) -> None:
    """[scp] SCPs attached to an account form the last level."""
    scps = ask(world, "333333333333").policies.scps

    assert scps is not None
    assert _names(scps.levels[-1]) == ["FullAWSAccess", "DenyEc2"]


def test_management_account_is_marked(world: World) -> None:
    """[scp] SCPs do not restrict the management account; the gates say so."""
    scps = ask(world, "111111111111").policies.scps

    assert scps is not None and scps.is_management_account


def test_account_outside_the_organization_has_no_scps(world: World) -> None:
    """[scp] SCPs apply only to member accounts."""
    policies = ask(world, "arn:aws:iam::444444444444:user/carol").policies

    assert policies.scps is None


@pytest.mark.parametrize(
    "principal",
    [
        "lambda.amazonaws.com",
        "anonymous",
        "arn:aws:iam::222222222222:saml-provider/Corp",
    ],
)
def test_callers_outside_an_account_get_no_scps(world: World, principal: str) -> None:
    """[scp] Services, anonymous callers and identity providers have no SCPs."""
    assert ask(world, principal).policies.scps is None


def test_rcps_follow_the_resource_account(world: World) -> None:
    """[rcp] RCPs of the resource's account apply, whoever the caller is."""
    rcps = ask(world, "arn:aws:iam::444444444444:user/carol").policies.rcps

    assert rcps is not None
    assert _names(rcps.levels[1]) == ["RCPFullAWSAccess", "DenyOutsideS3"]


def test_resource_in_management_account_is_marked(world: World) -> None:
    """[rcp] RCPs do not restrict resources of the management account."""
    rcps = ask(world, ALICE, resource="arn:aws:s3:::mgmt-bucket").policies.rcps

    assert rcps is not None and rcps.is_management_account


def test_resource_of_unknown_account_has_no_rcps(world: World) -> None:
    """[rcp] A resource outside the organization has no RCPs."""
    resource = "arn:aws:sqs:us-east-1:555555555555:q"

    assert ask(world, ALICE, resource=resource).policies.rcps is None


def test_world_without_organization_has_no_org_gates() -> None:
    """[scp][rcp] With no organization there are no SCPs or RCPs."""
    world = scenario_from_dict(
        {"accounts": {"222222222222": {"users": {"a": {}}}}}
    ).world

    policies = ask(world, "arn:aws:iam::222222222222:user/a").policies

    assert (policies.scps, policies.rcps) == (None, None)


def test_service_linked_role_session_is_marked(world: World) -> None:
    """[scp] The engine exempts service-linked roles, so the principal says so."""
    arn = (
        "arn:aws:iam::222222222222:role/aws-service-role/example.amazonaws.com/"
        "AWSServiceRoleForExample"
    )

    principal = ask(world, arn).request.principal

    assert principal.is_service_linked
    assert principal.role_arn == arn


def test_authorize_lets_the_engine_decide(world: World) -> None:
    """[scp] An SCP deny in the principal's OU decides the request."""
    decision = world.authorize(Query(ALICE, "iam:ListUsers", "*"), now=NOW)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.SCP


def test_rcp_denies_an_outside_principal(world: World) -> None:
    """[rcp] An RCP deny keyed on aws:PrincipalOrgID stops an outsider."""
    query = Query(
        "arn:aws:iam::444444444444:user/carol", "s3:GetObject", f"{BUCKET}/a.txt"
    )

    decision = world.authorize(query, now=NOW)

    assert decision.effect is DecisionEffect.EXPLICIT_DENY
    assert decision.deciding_gate is Gate.RCP
