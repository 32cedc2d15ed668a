"""The endpoint translates, in-process and without sockets.

Operations here are stand-ins registered in a private registry, so each test
sees exactly what the wire does around an operation: routing, decoding,
validation, error encoding, trail records and the log line.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.server.fakes import ALICE_ARN, FakeBackend
from tests.server.wire import RawReply, form

from iamsim.server import Endpoint, WireRequest
from iamsim.services.api import Call, Params, Registry, Result, access_denied
from iamsim.sigv4 import Credentials, HttpRequest, sign_request

STS = "2011-06-15"
IAM = "2010-05-08"
ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128"


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def registry() -> Registry:
    registry = Registry()

    @registry.operation("sts", "GetCallerIdentity")
    def whoami(backend: Any, call: Call, params: Params) -> Result:
        caller = call.caller
        return {"UserId": caller.user_id, "Account": caller.account, "Arn": caller.arn}

    @registry.operation("iam", "GetRole")
    def refuse(backend: Any, call: Call, params: Params) -> Result:
        raise access_denied(f"User: {call.caller.arn} is not authorized")

    @registry.operation("iam", "GetUser")
    def crash(backend: Any, call: Call, params: Params) -> Result:
        raise RuntimeError("a bug in an operation")

    @registry.operation("organizations", "DescribeOrganization")
    def describe(backend: Any, call: Call, params: Params) -> Result:
        return {"Organization": {"Id": "o-abc", "FeatureSet": "ALL"}}

    return registry


@pytest.fixture
def endpoint(backend: FakeBackend, registry: Registry) -> Endpoint:
    return Endpoint(backend, registry=registry)


def _signed(
    backend: FakeBackend,
    service: str,
    body: bytes,
    *,
    target: str | None = None,
) -> WireRequest:
    key = backend.alice_key
    headers = [("Host", "127.0.0.1:4599")]
    if target:
        headers += [
            ("X-Amz-Target", target),
            ("Content-Type", "application/x-amz-json-1.1"),
        ]
    else:
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    signed = sign_request(
        HttpRequest("POST", "/", "", headers, body),
        Credentials(key.access_key_id, key.secret_access_key),
        region="us-east-1",
        service=service,
        now=datetime.now(UTC),
    ).request
    return WireRequest("POST", "/", "", tuple(signed.headers), body)


def _reply(endpoint: Endpoint, request: WireRequest) -> RawReply:
    response = endpoint.handle(request)
    return RawReply(response.status, response.body)


def test_unknown_query_action_is_invalid_action(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """An Action the API lacks is InvalidAction naming the version."""
    reply = _reply(endpoint, _signed(backend, "sts", form("MakeCoffee", STS)))

    assert (reply.status, reply.code) == (400, "InvalidAction")
    assert reply.message == "Could not find operation MakeCoffee for version 2011-06-15"


def test_unknown_json_operation_is_unknown_operation_exception(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A JSON target the API lacks is UnknownOperationException."""
    request = _signed(
        backend, "organizations", b"{}", target=f"{ORGANIZATIONS_TARGET}.MakeCoffee"
    )

    reply = _reply(endpoint, request)

    assert (reply.status, reply.code) == (400, "UnknownOperationException")


def test_operation_not_emulated_is_refused_by_name(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """An AWS operation iamsim lacks answers 501 NotImplemented, naming it."""
    reply = _reply(endpoint, _signed(backend, "iam", form("ListUsers", IAM)))

    assert (reply.status, reply.code) == (501, "NotImplemented")
    assert reply.message == "iamsim does not emulate iam:ListUsers"


def test_missing_required_member_is_a_validation_error(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A required member left out is refused before the operation runs."""
    reply = _reply(endpoint, _signed(backend, "iam", form("GetRole", IAM)))

    assert (reply.status, reply.code) == (400, "ValidationError")
    assert reply.message == (
        "1 validation error detected: Value null at 'roleName' failed to satisfy "
        "constraint: Member must not be null"
    )


def test_too_long_name_is_a_validation_error_naming_the_limit(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """Model length limits are enforced as AWS's front end words them."""
    body = form("GetRole", IAM, RoleName="r" * 65)

    reply = _reply(endpoint, _signed(backend, "iam", body))

    assert reply.code == "ValidationError"
    assert reply.message.endswith("Member must have length less than or equal to 64")


def test_json_body_that_is_not_json_is_a_serialization_exception(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A JSON 1.1 body that does not parse is SerializationException."""
    target = f"{ORGANIZATIONS_TARGET}.DescribeOrganization"

    reply = _reply(endpoint, _signed(backend, "organizations", b"{", target=target))

    assert (reply.status, reply.code) == (400, "SerializationException")


def test_json_result_is_amz_json_with_request_id(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A JSON 1.1 reply has AWS's content type and a request id header."""
    target = f"{ORGANIZATIONS_TARGET}.DescribeOrganization"

    response = endpoint.handle(_signed(backend, "organizations", b"{}", target=target))

    headers = dict(response.headers)
    assert response.status == 200
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-RequestId"]
    assert json.loads(response.body) == {
        "Organization": {"Id": "o-abc", "FeatureSet": "ALL"}
    }


def test_scope_for_another_service_does_not_match(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A signature scoped to S3 does not authenticate an STS action."""
    reply = _reply(endpoint, _signed(backend, "s3", form("GetCallerIdentity", STS)))

    assert (reply.status, reply.code) == (403, "SignatureDoesNotMatch")
    assert reply.message == "Credential should be scoped to correct service: 'sts'."


def test_failing_operation_is_internal_failure(
    endpoint: Endpoint, backend: FakeBackend, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error is a 500 InternalFailure, logged with its trace."""
    with caplog.at_level(logging.ERROR):
        reply = _reply(
            endpoint, _signed(backend, "iam", form("GetUser", IAM, UserName="a"))
        )

    assert (reply.status, reply.code) == (500, "InternalFailure")
    assert "a bug in an operation" in caplog.text


def test_denied_call_is_recorded_with_its_error(
    endpoint: Endpoint, backend: FakeBackend
) -> None:
    """A refused call still becomes a trail record, with errorCode."""
    _reply(endpoint, _signed(backend, "iam", form("GetRole", IAM, RoleName="r")))

    record = backend.events[-1]
    assert record["eventName"] == "GetRole"
    assert record["errorCode"] == "AccessDenied"
    assert record["userIdentity"]["arn"] == ALICE_ARN
    assert record["requestParameters"] == {"roleName": "r"}


def test_one_log_line_per_request_without_secrets(
    endpoint: Endpoint, backend: FakeBackend, caplog: pytest.LogCaptureFixture
) -> None:
    """The request log names operation, principal and outcome, never secrets."""
    request = _signed(backend, "sts", form("GetCallerIdentity", STS))

    with caplog.at_level(logging.INFO, logger="iamsim.server"):
        endpoint.handle(request)

    (line,) = [r.getMessage() for r in caplog.records if r.name.startswith("iamsim")]
    assert line.startswith(f"sts:GetCallerIdentity principal={ALICE_ARN} outcome=ok")
    signature = dict(request.headers)["Authorization"].rsplit("=", 1)[1]
    assert signature not in line
    assert backend.alice_key.secret_access_key not in line


def test_unsigned_call_to_signed_operation_is_refused_before_routing_errors(
    endpoint: Endpoint,
) -> None:
    """Without a signature even an unknown action is MissingAuthenticationToken."""
    request = WireRequest("POST", "/", "", (("Host", "h"),), form("MakeCoffee", STS))

    reply = _reply(endpoint, request)

    assert (reply.status, reply.code) == (403, "MissingAuthenticationToken")


def test_operation_the_model_leaves_unsigned_runs_without_a_signature(
    backend: FakeBackend,
) -> None:
    """AssumeRoleWithWebIdentity needs no signature, as its model says."""
    registry = Registry()
    seen: list[Call] = []

    @registry.operation("sts", "AssumeRoleWithWebIdentity")
    def web_identity(backend: Any, call: Call, params: Params) -> Result:
        seen.append(call)
        raise access_denied("Not authorized to perform sts:AssumeRoleWithWebIdentity")

    body = form(
        "AssumeRoleWithWebIdentity",
        STS,
        RoleArn="arn:aws:iam::111111111111:role/web",
        RoleSessionName="web-session",
        WebIdentityToken="x" * 10,
    )
    request = WireRequest("POST", "/", "", (("Host", "h"),), body)

    reply = _reply(Endpoint(backend, registry=registry), request)

    assert reply.code == "AccessDenied"
    assert seen[0].caller.arn == ""
    assert backend.events[-1]["userIdentity"] == {"type": "WebIdentityUser"}
    assert "webIdentityToken" not in backend.events[-1]["requestParameters"]
