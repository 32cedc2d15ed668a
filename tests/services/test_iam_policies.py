"""Managed policies and their versions."""

from __future__ import annotations

import json

import pytest
from tests.services.conftest import Harness, allow, policy

from iamsim.services.api import ServiceError

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _create(harness: Harness, name: str = "read", **params: str) -> str:
    document = policy(allow("s3:Get*"))
    fields = {"PolicyName": name, "PolicyDocument": document, **params}
    created = harness.call("iam", "CreatePolicy", fields)
    return str(created["Policy"]["Arn"])


def test_create_policy_starts_at_version_one(harness: Harness) -> None:
    """A new managed policy's default version is v1 ("CreatePolicy", "Versioning IAM policies")."""
    created = harness.iam(
        "CreatePolicy",
        PolicyName="read",
        Path="/team/",
        PolicyDocument=policy(allow("s3:Get*")),
    )["Policy"]

    assert created["Arn"] == f"arn:aws:iam::{harness.account}:policy/team/read"
    assert created["DefaultVersionId"] == "v1"
    assert created["PolicyId"].startswith("ANPA")
    assert created["AttachmentCount"] == 0
    assert created["IsAttachable"] is True


def test_policy_names_are_unique_in_the_account_whatever_the_path(
    harness: Harness,
) -> None:
    """A second policy with the same name is EntityAlreadyExists ("CreatePolicy", Errors)."""
    _create(harness, "read", Path="/a/")

    with pytest.raises(ServiceError) as raised:
        _create(harness, "read", Path="/b/")

    assert raised.value.code == "EntityAlreadyExists"


def test_a_policy_with_a_principal_is_malformed(harness: Harness) -> None:
    """An identity-based policy names no Principal ("IAM JSON policy elements: Principal")."""
    document = policy(allow("s3:*", Principal="*"))

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreatePolicy", PolicyName="bad", PolicyDocument=document)

    assert raised.value.code == "MalformedPolicyDocument"


def test_a_policy_that_is_not_json_is_malformed(harness: Harness) -> None:
    """Unparseable JSON is MalformedPolicyDocument ("CreatePolicy", Errors)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreatePolicy", PolicyName="bad", PolicyDocument="{not json")

    assert raised.value.code == "MalformedPolicyDocument"


def test_managed_policy_size_counts_characters_other_than_white_space(
    harness: Harness,
) -> None:
    """Managed policies hold 6,144 characters; IAM does not count white space ("IAM and AWS STS quotas")."""
    actions = [f"s3:GetObjectVersion{i:03d}" for i in range(300)]
    big = json.dumps({"Version": "2012-10-17", "Statement": [allow(actions)]})
    padded = json.dumps(
        {"Version": "2012-10-17", "Statement": [allow("s3:*")]}, indent=400
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreatePolicy", PolicyName="big", PolicyDocument=big)
    harness.iam("CreatePolicy", PolicyName="padded", PolicyDocument=padded)

    assert raised.value.code == "LimitExceeded"


def test_get_policy_and_version(harness: Harness) -> None:
    """GetPolicy describes the policy; GetPolicyVersion returns the document ("GetPolicyVersion")."""
    arn = _create(harness)

    described = harness.iam("GetPolicy", PolicyArn=arn)["Policy"]
    version = harness.iam("GetPolicyVersion", PolicyArn=arn, VersionId="v1")[
        "PolicyVersion"
    ]

    assert described["PolicyName"] == "read"
    assert version["IsDefaultVersion"] is True
    assert json.loads(version["Document"])["Statement"][0]["Action"] == "s3:Get*"


def test_aws_managed_policies_are_listed_by_scope(harness: Harness) -> None:
    """ListPolicies Scope AWS lists AWS managed policies and Local the account's ("ListPolicies")."""
    _create(harness)

    aws = harness.iam("ListPolicies", Scope="AWS")["Policies"]
    local = harness.iam("ListPolicies", Scope="Local")["Policies"]

    assert ADMIN in {p["Arn"] for p in aws}
    assert [p["PolicyName"] for p in local] == ["read"]


def test_list_policies_only_attached(harness: Harness) -> None:
    """OnlyAttached lists only policies attached to some entity ("ListPolicies")."""
    arn = _create(harness)
    _create(harness, "unused")
    harness.iam("CreateUser", UserName="alice")
    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=arn)

    listed = harness.iam("ListPolicies", Scope="Local", OnlyAttached=True)["Policies"]

    assert [p["PolicyName"] for p in listed] == ["read"]
    assert listed[0]["AttachmentCount"] == 1


def test_a_policy_keeps_at_most_five_versions(harness: Harness) -> None:
    """A managed policy can have up to five versions ("Versioning IAM policies")."""
    arn = _create(harness)
    for _ in range(4):
        harness.iam(
            "CreatePolicyVersion",
            PolicyArn=arn,
            PolicyDocument=policy(allow("s3:List*")),
        )

    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreatePolicyVersion",
            PolicyArn=arn,
            PolicyDocument=policy(allow("s3:List*")),
        )

    assert raised.value.code == "LimitExceeded"
    assert raised.value.status == 409


def test_version_numbers_are_not_reused(harness: Harness) -> None:
    """Deleted version ids are not reused ("Versioning IAM policies")."""
    arn = _create(harness)
    harness.iam(
        "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=policy(allow("s3:List*"))
    )
    harness.iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v2")

    created = harness.iam(
        "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=policy(allow("s3:List*"))
    )

    assert created["PolicyVersion"]["VersionId"] == "v3"


def test_set_as_default_changes_what_applies(harness: Harness) -> None:
    """SetAsDefault makes a new version the one in effect ("CreatePolicyVersion", "SetDefaultPolicyVersion")."""
    arn = _create(harness)
    harness.iam(
        "CreatePolicyVersion",
        PolicyArn=arn,
        PolicyDocument=policy(allow("iam:ListUsers")),
        SetAsDefault=True,
    )
    alice = harness.user("alice")
    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=arn)

    assert harness.iam("ListUsers", caller=alice)["Users"]
    harness.iam("SetDefaultPolicyVersion", PolicyArn=arn, VersionId="v1")
    with pytest.raises(ServiceError):
        harness.iam("ListUsers", caller=alice)


def test_list_policy_versions_newest_first(harness: Harness) -> None:
    """ListPolicyVersions lists versions with IsDefaultVersion ("ListPolicyVersions")."""
    arn = _create(harness)
    harness.iam(
        "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=policy(allow("s3:List*"))
    )

    versions = harness.iam("ListPolicyVersions", PolicyArn=arn)["Versions"]

    assert [(v["VersionId"], v["IsDefaultVersion"]) for v in versions] == [
        ("v2", False),
        ("v1", True),
    ]


def test_the_default_version_cannot_be_deleted(harness: Harness) -> None:
    """DeletePolicyVersion refuses the default version ("DeletePolicyVersion")."""
    arn = _create(harness)

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeletePolicyVersion", PolicyArn=arn, VersionId="v1")

    assert raised.value.code == "DeleteConflict"


def test_an_attached_policy_cannot_be_deleted(harness: Harness) -> None:
    """A policy must be detached from every entity before deletion ("DeletePolicy")."""
    arn = _create(harness)
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam("AttachGroupPolicy", GroupName="devs", PolicyArn=arn)

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeletePolicy", PolicyArn=arn)

    assert raised.value.code == "DeleteConflict"


def test_a_policy_with_other_versions_cannot_be_deleted(harness: Harness) -> None:
    """Non-default versions must be deleted before the policy ("DeletePolicy")."""
    arn = _create(harness)
    harness.iam(
        "CreatePolicyVersion", PolicyArn=arn, PolicyDocument=policy(allow("s3:List*"))
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeletePolicy", PolicyArn=arn)

    assert raised.value.code == "DeleteConflict"


def test_delete_policy(harness: Harness) -> None:
    """An unattached policy with one version is deleted with it ("DeletePolicy")."""
    arn = _create(harness)

    harness.iam("DeletePolicy", PolicyArn=arn)

    with pytest.raises(ServiceError) as raised:
        harness.iam("GetPolicy", PolicyArn=arn)
    assert raised.value.code == "NoSuchEntity"


def test_aws_managed_policies_cannot_be_changed(harness: Harness) -> None:
    """AWS managed policies can be used but not edited ("AWS managed policies", IAM User Guide)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "CreatePolicyVersion", PolicyArn=ADMIN, PolicyDocument=policy(allow("s3:*"))
        )

    assert raised.value.code == "InvalidInput"


def test_policies_of_another_account_are_refused(harness: Harness) -> None:
    """IAM resources have no resource policy, so another account is denied ("Cross account resource access in IAM")."""
    other = harness.orgs("CreateAccount", Email="dev@example.com", AccountName="dev")[
        "CreateAccountStatus"
    ]["AccountId"]
    arn = _create(harness)

    with pytest.raises(ServiceError) as raised:
        harness.iam("GetPolicy", caller=harness.root_of(other), PolicyArn=arn)

    assert raised.value.code == "AccessDenied"
