"""The whole endpoint over the real store, driven by boto3 and the AWS CLI.

The state starts from ``two-accounts.yaml`` beside this file: an organization
with accounts 111111111111 (whose root key the tests start from) and
222222222222. The server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from tests.server.wire import aws_cli

from iamsim.testing import IamsimEndpoint, running_endpoint

WORLD = Path(__file__).with_name("two-accounts.yaml")
AUDITOR = "arn:aws:iam::222222222222:role/Auditor"
HOP = "arn:aws:iam::222222222222:role/Hop"
TAGGER = "arn:aws:iam::111111111111:role/Tagger"
PHOENIX_ONLY = "arn:aws:iam::111111111111:role/PhoenixOnly"
ASSUME_ANY_ROLE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Resource": "*",
        }
    ],
}
LIST_USERS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}],
}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IamsimEndpoint]:
    with running_endpoint(tmp_path_factory.mktemp("state"), WORLD) as running:
        yield running


def _new_user(endpoint: IamsimEndpoint, name: str, policy: dict[str, Any]) -> Any:
    """A boto3 session of a new IAM user holding one inline policy."""
    iam = endpoint.client("iam")
    iam.create_user(UserName=name)
    iam.put_user_policy(
        UserName=name, PolicyName="granted", PolicyDocument=json.dumps(policy)
    )
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return endpoint.session_for(key)


@pytest.fixture(scope="module")
def alice(endpoint: IamsimEndpoint) -> Any:
    return _new_user(endpoint, "alice", ASSUME_ANY_ROLE)


def _assume(session: Any, role_arn: str, name: str, **options: Any) -> Any:
    sts = session.client("sts")
    issued = sts.assume_role(RoleArn=role_arn, RoleSessionName=name, **options)
    return issued["Credentials"]


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _trail(session: Any, event_name: str) -> list[dict[str, Any]]:
    cloudtrail = session.client("cloudtrail")
    found = cloudtrail.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": event_name}]
    )
    return [json.loads(event["CloudTrailEvent"]) for event in found["Events"]]


def test_new_user_is_denied_until_a_policy_allows(endpoint: IamsimEndpoint) -> None:
    """A user with no policy is denied; an inline policy then allows the call."""
    iam = endpoint.client("iam")
    iam.create_user(UserName="bob")
    key = iam.create_access_key(UserName="bob")["AccessKey"]
    bob = endpoint.session_for(key).client("iam")

    with pytest.raises(ClientError) as denied:
        bob.list_users()
    iam.put_user_policy(
        UserName="bob", PolicyName="list", PolicyDocument=json.dumps(LIST_USERS)
    )
    names = [user["UserName"] for user in bob.list_users()["Users"]]

    assert _code(denied) == "AccessDenied"
    assert "bob" in names


def test_trail_records_the_new_key_without_its_secret_and_the_denied_call(
    endpoint: IamsimEndpoint,
) -> None:
    """CreateAccessKey's record hides the secret; a denied call is recorded."""
    iam = endpoint.client("iam")
    iam.create_user(UserName="frank")
    key = iam.create_access_key(UserName="frank")["AccessKey"]
    with pytest.raises(ClientError):
        endpoint.session_for(key).client("iam").list_users()

    root = endpoint.session_for(_root(endpoint))
    created = _trail(root, "CreateAccessKey")
    listed = _trail(root, "ListUsers")

    record = next(r for r in created if r["requestParameters"] == {"userName": "frank"})
    assert record["responseElements"]["accessKey"]["accessKeyId"] == key["AccessKeyId"]
    assert key["SecretAccessKey"] not in json.dumps(record)
    denied = next(r for r in listed if r["userIdentity"].get("userName") == "frank")
    assert denied["errorCode"] == "AccessDenied"
    assert denied["userIdentity"]["accessKeyId"] == key["AccessKeyId"]


def test_cross_account_role_needs_its_external_id(
    endpoint: IamsimEndpoint, alice: Any
) -> None:
    """The Auditor role in another account is assumed only with its external ID."""
    with pytest.raises(ClientError) as denied:
        _assume(alice, AUDITOR, "no-id")
    credentials = _assume(alice, AUDITOR, "audit", ExternalId="ext-42")
    identity = endpoint.session_for(credentials).client("sts").get_caller_identity()

    assert _code(denied) == "AccessDenied"
    assert identity["Arn"] == "arn:aws:sts::222222222222:assumed-role/Auditor/audit"
    assert identity["Account"] == "222222222222"


def test_role_session_assumes_the_next_role_of_a_chain(
    endpoint: IamsimEndpoint, alice: Any
) -> None:
    """An Auditor session assumes Hop, which trusts only the Auditor role."""
    auditor = endpoint.session_for(
        _assume(alice, AUDITOR, "audit", ExternalId="ext-42")
    )

    hop = endpoint.session_for(_assume(auditor, HOP, "hop"))

    assert hop.client("sts").get_caller_identity()["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/Hop/hop"
    )
    with pytest.raises(ClientError) as denied:
        _assume(alice, HOP, "direct")
    assert _code(denied) == "AccessDenied"


@pytest.mark.parametrize(("project", "allowed"), [("phoenix", True), ("atlas", False)])
def test_session_tags_decide_a_trust_condition(
    endpoint: IamsimEndpoint, alice: Any, project: str, allowed: bool
) -> None:
    """A session tag is aws:PrincipalTag, so it can satisfy a trust policy."""
    tags = [{"Key": "project", "Value": project}]
    tagged = endpoint.session_for(_assume(alice, TAGGER, "tagged", Tags=tags))

    if allowed:
        credentials = _assume(tagged, PHOENIX_ONLY, "abac")
        assert credentials["AccessKeyId"].startswith("ASIA")
    else:
        with pytest.raises(ClientError) as denied:
            _assume(tagged, PHOENIX_ONLY, "abac")
        assert _code(denied) == "AccessDenied"


def test_trail_records_allowed_and_denied_assume_role_in_the_callers_account(
    endpoint: IamsimEndpoint, alice: Any
) -> None:
    """LookupEvents shows AssumeRole calls, the denied one with its errorCode."""
    with pytest.raises(ClientError):
        _assume(alice, AUDITOR, "trail-denied")
    _assume(alice, AUDITOR, "trail-allowed", ExternalId="ext-42")

    records = _trail(endpoint.session_for(_root(endpoint)), "AssumeRole")

    by_session = {r["requestParameters"]["roleSessionName"]: r for r in records}
    denied, allowed = by_session["trail-denied"], by_session["trail-allowed"]
    assert denied["errorCode"] == "AccessDenied"
    assert denied["userIdentity"]["userName"] == "alice"
    assert "sharedEventID" not in denied
    assert allowed["responseElements"]["assumedRoleUser"]["arn"].endswith(
        "assumed-role/Auditor/trail-allowed"
    )
    assert "secretAccessKey" not in allowed["responseElements"]["credentials"]
    assert allowed["recipientAccountId"] == "111111111111"


def test_trail_of_the_roles_account_shares_the_event_id(
    endpoint: IamsimEndpoint, alice: Any
) -> None:
    """A cross-account AssumeRole is also recorded in the role's account."""
    auditor = endpoint.session_for(
        _assume(alice, AUDITOR, "shared", ExternalId="ext-42")
    )

    records = _trail(auditor, "AssumeRole")
    mine = _trail(endpoint.session_for(_root(endpoint)), "AssumeRole")

    theirs = next(
        r for r in records if r["requestParameters"]["roleSessionName"] == "shared"
    )
    ours = next(r for r in mine if r.get("sharedEventID") == theirs["sharedEventID"])
    assert theirs["recipientAccountId"] == "222222222222"
    assert theirs["userIdentity"]["type"] == "AWSAccount"
    assert ours["eventID"] != theirs["eventID"]


def test_aws_cli_lists_users_with_a_users_key(endpoint: IamsimEndpoint) -> None:
    """The AWS CLI calls IAM as a user the endpoint created."""
    iam = endpoint.client("iam")
    iam.create_user(UserName="carol")
    iam.put_user_policy(
        UserName="carol", PolicyName="list", PolicyDocument=json.dumps(LIST_USERS)
    )
    key = iam.create_access_key(UserName="carol")["AccessKey"]

    done = aws_cli(
        endpoint.endpoint_url,
        key["AccessKeyId"],
        key["SecretAccessKey"],
        "iam",
        "list-users",
    )

    assert done.returncode == 0, done.stderr
    assert "carol" in [user["UserName"] for user in json.loads(done.stdout)["Users"]]


def test_restart_keeps_every_change(tmp_path: Path) -> None:
    """Stopping and reopening the same state keeps users, keys, grants, trail."""
    with running_endpoint(tmp_path, WORLD) as first:
        dave = _new_user(first, "dave", LIST_USERS)
        key = dave.get_credentials()
        dave.client("iam").list_users()

    with running_endpoint(tmp_path) as second:
        again = second.session_for(
            {"AccessKeyId": key.access_key, "SecretAccessKey": key.secret_key}
        )
        names = [user["UserName"] for user in again.client("iam").list_users()["Users"]]
        records = _trail(second.session_for(_root(second)), "ListUsers")

    assert "dave" in names
    assert sum(r["userIdentity"].get("userName") == "dave" for r in records) == 2


def test_pytest_plugin_serves_a_scenario_to_user_tests(tmp_path: Path) -> None:
    """``pytest -p iamsim.testing`` gives user tests a live endpoint."""
    test_file = tmp_path / "test_user_code.py"
    test_file.write_text(
        textwrap.dedent(
            f"""
            import pytest

            @pytest.mark.iamsim(world={str(WORLD)!r})
            def test_root_is_the_management_account(iamsim):
                identity = iamsim.client("sts").get_caller_identity()
                assert identity["Account"] == "111111111111"
            """
        )
    )

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "iamsim.testing", str(test_file)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr


def _root(endpoint: IamsimEndpoint) -> dict[str, str]:
    return {
        "AccessKeyId": endpoint.access_key_id,
        "SecretAccessKey": endpoint.secret_access_key,
    }
