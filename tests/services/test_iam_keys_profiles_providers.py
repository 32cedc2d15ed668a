"""Access keys, instance profiles, iam:PassRole and identity providers."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from tests.services.conftest import NOW, Harness, allow, policy, trust

from iamsim.services.api import Call, Caller, ServiceError, SessionInfo
from iamsim.services.iam_passrole import pass_role

SAML_METADATA = (
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
    'entityID="https://idp.example.com" validUntil="2030-01-01T00:00:00Z">'
    + "<!-- padding -->" * 70
    + "</md:EntityDescriptor>"
)


# Access keys


def test_create_access_key_returns_the_secret_once(harness: Harness) -> None:
    """CreateAccessKey returns the secret; ListAccessKeys never does ("CreateAccessKey")."""
    harness.iam("CreateUser", UserName="alice")

    key = harness.iam("CreateAccessKey", UserName="alice")["AccessKey"]
    listed = harness.iam("ListAccessKeys", UserName="alice")["AccessKeyMetadata"]

    assert re.fullmatch(r"AKIA[A-Z2-7]{16}", key["AccessKeyId"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", key["SecretAccessKey"])
    assert key["Status"] == "Active"
    assert listed == [
        {
            "UserName": "alice",
            "AccessKeyId": key["AccessKeyId"],
            "Status": "Active",
            "CreateDate": NOW,
        }
    ]


def test_a_user_has_at_most_two_access_keys(harness: Harness) -> None:
    """Each user can have two access keys ("IAM object quotas")."""
    harness.iam("CreateUser", UserName="alice")
    harness.iam("CreateAccessKey", UserName="alice")
    harness.iam("CreateAccessKey", UserName="alice")

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateAccessKey", UserName="alice")

    assert raised.value.code == "LimitExceeded"


def test_the_root_caller_manages_root_keys(harness: Harness) -> None:
    """Without UserName the root's own access keys are meant ("Manage access keys for the root user")."""
    before = harness.iam("ListAccessKeys")["AccessKeyMetadata"]

    created = harness.iam("CreateAccessKey")["AccessKey"]
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateAccessKey")

    assert [k["AccessKeyId"] for k in before] == [harness.bootstrap.access_key_id]
    assert "UserName" not in created
    assert raised.value.code == "LimitExceeded"


def test_a_user_manages_its_own_keys_without_user_name(harness: Harness) -> None:
    """Without UserName the calling user's keys are meant ("CreateAccessKey", UserName)."""
    alice = harness.user(
        "alice",
        policy(
            allow("iam:ListAccessKeys", f"arn:aws:iam::{harness.account}:user/alice")
        ),
    )

    keys = harness.iam("ListAccessKeys", caller=alice)["AccessKeyMetadata"]

    assert [k["AccessKeyId"] for k in keys] == [alice.access_key_id]


def test_a_role_session_must_name_the_user(harness: Harness) -> None:
    """Non-user credentials must give UserName ("Must specify userName when calling with non-User credentials")."""
    harness.iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{harness.account}:root"}),
    )

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateAccessKey", caller=harness.role_session("r"))

    assert raised.value.code == "ValidationError"


def test_an_inactive_key_is_reported_inactive(harness: Harness) -> None:
    """UpdateAccessKey sets a key Inactive; the backend reports its status ("UpdateAccessKey")."""
    alice = harness.user("alice")

    harness.iam(
        "UpdateAccessKey",
        UserName="alice",
        AccessKeyId=alice.access_key_id,
        Status="Inactive",
    )

    record = harness.backend.access_key(alice.access_key_id)
    assert record is not None and record.status == "Inactive"


def test_deleting_another_users_key_is_no_such_entity(harness: Harness) -> None:
    """A key id is found only under its own user ("DeleteAccessKey", Errors)."""
    alice = harness.user("alice")
    harness.iam("CreateUser", UserName="bob")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteAccessKey", UserName="bob", AccessKeyId=alice.access_key_id)

    assert raised.value.code == "NoSuchEntity"


def test_delete_access_key(harness: Harness) -> None:
    """A deleted key no longer authenticates ("DeleteAccessKey")."""
    alice = harness.user("alice")

    harness.iam("DeleteAccessKey", UserName="alice", AccessKeyId=alice.access_key_id)

    assert harness.backend.access_key(alice.access_key_id) is None


def test_deleted_key_is_refused_even_after_it_was_looked_up(harness: Harness) -> None:
    """A key seen by an earlier request is not remembered past its deletion."""
    alice = harness.user("alice")
    assert harness.backend.access_key(alice.access_key_id) is not None

    harness.iam("DeleteAccessKey", UserName="alice", AccessKeyId=alice.access_key_id)

    assert harness.backend.access_key(alice.access_key_id) is None


def test_deactivated_key_is_seen_inactive_after_it_was_looked_up(
    harness: Harness,
) -> None:
    """UpdateAccessKey to Inactive takes effect on the next request."""
    alice = harness.user("alice")
    assert harness.backend.access_key(alice.access_key_id) is not None

    harness.iam(
        "UpdateAccessKey",
        UserName="alice",
        AccessKeyId=alice.access_key_id,
        Status="Inactive",
    )

    record = harness.backend.access_key(alice.access_key_id)
    assert record is not None
    assert record.status == "Inactive"


def test_access_key_owner_follows_a_renamed_user(harness: Harness) -> None:
    """A key's owner is its user's current ARN, path included ("IAM identifiers")."""
    alice = harness.user("alice")

    harness.iam("UpdateUser", UserName="alice", NewPath="/ops/")

    record = harness.backend.access_key(alice.access_key_id)
    assert record is not None
    assert record.owner_arn == f"arn:aws:iam::{harness.account}:user/ops/alice"


# Instance profiles and PassRole


def test_instance_profile_holds_one_role(harness: Harness) -> None:
    """An instance profile holds at most one role ("IAM object quotas")."""
    for name in ("a", "b"):
        harness.iam(
            "CreateRole",
            RoleName=name,
            AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
        )
    harness.iam("CreateInstanceProfile", InstanceProfileName="web")
    harness.iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="a")

    with pytest.raises(ServiceError) as raised:
        harness.iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="b")

    roles = harness.iam("GetInstanceProfile", InstanceProfileName="web")[
        "InstanceProfile"
    ]["Roles"]
    assert [r["RoleName"] for r in roles] == ["a"]
    assert raised.value.code == "LimitExceeded"


def test_adding_a_role_to_a_profile_needs_pass_role(harness: Harness) -> None:
    """AddRoleToInstanceProfile needs iam:PassRole on the role ("AddRoleToInstanceProfile")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam("CreateInstanceProfile", InstanceProfileName="web")
    admin = harness.user("admin", policy(allow("iam:AddRoleToInstanceProfile")))

    with pytest.raises(ServiceError) as raised:
        harness.iam(
            "AddRoleToInstanceProfile",
            caller=admin,
            InstanceProfileName="web",
            RoleName="app",
        )

    assert "iam:PassRole" in raised.value.message


def test_delete_instance_profile_with_a_role_is_a_delete_conflict(
    harness: Harness,
) -> None:
    """Roles must leave a profile before it is deleted ("DeleteInstanceProfile")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam("CreateInstanceProfile", InstanceProfileName="web")
    harness.iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="app")

    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteInstanceProfile", InstanceProfileName="web")
    harness.iam(
        "RemoveRoleFromInstanceProfile", InstanceProfileName="web", RoleName="app"
    )
    harness.iam("DeleteInstanceProfile", InstanceProfileName="web")

    assert raised.value.code == "DeleteConflict"
    assert harness.iam("ListInstanceProfiles")["InstanceProfiles"] == []


def _call(caller: Caller) -> Call:
    return Call(caller, "ec2", "RunInstances", "us-east-1", NOW, "req")


def test_pass_role_checks_the_passed_to_service_key(harness: Harness) -> None:
    """iam:PassRole is checked with iam:PassedToService ("Grant a user permissions to pass a role to an AWS service")."""
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    role_arn = f"arn:aws:iam::{harness.account}:role/app"
    condition = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
    alice = harness.user(
        "alice", policy(allow("iam:PassRole", role_arn, Condition=condition))
    )

    passed = pass_role(harness.backend, _call(alice), role_arn, "ec2.amazonaws.com")
    with pytest.raises(ServiceError) as raised:
        pass_role(harness.backend, _call(alice), role_arn, "lambda.amazonaws.com")

    assert passed.name == "app"
    assert raised.value.code == "AccessDenied"


def test_pass_role_of_a_missing_role_is_no_such_entity(harness: Harness) -> None:
    """Only an existing role can be passed ("iam:PassRole")."""
    role_arn = f"arn:aws:iam::{harness.account}:role/ghost"

    with pytest.raises(ServiceError) as raised:
        pass_role(harness.backend, _call(harness.root), role_arn, "ec2.amazonaws.com")

    assert raised.value.code == "NoSuchEntity"


# Identity providers


def test_saml_provider_round_trip(harness: Harness) -> None:
    """CreateSAMLProvider keeps the metadata and its validUntil ("CreateSAMLProvider", "GetSAMLProvider")."""
    arn = harness.iam(
        "CreateSAMLProvider", Name="corp", SAMLMetadataDocument=SAML_METADATA
    )["SAMLProviderArn"]

    got = harness.iam("GetSAMLProvider", SAMLProviderArn=arn)
    listed = harness.iam("ListSAMLProviders")["SAMLProviderList"]
    harness.iam("DeleteSAMLProvider", SAMLProviderArn=arn)

    assert arn == f"arn:aws:iam::{harness.account}:saml-provider/corp"
    assert got["SAMLMetadataDocument"] == SAML_METADATA
    assert got["ValidUntil"] == datetime.fromisoformat("2030-01-01T00:00:00+00:00")
    assert [p["Arn"] for p in listed] == [arn]
    assert harness.iam("ListSAMLProviders")["SAMLProviderList"] == []


def test_saml_metadata_that_is_not_xml_is_invalid_input(harness: Harness) -> None:
    """The metadata must be a SAML metadata document ("CreateSAMLProvider", Errors)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateSAMLProvider", Name="corp", SAMLMetadataDocument="x" * 1000)

    assert raised.value.code == "InvalidInput"


def test_oidc_provider_round_trip(harness: Harness) -> None:
    """An OIDC provider is named by its URL without https:// ("CreateOpenIDConnectProvider")."""
    created = harness.iam(
        "CreateOpenIDConnectProvider",
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["a" * 40],
    )
    arn = created["OpenIDConnectProviderArn"]

    got = harness.iam("GetOpenIDConnectProvider", OpenIDConnectProviderArn=arn)

    assert (
        arn
        == f"arn:aws:iam::{harness.account}:oidc-provider/token.actions.githubusercontent.com"
    )
    assert got["Url"] == "token.actions.githubusercontent.com"
    assert got["ClientIDList"] == ["sts.amazonaws.com"]
    assert harness.iam("ListOpenIDConnectProviders")["OpenIDConnectProviderList"] == [
        {"Arn": arn}
    ]


def test_a_duplicate_oidc_provider_is_entity_already_exists(harness: Harness) -> None:
    """One provider per URL ("CreateOpenIDConnectProvider", Errors)."""
    harness.iam("CreateOpenIDConnectProvider", Url="https://idp.example.com")

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateOpenIDConnectProvider", Url="https://idp.example.com")

    assert raised.value.code == "EntityAlreadyExists"


def test_an_oidc_url_without_https_is_invalid_input(harness: Harness) -> None:
    """The URL must begin with https:// ("CreateOpenIDConnectProvider", Url)."""
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateOpenIDConnectProvider", Url="http://idp.example.com")

    assert raised.value.code == "InvalidInput"


def test_federated_provider_session_sees_provider_in_world(harness: Harness) -> None:
    """A registered OIDC provider is part of the world the engine reads ("Identity providers and federation")."""
    harness.iam("CreateOpenIDConnectProvider", Url="https://idp.example.com")

    world = harness.backend.world()

    assert (
        world.provider(f"arn:aws:iam::{harness.account}:oidc-provider/idp.example.com")
        is not None
    )


def test_session_token_callers_act_as_their_user(harness: Harness) -> None:
    """A GetSessionToken session keeps the user's identity and policies ("GetSessionToken", STS API Reference)."""
    alice = harness.user("alice", policy(allow("iam:ListUsers")))
    session = SessionInfo(
        kind="session-token",
        arn=alice.arn,
        account=alice.account,
        expires_at=NOW,
        user_arn=alice.arn,
        mfa_authenticated=True,
    )
    caller = Caller(alice.arn, alice.account, alice.user_id, "ASIAEXAMPLE", session)

    assert harness.iam("ListUsers", caller=caller)["Users"]


def test_delete_oidc_provider(harness: Harness) -> None:
    """DeleteOpenIDConnectProvider removes it; a second delete is NoSuchEntity ("DeleteOpenIDConnectProvider")."""
    arn = harness.iam("CreateOpenIDConnectProvider", Url="https://idp.example.com")[
        "OpenIDConnectProviderArn"
    ]

    harness.iam("DeleteOpenIDConnectProvider", OpenIDConnectProviderArn=arn)
    with pytest.raises(ServiceError) as raised:
        harness.iam("DeleteOpenIDConnectProvider", OpenIDConnectProviderArn=arn)

    assert raised.value.code == "NoSuchEntity"
    assert harness.iam("ListOpenIDConnectProviders")["OpenIDConnectProviderList"] == []
