"""AssumeRole: who may assume which role, for how long, with which inputs.

Pages cited: [ar] STS API Reference, "AssumeRole" (parameters, their
constraints, the result); [use] IAM User Guide, "Use IAM roles" and
"Update the maximum session duration for a role"; [ext] IAM User Guide,
"Access to AWS accounts owned by third parties" (external id);
[cross] IAM User Guide, "Cross account resource access in IAM" (trust
policy and the caller's own policy must both allow); [quotas] IAM User
Guide, "IAM and AWS STS quotas"; [deny] IAM User Guide, "Troubleshoot
access denied error messages".
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.sts.shared import (
    ALICE,
    DEV,
    NOW,
    OPS,
    PLAIN,
    SHARED,
    VENDOR,
    FakeBackend,
    assume,
    invoke,
    refused,
)

from iamsim.services.api import Caller


def _params(role: str = DEV, name: str = "s1", **extra: object) -> dict[str, object]:
    return {"RoleArn": role, "RoleSessionName": name, **extra}


def test_result_holds_credentials_and_assumed_role_user(
    backend: FakeBackend, alice: Caller
) -> None:
    """The result has ASIA credentials and AROA...:session with its ARN [ar]."""
    result = assume(backend, alice, DEV, "John-session")

    credentials = result["Credentials"]
    user = result["AssumedRoleUser"]
    assert credentials["AccessKeyId"].startswith("ASIA")
    assert len(credentials["SecretAccessKey"]) == 40
    assert credentials["Expiration"] - NOW == timedelta(hours=1)
    assert user["Arn"] == "arn:aws:sts::111111111111:assumed-role/Dev/John-session"
    assert user["AssumedRoleId"].startswith("AROA")
    assert user["AssumedRoleId"].endswith(":John-session")
    assert "PackedPolicySize" not in result
    assert "SourceIdentity" not in result


def test_session_arn_leaves_out_the_role_path(
    backend: FakeBackend, alice: Caller
) -> None:
    """An assumed-role ARN has no path even when the role has one [ar]."""
    result = assume(backend, alice, OPS, "s1")

    assert result["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::111111111111:assumed-role/Ops/s1"
    )


def test_unknown_role_is_access_denied_in_aws_words(
    backend: FakeBackend, alice: Caller
) -> None:
    """A role that does not exist reads as any other refusal [ar][deny]."""
    missing = "arn:aws:iam::111111111111:role/Missing"

    error = refused(backend, alice, "AssumeRole", _params(missing))

    assert error.code == "AccessDenied"
    assert error.status == 403
    assert error.message == (
        f"User: {ALICE} is not authorized to perform: sts:AssumeRole on "
        f"resource: {missing}"
    )


def test_role_that_does_not_trust_the_caller_refuses(
    backend: FakeBackend, bob: Caller
) -> None:
    """The trust policy must allow the caller [use]."""
    error = refused(backend, bob, "AssumeRole", _params(DEV))

    assert error.code == "AccessDenied"
    assert error.message.startswith(
        f"User: {bob.arn} is not authorized to perform: sts:AssumeRole on "
        f"resource: {DEV}"
    )


def test_root_user_may_not_assume_roles(backend: FakeBackend, root: Caller) -> None:
    """AWS refuses role assumption with root credentials [use]."""
    error = refused(backend, root, "AssumeRole", _params(OPS))

    assert error.code == "AccessDenied"
    assert error.message == "Roles may not be assumed by root accounts."


def test_role_max_session_duration_may_be_requested(
    backend: FakeBackend, alice: Caller
) -> None:
    """DurationSeconds may reach the role's maximum session duration [ar][use]."""
    result = invoke(backend, alice, "AssumeRole", _params(DEV, DurationSeconds=7200))

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=2)


def test_duration_above_role_maximum_is_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """Asking past MaxSessionDuration fails with AWS's message [ar][use]."""
    error = refused(backend, alice, "AssumeRole", _params(DEV, DurationSeconds=7201))

    assert error.code == "ValidationError"
    assert error.message == (
        "The requested DurationSeconds exceeds the MaxSessionDuration set for "
        "this role."
    )


@pytest.mark.parametrize(
    ("seconds", "rule"),
    [
        (899, "Member must have value greater than or equal to 900"),
        (43_201, "Member must have value less than or equal to 43200"),
    ],
)
def test_duration_outside_model_range_is_a_validation_error(
    backend: FakeBackend, alice: Caller, seconds: int, rule: str
) -> None:
    """DurationSeconds is 900 to 43,200 before any role rule [ar]."""
    error = refused(backend, alice, "AssumeRole", _params(OPS, DurationSeconds=seconds))

    assert error.message == (
        f"1 validation error detected: Value '{seconds}' at 'durationSeconds' "
        f"failed to satisfy constraint: {rule}"
    )


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("s", "Member must have length greater than or equal to 2"),
        ("s" * 65, "Member must have length less than or equal to 64"),
        ("my session", r"Member must satisfy regular expression pattern: [\w+=,.@-]*"),
        ("caf\u00e9", r"Member must satisfy regular expression pattern: [\w+=,.@-]*"),
    ],
)
def test_role_session_name_must_match_aws_pattern(
    backend: FakeBackend, alice: Caller, name: str, rule: str
) -> None:
    """RoleSessionName is 2 to 64 ASCII letters, digits or _+=,.@- [ar][quotas]."""
    error = refused(backend, alice, "AssumeRole", _params(DEV, name))

    assert error.code == "ValidationError"
    assert error.message == (
        f"1 validation error detected: Value '{name}' at 'roleSessionName' "
        f"failed to satisfy constraint: {rule}"
    )


def test_role_session_name_accepts_every_allowed_symbol(
    backend: FakeBackend, alice: Caller
) -> None:
    """Letters, digits and _+=,.@- all make a valid session name [ar]."""
    name = "a_b+c=d,e.f@g-h9"

    result = assume(backend, alice, DEV, name)

    assert result["AssumedRoleUser"]["Arn"].endswith(f"/Dev/{name}")


def test_every_violation_is_reported_at_once(
    backend: FakeBackend, alice: Caller
) -> None:
    """AWS lists all constraint failures in one ValidationError [ar]."""
    params = {"RoleArn": DEV, "RoleSessionName": "s", "DurationSeconds": 60}

    error = refused(backend, alice, "AssumeRole", params)

    assert error.message.startswith("2 validation errors detected: ")
    assert "at 'roleSessionName'" in error.message
    assert "; Value '60' at 'durationSeconds'" in error.message


def test_missing_role_arn_is_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """RoleArn is required [ar]."""
    error = refused(backend, alice, "AssumeRole", {"RoleSessionName": "s1"})

    assert error.message == (
        "1 validation error detected: Value null at 'roleArn' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_external_id_required_by_trust_policy_must_be_passed(
    backend: FakeBackend, alice: Caller
) -> None:
    """Without the external id the trust policy's condition fails [ext]."""
    error = refused(backend, alice, "AssumeRole", _params(VENDOR))

    assert error.code == "AccessDenied"


def test_wrong_external_id_is_denied(backend: FakeBackend, alice: Caller) -> None:
    """Only the external id the trust policy names is accepted [ext]."""
    params = _params(VENDOR, ExternalId="Example988")

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "AccessDenied"


def test_right_external_id_assumes_the_role(
    backend: FakeBackend, alice: Caller
) -> None:
    """The sts:ExternalId condition key carries the passed external id [ext]."""
    result = invoke(
        backend, alice, "AssumeRole", _params(VENDOR, ExternalId="Example987")
    )

    assert result["AssumedRoleUser"]["Arn"].endswith("/Vendor/s1")


@pytest.mark.parametrize(
    ("external_id", "rule"),
    [
        ("E", "Member must have length greater than or equal to 2"),
        ("E" * 1225, "Member must have length less than or equal to 1224"),
        (
            "Example 987",
            r"Member must satisfy regular expression pattern: [\w+=,.@:\/-]*",
        ),
    ],
)
def test_external_id_must_match_aws_pattern(
    backend: FakeBackend, alice: Caller, external_id: str, rule: str
) -> None:
    """ExternalId is 2 to 1,224 of letters, digits and _+=,.@:/- [ar][quotas]."""
    error = refused(
        backend, alice, "AssumeRole", _params(VENDOR, ExternalId=external_id)
    )

    assert error.code == "ValidationError"
    assert error.message.endswith(f"failed to satisfy constraint: {rule}")


def test_external_id_allows_colons_and_slashes(
    backend: FakeBackend, alice: Caller
) -> None:
    """Colons and slashes are valid in an external id [quotas]."""
    params = _params(OPS, ExternalId="urn:vendor/tenant-1")

    result = invoke(backend, alice, "AssumeRole", params)

    assert "Credentials" in result


def test_cross_account_role_needs_the_caller_own_permission(
    backend: FakeBackend, bob: Caller
) -> None:
    """Trusting an account is not enough: the user's policy must allow too [cross]."""
    error = refused(backend, bob, "AssumeRole", _params(SHARED))

    assert error.code == "AccessDenied"
    assert "identity-based policy" in error.message


def test_cross_account_role_is_assumed_when_both_sides_allow(
    backend: FakeBackend, alice: Caller
) -> None:
    """Trust policy and identity policy together allow the assumption [cross]."""
    result = assume(backend, alice, SHARED)

    assert result["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/Shared/s1"
    )


def test_same_account_role_trusting_the_account_needs_identity_permission(
    backend: FakeBackend, bob: Caller
) -> None:
    """A trust policy naming the account delegates to identity policies [cross]."""
    error = refused(backend, bob, "AssumeRole", _params(OPS))

    assert error.code == "AccessDenied"


def test_authorization_carries_session_name_and_external_id(
    backend: FakeBackend, alice: Caller
) -> None:
    """sts:RoleSessionName and sts:ExternalId reach the policy context [ar]."""
    invoke(backend, alice, "AssumeRole", _params(VENDOR, ExternalId="Example987"))

    action, resource, context = backend.authorized[-1]
    assert (action, resource) == ("sts:AssumeRole", VENDOR)
    assert context == {"sts:RoleSessionName": "s1", "sts:ExternalId": "Example987"}


def test_plain_assumption_checks_only_sts_assume_role(
    backend: FakeBackend, alice: Caller
) -> None:
    """Without tags or source identity no other action is authorized [ar]."""
    assume(backend, alice, PLAIN)

    assert [action for action, _, _ in backend.authorized] == ["sts:AssumeRole"]
