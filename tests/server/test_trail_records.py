"""CloudTrail records follow AWS's schema for each kind of caller and outcome.

Expected shapes come from "CloudTrail userIdentity element" and "CloudTrail
record contents" (AWS CloudTrail User Guide) and the AssumeRole example of
"Logging IAM and AWS STS API calls with AWS CloudTrail" (IAM User Guide).
"""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from iamsim.services.api import Caller, SessionInfo
from iamsim.trail.export import export_records
from iamsim.trail.record import ApiCall, records_for

NOW = datetime(2024, 3, 5, 17, 32, 43, tzinfo=UTC)
ALICE = Caller(
    arn="arn:aws:iam::111111111111:user/dev/alice",
    account="111111111111",
    user_id="AIDAEXAMPLEALICE00001",
    access_key_id="AKIAEXAMPLEALICE0001",
)
ROLE_ARN = "arn:aws:iam::222222222222:role/ops/Deployer"
ROLE_SESSION = Caller(
    arn="arn:aws:sts::222222222222:assumed-role/Deployer/ci",
    account="222222222222",
    user_id="AROAEXAMPLEDEPLOYER1:ci",
    access_key_id="ASIAEXAMPLESESSION01",
    session=SessionInfo(
        kind="assumed-role",
        arn="arn:aws:sts::222222222222:assumed-role/Deployer/ci",
        account="222222222222",
        expires_at=NOW,
        role_arn=ROLE_ARN,
        session_name="ci",
        source_identity="alice",
    ),
)


def _call(caller: Caller, name: str, **fields: object) -> ApiCall:
    base: dict[str, object] = {
        "caller": caller,
        "event_source": "iam.amazonaws.com",
        "event_name": name,
        "region": "eu-west-1",
        "time": NOW,
        "request_id": "req-1",
    }
    base.update(fields)
    return ApiCall(**base)  # type: ignore[arg-type]


def test_iam_user_identity_names_the_user_without_its_path() -> None:
    """An IAM user's record carries its id, ARN, key and bare user name."""
    (record,) = records_for(_call(ALICE, "ListRoles"))

    assert record["userIdentity"] == {
        "type": "IAMUser",
        "principalId": "AIDAEXAMPLEALICE00001",
        "arn": "arn:aws:iam::111111111111:user/dev/alice",
        "accountId": "111111111111",
        "accessKeyId": "AKIAEXAMPLEALICE0001",
        "userName": "alice",
    }


def test_iam_events_are_recorded_in_us_east_1() -> None:
    """IAM is global: its events carry us-east-1 whatever region was signed."""
    (record,) = records_for(_call(ALICE, "ListRoles"))

    assert record["awsRegion"] == "us-east-1"


def test_role_session_identity_names_its_issuer_and_source_identity() -> None:
    """An assumed-role record names the role as session issuer."""
    (record,) = records_for(_call(ROLE_SESSION, "GetRole"))

    identity = record["userIdentity"]
    assert identity["type"] == "AssumedRole"
    assert identity["principalId"] == "AROAEXAMPLEDEPLOYER1:ci"
    assert identity["sessionContext"]["sessionIssuer"] == {
        "type": "Role",
        "principalId": "AROAEXAMPLEDEPLOYER1",
        "arn": ROLE_ARN,
        "accountId": "222222222222",
        "userName": "Deployer",
    }
    assert identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "false"
    assert identity["sessionContext"]["sourceIdentity"] == "alice"


def test_root_identity_uses_the_account_as_principal_id() -> None:
    """The root user's principalId is its account id."""
    root = Caller(
        "arn:aws:iam::111111111111:root", "111111111111", "111111111111", "AKIAROOT"
    )

    (record,) = records_for(_call(root, "CreateUser"))

    assert record["userIdentity"]["type"] == "Root"
    assert record["userIdentity"]["principalId"] == "111111111111"


def test_request_parameters_are_camel_case_without_secrets() -> None:
    """Input members become camelCase; passwords never reach the record."""
    params = {
        "UserName": "bob",
        "Password": "hunter2hunter2",
        "Tags": [{"Key": "team", "Value": "blue"}],
    }

    (record,) = records_for(
        _call(ALICE, "CreateLoginProfile", request_parameters=params)
    )

    assert record["requestParameters"] == {
        "userName": "bob",
        "tags": [{"key": "team", "value": "blue"}],
    }


def test_policy_documents_stay_in_request_parameters() -> None:
    """AWS keeps policy documents in the record, and so does iamsim."""
    document = '{"Version":"2012-10-17","Statement":[]}'
    params = {"RoleName": "r", "PolicyName": "p", "PolicyDocument": document}

    (record,) = records_for(_call(ALICE, "PutRolePolicy", request_parameters=params))

    assert record["requestParameters"]["policyDocument"] == document


def test_new_access_key_secret_is_left_out_of_response_elements() -> None:
    """CreateAccessKey's record shows the key id, never its secret."""
    response = {
        "AccessKey": {
            "UserName": "bob",
            "AccessKeyId": "AKIANEWKEY",
            "Status": "Active",
            "SecretAccessKey": "s3cr3t",
            "CreateDate": NOW,
        }
    }

    (record,) = records_for(_call(ALICE, "CreateAccessKey", response=response))

    assert record["responseElements"] == {
        "accessKey": {
            "userName": "bob",
            "accessKeyId": "AKIANEWKEY",
            "status": "Active",
            "createDate": "Mar 5, 2024 5:32:43 PM",
        }
    }


def test_assume_role_keeps_key_id_token_and_expiration_of_credentials() -> None:
    """AssumeRole's credentials appear without the secret access key."""
    response = {
        "Credentials": {
            "AccessKeyId": "ASIANEW",
            "SecretAccessKey": "s3cr3t",
            "SessionToken": "token",
            "Expiration": NOW,
        },
        "AssumedRoleUser": {"AssumedRoleId": "AROAX:ci", "Arn": "arn:x"},
    }
    call = _call(
        ALICE,
        "AssumeRole",
        event_source="sts.amazonaws.com",
        request_parameters={"RoleArn": ROLE_ARN, "RoleSessionName": "ci"},
        response=response,
    )

    record = records_for(call)[0]

    assert record["responseElements"]["credentials"] == {
        "accessKeyId": "ASIANEW",
        "sessionToken": "token",
        "expiration": "Mar 5, 2024 5:32:43 PM",
    }
    assert record["resources"] == [
        {"accountId": "222222222222", "type": "AWS::IAM::Role", "ARN": ROLE_ARN}
    ]


def test_cross_account_assume_role_is_recorded_in_both_accounts() -> None:
    """Both accounts get the event, tied by one sharedEventID."""
    call = _call(
        ALICE,
        "AssumeRole",
        event_source="sts.amazonaws.com",
        request_parameters={"RoleArn": ROLE_ARN, "RoleSessionName": "ci"},
        response={"AssumedRoleUser": {"AssumedRoleId": "AROAX:ci", "Arn": "arn:x"}},
    )

    caller_copy, role_copy = records_for(call)

    assert caller_copy["recipientAccountId"] == "111111111111"
    assert role_copy["recipientAccountId"] == "222222222222"
    assert caller_copy["sharedEventID"] == role_copy["sharedEventID"]
    assert caller_copy["eventID"] != role_copy["eventID"]
    assert role_copy["userIdentity"] == {
        "type": "AWSAccount",
        "principalId": "AIDAEXAMPLEALICE00001",
        "accountId": "111111111111",
    }


def test_denied_cross_account_assume_role_stays_in_the_callers_account() -> None:
    """A refused AssumeRole is recorded once, with its error, for the caller."""
    call = _call(
        ALICE,
        "AssumeRole",
        event_source="sts.amazonaws.com",
        request_parameters={"RoleArn": ROLE_ARN, "RoleSessionName": "ci"},
        error_code="AccessDenied",
        error_message="User: ... is not authorized",
    )

    (record,) = records_for(call)

    assert record["errorCode"] == "AccessDenied"
    assert record["responseElements"] is None
    assert "sharedEventID" not in record


def test_read_only_calls_have_no_response_elements() -> None:
    """Read calls are readOnly and carry responseElements: null."""
    (record,) = records_for(
        _call(ALICE, "GetRole", response={"Role": {"RoleName": "r"}})
    )

    assert record["readOnly"] is True
    assert record["responseElements"] is None


def test_export_writes_cloudtrail_layout_with_records(tmp_path: Path) -> None:
    """Export lays files out as CloudTrail delivers them to a bucket."""
    records = records_for(_call(ALICE, "ListRoles")) + records_for(
        _call(ROLE_SESSION, "GetRole")
    )

    paths = export_records(records, tmp_path)

    names = sorted(str(path.relative_to(tmp_path)) for path in paths)
    assert [name.rsplit("_", 1)[0] for name in names] == [
        "AWSLogs/111111111111/CloudTrail/us-east-1/2024/03/05/"
        "111111111111_CloudTrail_us-east-1_20240305T1730Z",
        "AWSLogs/222222222222/CloudTrail/us-east-1/2024/03/05/"
        "222222222222_CloudTrail_us-east-1_20240305T1730Z",
    ]
    document = json.loads(gzip.decompress(paths[0].read_bytes()))
    assert document["Records"][0]["eventName"] == "ListRoles"
    assert not list(tmp_path.rglob("*.tmp"))
