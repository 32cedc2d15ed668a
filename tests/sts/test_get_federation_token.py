"""GetFederationToken makes federated-user sessions limited by session policies.

Pages cited: [gft] STS API Reference, "GetFederationToken" (Name pattern
and length, duration, session policies, FederatedUser); [compare] IAM
User Guide, "Compare AWS STS credentials" (IAM users and root only; root
at most one hour); [request] IAM User Guide, "Requesting temporary security
credentials" (no session policy means no permissions); [tags] IAM User
Guide, "Pass session tags in AWS STS" (principal tags of a federated user).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.sts.shared import (
    CAROL_KEY,
    DATA_OBJECT,
    DEV,
    NOW,
    READ_ONLY_ARN,
    FakeBackend,
    assume,
    caller,
    invoke,
    refused,
    session_caller,
    tags,
)

from iamsim.services.api import Call, Caller, ServiceError


def _federate(backend: FakeBackend, who: Caller, **params: Any) -> Caller:
    result = invoke(backend, who, "GetFederationToken", {"Name": "jane", **params})
    return session_caller(backend, result)


def _may_read(backend: FakeBackend, who: Caller) -> bool:
    call = Call(who, "s3", "GetObject", "us-east-1", NOW, "req-2")
    try:
        backend.authorize(call, "s3:GetObject", DATA_OBJECT)
    except ServiceError:
        return False
    return True


def test_result_names_the_federated_user(backend: FakeBackend, alice: Caller) -> None:
    """FederatedUser holds ACCOUNT:NAME and the federated-user ARN [gft]."""
    result = invoke(backend, alice, "GetFederationToken", {"Name": "jane"})

    assert result["FederatedUser"] == {
        "FederatedUserId": "111111111111:jane",
        "Arn": "arn:aws:sts::111111111111:federated-user/jane",
    }
    assert result["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert "PackedPolicySize" not in result


def test_user_session_lasts_twelve_hours_by_default(
    backend: FakeBackend, alice: Caller
) -> None:
    """A federation session defaults to 43,200 s [gft]."""
    result = invoke(backend, alice, "GetFederationToken", {"Name": "jane"})

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=12)


def test_root_session_is_cut_to_one_hour(backend: FakeBackend, root: Caller) -> None:
    """Root-user federation sessions last at most 3,600 s [gft][compare]."""
    params = {"Name": "jane", "DurationSeconds": 36_000}

    result = invoke(backend, root, "GetFederationToken", params)

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=1)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("j", "Member must have length greater than or equal to 2"),
        ("j" * 33, "Member must have length less than or equal to 32"),
        ("jane doe", r"Member must satisfy regular expression pattern: [\w+=,.@-]*"),
    ],
)
def test_name_must_match_aws_pattern(
    backend: FakeBackend, alice: Caller, name: str, rule: str
) -> None:
    """Name is 2 to 32 of letters, digits and _+=,.@- [gft]."""
    error = refused(backend, alice, "GetFederationToken", {"Name": name})

    assert error.code == "ValidationError"
    assert error.message.endswith(f"at 'name' failed to satisfy constraint: {rule}")


def test_name_is_required(backend: FakeBackend, alice: Caller) -> None:
    """A request without Name fails validation [gft]."""
    error = refused(backend, alice, "GetFederationToken", {})

    assert error.message == (
        "1 validation error detected: Value null at 'name' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_role_session_cannot_federate(backend: FakeBackend, alice: Caller) -> None:
    """Only IAM users and the root user may call GetFederationToken [compare]."""
    session = session_caller(backend, assume(backend, alice, DEV))

    error = refused(backend, session, "GetFederationToken", {"Name": "jane"})

    assert error.code == "AccessDenied"
    assert error.message == "Cannot call GetFederationToken with session credentials"


def test_federated_user_cannot_call_sts_but_get_caller_identity(
    backend: FakeBackend, alice: Caller
) -> None:
    """Federated credentials call no STS operation but GetCallerIdentity [compare]."""
    jane = _federate(backend, alice)

    denied = refused(
        backend, jane, "AssumeRole", {"RoleArn": DEV, "RoleSessionName": "s1"}
    )

    assert denied.code == "AccessDenied"
    assert invoke(backend, jane, "GetCallerIdentity")["UserId"] == "111111111111:jane"


def test_user_without_permission_cannot_federate(
    backend: FakeBackend, bob: Caller
) -> None:
    """sts:GetFederationToken must be allowed for the caller [gft]."""
    error = refused(backend, bob, "GetFederationToken", {"Name": "jane"})

    assert error.code == "AccessDenied"
    assert "sts:GetFederationToken" in error.message


def test_without_session_policy_federated_user_has_no_permissions(
    backend: FakeBackend, alice: Caller
) -> None:
    """No session policy means the credentials grant nothing [request]."""
    jane = _federate(backend, alice, Tags=tags(team="blue"))

    assert not _may_read(backend, jane)


def test_session_policy_grants_within_the_user_permissions(
    backend: FakeBackend, alice: Caller
) -> None:
    """Permissions are the user's policies intersected with the session's [gft][tags]."""
    jane = _federate(
        backend, alice, PolicyArns=[{"arn": READ_ONLY_ARN}], Tags=tags(team="blue")
    )

    assert _may_read(backend, jane)


def test_session_policy_cannot_exceed_the_user_permissions(
    backend: FakeBackend, alice: Caller
) -> None:
    """Without the user's required team tag the session policy grants nothing [gft]."""
    jane = _federate(backend, alice, PolicyArns=[{"arn": READ_ONLY_ARN}])

    assert not _may_read(backend, jane)


def test_packed_policy_size_is_reported_with_policies(
    backend: FakeBackend, alice: Caller
) -> None:
    """PackedPolicySize is a percentage when policies or tags are passed [gft]."""
    params = {
        "Name": "Jane-session",
        "PolicyArns": [{"arn": READ_ONLY_ARN}],
        "Tags": tags(Project="Pegasus", **{"Cost-Center": "12345"}),
    }

    result = invoke(backend, alice, "GetFederationToken", params)

    assert result["PackedPolicySize"] == 4


def test_session_tags_need_tag_session_permission(backend: FakeBackend) -> None:
    """Passing Tags to GetFederationToken needs sts:TagSession [tags]."""
    carol = caller(backend, CAROL_KEY)

    error = refused(
        backend,
        carol,
        "GetFederationToken",
        {"Name": "jane", "Tags": tags(team="blue")},
    )

    assert error.code == "AccessDenied"
    assert "sts:TagSession" in error.message
    assert invoke(backend, carol, "GetFederationToken", {"Name": "jane"})
