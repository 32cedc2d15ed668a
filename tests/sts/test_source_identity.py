"""Source identity: set with permission, then fixed for the whole chain.

Pages cited: [si] IAM User Guide, "Monitor and control actions taken with
assumed roles" (sts:SetSourceIdentity, sts:SourceIdentity and
aws:SourceIdentity, persistence and immutability); [ar] STS API Reference,
"AssumeRole" (SourceIdentity constraints and result).
"""

from __future__ import annotations

from tests.sts.shared import (
    DEV,
    NOW,
    OPS,
    PLAIN,
    FakeBackend,
    assume,
    refused,
    session_caller,
)

from iamsim.services.api import Caller
from iamsim.services.sts import query_principal
from iamsim.world.query import Query


def test_source_identity_is_set_and_returned(
    backend: FakeBackend, alice: Caller
) -> None:
    """The result echoes the source identity the session now carries [ar][si]."""
    result = assume(backend, alice, DEV, SourceIdentity="DevUser")

    assert result["SourceIdentity"] == "DevUser"
    session = session_caller(backend, result).session
    assert session is not None and session.source_identity == "DevUser"


def test_setting_source_identity_checks_its_own_permission(
    backend: FakeBackend, alice: Caller
) -> None:
    """sts:SetSourceIdentity is authorized with sts:SourceIdentity in context [si]."""
    assume(backend, alice, DEV, SourceIdentity="DevUser")

    action, resource, context = backend.authorized[-1]
    assert (action, resource) == ("sts:SetSourceIdentity", DEV)
    assert context["sts:SourceIdentity"] == "DevUser"


def test_trust_policy_without_set_source_identity_refuses(
    backend: FakeBackend, alice: Caller
) -> None:
    """A role whose trust policy lacks sts:SetSourceIdentity refuses one [si]."""
    params = {"RoleArn": PLAIN, "RoleSessionName": "s1", "SourceIdentity": "DevUser"}

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "AccessDenied"
    assert "sts:SetSourceIdentity" in error.message


def test_source_identity_persists_through_role_chaining(
    backend: FakeBackend, alice: Caller
) -> None:
    """A chained session keeps the source identity without passing it [si]."""
    first = session_caller(
        backend, assume(backend, alice, DEV, SourceIdentity="DevUser")
    )

    result = assume(backend, first, OPS, "second")

    assert result["SourceIdentity"] == "DevUser"


def test_source_identity_cannot_change_along_the_chain(
    backend: FakeBackend, alice: Caller
) -> None:
    """Once set, the source identity cannot be changed [si].

    AWS documents the rule, not the error; iamsim pins InvalidParameterValue.
    """
    first = session_caller(
        backend, assume(backend, alice, DEV, SourceIdentity="DevUser")
    )
    params = {"RoleArn": OPS, "RoleSessionName": "s2", "SourceIdentity": "Other"}

    error = refused(backend, first, "AssumeRole", params)

    assert error.code == "InvalidParameterValue"
    assert "DevUser" in error.message


def test_passing_the_same_source_identity_again_is_accepted(
    backend: FakeBackend, alice: Caller
) -> None:
    """Repeating the value already set changes nothing and is allowed [si]."""
    first = session_caller(
        backend, assume(backend, alice, DEV, SourceIdentity="DevUser")
    )

    result = assume(backend, first, OPS, "s2", SourceIdentity="DevUser")

    assert result["SourceIdentity"] == "DevUser"


def test_source_identity_must_match_aws_pattern(
    backend: FakeBackend, alice: Caller
) -> None:
    """SourceIdentity holds letters, digits and _+=,.@- only, so never aws: [si][ar]."""
    params = {"RoleArn": DEV, "RoleSessionName": "s1", "SourceIdentity": "aws:admin"}

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "ValidationError"
    assert "at 'sourceIdentity'" in error.message


def test_source_identity_is_aws_source_identity_in_later_requests(
    backend: FakeBackend, alice: Caller
) -> None:
    """Requests made with the session carry aws:SourceIdentity [si]."""
    session = session_caller(
        backend, assume(backend, alice, DEV, SourceIdentity="DevUser")
    )
    principal, spec = query_principal(session)

    query = Query(principal, "s3:GetObject", "arn:aws:s3:::data/x", spec, time=NOW)
    decision = backend.world().authorize(query)

    assert decision.request.context["aws:sourceidentity"] == ("DevUser",)
