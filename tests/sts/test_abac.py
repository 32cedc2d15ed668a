"""Session tags drive attribute-based access control in later requests.

Pages cited: [tags] IAM User Guide, "Pass session tags in AWS STS" (session
tags become aws:PrincipalTag and override the role's tags of the same key,
whatever the case; transitive tags persist along a chain); [abac] IAM User
Guide, "Define permissions based on attributes with ABAC authorization".
"""

from __future__ import annotations

from tests.sts.shared import (
    ALICE,
    DATA_OBJECT,
    DEV,
    NOW,
    OPS,
    SCENARIO,
    A,
    FakeBackend,
    assume,
    session_caller,
    tags,
)

from iamsim.services.api import Call, Caller, ServiceError
from iamsim.world.scenario import scenario_from_dict


def _may_read(backend: FakeBackend, who: Caller) -> bool:
    call = Call(who, "s3", "GetObject", "us-east-1", NOW, "req-5")
    try:
        backend.authorize(call, "s3:GetObject", DATA_OBJECT)
    except ServiceError:
        return False
    return True


def test_role_tag_alone_does_not_grant(backend: FakeBackend, alice: Caller) -> None:
    """Dev is tagged team=red, and the policy wants team=blue [abac]."""
    session = session_caller(backend, assume(backend, alice, DEV))

    assert not _may_read(backend, session)


def test_session_tag_overrides_the_role_tag(
    backend: FakeBackend, alice: Caller
) -> None:
    """A team=blue session tag replaces the role's team=red [tags][abac]."""
    session = session_caller(
        backend, assume(backend, alice, DEV, Tags=tags(team="blue"))
    )

    assert _may_read(backend, session)


def test_session_tag_overrides_whatever_the_key_case(
    backend: FakeBackend, alice: Caller
) -> None:
    """Team=blue overrides team=red, since tag keys ignore case [tags]."""
    session = session_caller(
        backend, assume(backend, alice, DEV, Tags=tags(Team="blue"))
    )

    assert _may_read(backend, session)


def test_transitive_tag_keeps_granting_down_the_chain(
    backend: FakeBackend, alice: Caller
) -> None:
    """A transitive team=blue lets the chained Ops session read too [tags][abac]."""
    first = session_caller(
        backend,
        assume(backend, alice, DEV, Tags=tags(team="blue"), TransitiveTagKeys=["team"]),
    )

    second = session_caller(backend, assume(backend, first, OPS, "s2"))

    assert _may_read(backend, second)


def test_non_transitive_tag_stops_granting_after_a_hop(
    backend: FakeBackend, alice: Caller
) -> None:
    """Without transitivity the chained session loses the tag and the access [tags]."""
    first = session_caller(backend, assume(backend, alice, DEV, Tags=tags(team="blue")))

    second = session_caller(backend, assume(backend, first, OPS, "s2"))

    assert not _may_read(backend, second)


def test_request_tag_condition_in_trust_policy_sees_passed_tags(
    alice: Caller,
) -> None:
    """A trust policy can require aws:RequestTag values [tags]."""
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ALICE},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {"StringEquals": {"aws:RequestTag/project": "pegasus"}},
            }
        ],
    }
    data = {**SCENARIO, "accounts": {**SCENARIO["accounts"]}}
    account = dict(data["accounts"][A])
    account["roles"] = {**account["roles"], "Tagged": {"trust_policy": trust}}
    data["accounts"][A] = account
    backend = FakeBackend(scenario_from_dict(data).world)
    role = f"arn:aws:iam::{A}:role/Tagged"

    allowed = assume(backend, alice, role, Tags=tags(project="pegasus"))

    assert "Credentials" in allowed
    try:
        assume(backend, alice, role, Tags=tags(project="apollo"))
    except ServiceError as error:
        assert error.code == "AccessDenied"
    else:
        raise AssertionError("the trust policy requires project=pegasus")
