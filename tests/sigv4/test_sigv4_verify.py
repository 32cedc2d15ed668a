"""How the verifier accepts and refuses requests, error by error.

Codes and statuses are those of the AWS STS API Reference, "Common Errors"
(https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html), unless
a test names another page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from iamsim.errors import InvalidCredentials, SignatureMismatch, Unsupported
from iamsim.sigv4 import (
    AuthorizationQueryParametersError,
    Credentials,
    HttpRequest,
    IncompleteSignature,
    InvalidClientTokenId,
    MissingAuthenticationToken,
    RequestExpired,
    SignatureDoesNotMatch,
    SigV4Error,
    XAmzContentSHA256Mismatch,
    presign_request,
    sign_request,
    verify_request,
)

NOW = datetime(2024, 1, 15, 12, 36, tzinfo=UTC)
KEY = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
SESSION = Credentials(
    "ASIAIOSFODNN7EXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "tok/en+=="
)
SECRETS = {c.access_key_id: c.secret_access_key for c in (KEY, SESSION)}
STS_CALL = HttpRequest(
    "POST",
    "/",
    headers=[
        ("Host", "sts.amazonaws.com"),
        ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
    ],
    body=b"Action=GetCallerIdentity&Version=2011-06-15",
)
STS_QUERY = HttpRequest(
    "GET",
    "/",
    "Action=GetCallerIdentity&Version=2011-06-15",
    [("Host", "sts.amazonaws.com")],
)
S3_GET = HttpRequest("GET", "/bucket/a//b", headers=[("Host", "s3.amazonaws.com")])


def signed(
    request: HttpRequest = STS_CALL,
    credentials: Credentials = KEY,
    *,
    at: datetime = NOW,
    service: str = "sts",
    **options: bool,
) -> HttpRequest:
    return sign_request(
        request, credentials, region="us-east-1", service=service, now=at, **options
    ).request


def presigned(
    request: HttpRequest = STS_QUERY,
    credentials: Credentials = KEY,
    *,
    at: datetime = NOW,
    expires_in: int = 900,
    service: str = "sts",
) -> HttpRequest:
    return presign_request(
        request,
        credentials,
        region="us-east-1",
        service=service,
        now=at,
        expires_in=expires_in,
    ).request


def with_authorization(request: HttpRequest, value: str) -> HttpRequest:
    return request.with_header("Authorization", value)


def authorization(request: HttpRequest) -> str:
    return request.header_values("authorization")[0]


def rewrite_query(request: HttpRequest, name: str, value: str) -> HttpRequest:
    pieces = [
        f"{name}={value}" if piece.startswith(f"{name}=") else piece
        for piece in request.query.split("&")
    ]
    return request.with_query("&".join(pieces))


def drop_query(request: HttpRequest, name: str) -> HttpRequest:
    pieces = [p for p in request.query.split("&") if not p.startswith(f"{name}=")]
    return request.with_query("&".join(pieces))


def refusal(request: HttpRequest, now: datetime = NOW, **scope: str) -> SigV4Error:
    with pytest.raises(SigV4Error) as caught:
        verify_request(request, SECRETS.get, now, **scope)
    return caught.value


# Accepted requests


def test_header_signed_request_reports_its_signer() -> None:
    """A valid signature yields the key, scope and time it was made with (IAM
    User Guide, "Elements of an AWS API request signature")."""
    request = signed()

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.access_key_id == KEY.access_key_id
    assert (verified.region, verified.service) == ("us-east-1", "sts")
    assert verified.signed_at == NOW
    assert verified.signed_headers == ("content-type", "host", "x-amz-date")
    assert not verified.presigned
    assert verified.session_token is None


def test_signed_session_token_is_reported() -> None:
    """X-Amz-Security-Token carries temporary credentials' token (AWS STS API
    Reference, "Common Parameters")."""
    request = signed(credentials=SESSION)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.session_token == SESSION.session_token
    assert "x-amz-security-token" in verified.signed_headers


def test_session_token_added_after_signing_still_verifies() -> None:
    """Some services take the token unsigned, added after signing (AWS General
    Reference, "Signature Version 4 test suite", post-sts-header-after)."""
    request = signed(credentials=SESSION, sign_session_token=False)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.session_token == SESSION.session_token
    assert "x-amz-security-token" not in verified.signed_headers


def test_presigned_url_reports_expiry_and_token() -> None:
    """A presigned URL verifies until X-Amz-Date plus X-Amz-Expires (Amazon S3
    API Reference, "Authenticating Requests: Using Query Parameters")."""
    request = presigned(credentials=SESSION, expires_in=600)

    verified = verify_request(request, SECRETS.get, NOW + timedelta(seconds=600))

    assert verified.presigned
    assert verified.expires_at == NOW + timedelta(seconds=600)
    assert verified.session_token == SESSION.session_token


def test_request_exactly_fifteen_minutes_old_verifies() -> None:
    """Only requests more than 15 minutes off are refused (AWS STS API
    Reference, "Common Errors", RequestExpired)."""
    request = signed()

    verified = verify_request(request, SECRETS.get, NOW + timedelta(minutes=15))

    assert verified.signed_at == NOW


def test_date_header_in_basic_format_dates_the_signature() -> None:
    """Without X-Amz-Date, a Date header in ISO 8601 basic format is used (IAM
    User Guide, "Elements of an AWS API request signature", Date)."""
    request = signed(signed_headers=["date", "host"]) if False else None
    dated = STS_CALL.with_header("Date", "20240115T123600Z")
    trace = sign_request(
        dated, KEY, region="us-east-1", service="sts", now=NOW
    ).trace
    header = (
        f"AWS4-HMAC-SHA256 Credential={KEY.access_key_id}/{trace.scope}, "
        f"SignedHeaders=content-type;date;host, Signature="
    )
    assert request is None

    from iamsim.sigv4 import compute_signature

    own = compute_signature(
        dated,
        KEY.secret_access_key,
        scope=trace.scope,
        amz_date="20240115T123600Z",
        signed_headers=["content-type", "date", "host"],
        body_hash=__import__("hashlib").sha256(dated.body).hexdigest(),
    )
    verified = verify_request(
        with_authorization(dated, header + own.signature), SECRETS.get, NOW
    )

    assert verified.signed_at == NOW
