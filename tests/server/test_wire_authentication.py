"""Over real sockets on 127.0.0.1: who is calling, and every way SigV4 refuses.

The endpoint serves a small in-memory backend (:mod:`tests.server.fakes`);
the refusals are AWS's codes, statuses and messages as the STS API
Reference's "Common Errors" lists them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError
from tests.server.fakes import ACCOUNT, ALICE_ARN, ROOT_ARN, FakeBackend
from tests.server.wire import aws_cli, client, form, raw_call

from iamsim.server import BackgroundServer
from iamsim.services.api import SessionInfo
from iamsim.services.sts import issue_credentials
from iamsim.sigv4 import Credentials

STS_VERSION = "2011-06-15"


@pytest.fixture(scope="module")
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture(scope="module")
def endpoint(backend: FakeBackend) -> Iterator[str]:
    with BackgroundServer(backend) as server:
        yield server.endpoint_url


def _error(call: ClientError) -> tuple[str, int, str]:
    response = call.response
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Message"],
    )


def test_root_key_is_the_account_root_user(endpoint: str, backend: FakeBackend) -> None:
    """GetCallerIdentity with the root key names the root user."""
    key = backend.root_key
    sts = client(endpoint, "sts", key.access_key_id, key.secret_access_key)

    identity = sts.get_caller_identity()

    assert (identity["Arn"], identity["Account"], identity["UserId"]) == (
        ROOT_ARN,
        ACCOUNT,
        ACCOUNT,
    )


def test_user_key_is_the_user(endpoint: str, backend: FakeBackend) -> None:
    """GetCallerIdentity with an IAM user's key names the user and its id."""
    key = backend.alice_key
    sts = client(endpoint, "sts", key.access_key_id, key.secret_access_key)

    identity = sts.get_caller_identity()

    assert identity["Arn"] == ALICE_ARN
    assert identity["UserId"].startswith("AIDA")


def test_aws_cli_reads_the_caller_identity(endpoint: str, backend: FakeBackend) -> None:
    """The AWS CLI, configured only by environment, talks to the endpoint."""
    key = backend.alice_key

    done = aws_cli(
        endpoint,
        key.access_key_id,
        key.secret_access_key,
        "sts",
        "get-caller-identity",
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"] == ALICE_ARN


def test_aws_cli_shows_aws_error_for_a_wrong_secret(
    endpoint: str, backend: FakeBackend
) -> None:
    """The CLI reports SignatureDoesNotMatch as it would against AWS."""
    key = backend.alice_key

    done = aws_cli(endpoint, key.access_key_id, "x" * 40, "sts", "get-caller-identity")

    assert done.returncode != 0
    assert "SignatureDoesNotMatch" in done.stderr


def test_unknown_access_key_is_invalid_client_token_id(endpoint: str) -> None:
    """A key the endpoint has never issued is InvalidClientTokenId, 403."""
    sts = client(endpoint, "sts", "AKIAIOSFODNN7EXAMPLE", "x" * 40)

    with pytest.raises(ClientError) as caught:
        sts.get_caller_identity()

    assert _error(caught.value) == (
        "InvalidClientTokenId",
        403,
        "The security token included in the request is invalid.",
    )


def test_wrong_secret_is_signature_does_not_match(
    endpoint: str, backend: FakeBackend
) -> None:
    """A known key signed with the wrong secret is SignatureDoesNotMatch, 403."""
    sts = client(endpoint, "sts", backend.alice_key.access_key_id, "y" * 40)

    with pytest.raises(ClientError) as caught:
        sts.get_caller_identity()

    code, status, message = _error(caught.value)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message.startswith("The request signature we calculated does not match")


def test_request_signed_sixteen_minutes_ago_has_expired(
    endpoint: str, backend: FakeBackend
) -> None:
    """A signature more than 15 minutes old is refused as expired."""
    key = backend.alice_key
    credentials = Credentials(key.access_key_id, key.secret_access_key)
    then = datetime.now(UTC) - timedelta(minutes=16)

    reply = raw_call(
        endpoint,
        "sts",
        body=form("GetCallerIdentity", STS_VERSION),
        credentials=credentials,
        now=then,
    )

    assert (reply.status, reply.code) == (403, "SignatureDoesNotMatch")
    assert reply.message.startswith("Signature expired:")


def test_unsigned_request_is_missing_authentication_token(endpoint: str) -> None:
    """A request with no signature at all is MissingAuthenticationToken, 403."""
    reply = raw_call(endpoint, "sts", body=form("GetCallerIdentity", STS_VERSION))

    assert (reply.status, reply.code) == (403, "MissingAuthenticationToken")
    assert reply.message == "Request is missing Authentication Token"


def test_tampered_session_token_is_invalid(endpoint: str, backend: FakeBackend) -> None:
    """A session token altered by the client is refused, though signed with it."""
    key = backend.alice_key
    sts = client(endpoint, "sts", key.access_key_id, key.secret_access_key)
    issued = sts.get_session_token()["Credentials"]
    token = issued["SessionToken"]
    flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]
    tampered = client(
        endpoint, "sts", issued["AccessKeyId"], issued["SecretAccessKey"], flipped
    )

    with pytest.raises(ClientError) as caught:
        tampered.get_caller_identity()

    assert _error(caught.value)[:2] == ("InvalidClientTokenId", 403)


def test_session_credentials_call_as_their_user(
    endpoint: str, backend: FakeBackend
) -> None:
    """GetSessionToken's credentials act as the user that got them."""
    key = backend.alice_key
    sts = client(endpoint, "sts", key.access_key_id, key.secret_access_key)
    issued = sts.get_session_token()["Credentials"]
    session = client(
        endpoint,
        "sts",
        issued["AccessKeyId"],
        issued["SecretAccessKey"],
        issued["SessionToken"],
    )

    identity = session.get_caller_identity()

    assert identity["Arn"] == ALICE_ARN


def test_expired_credentials_are_expired_token(
    endpoint: str, backend: FakeBackend
) -> None:
    """Temporary credentials past their expiration are ExpiredToken."""
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    issued = issue_credentials(
        backend,
        SessionInfo(
            kind="session-token",
            arn=ALICE_ARN,
            account=ACCOUNT,
            expires_at=past,
            user_arn=ALICE_ARN,
        ),
    )
    sts = client(
        endpoint,
        "sts",
        issued["AccessKeyId"],
        issued["SecretAccessKey"],
        issued["SessionToken"],
    )

    with pytest.raises(ClientError) as caught:
        sts.get_caller_identity()

    assert _error(caught.value)[0] == "ExpiredToken"
