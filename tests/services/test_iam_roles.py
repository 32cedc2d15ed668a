"""IAM roles: trust policies, session duration, tags and service-linked roles."""

from __future__ import annotations

import json

import pytest
from tests.services.conftest import Harness, allow, policy, trust

from iamsim.services.api import ServiceError


def test_create_role_returns_the_role_and_its_trust_policy(harness: Harness) -> None:
    """CreateRole returns Role with RoleId (AROA...), Arn and AssumeRolePolicyDocument ("CreateRole")."""
    document = trust({"Service": "ec2.amazonaws.com"})

    role = harness.iam("CreateRole", RoleName="app", AssumeRolePolicyDocument=document)[
        "Role"
    ]

    assert role["Arn"] == f"arn:aws:iam::{harness.account}:role/app"
    assert role["RoleId"].startswith("AROA")
    assert role["AssumeRolePolicyDocument"] == document
    assert role["MaxSessionDuration"] == 3600


@pytest.mark.parametrize("seconds", [3599, 43201])
def test_max_session_duration_is_one_to_twelve_hours(
    harness: Harness, seconds: int
) -> None:
    """MaxSessionDuration is 3600 to 43200 seconds ("CreateRole", MaxSessionDuration)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreateRole",
            RoleName="app",
            AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
            MaxSessionDuration=seconds,
        )

    assert raised.value.code == "ValidationError"


def test_a_trust_policy_with_a_resource_is_malformed(harness: Harness) -> None:
    """A trust policy names no Resource ("Role trust policies", IAM User Guide)."""
    document = policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Resource": "*",
        }
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateRole", RoleName="app", AssumeRolePolicyDocument=document)

    assert raised.value.code == "MalformedPolicyDocument"


def test_a_trust_policy_naming_a_missing_user_is_malformed(harness: Harness) -> None:
    """IAM refuses a trust policy whose principal does not exist ("Invalid principal in policy")."""
    document = trust({"AWS": f"arn:aws:iam::{harness.account}:user/ghost"})

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateRole", RoleName="app", AssumeRolePolicyDocument=document)

    assert raised.value.code == "MalformedPolicyDocument"
    assert "Invalid principal" in raised.value.message


def test_a_trust_policy_over_2048_characters_is_limit_exceeded(
    harness: Harness,
) -> None:
    """Role trust policies hold 2,048 characters, white space not counted ("IAM and AWS STS quotas")."""
    services = [f"service{i:04d}.amazonaws.com" for i in range(90)]
    document = trust({"Service": services})

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateRole", RoleName="app", AssumeRolePolicyDocument=document)

    assert raised.value.code == "LimitExceeded"


def test_update_role_changes_description_and_session(harness: Harness) -> None:
    """UpdateRole sets Description and MaxSessionDuration ("UpdateRole")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam(
        "UpdateRole", RoleName="app", Description="web", MaxSessionDuration=7200
    )

    role = harness.iam("GetRole", RoleName="app")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("web", 7200)


def test_update_assume_role_policy_replaces_the_trust_policy(harness: Harness) -> None:
    """UpdateAssumeRolePolicy replaces the trust policy ("UpdateAssumeRolePolicy")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    document = trust({"Service": "lambda.amazonaws.com"})

    harness.iam("UpdateAssumeRolePolicy", RoleName="app", PolicyDocument=document)

    assert (
        harness.iam("GetRole", RoleName="app")["Role"]["AssumeRolePolicyDocument"]
        == document
    )


def test_delete_role_in_an_instance_profile_is_a_delete_conflict(
    harness: Harness,
) -> None:
    """A role must leave its instance profiles before it is deleted ("DeleteRole")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam("CreateInstanceProfile", InstanceProfileName="web")
    harness.iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="app")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteRole", RoleName="app")

    assert raised.value.code == "DeleteConflict"


def test_delete_role_with_a_policy_is_a_delete_conflict(harness: Harness) -> None:
    """A role's policies must go before the role ("DeleteRole")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam(
        "AttachRolePolicy",
        RoleName="app",
        PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess",
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteRole", RoleName="app")

    assert raised.value.code == "DeleteConflict"


def test_delete_role_removes_it(harness: Harness) -> None:
    """A role without profiles or policies can be deleted ("DeleteRole")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam("DeleteRole", RoleName="app")

    with pytest.raises(ServiceError) as raised:
        harness.iam("GetRole", RoleName="app")
    assert raised.value.code == "NoSuchEntity"


def test_role_tags_round_trip(harness: Harness) -> None:
    """TagRole, ListRoleTags and UntagRole manage a role's tags ("TagRole", "UntagRole")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam(
        "TagRole",
        RoleName="app",
        Tags=[{"Key": "env", "Value": "prod"}, {"Key": "x", "Value": "1"}],
    )
    harness.iam("UntagRole", RoleName="app", TagKeys=["x"])

    assert harness.iam("ListRoleTags", RoleName="app")["Tags"] == [
        {"Key": "env", "Value": "prod"}
    ]


def test_untag_role_supplies_tag_keys(harness: Harness) -> None:
    """UntagRole supplies aws:TagKeys ("Controlling access to IAM resources")."""
    condition = {"ForAllValues:StringEquals": {"aws:TagKeys": ["temp"]}}
    admin = harness.user("admin", policy(allow("iam:UntagRole", Condition=condition)))
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )

    harness.iam("UntagRole", caller=admin, RoleName="app", TagKeys=["temp"])
    with pytest.raises(ServiceError):
        harness.iam("UntagRole", caller=admin, RoleName="app", TagKeys=["owner"])


def test_create_service_linked_role(harness: Harness) -> None:
    """A service-linked role lives under /aws-service-role/SERVICE/ and trusts the service ("CreateServiceLinkedRole")."""
    role = harness.iam(
        "CreateServiceLinkedRole", AWSServiceName="elasticbeanstalk.amazonaws.com"
    )["Role"]

    assert role["Path"] == "/aws-service-role/elasticbeanstalk.amazonaws.com/"
    assert role["RoleName"].startswith("AWSServiceRoleFor")
    statement = json.loads(role["AssumeRolePolicyDocument"])["Statement"][0]
    assert statement["Principal"] == {"Service": "elasticbeanstalk.amazonaws.com"}


def test_a_service_linked_role_cannot_be_deleted_with_delete_role(
    harness: Harness,
) -> None:
    """AWS owns service-linked roles; DeleteRole refuses them ("Using service-linked roles")."""
    role = harness.iam(
        "CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com"
    )["Role"]

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteRole", RoleName=role["RoleName"])

    assert raised.value.code == "UnmodifiableEntity"


def test_a_second_service_linked_role_needs_a_suffix(harness: Harness) -> None:
    """The role name is taken by the first service-linked role ("CreateServiceLinkedRole", CustomSuffix)."""
    harness.iam("CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com")

    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com"
        )
    suffixed = harness.iam(
        "CreateServiceLinkedRole",
        AWSServiceName="autoscaling.amazonaws.com",
        CustomSuffix="two",
    )["Role"]

    assert raised.value.code == "InvalidInput"
    assert suffixed["RoleName"].endswith("_two")


def test_role_session_acts_with_the_role_policies(harness: Harness) -> None:
    """A role session has the role's permissions ("Methods to assume a role", IAM User Guide)."""
    harness.iam(
        "CreateRole",
        RoleName="reader",
        AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{harness.account}:root"}),
    )
    harness.iam(
        "PutRolePolicy",
        RoleName="reader",
        PolicyName="list",
        PolicyDocument=policy(allow("iam:ListRoles")),
    )
    session = harness.role_session("reader")

    roles = harness.iam("ListRoles", caller=session)["Roles"]

    assert [r["RoleName"] for r in roles] == ["reader"]


def test_session_policies_narrow_a_role_session(harness: Harness) -> None:
    """A session policy limits the session to what both allow ("Session policies", IAM User Guide)."""
    harness.iam(
        "CreateRole",
        RoleName="admin",
        AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{harness.account}:root"}),
    )
    harness.iam(
        "AttachRolePolicy",
        RoleName="admin",
        PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess",
    )
    session = harness.role_session("admin", policies=[policy(allow("iam:ListRoles"))])

    harness.iam("ListRoles", caller=session)
    with pytest.raises(ServiceError) as raised:
        harness.iam("ListUsers", caller=session)

    assert "because no session policy allows" in raised.value.message
    assert "assumed-role/admin/session" in raised.value.message


def test_session_tags_reach_principal_tag_conditions(harness: Harness) -> None:
    """Session tags become aws:PrincipalTag/KEY ("Passing session tags in AWS STS")."""
    condition = {"StringEquals": {"aws:PrincipalTag/team": "data"}}
    harness.iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{harness.account}:root"}),
    )
    harness.iam(
        "PutRolePolicy",
        RoleName="r",
        PolicyName="p",
        PolicyDocument=policy(allow("iam:ListRoles", Condition=condition)),
    )

    harness.iam("ListRoles", caller=harness.role_session("r", tags={"team": "data"}))
    with pytest.raises(ServiceError):
        harness.iam("ListRoles", caller=harness.role_session("r", tags={"team": "ops"}))
