"""GetAccountAuthorizationDetails and the policy simulator."""

from __future__ import annotations

import pytest
from tests.services.conftest import Harness, allow, deny, policy, trust

from iamsim.services.api import ServiceError

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _populate(harness: Harness) -> None:
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam(
        "PutGroupPolicy",
        GroupName="devs",
        PolicyName="g",
        PolicyDocument=policy(allow("s3:*")),
    )
    harness.iam("CreateUser", UserName="alice")
    harness.iam("AddUserToGroup", GroupName="devs", UserName="alice")
    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=ADMIN)
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam(
        "CreatePolicy", PolicyName="local", PolicyDocument=policy(allow("sqs:*"))
    )


def test_authorization_details_list_every_entity_with_its_policies(
    harness: Harness,
) -> None:
    """The details hold users, groups, roles and policies with their documents ("GetAccountAuthorizationDetails")."""
    _populate(harness)

    details = harness.iam("GetAccountAuthorizationDetails")

    user = details["UserDetailList"][0]
    assert user["GroupList"] == ["devs"]
    assert user["AttachedManagedPolicies"] == [
        {"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}
    ]
    assert details["GroupDetailList"][0]["GroupPolicyList"][0]["PolicyName"] == "g"
    assert details["RoleDetailList"][0]["RoleName"] == "app"
    names = {p["PolicyName"] for p in details["Policies"]}
    assert names == {"AdministratorAccess", "local"}


def test_authorization_details_filter(harness: Harness) -> None:
    """Filter limits the listing to the named entity types ("GetAccountAuthorizationDetails", Filter)."""
    _populate(harness)

    details = harness.iam("GetAccountAuthorizationDetails", Filter=["Role"])

    assert [r["RoleName"] for r in details["RoleDetailList"]] == ["app"]
    assert details["UserDetailList"] == [] and details["Policies"] == []


def test_authorization_details_page_across_lists(harness: Harness) -> None:
    """MaxItems pages the combined listing with Marker ("GetAccountAuthorizationDetails")."""
    _populate(harness)

    first = harness.iam("GetAccountAuthorizationDetails", MaxItems=2)
    rest = harness.iam("GetAccountAuthorizationDetails", Marker=first["Marker"])

    total = sum(
        len(first[k]) + len(rest[k])
        for k in ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
    )
    assert first["IsTruncated"] is True
    assert total == 5


def test_simulate_principal_policy_reports_allowed_and_denied(harness: Harness) -> None:
    """EvalDecision is allowed, explicitDeny or implicitDeny ("SimulatePrincipalPolicy", EvaluationResult)."""
    harness.user(
        "alice", policy(allow("s3:GetObject")), policy(deny("s3:DeleteObject"))
    )
    arn = f"arn:aws:iam::{harness.account}:user/alice"

    results = harness.iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn,
        ActionNames=["s3:GetObject", "s3:DeleteObject", "s3:PutObject"],
    )["EvaluationResults"]

    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in results}
    assert decisions == {
        "s3:GetObject": "allowed",
        "s3:DeleteObject": "explicitDeny",
        "s3:PutObject": "implicitDeny",
    }
    allowed = next(r for r in results if r["EvalActionName"] == "s3:GetObject")
    assert allowed["MatchedStatements"][0]["SourcePolicyId"] == "p0"
    assert allowed["MatchedStatements"][0]["SourcePolicyType"] == "user"


def test_simulation_includes_group_policies(harness: Harness) -> None:
    """A user's simulation includes the policies of its groups ("SimulatePrincipalPolicy")."""
    _populate(harness)
    arn = f"arn:aws:iam::{harness.account}:user/alice"

    result = harness.iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn, ActionNames=["s3:ListBucket"]
    )

    matched = result["EvaluationResults"][0]["MatchedStatements"]
    assert {m["SourcePolicyType"] for m in matched} == {"aws-managed", "group"}


def test_simulation_reports_missing_context_values(harness: Harness) -> None:
    """Keys a condition needs but no ContextEntries gives are MissingContextValues ("SimulatePrincipalPolicy")."""
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    harness.user("alice", policy(allow("s3:GetObject", Condition=condition)))
    arn = f"arn:aws:iam::{harness.account}:user/alice"

    missing = harness.iam(
        "SimulatePrincipalPolicy", PolicySourceArn=arn, ActionNames=["s3:GetObject"]
    )
    given = harness.iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn,
        ActionNames=["s3:GetObject"],
        ContextEntries=[
            {
                "ContextKeyName": "aws:MultiFactorAuthPresent",
                "ContextKeyValues": ["true"],
                "ContextKeyType": "boolean",
            }
        ],
    )

    assert missing["EvaluationResults"][0]["MissingContextValues"] == [
        "aws:MultiFactorAuthPresent"
    ]
    assert missing["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"
    assert given["EvaluationResults"][0]["EvalDecision"] == "allowed"


def test_simulation_reports_the_permissions_boundary(harness: Harness) -> None:
    """PermissionsBoundaryDecisionDetail tells whether the boundary allowed ("SimulatePrincipalPolicy")."""
    boundary = harness.iam(
        "CreatePolicy", PolicyName="b", PolicyDocument=policy(allow("s3:GetObject"))
    )["Policy"]["Arn"]
    harness.user("alice", policy(allow("s3:*")), boundary=boundary)
    arn = f"arn:aws:iam::{harness.account}:user/alice"

    results = harness.iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=arn,
        ActionNames=["s3:GetObject", "s3:PutObject"],
    )["EvaluationResults"]

    details = [
        r["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"]
        for r in results
    ]
    assert details == [True, False]


def test_simulation_in_a_member_account_reports_organizations(harness: Harness) -> None:
    """OrganizationsDecisionDetail tells whether the SCPs allowed ("SimulatePrincipalPolicy")."""
    member = harness.orgs("CreateAccount", Email="m@example.com", AccountName="m")[
        "CreateAccountStatus"
    ]["AccountId"]
    scp = harness.orgs(
        "CreatePolicy",
        Name="no-s3",
        Description="",
        Type="SERVICE_CONTROL_POLICY",
        Content=policy(deny("s3:*")),
    )["Policy"]["PolicySummary"]["Id"]
    harness.orgs("AttachPolicy", PolicyId=scp, TargetId=member)
    harness.user("bob", policy(allow("*")), account=member)

    result = harness.iam(
        "SimulatePrincipalPolicy",
        caller=harness.root_of(member),
        PolicySourceArn=f"arn:aws:iam::{member}:user/bob",
        ActionNames=["s3:GetObject"],
    )["EvaluationResults"][0]

    assert result["EvalDecision"] == "explicitDeny"
    assert result["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}


def test_simulate_custom_policy_with_a_resource_policy(harness: Harness) -> None:
    """SimulateCustomPolicy evaluates the given policies and ResourcePolicy ("SimulateCustomPolicy")."""
    caller = f"arn:aws:iam::{harness.account}:user/alice"
    resource_policy = policy(
        allow("s3:GetObject", "arn:aws:s3:::b/*", Principal={"AWS": caller})
    )

    result = harness.iam(
        "SimulateCustomPolicy",
        PolicyInputList=[policy(allow("s3:PutObject"))],
        ActionNames=["s3:GetObject"],
        ResourceArns=["arn:aws:s3:::b/k"],
        ResourcePolicy=resource_policy,
        CallerArn=caller,
    )["EvaluationResults"][0]

    assert result["EvalDecision"] == "allowed"
    assert result["MatchedStatements"][0]["SourcePolicyType"] == "resource"


def test_simulate_custom_policy_refuses_malformed_input(harness: Harness) -> None:
    """A malformed input policy is InvalidInput ("SimulateCustomPolicy", Errors)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "SimulateCustomPolicy", PolicyInputList=["{"], ActionNames=["s3:GetObject"]
        )

    assert raised.value.code == "InvalidInput"


def test_simulate_principal_policy_of_a_missing_user(harness: Harness) -> None:
    """The policy source must exist ("SimulatePrincipalPolicy", Errors)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "SimulatePrincipalPolicy",
            PolicySourceArn=f"arn:aws:iam::{harness.account}:user/ghost",
            ActionNames=["s3:GetObject"],
        )

    assert raised.value.code == "NoSuchEntity"
