"""IAM users: create, read, list, rename, delete, tag, and the rules around them."""

from __future__ import annotations

import pytest
from tests.services.conftest import Harness, allow, policy

from iamsim.services.api import ServiceError


def test_create_user_returns_the_user_with_its_arn_and_id(harness: Harness) -> None:
    """CreateUser returns User with Path, UserName, UserId (AIDA...), Arn, CreateDate ("CreateUser", IAM API Reference)."""
    user = harness.iam("CreateUser", UserName="alice", Path="/eng/")["User"]

    assert user["UserName"] == "alice"
    assert user["Path"] == "/eng/"
    assert user["Arn"] == f"arn:aws:iam::{harness.account}:user/eng/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21


def test_user_names_are_unique_without_regard_to_case(harness: Harness) -> None:
    """Names of users are unique in the account and "aren't distinguished by case" ("IAM and AWS STS quotas")."""
    harness.iam("CreateUser", UserName="Alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", UserName="alice")

    assert raised.value.code == "EntityAlreadyExists"
    assert raised.value.status == 409


@pytest.mark.parametrize("bad", ["has space", "x" * 65, "", "slash/name"])
def test_invalid_user_names_are_a_validation_error(harness: Harness, bad: str) -> None:
    """UserName is 1 to 64 characters of [\\w+=,.@-]+ ("CreateUser", IAM API Reference)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", UserName=bad)

    assert raised.value.code == "ValidationError"
    assert "userName" in raised.value.message


def test_a_path_must_start_and_end_with_a_slash(harness: Harness) -> None:
    """Path is / or /.../ of printable ASCII ("IAM identifiers", IAM User Guide)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", UserName="bob", Path="eng")

    assert raised.value.code == "ValidationError"


def test_get_user_describes_tags_and_permissions_boundary(harness: Harness) -> None:
    """GetUser returns the user's Tags and PermissionsBoundary ("GetUser", IAM API Reference)."""
    harness.iam(
        "CreatePolicy", PolicyName="limit", PolicyDocument=policy(allow("s3:*"))
    )
    boundary = f"arn:aws:iam::{harness.account}:policy/limit"
    harness.iam(
        "CreateUser",
        UserName="alice",
        PermissionsBoundary=boundary,
        Tags=[{"Key": "team", "Value": "data"}],
    )

    user = harness.iam("GetUser", UserName="alice")["User"]

    assert user["Tags"] == [{"Key": "team", "Value": "data"}]
    assert user["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary


def test_get_user_without_a_name_describes_the_calling_user(harness: Harness) -> None:
    """Without UserName, GetUser describes the user whose key signed the request ("GetUser")."""
    alice = harness.user("alice", policy(allow("iam:GetUser")))

    user = harness.iam("GetUser", caller=alice)["User"]

    assert user["UserName"] == "alice"


def test_get_user_of_a_missing_user_is_no_such_entity(harness: Harness) -> None:
    """A missing user is NoSuchEntity with HTTP 404 ("GetUser", Errors)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("GetUser", UserName="ghost")

    assert raised.value.code == "NoSuchEntity"
    assert raised.value.status == 404
    assert raised.value.message == "The user with name ghost cannot be found."


def test_list_users_filters_by_path_prefix_and_pages(harness: Harness) -> None:
    """ListUsers takes PathPrefix and pages with Marker/IsTruncated/MaxItems ("ListUsers")."""
    for name in ("a1", "a2", "a3"):
        harness.iam("CreateUser", UserName=name, Path="/team/")
    harness.iam("CreateUser", UserName="other")

    first = harness.iam("ListUsers", PathPrefix="/team/", MaxItems=2)
    second = harness.iam("ListUsers", PathPrefix="/team/", Marker=first["Marker"])

    assert [u["UserName"] for u in first["Users"]] == ["a1", "a2"]
    assert first["IsTruncated"] is True
    assert [u["UserName"] for u in second["Users"]] == ["a3"]
    assert second["IsTruncated"] is False


def test_list_users_leaves_out_tags(harness: Harness) -> None:
    """List operations return a subset of attributes, without tags ("ListUsers")."""
    harness.iam("CreateUser", UserName="alice", Tags=[{"Key": "k", "Value": "v"}])

    listed = harness.iam("ListUsers")["Users"][0]

    assert "Tags" not in listed


def test_update_user_renames_and_keeps_keys_and_policies(harness: Harness) -> None:
    """Renaming a user keeps its keys, groups and policies ("UpdateUser", "Renaming an IAM user")."""
    harness.user("alice", policy(allow("s3:*")))

    harness.iam("UpdateUser", UserName="alice", NewUserName="alicia", NewPath="/new/")

    user = harness.iam("GetUser", UserName="alicia")["User"]
    assert user["Path"] == "/new/"
    assert harness.iam("ListUserPolicies", UserName="alicia")["PolicyNames"] == ["p0"]
    assert (
        len(harness.iam("ListAccessKeys", UserName="alicia")["AccessKeyMetadata"]) == 1
    )


def test_update_user_needs_permission_on_the_new_name_too(harness: Harness) -> None:
    """Renaming requires permission on both the source and the target name ("UpdateUser")."""
    own = f"arn:aws:iam::{harness.account}:user/bob"
    admin = harness.user("admin", policy(allow("iam:UpdateUser", own)))
    harness.iam("CreateUser", UserName="bob")

    with pytest.raises(ServiceError) as raised:
        harness.iam("UpdateUser", caller=admin, UserName="bob", NewUserName="robert")

    assert raised.value.code == "AccessDenied"
    assert "user/robert" in raised.value.message


def test_delete_user_with_an_access_key_is_a_delete_conflict(harness: Harness) -> None:
    """DeleteUser fails until the user's access keys are deleted ("DeleteUser")."""
    harness.iam("CreateUser", UserName="alice")
    harness.iam("CreateAccessKey", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteUser", UserName="alice")

    assert raised.value.code == "DeleteConflict"
    assert raised.value.status == 409


@pytest.mark.parametrize(
    "setup",
    ["inline", "attached", "group"],
)
def test_delete_user_with_policies_or_groups_is_a_delete_conflict(
    harness: Harness, setup: str
) -> None:
    """DeleteUser fails while the user has inline or attached policies or groups ("DeleteUser")."""
    harness.iam("CreateUser", UserName="alice")
    if setup == "inline":
        harness.iam(
            "PutUserPolicy",
            UserName="alice",
            PolicyName="p",
            PolicyDocument=policy(allow("s3:*")),
        )
    elif setup == "attached":
        harness.iam(
            "AttachUserPolicy",
            UserName="alice",
            PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess",
        )
    else:
        harness.iam("CreateGroup", GroupName="devs")
        harness.iam("AddUserToGroup", GroupName="devs", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteUser", UserName="alice")

    assert raised.value.code == "DeleteConflict"


def test_delete_user_removes_it(harness: Harness) -> None:
    """A user with nothing attached can be deleted ("DeleteUser")."""
    harness.iam("CreateUser", UserName="alice")

    harness.iam("DeleteUser", UserName="alice")

    assert harness.iam("ListUsers")["Users"] == []


def test_tag_user_overwrites_a_key_given_in_another_case(harness: Harness) -> None:
    """User tag keys are not case sensitive: a new tag replaces the old key ("Tagging IAM resources")."""
    harness.iam("CreateUser", UserName="alice", Tags=[{"Key": "Team", "Value": "a"}])

    harness.iam("TagUser", UserName="alice", Tags=[{"Key": "team", "Value": "b"}])

    assert harness.iam("ListUserTags", UserName="alice")["Tags"] == [
        {"Key": "team", "Value": "b"}
    ]


def test_untag_user_removes_only_the_named_keys(harness: Harness) -> None:
    """UntagUser removes the given keys and leaves the rest ("UntagUser")."""
    tags = [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]
    harness.iam("CreateUser", UserName="alice", Tags=tags)

    harness.iam("UntagUser", UserName="alice", TagKeys=["a", "missing"])

    assert harness.iam("ListUserTags", UserName="alice")["Tags"] == [
        {"Key": "b", "Value": "2"}
    ]


def test_more_than_fifty_tags_is_limit_exceeded(harness: Harness) -> None:
    """An IAM resource carries at most 50 tags ("IAM object quotas")."""
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    harness.iam("CreateUser", UserName="alice", Tags=tags)

    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "TagUser", UserName="alice", Tags=[{"Key": "one-more", "Value": "v"}]
        )

    assert raised.value.code == "LimitExceeded"


def test_tag_keys_may_not_start_with_aws(harness: Harness) -> None:
    """The aws: prefix is reserved for AWS's own tags ("Tagging IAM resources")."""
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreateUser", UserName="alice", Tags=[{"Key": "aws:x", "Value": "v"}]
        )

    assert raised.value.code == "InvalidInput"


def test_create_user_is_denied_without_a_policy(harness: Harness) -> None:
    """A user without an identity policy is denied, worded as AWS words it ("Troubleshoot access denied error messages")."""
    bob = harness.user("bob")

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", caller=bob, UserName="carol")

    assert raised.value.code == "AccessDenied"
    assert raised.value.status == 403
    assert raised.value.message == (
        f"User: arn:aws:iam::{harness.account}:user/bob is not authorized to perform: "
        f"iam:CreateUser on resource: arn:aws:iam::{harness.account}:user/carol "
        "because no identity-based policy allows the iam:CreateUser action"
    )


def test_create_user_sees_request_tags(harness: Harness) -> None:
    """CreateUser with Tags supplies aws:RequestTag/KEY and aws:TagKeys ("Controlling access during AWS requests")."""
    condition = {"StringEquals": {"aws:RequestTag/team": "data"}}
    admin = harness.user("admin", policy(allow("iam:CreateUser", Condition=condition)))

    harness.iam(
        "CreateUser",
        caller=admin,
        UserName="ok",
        Tags=[{"Key": "team", "Value": "data"}],
    )
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreateUser",
            caller=admin,
            UserName="no",
            Tags=[{"Key": "team", "Value": "ops"}],
        )

    assert raised.value.code == "AccessDenied"


def test_create_user_supplies_the_permissions_boundary_key(harness: Harness) -> None:
    """CreateUser supplies iam:PermissionsBoundary, so admins can require one ("Permissions boundaries for IAM entities")."""
    harness.iam(
        "CreatePolicy", PolicyName="limit", PolicyDocument=policy(allow("s3:*"))
    )
    boundary = f"arn:aws:iam::{harness.account}:policy/limit"
    condition = {"StringEquals": {"iam:PermissionsBoundary": boundary}}
    admin = harness.user("admin", policy(allow("iam:CreateUser", Condition=condition)))

    harness.iam(
        "CreateUser", caller=admin, UserName="bounded", PermissionsBoundary=boundary
    )
    with pytest.raises(ServiceError):
        harness.iam("CreateUser", caller=admin, UserName="unbounded")

    assert harness.iam("GetUser", UserName="bounded")["User"]["UserName"] == "bounded"


def test_resource_tags_of_the_user_reach_conditions(harness: Harness) -> None:
    """Operations on a user see its tags as aws:ResourceTag/KEY ("Controlling access to IAM users and roles using tags")."""
    condition = {"StringEquals": {"aws:ResourceTag/team": "data"}}
    reader = harness.user("reader", policy(allow("iam:GetUser", Condition=condition)))
    harness.iam(
        "CreateUser", UserName="tagged", Tags=[{"Key": "team", "Value": "data"}]
    )
    harness.iam("CreateUser", UserName="plain")

    harness.iam("GetUser", caller=reader, UserName="tagged")
    with pytest.raises(ServiceError) as raised:
        harness.iam("GetUser", caller=reader, UserName="plain")

    assert raised.value.code == "AccessDenied"
