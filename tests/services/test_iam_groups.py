"""IAM groups and membership."""

from __future__ import annotations

import pytest
from tests.services.conftest import Harness, allow, policy

from iamsim.services.api import ServiceError


def test_create_group_returns_its_arn_and_id(harness: Harness) -> None:
    """CreateGroup returns Group with GroupName, GroupId (AGPA...) and Arn ("CreateGroup")."""
    group = harness.iam("CreateGroup", GroupName="devs", Path="/eng/")["Group"]

    assert group["Arn"] == f"arn:aws:iam::{harness.account}:group/eng/devs"
    assert group["GroupId"].startswith("AGPA")


def test_group_names_are_unique_without_case(harness: Harness) -> None:
    """Group names are unique in the account without regard to case ("IAM and AWS STS quotas")."""
    harness.iam("CreateGroup", GroupName="ADMINS")

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateGroup", GroupName="admins")

    assert raised.value.code == "EntityAlreadyExists"


def test_get_group_lists_members(harness: Harness) -> None:
    """GetGroup returns the group and its Users ("GetGroup")."""
    harness.iam("CreateGroup", GroupName="devs")
    for name in ("alice", "bob"):
        harness.iam("CreateUser", UserName=name)
        harness.iam("AddUserToGroup", GroupName="devs", UserName=name)

    result = harness.iam("GetGroup", GroupName="devs")

    assert [u["UserName"] for u in result["Users"]] == ["alice", "bob"]
    assert result["IsTruncated"] is False


def test_list_groups_for_user(harness: Harness) -> None:
    """ListGroupsForUser lists the user's groups ("ListGroupsForUser")."""
    harness.iam("CreateUser", UserName="alice")
    for name in ("a", "b"):
        harness.iam("CreateGroup", GroupName=name)
        harness.iam("AddUserToGroup", GroupName=name, UserName="alice")

    groups = harness.iam("ListGroupsForUser", UserName="alice")["Groups"]

    assert [g["GroupName"] for g in groups] == ["a", "b"]


def test_a_user_belongs_to_at_most_ten_groups(harness: Harness) -> None:
    """An IAM user can be a member of at most 10 groups ("IAM object quotas")."""
    harness.iam("CreateUser", UserName="alice")
    for index in range(11):
        harness.iam("CreateGroup", GroupName=f"g{index}")
    for index in range(10):
        harness.iam("AddUserToGroup", GroupName=f"g{index}", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("AddUserToGroup", GroupName="g10", UserName="alice")

    assert raised.value.code == "LimitExceeded"


def test_adding_a_missing_user_is_no_such_entity(harness: Harness) -> None:
    """Both the group and the user must exist ("AddUserToGroup", Errors)."""
    harness.iam("CreateGroup", GroupName="devs")

    with pytest.raises(ServiceError) as raised:
        harness.iam("AddUserToGroup", GroupName="devs", UserName="ghost")

    assert raised.value.code == "NoSuchEntity"


def test_remove_user_from_group(harness: Harness) -> None:
    """RemoveUserFromGroup ends a membership ("RemoveUserFromGroup")."""
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam("CreateUser", UserName="alice")
    harness.iam("AddUserToGroup", GroupName="devs", UserName="alice")

    harness.iam("RemoveUserFromGroup", GroupName="devs", UserName="alice")

    assert harness.iam("GetGroup", GroupName="devs")["Users"] == []


def test_delete_group_with_members_is_a_delete_conflict(harness: Harness) -> None:
    """A group must have no members before it is deleted ("DeleteGroup")."""
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam("CreateUser", UserName="alice")
    harness.iam("AddUserToGroup", GroupName="devs", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteGroup", GroupName="devs")

    assert raised.value.code == "DeleteConflict"


def test_delete_group_with_a_policy_is_a_delete_conflict(harness: Harness) -> None:
    """A group must have no policies before it is deleted ("DeleteGroup")."""
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam(
        "PutGroupPolicy",
        GroupName="devs",
        PolicyName="p",
        PolicyDocument=policy(allow("s3:*")),
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteGroup", GroupName="devs")

    assert raised.value.code == "DeleteConflict"


def test_group_policies_apply_to_members(harness: Harness) -> None:
    """A user gets the permissions of its groups' policies ("IAM user groups", IAM User Guide)."""
    harness.iam("CreateGroup", GroupName="readers")
    harness.iam(
        "PutGroupPolicy",
        GroupName="readers",
        PolicyName="list",
        PolicyDocument=policy(allow("iam:ListUsers")),
    )
    alice = harness.user("alice")
    with pytest.raises(ServiceError):
        harness.iam("ListUsers", caller=alice)

    harness.iam("AddUserToGroup", GroupName="readers", UserName="alice")

    assert harness.iam("ListUsers", caller=alice)["Users"]


def test_list_groups_is_authorized_on_the_group_path(harness: Harness) -> None:
    """A refused ListGroups names the account's group path as its resource ("ListGroups")."""
    alice = harness.user("alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("ListGroups", caller=alice)

    assert (
        f"on resource: arn:aws:iam::{harness.account}:group/ " in raised.value.message
    )
