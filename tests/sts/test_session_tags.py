"""Session tags passed to AssumeRole: limits, permission and transitivity.

Pages cited: [tags] IAM User Guide, "Pass session tags in AWS STS" (50
tags, 128-character keys, 256-character values, sts:TagSession, the
condition keys); [ar] STS API Reference, "AssumeRole" (Tags and
TransitiveTagKeys, keys are case-insensitive); [quotas] IAM User Guide,
"IAM and AWS STS quotas".
"""

from __future__ import annotations

import pytest
from tests.sts.shared import (
    DEV,
    PLAIN,
    FakeBackend,
    assume,
    invoke,
    refused,
    session_caller,
    tags,
)

from iamsim.services.api import Caller


def _assume_tagged(
    tag_list: list[dict[str, str]],
    transitive: list[str] | None = None,
    role: str = DEV,
) -> dict[str, object]:
    params: dict[str, object] = {"RoleArn": role, "RoleSessionName": "s1"}
    params["Tags"] = tag_list
    if transitive is not None:
        params["TransitiveTagKeys"] = transitive
    return params


def test_session_carries_the_passed_tags(backend: FakeBackend, alice: Caller) -> None:
    """Passed tags become the session's principal tags [tags]."""
    result = assume(backend, alice, DEV, Tags=tags(Project="Automation"))

    session = session_caller(backend, result).session
    assert session is not None
    assert dict(session.tags) == {"Project": "Automation"}
    assert result["PackedPolicySize"] >= 1


def test_tagging_needs_sts_tag_session_in_the_trust_policy(
    backend: FakeBackend, alice: Caller
) -> None:
    """A role whose trust policy lacks sts:TagSession refuses tags [tags]."""
    params = _assume_tagged(tags(Project="Automation"), role=PLAIN)

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "AccessDenied"
    assert "sts:TagSession" in error.message


def test_transitive_keys_alone_need_sts_tag_session(
    backend: FakeBackend, alice: Caller
) -> None:
    """Setting transitive keys is tagging too [tags]."""
    params = _assume_tagged(tags(Project="A"), ["Project"])

    invoke(backend, alice, "AssumeRole", params)

    assert [action for action, _, _ in backend.authorized] == [
        "sts:AssumeRole",
        "sts:TagSession",
    ]


def test_tag_condition_keys_reach_the_policy_context(
    backend: FakeBackend, alice: Caller
) -> None:
    """aws:RequestTag, aws:TagKeys and sts:TransitiveTagKeys are supplied [tags]."""
    params = _assume_tagged(tags(Project="Automation", Dept="Eng"), ["Project"])

    invoke(backend, alice, "AssumeRole", params)

    _, _, context = backend.authorized[-1]
    assert context["aws:RequestTag/Project"] == "Automation"
    assert context["aws:RequestTag/Dept"] == "Eng"
    assert context["aws:TagKeys"] == ["Project", "Dept"]
    assert context["sts:TransitiveTagKeys"] == ["Project"]


def test_fifty_tags_are_accepted(backend: FakeBackend, alice: Caller) -> None:
    """Up to 50 session tags may be passed [tags][quotas]."""
    many = [{"Key": f"k{index}", "Value": "v"} for index in range(50)]

    result = assume(backend, alice, DEV, Tags=many)

    assert "Credentials" in result


def test_fifty_one_tags_are_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """More than 50 session tags fail [tags][quotas]."""
    many = [{"Key": f"k{index}", "Value": "v"} for index in range(51)]

    error = refused(backend, alice, "AssumeRole", _assume_tagged(many))

    assert error.code == "ValidationError"
    assert error.message.endswith(
        "at 'tags' failed to satisfy constraint: Member must have length less "
        "than or equal to 50"
    )


@pytest.mark.parametrize(
    ("tag", "member", "rule"),
    [
        (
            {"Key": "k" * 129, "Value": "v"},
            "tags.1.member.key",
            "Member must have length less than or equal to 128",
        ),
        (
            {"Key": "k", "Value": "v" * 257},
            "tags.1.member.value",
            "Member must have length less than or equal to 256",
        ),
        (
            {"Key": "", "Value": "v"},
            "tags.1.member.key",
            "Member must have length greater than or equal to 1",
        ),
        (
            {"Key": "cost*center", "Value": "v"},
            "tags.1.member.key",
            r"Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+",
        ),
    ],
)
def test_tag_key_and_value_limits(
    backend: FakeBackend, alice: Caller, tag: dict[str, str], member: str, rule: str
) -> None:
    """Keys are 1 to 128 characters, values up to 256, of the tag alphabet [tags]."""
    error = refused(backend, alice, "AssumeRole", _assume_tagged([tag]))

    assert error.code == "ValidationError"
    assert f"at '{member}' failed to satisfy constraint: {rule}" in error.message


def test_tags_accept_unicode_letters_spaces_and_empty_values(
    backend: FakeBackend, alice: Caller
) -> None:
    """Tag text may hold any letter, number or space, and a value may be empty [tags]."""
    passed = [{"Key": "Équipe nord", "Value": "données"}, {"Key": "empty", "Value": ""}]

    result = assume(backend, alice, DEV, Tags=passed)

    session = session_caller(backend, result).session
    assert session is not None and session.tags["Équipe nord"] == "données"


def test_keys_differing_only_in_case_are_refused(
    backend: FakeBackend, alice: Caller
) -> None:
    """Tag keys are case-insensitive, so Dept and dept collide [ar].

    AWS documents the collision, not its error; iamsim pins
    InvalidParameterValue with IAM's duplicate-key message.
    """
    params = _assume_tagged(tags(Dept="a", dept="b"))

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "InvalidParameterValue"
    assert "case insensitive" in error.message


def test_transitive_key_must_be_a_passed_tag(
    backend: FakeBackend, alice: Caller
) -> None:
    """A transitive key must name one of the tags of the same call [ar]."""
    params = _assume_tagged(tags(Project="A"), ["Dept"])

    error = refused(backend, alice, "AssumeRole", params)

    assert error.code == "InvalidParameterValue"
    assert error.message == (
        "The specified transitive tag key must be included in the requested tags."
    )


def test_transitive_key_matches_tags_case_insensitively(
    backend: FakeBackend, alice: Caller
) -> None:
    """A transitive key in another case still names the tag [ar]."""
    result = assume(
        backend, alice, DEV, Tags=tags(Project="A"), TransitiveTagKeys=["project"]
    )

    session = session_caller(backend, result).session
    assert session is not None and session.transitive_tag_keys == ("project",)


def test_more_than_fifty_transitive_keys_are_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """TransitiveTagKeys holds at most 50 keys [ar]."""
    keys = [f"k{index}" for index in range(51)]
    params = _assume_tagged(tags(k0="v"), keys)

    error = refused(backend, alice, "AssumeRole", params)

    assert "at 'transitiveTagKeys' failed to satisfy constraint" in error.message
