"""Session policies: limits, parsing, packed size, and what they allow.

Pages cited: [sp] IAM User Guide, "Policies and permissions in IAM",
section "Session policies" (intersection with identity policies, up to 10
managed ARNs); [ar] STS API Reference, "AssumeRole" (Policy of up to 2,048
characters, PolicyArns, PackedPolicySize, PackedPolicyTooLarge); [request]
IAM User Guide, "Requesting temporary security credentials" (the worked
PackedPolicySize examples); [tags] IAM User Guide, "Pass session tags in
AWS STS" (packed size of policies and tags combined).
"""

from __future__ import annotations

import hashlib
import json

from tests.sts.shared import (
    DATA_OBJECT,
    DEV,
    NOW,
    READ_ONLY_ARN,
    FakeBackend,
    assume,
    refused,
    session_caller,
    tags,
)

from iamsim.services.api import Call, Caller, ServiceError
from iamsim.sts.packing import packed_percent

EXAMPLE_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"Stmt1","Effect":"Allow",'
    '"Action":"s3:*","Resource":"*"}]}'
)
LIST_ONLY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
    }
)


def _may_read(backend: FakeBackend, who: Caller) -> bool:
    call = Call(who, "s3", "GetObject", "us-east-1", NOW, "req-4")
    try:
        backend.authorize(call, "s3:GetObject", DATA_OBJECT)
    except ServiceError:
        return False
    return True


def _params(**extra: object) -> dict[str, object]:
    return {"RoleArn": DEV, "RoleSessionName": "s1", **extra}


def test_session_policy_narrows_the_role_permissions(
    backend: FakeBackend, alice: Caller
) -> None:
    """A session may do only what both the role and session policy allow [sp]."""
    blue = tags(team="blue")
    wide = session_caller(backend, assume(backend, alice, DEV, "wide", Tags=blue))
    narrow = session_caller(
        backend, assume(backend, alice, DEV, "narrow", Tags=blue, Policy=LIST_ONLY)
    )

    assert _may_read(backend, wide)
    assert not _may_read(backend, narrow)


def test_managed_session_policy_is_applied_by_arn(
    backend: FakeBackend, alice: Caller
) -> None:
    """PolicyArns pass managed policies as session policies [sp]."""
    result = assume(
        backend, alice, DEV, Tags=tags(team="blue"), PolicyArns=[{"arn": READ_ONLY_ARN}]
    )

    session = session_caller(backend, result)

    assert _may_read(backend, session)
    assert session.session is not None
    assert session.session.policy_arns == (READ_ONLY_ARN,)


def test_packed_policy_size_matches_the_documented_example(
    backend: FakeBackend, alice: Caller
) -> None:
    """The guide's policy with two tags packs to 8 percent [request]."""
    result = assume(
        backend,
        alice,
        DEV,
        "John-session",
        Policy=EXAMPLE_POLICY,
        Tags=tags(Project="Pegasus", **{"Cost-Center": "12345"}),
    )

    assert result["PackedPolicySize"] == 8


def test_nothing_to_pack_reports_no_size() -> None:
    """Without policies or tags there is no PackedPolicySize [ar]."""
    assert packed_percent(None, (), ()) is None


def test_inline_policy_over_2048_characters_is_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """The inline session policy is at most 2,048 characters [ar][sp]."""
    policy = EXAMPLE_POLICY + " " * (2049 - len(EXAMPLE_POLICY))

    error = refused(backend, alice, "AssumeRole", _params(Policy=policy))

    assert error.code == "ValidationError"
    assert error.message.endswith(
        "at 'policy' failed to satisfy constraint: Member must have length less "
        "than or equal to 2048"
    )


def test_eleven_policy_arns_are_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """At most ten managed session policies may be passed [sp]."""
    arns = [{"arn": READ_ONLY_ARN}] * 11

    error = refused(backend, alice, "AssumeRole", _params(PolicyArns=arns))

    assert error.code == "ValidationError"
    assert "at 'policyArns'" in error.message


def test_malformed_inline_policy_is_refused(
    backend: FakeBackend, alice: Caller
) -> None:
    """A session policy that does not parse gives MalformedPolicyDocument [ar]."""
    error = refused(backend, alice, "AssumeRole", _params(Policy='{"Version": '))

    assert error.code == "MalformedPolicyDocument"


def test_session_policy_may_not_name_a_principal(
    backend: FakeBackend, alice: Caller
) -> None:
    """A session policy is an identity-style policy without Principal [sp]."""
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
            ],
        }
    )

    error = refused(backend, alice, "AssumeRole", _params(Policy=policy))

    assert error.code == "MalformedPolicyDocument"


def test_unknown_managed_policy_arn_is_refused(
    backend: FakeBackend, alice: Caller
) -> None:
    """A PolicyArns entry must name an existing policy [sp].

    AWS does not document this error; iamsim pins InvalidParameterValue.
    """
    arns = [{"arn": "arn:aws:iam::111111111111:policy/Nope"}]

    error = refused(backend, alice, "AssumeRole", _params(PolicyArns=arns))

    assert error.code == "InvalidParameterValue"


def test_too_many_large_tags_are_packed_policy_too_large(
    backend: FakeBackend, alice: Caller
) -> None:
    """Tags within the plain-text limits can still overflow the packed form [tags].

    The tag values are fixed pseudo-random hex (SHA-256 of their index) so
    they do not compress.
    """
    many = [
        {"Key": f"key{index}", "Value": hashlib.sha256(str(index).encode()).hexdigest()}
        for index in range(50)
    ]

    error = refused(backend, alice, "AssumeRole", _params(Tags=many))

    assert error.code == "PackedPolicyTooLarge"
    assert error.message.startswith("Packed size of session tags consumes ")
    assert error.message.endswith("% of allotted space.")
