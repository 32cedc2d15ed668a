"""Attached, inline and boundary policies of users, groups and roles."""

from __future__ import annotations

import json

import pytest
from tests.services.conftest import Harness, allow, deny, policy, trust

from iamsim.services.api import ServiceError

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _managed(harness: Harness, name: str, *statements: dict[str, object]) -> str:
    created = harness.iam(
        "CreatePolicy", PolicyName=name, PolicyDocument=policy(*statements)
    )
    return str(created["Policy"]["Arn"])


def test_attached_policies_are_listed(harness: Harness) -> None:
    """ListAttachedUserPolicies lists PolicyName and PolicyArn ("ListAttachedUserPolicies")."""
    harness.iam("CreateUser", UserName="alice")

    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=ADMIN)

    attached = harness.iam("ListAttachedUserPolicies", UserName="alice")[
        "AttachedPolicies"
    ]
    assert attached == [{"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}]


def test_attached_policy_grants_its_permissions(harness: Harness) -> None:
    """An attached managed policy's default version applies to the user ("Managed policies and inline policies")."""
    alice = harness.user("alice")
    with pytest.raises(ServiceError):
        harness.iam("ListRoles", caller=alice)

    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=ADMIN)

    assert "Roles" in harness.iam("ListRoles", caller=alice)


def test_attaching_a_missing_policy_is_no_such_entity(harness: Harness) -> None:
    """The policy to attach must exist ("AttachUserPolicy", Errors)."""
    harness.iam("CreateUser", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "AttachUserPolicy",
            UserName="alice",
            PolicyArn=f"arn:aws:iam::{harness.account}:policy/ghost",
        )

    assert raised.value.code == "NoSuchEntity"


def test_at_most_ten_managed_policies_per_role(harness: Harness) -> None:
    """An entity holds at most 10 managed policies by default ("IAM object quotas")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    arns = [_managed(harness, f"p{i}", allow("s3:GetObject")) for i in range(11)]
    for arn in arns[:10]:
        harness.iam("AttachRolePolicy", RoleName="app", PolicyArn=arn)

    with pytest.raises(ServiceError) as raised:
        harness.iam("AttachRolePolicy", RoleName="app", PolicyArn=arns[10])

    assert raised.value.code == "LimitExceeded"
    assert "PoliciesPerRole" in raised.value.message


def test_detach_policy(harness: Harness) -> None:
    """DetachGroupPolicy removes the attachment; detaching again is NoSuchEntity ("DetachGroupPolicy")."""
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam("AttachGroupPolicy", GroupName="devs", PolicyArn=ADMIN)

    harness.iam("DetachGroupPolicy", GroupName="devs", PolicyArn=ADMIN)
    with pytest.raises(ServiceError) as raised:
        harness.iam("DetachGroupPolicy", GroupName="devs", PolicyArn=ADMIN)

    assert (
        harness.iam("ListAttachedGroupPolicies", GroupName="devs")["AttachedPolicies"]
        == []
    )
    assert raised.value.code == "NoSuchEntity"


def test_attach_supplies_the_policy_arn_key(harness: Harness) -> None:
    """Attach operations supply iam:PolicyARN, so admins can limit what is attached ("IAM condition context keys")."""
    allowed = f"arn:aws:iam::{harness.account}:policy/safe"
    condition = {"ArnEquals": {"iam:PolicyARN": allowed}}
    admin = harness.user(
        "admin", policy(allow("iam:AttachUserPolicy", Condition=condition))
    )
    _managed(harness, "safe", allow("s3:GetObject"))
    harness.iam("CreateUser", UserName="bob")

    harness.iam("AttachUserPolicy", caller=admin, UserName="bob", PolicyArn=allowed)
    with pytest.raises(ServiceError) as raised:
        harness.iam("AttachUserPolicy", caller=admin, UserName="bob", PolicyArn=ADMIN)

    assert raised.value.code == "AccessDenied"


def test_inline_policies_round_trip(harness: Harness) -> None:
    """Put/Get/List/DeleteRolePolicy manage a role's inline policies ("PutRolePolicy")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    document = policy(allow("s3:GetObject"))

    harness.iam(
        "PutRolePolicy", RoleName="app", PolicyName="read", PolicyDocument=document
    )
    got = harness.iam("GetRolePolicy", RoleName="app", PolicyName="read")
    names = harness.iam("ListRolePolicies", RoleName="app")["PolicyNames"]
    harness.iam("DeleteRolePolicy", RoleName="app", PolicyName="read")

    assert got == {"RoleName": "app", "PolicyName": "read", "PolicyDocument": document}
    assert names == ["read"]
    assert harness.iam("ListRolePolicies", RoleName="app")["PolicyNames"] == []


def test_put_inline_policy_replaces_one_of_the_same_name(harness: Harness) -> None:
    """PutUserPolicy with an existing name replaces that policy ("PutUserPolicy")."""
    harness.iam("CreateUser", UserName="alice")
    harness.iam(
        "PutUserPolicy",
        UserName="alice",
        PolicyName="p",
        PolicyDocument=policy(allow("s3:GetObject")),
    )
    second = policy(allow("s3:PutObject"))

    harness.iam(
        "PutUserPolicy", UserName="alice", PolicyName="p", PolicyDocument=second
    )

    assert (
        harness.iam("GetUserPolicy", UserName="alice", PolicyName="p")["PolicyDocument"]
        == second
    )


def test_missing_inline_policy_is_no_such_entity(harness: Harness) -> None:
    """GetUserPolicy of an unknown name is NoSuchEntity ("GetUserPolicy", Errors)."""
    harness.iam("CreateUser", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("GetUserPolicy", UserName="alice", PolicyName="ghost")

    assert raised.value.code == "NoSuchEntity"
    assert raised.value.message == "The user policy with name ghost cannot be found."


@pytest.mark.parametrize(
    ("operation", "member", "limit"),
    [
        ("PutUserPolicy", "UserName", 2048),
        ("PutGroupPolicy", "GroupName", 5120),
        ("PutRolePolicy", "RoleName", 10240),
    ],
)
def test_inline_policies_share_a_size_quota_per_entity(
    harness: Harness, operation: str, member: str, limit: int
) -> None:
    """Inline policies of one entity together hold 2,048 (user), 5,120 (group) or 10,240 (role) characters ("IAM and AWS STS quotas")."""
    harness.iam("CreateUser", UserName="e")
    harness.iam("CreateGroup", GroupName="e")
    harness.iam(
        "CreateRole",
        RoleName="e",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    actions = [f"s3:GetObject{i:04d}" for i in range(limit // 30)]
    over_half = policy(allow(actions))

    entity = {member: "e", "PolicyDocument": over_half}

    harness.call("iam", operation, {**entity, "PolicyName": "one"})
    with pytest.raises(ServiceError) as raised:
        harness.call("iam", operation, {**entity, "PolicyName": "two"})

    assert raised.value.code == "LimitExceeded"


def test_permissions_boundary_caps_the_user(harness: Harness) -> None:
    """A boundary limits the user to what both it and the identity policy allow ("Permissions boundaries for IAM entities")."""
    boundary = _managed(harness, "only-list-users", allow("iam:ListUsers"))
    alice = harness.user(
        "alice", json.dumps({"Version": "2012-10-17", "Statement": [allow("iam:*")]})
    )
    harness.iam(
        "PutUserPermissionsBoundary", UserName="alice", PermissionsBoundary=boundary
    )

    harness.iam("ListUsers", caller=alice)
    with pytest.raises(ServiceError) as raised:
        harness.iam("ListRoles", caller=alice)

    assert "because no permissions boundary allows" in raised.value.message


def test_delete_permissions_boundary_lifts_the_cap(harness: Harness) -> None:
    """DeleteUserPermissionsBoundary removes the boundary ("DeleteUserPermissionsBoundary")."""
    boundary = _managed(harness, "only-list-users", allow("iam:ListUsers"))
    alice = harness.user("alice", policy(allow("iam:*")), boundary=boundary)

    harness.iam("DeleteUserPermissionsBoundary", UserName="alice")

    assert "Roles" in harness.iam("ListRoles", caller=alice)
    assert "PermissionsBoundary" not in harness.iam("GetUser", UserName="alice")["User"]


def test_put_boundary_supplies_the_boundary_key(harness: Harness) -> None:
    """PutRolePermissionsBoundary supplies iam:PermissionsBoundary ("IAM condition context keys")."""
    boundary = _managed(harness, "limit", allow("s3:*"))
    other = _managed(harness, "other", allow("s3:*"))
    condition = {"StringEquals": {"iam:PermissionsBoundary": boundary}}
    admin = harness.user(
        "admin", policy(allow("iam:PutRolePermissionsBoundary", Condition=condition))
    )
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam(
        "PutRolePermissionsBoundary",
        caller=admin,
        RoleName="app",
        PermissionsBoundary=boundary,
    )
    with pytest.raises(ServiceError):
        harness.iam(
            "PutRolePermissionsBoundary",
            caller=admin,
            RoleName="app",
            PermissionsBoundary=other,
        )


def test_explicit_deny_in_an_inline_policy_wins(harness: Harness) -> None:
    """An explicit deny overrides any allow ("Policy evaluation logic")."""
    alice = harness.user("alice", policy(allow("iam:*")), policy(deny("iam:ListRoles")))

    with pytest.raises(ServiceError) as raised:
        harness.iam("ListRoles", caller=alice)

    assert "with an explicit deny in an identity-based policy" in raised.value.message


@pytest.mark.parametrize(
    ("noun", "member"),
    [("User", "UserName"), ("Group", "GroupName"), ("Role", "RoleName")],
)
def test_each_entity_kind_manages_inline_and_attached_policies(
    harness: Harness, noun: str, member: str
) -> None:
    """Put/Get/List/Delete{X}Policy and Attach/ListAttached/Detach{X}Policy work alike for users, groups and roles ("PutUserPolicy", "PutGroupPolicy", "PutRolePolicy")."""
    harness.iam("CreateUser", UserName="e")
    harness.iam("CreateGroup", GroupName="e")
    harness.iam(
        "CreateRole",
        RoleName="e",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    document = policy(allow("s3:GetObject"))
    entity = {member: "e"}

    harness.call(
        "iam",
        f"Put{noun}Policy",
        {**entity, "PolicyName": "p", "PolicyDocument": document},
    )
    harness.call("iam", f"Attach{noun}Policy", {**entity, "PolicyArn": ADMIN})
    got = harness.call("iam", f"Get{noun}Policy", {**entity, "PolicyName": "p"})
    names = harness.call("iam", f"List{noun}Policies", entity)["PolicyNames"]
    attached = harness.call("iam", f"ListAttached{noun}Policies", entity)[
        "AttachedPolicies"
    ]
    harness.call("iam", f"Delete{noun}Policy", {**entity, "PolicyName": "p"})
    harness.call("iam", f"Detach{noun}Policy", {**entity, "PolicyArn": ADMIN})

    assert got["PolicyDocument"] == document and got[member] == "e"
    assert names == ["p"]
    assert [a["PolicyArn"] for a in attached] == [ADMIN]
    assert harness.call("iam", f"List{noun}Policies", entity)["PolicyNames"] == []
    assert (
        harness.call("iam", f"ListAttached{noun}Policies", entity)["AttachedPolicies"]
        == []
    )


def test_role_permissions_boundary_round_trip(harness: Harness) -> None:
    """Put/DeleteRolePermissionsBoundary set and clear a role's boundary ("PutRolePermissionsBoundary")."""
    boundary = _managed(harness, "limit", allow("s3:*"))
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam(
        "PutRolePermissionsBoundary", RoleName="app", PermissionsBoundary=boundary
    )
    bounded = harness.iam("GetRole", RoleName="app")["Role"]
    harness.iam("DeleteRolePermissionsBoundary", RoleName="app")

    assert bounded["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary
    assert "PermissionsBoundary" not in harness.iam("GetRole", RoleName="app")["Role"]


def test_a_boundary_in_use_cannot_be_deleted(harness: Harness) -> None:
    """A policy used as a permissions boundary counts as in use ("DeletePolicy", PermissionsBoundaryUsageCount)."""
    boundary = _managed(harness, "limit", allow("s3:*"))
    harness.iam("CreateUser", UserName="alice", PermissionsBoundary=boundary)

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeletePolicy", PolicyArn=boundary)

    assert raised.value.code == "DeleteConflict"
    assert (
        harness.iam("GetPolicy", PolicyArn=boundary)["Policy"][
            "PermissionsBoundaryUsageCount"
        ]
        == 1
    )
