"""The backend: bootstrap, credentials, authorization context, trail records, seeding."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from tests.services.conftest import NOW, Harness, allow, policy

from iamsim.errors import InputError
from iamsim.services.api import Caller, ServiceError, SessionInfo
from iamsim.services.backend import open_backend

SEED = """
policies:
  ReadOnlyIam: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:List*", Resource: "*"}]}
  NoDelete: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "iam:Delete*", Resource: "*"}]}
organization:
  id: o-a1b2c3d4e5
  management_account: "111111111111"
  root:
    accounts: ["111111111111"]
    ous:
      - name: Prod
        scps: [FullAWSAccess, NoDelete]
        accounts: ["222222222222"]
accounts:
  "222222222222":
    groups:
      readers: {policies: [ReadOnlyIam]}
    users:
      alice: {groups: [readers], tags: {team: data}}
    roles:
      Deployer:
        trust_policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:root"}, Action: "sts:AssumeRole"}]}
        policies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}]
"""


# Bootstrap


def test_first_start_creates_a_root_key_and_a_private_credentials_file(
    tmp_path: Path,
) -> None:
    """The root secret goes to a 0600 file; the bootstrap result carries only the key id and path."""
    backend, bootstrap = open_backend(tmp_path)
    try:
        mode = stat.S_IMODE(os.stat(bootstrap.secret_path).st_mode)
        saved = json.loads(bootstrap.secret_path.read_text())
        record = backend.access_key(bootstrap.access_key_id)
    finally:
        backend.close()

    assert bootstrap.created is True
    assert mode == 0o600
    assert saved["AccessKeyId"] == bootstrap.access_key_id
    assert record is not None and record.secret_access_key == saved["SecretAccessKey"]
    assert record.owner_arn == f"arn:aws:iam::{bootstrap.account_id}:root"
    assert saved["SecretAccessKey"] not in repr(bootstrap)
    assert len(backend.server_key) == 32


def test_a_second_start_reuses_the_state(tmp_path: Path) -> None:
    """Reopening keeps the key, the account and the server key, and creates nothing."""
    backend, first = open_backend(tmp_path)
    key = backend.server_key
    backend.close()

    backend, second = open_backend(tmp_path)
    backend.close()

    assert second.created is False
    assert (second.access_key_id, second.account_id) == (
        first.access_key_id,
        first.account_id,
    )
    assert backend.server_key == key


def test_a_given_root_key_is_used(tmp_path: Path) -> None:
    """IAMSIM_ROOT_ACCESS_KEY_ID and IAMSIM_ROOT_SECRET_ACCESS_KEY fix the root key."""
    backend, bootstrap = open_backend(
        tmp_path, root_access_key_id="AKIAIOSFODNN7EXAMPLE", root_secret="s" * 40
    )
    record = backend.access_key("AKIAIOSFODNN7EXAMPLE")
    backend.close()

    assert bootstrap.access_key_id == "AKIAIOSFODNN7EXAMPLE"
    assert record is not None and record.secret_access_key == "s" * 40


def test_a_key_id_without_its_secret_is_refused(tmp_path: Path) -> None:
    """The root key id and secret come together or not at all."""
    with pytest.raises(InputError):
        open_backend(tmp_path, root_access_key_id="AKIAIOSFODNN7EXAMPLE")


def test_a_new_given_key_is_added_on_a_later_start(tmp_path: Path) -> None:
    """A later start with another root key adds it to the root."""
    backend, first = open_backend(tmp_path)
    backend.close()

    backend, second = open_backend(
        tmp_path, root_access_key_id="AKIAIOSFODNN7EXAMPLE", root_secret="x" * 40
    )
    record = backend.access_key("AKIAIOSFODNN7EXAMPLE")
    backend.close()

    assert second.access_key_id == "AKIAIOSFODNN7EXAMPLE"
    assert record is not None and record.account == first.account_id


# Authorization context


def test_source_ip_reaches_conditions(harness: Harness) -> None:
    """aws:SourceIp is the caller's address ("AWS global condition context keys")."""
    condition = {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
    alice = harness.user("alice", policy(allow("iam:ListUsers", Condition=condition)))

    harness.call("iam", "ListUsers", caller=alice, source_ip="203.0.113.7")
    with pytest.raises(ServiceError):
        harness.call("iam", "ListUsers", caller=alice, source_ip="198.51.100.1")


def test_secure_transport_and_region_reach_conditions(harness: Harness) -> None:
    """aws:SecureTransport and aws:RequestedRegion describe the request ("AWS global condition context keys")."""
    condition = {
        "Bool": {"aws:SecureTransport": "true"},
        "StringEquals": {"aws:RequestedRegion": "us-east-1"},
    }
    alice = harness.user("alice", policy(allow("iam:ListUsers", Condition=condition)))

    harness.call("iam", "ListUsers", caller=alice, secure_transport=True)
    with pytest.raises(ServiceError):
        harness.call("iam", "ListUsers", caller=alice, secure_transport=False)
    with pytest.raises(ServiceError):
        harness.call(
            "iam", "ListUsers", caller=alice, secure_transport=True, region="eu-west-1"
        )


def test_mfa_of_a_session_reaches_conditions(harness: Harness) -> None:
    """aws:MultiFactorAuthPresent is present for temporary credentials ("AWS global condition context keys")."""
    condition = {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    alice = harness.user("alice", policy(allow("iam:ListUsers", Condition=condition)))

    def session(mfa: bool) -> Caller:
        info = SessionInfo(
            "session-token",
            alice.arn,
            alice.account,
            NOW + timedelta(hours=1),
            user_arn=alice.arn,
            mfa_authenticated=mfa,
        )
        return Caller(alice.arn, alice.account, alice.user_id, "ASIAEXAMPLE", info)

    harness.iam("ListUsers", caller=session(True))
    with pytest.raises(ServiceError):
        harness.iam("ListUsers", caller=session(False))
    with pytest.raises(ServiceError):
        harness.iam("ListUsers", caller=alice)


def test_federated_user_has_only_what_session_policies_allow(harness: Harness) -> None:
    """A federated user gets the intersection of its user's and the session's policies ("GetFederationToken")."""
    alice = harness.user("alice", policy(allow("iam:*")))
    arn = f"arn:aws:sts::{harness.account}:federated-user/bob"

    def federated(*policies: str) -> Caller:
        info = SessionInfo(
            "federated-user",
            arn,
            harness.account,
            NOW + timedelta(hours=1),
            user_arn=alice.arn,
            policies=policies,
        )
        return Caller(
            arn, harness.account, f"{harness.account}:bob", "ASIAEXAMPLE", info
        )

    harness.iam("ListUsers", caller=federated(policy(allow("iam:ListUsers"))))
    with pytest.raises(ServiceError) as raised:
        harness.iam("ListRoles", caller=federated(policy(allow("iam:ListUsers"))))
    with pytest.raises(ServiceError):
        harness.iam("ListUsers", caller=federated())

    assert f"User: {arn} is not authorized" in raised.value.message


def test_a_session_of_a_deleted_role_is_denied(harness: Harness) -> None:
    """A session whose role is gone has no permissions left."""
    harness.iam(
        "CreateRole",
        RoleName="temp",
        AssumeRolePolicyDocument=policy(
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ),
    )
    session = harness.role_session("temp")
    harness.iam("DeleteRole", RoleName="temp")

    with pytest.raises(ServiceError) as raised:
        harness.iam("ListUsers", caller=session)

    assert raised.value.code == "AccessDenied"


# The read model


def test_the_world_is_cached_until_a_change_commits(harness: Harness) -> None:
    """The read model is rebuilt only after a committed change."""
    first = harness.backend.world()
    again = harness.backend.world()

    harness.iam("CreateUser", UserName="alice")
    after = harness.backend.world()

    assert first is again
    assert after is not first
    assert after.user(f"arn:aws:iam::{harness.account}:user/alice") is not None


# CloudTrail records


def _record(
    event_id: str,
    name: str,
    minute: int,
    *,
    user: str = "alice",
    read_only: bool = True,
) -> dict[str, object]:
    return {
        "eventVersion": "1.08",
        "eventID": event_id,
        "eventTime": f"2024-05-01T12:{minute:02d}:00Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": name,
        "readOnly": read_only,
        "recipientAccountId": "111122223333",
        "userIdentity": {
            "type": "IAMUser",
            "userName": user,
            "accountId": "111122223333",
            "accessKeyId": "AKIAEXAMPLE",
        },
        "resources": [
            {"ARN": "arn:aws:iam::111122223333:user/bob", "type": "AWS::IAM::User"}
        ],
    }


def test_recorded_events_are_found_newest_first(harness: Harness) -> None:
    """LookupEvents returns events in reverse time order with their CloudTrailEvent ("LookupEvents")."""
    for index, name in enumerate(["ListUsers", "CreateUser", "GetUser"]):
        harness.backend.record_event(_record(f"e{index}", name, index))

    events = harness.backend.events()["Events"]

    assert [e["EventName"] for e in events] == ["GetUser", "CreateUser", "ListUsers"]
    assert json.loads(events[0]["CloudTrailEvent"])["eventID"] == "e2"
    assert events[0]["Username"] == "alice"
    assert events[0]["Resources"] == [
        {
            "ResourceName": "arn:aws:iam::111122223333:user/bob",
            "ResourceType": "AWS::IAM::User",
        }
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("EventName", "CreateUser", ["e1"]),
        ("Username", "bob", ["e2"]),
        ("ReadOnly", "false", ["e1"]),
        ("EventId", "e0", ["e0"]),
        ("ResourceName", "arn:aws:iam::111122223333:user/bob", ["e2", "e1", "e0"]),
        ("AccessKeyId", "AKIAEXAMPLE", ["e2", "e1", "e0"]),
    ],
)
def test_lookup_attributes_filter_events(
    harness: Harness, key: str, value: str, expected: list[str]
) -> None:
    """LookupAttributes filter on one indexed field ("LookupEvents", LookupAttribute)."""
    harness.backend.record_event(_record("e0", "ListUsers", 0))
    harness.backend.record_event(_record("e1", "CreateUser", 1, read_only=False))
    harness.backend.record_event(_record("e2", "GetUser", 2, user="bob"))

    events = harness.backend.events(
        lookup_attributes=[{"AttributeKey": key, "AttributeValue": value}]
    )["Events"]

    assert [e["EventId"] for e in events] == expected


def test_events_page_and_filter_by_time(harness: Harness) -> None:
    """MaxResults and NextToken page; StartTime and EndTime bound the range ("LookupEvents")."""
    for index in range(5):
        harness.backend.record_event(_record(f"e{index}", "ListUsers", index))

    first = harness.backend.events(max_results=2)
    second = harness.backend.events(max_results=2, next_token=first["NextToken"])
    ranged = harness.backend.events(
        start_time=NOW + timedelta(minutes=1), end_time=NOW + timedelta(minutes=3)
    )

    assert [e["EventId"] for e in first["Events"] + second["Events"]] == [
        "e4",
        "e3",
        "e2",
        "e1",
    ]
    assert [e["EventId"] for e in ranged["Events"]] == ["e3", "e2", "e1"]


def test_an_unknown_lookup_attribute_is_refused(harness: Harness) -> None:
    """Only the documented attribute keys filter ("LookupEvents", InvalidLookupAttributesException)."""
    with pytest.raises(ServiceError) as raised:
        harness.backend.events(
            lookup_attributes=[{"AttributeKey": "Color", "AttributeValue": "red"}]
        )

    assert raised.value.code == "InvalidLookupAttributesException"


def test_recording_an_event_does_not_rebuild_the_world(harness: Harness) -> None:
    """Trail records are not changes to the world."""
    before = harness.backend.world()

    harness.backend.record_event(_record("e0", "ListUsers", 0))

    assert harness.backend.world() is before


# Seeding


def test_a_seed_scenario_becomes_the_state(tmp_path: Path) -> None:
    """Seeding imports accounts, entities, policies and the organization once, on the first start."""
    seed = tmp_path / "seed.yaml"
    seed.write_text(SEED)

    backend, bootstrap = open_backend(tmp_path / "state", seed_scenario=seed)
    opened = Harness(tmp_path / "state", backend, bootstrap)
    try:
        member_root = opened.root_of("222222222222")
        users = opened.iam("ListUsers", caller=member_root)["Users"]
        groups = opened.iam("ListGroupsForUser", caller=member_root, UserName="alice")[
            "Groups"
        ]
        attached = opened.iam(
            "ListAttachedGroupPolicies", caller=member_root, GroupName="readers"
        )
        organization = opened.orgs("DescribeOrganization")["Organization"]
        with pytest.raises(ServiceError) as denied:
            opened.iam("DeleteRole", caller=member_root, RoleName="Deployer")
    finally:
        backend.close()

    assert bootstrap.account_id == "111111111111"
    assert [u["UserName"] for u in users] == ["alice"]
    assert [g["GroupName"] for g in groups] == ["readers"]
    assert (
        attached["AttachedPolicies"][0]["PolicyArn"]
        == "arn:aws:iam::222222222222:policy/ReadOnlyIam"
    )
    assert organization["Id"] == "o-a1b2c3d4e5"
    assert "explicit deny in a service control policy" in denied.value.message


def test_a_bad_seed_scenario_is_refused_with_its_place(tmp_path: Path) -> None:
    """A seed is checked as a scenario first, so mistakes name their line."""
    seed = tmp_path / "seed.yaml"
    seed.write_text("accounts:\n  '111111111111':\n    users:\n      'bad name': {}\n")

    with pytest.raises(InputError) as raised:
        open_backend(tmp_path / "state", seed_scenario=seed)

    assert "seed.yaml:4" in str(raised.value)
