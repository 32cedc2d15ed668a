"""How the verifier accepts and refuses requests, error by error.

Pages cited in test docstrings:

- [sign] IAM User Guide, "Create a signed AWS API request",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
- [elements] IAM User Guide, "Elements of an AWS API request signature",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
- [sts-errors] AWS STS API Reference, "Common Errors",
  https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
- [sts-params] AWS STS API Reference, "Common Parameters",
  https://docs.aws.amazon.com/STS/latest/APIReference/CommonParameters.html
- [s3-presign] Amazon S3 API Reference, "Authenticating Requests: Using Query
  Parameters (AWS Signature Version 4)",
  https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
- [s3-header] Amazon S3 API Reference, "Signature Calculations for the
  Authorization Header",
  https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
- [s3-errors] Amazon S3 API Reference, "Error responses",
  https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
- [suite] AWS General Reference, "Signature Version 4 test suite"
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from iamsim.errors import InvalidCredentials, SignatureMismatch, Unsupported
from iamsim.sigv4 import (
    AuthorizationQueryParametersError,
    Credentials,
    CredentialScope,
    HttpRequest,
    IncompleteSignature,
    InvalidClientTokenId,
    MissingAuthenticationToken,
    RequestExpired,
    SignatureDoesNotMatch,
    SigV4Error,
    XAmzContentSHA256Mismatch,
    authorization_header,
    compute_signature,
    payload_hash,
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
    sign_session_token: bool = True,
    unsigned_payload: bool = False,
) -> HttpRequest:
    return sign_request(
        request,
        credentials,
        region="us-east-1",
        service=service,
        now=at,
        sign_session_token=sign_session_token,
        unsigned_payload=unsigned_payload,
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


def hand_signed(
    request: HttpRequest, names: list[str], amz_date: str = "20240115T123600Z"
) -> HttpRequest:
    """Sign ``request`` over exactly ``names``, adding no header of its own."""
    trace = compute_signature(
        request,
        KEY.secret_access_key,
        scope=CredentialScope(amz_date[:8], "us-east-1", "sts"),
        amz_date=amz_date,
        signed_headers=names,
        body_hash=payload_hash(request.body),
    )
    header = authorization_header(KEY.access_key_id, trace)
    return request.with_header("Authorization", header)


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
    """A valid signature yields its key, scope and time [elements]."""
    request = signed()

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.access_key_id == KEY.access_key_id
    assert (verified.region, verified.service) == ("us-east-1", "sts")
    assert verified.signed_at == NOW
    assert verified.signed_headers == ("content-type", "host", "x-amz-date")
    assert not verified.presigned
    assert verified.session_token is None


def test_signed_session_token_is_reported() -> None:
    """X-Amz-Security-Token carries a temporary credential's token [sts-params]."""
    request = signed(credentials=SESSION)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.session_token == SESSION.session_token
    assert "x-amz-security-token" in verified.signed_headers


def test_session_token_added_after_signing_still_verifies() -> None:
    """A token added after signing still verifies, as some services take it [suite]."""
    request = signed(credentials=SESSION, sign_session_token=False)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.session_token == SESSION.session_token
    assert "x-amz-security-token" not in verified.signed_headers


def test_presigned_url_reports_expiry_and_token() -> None:
    """A presigned URL verifies up to X-Amz-Date plus X-Amz-Expires [s3-presign]."""
    request = presigned(credentials=SESSION, expires_in=600)

    verified = verify_request(request, SECRETS.get, NOW + timedelta(seconds=600))

    assert verified.presigned
    assert verified.expires_at == NOW + timedelta(seconds=600)
    assert verified.session_token == SESSION.session_token


def test_request_exactly_fifteen_minutes_old_verifies() -> None:
    """Only requests more than 15 minutes off are refused [sts-errors]."""
    request = signed()

    verified = verify_request(request, SECRETS.get, NOW + timedelta(minutes=15))

    assert verified.signed_at == NOW


def test_date_header_in_basic_format_dates_the_signature() -> None:
    """Without X-Amz-Date, an ISO 8601 basic Date header dates it [elements]."""
    dated = STS_CALL.with_header("Date", "20240115T123600Z")
    request = hand_signed(dated, ["content-type", "date", "host"])

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.signed_at == NOW


def test_s3_unsigned_payload_verifies() -> None:
    """S3 accepts UNSIGNED-PAYLOAD in x-amz-content-sha256 [s3-header]."""
    request = signed(S3_GET, service="s3", unsigned_payload=True)

    verified = verify_request(
        request.with_header("Host", "s3.amazonaws.com"), SECRETS.get, NOW
    )

    assert "x-amz-content-sha256" in verified.signed_headers


def test_s3_presigned_url_verifies_with_any_body() -> None:
    """S3 presigned URLs sign UNSIGNED-PAYLOAD, not the body [s3-presign]."""
    request = presigned(S3_GET, service="s3")

    verified = verify_request(
        HttpRequest(request.method, request.path, request.query, request.headers, b"x"),
        SECRETS.get,
        NOW,
    )

    assert verified.service == "s3"


# Refusals: no signature, malformed signature


def test_unsigned_request_is_missing_authentication_token() -> None:
    """A request with no signature is MissingAuthenticationToken, 403 [sts-errors]."""
    error = refusal(STS_CALL)

    assert isinstance(error, MissingAuthenticationToken)
    assert (error.aws_code, error.http_status) == ("MissingAuthenticationToken", 403)
    assert error.aws_message == "Request is missing Authentication Token"


@pytest.mark.parametrize("part", ["Credential", "SignedHeaders", "Signature"])
def test_authorization_without_a_part_is_incomplete(part: str) -> None:
    """A header lacking a part is IncompleteSignature, 400 [sts-errors]."""
    request = signed()
    header = re.sub(rf"{part}=[^,]*(, )?", "", authorization(request)).rstrip(", ")

    error = refusal(with_authorization(request, header))

    assert isinstance(error, IncompleteSignature)
    assert (error.aws_code, error.http_status) == ("IncompleteSignature", 400)
    assert error.aws_message == f"Authorization header requires '{part}' parameter."


def test_bearer_token_is_incomplete_signature() -> None:
    """A non-SigV4 Authorization header lacks every SigV4 part [elements]."""
    error = refusal(with_authorization(STS_CALL, "Bearer abc.def"))

    assert isinstance(error, IncompleteSignature)
    assert "'Credential'" in error.aws_message


def test_unknown_algorithm_is_incomplete_signature() -> None:
    """Only AWS4-HMAC-SHA256 names a SigV4 signature [elements]."""
    request = signed()
    header = authorization(request).replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", 1)

    error = refusal(with_authorization(request, header))

    assert isinstance(error, IncompleteSignature)


def test_credential_with_four_elements_is_incomplete() -> None:
    """A credential is key/date/region/service/aws4_request [elements]."""
    request = signed()
    header = authorization(request).replace("/us-east-1/", "/", 1)

    error = refusal(with_authorization(request, header))

    assert isinstance(error, IncompleteSignature)
    assert error.aws_message.startswith("Credential must have exactly 5")


def test_credential_with_wrong_terminator_is_incomplete() -> None:
    """The credential scope must end in aws4_request [elements]."""
    request = signed()
    header = authorization(request).replace("aws4_request", "aws4_reqest", 1)

    error = refusal(with_authorization(request, header))

    assert isinstance(error, IncompleteSignature)
    assert "'aws4_reqest'" in error.aws_message


def test_scope_date_other_than_request_date_is_incomplete() -> None:
    """The scope date must be the request date; AWS's code is unconfirmed [elements]."""
    request = signed()
    header = authorization(request).replace("/20240115/", "/20240114/", 1)

    error = refusal(with_authorization(request, header))

    assert isinstance(error, IncompleteSignature)
    assert "'20240114' != '20240115'" in error.aws_message


def test_missing_x_amz_date_is_incomplete() -> None:
    """A header signature needs X-Amz-Date or Date [elements]."""
    request = signed()
    undated = HttpRequest(
        request.method,
        request.path,
        request.query,
        [(n, v) for n, v in request.headers if n.lower() != "x-amz-date"],
        request.body,
    )

    error = refusal(undated)

    assert isinstance(error, IncompleteSignature)
    assert "'X-Amz-Date' or a 'Date' header" in error.aws_message


def test_x_amz_date_not_in_basic_format_is_incomplete() -> None:
    """X-Amz-Date must be ISO 8601 basic format, YYYYMMDD'T'HHMMSS'Z' [sts-params]."""
    request = signed().with_header("X-Amz-Date", "2024-01-15T12:36:00Z")

    error = refusal(request)

    assert isinstance(error, IncompleteSignature)
    assert "'2024-01-15T12:36:00Z'" in error.aws_message


def test_unsigned_host_is_incomplete() -> None:
    """The Host header must be signed [elements]."""
    request = hand_signed(signed(), ["content-type", "x-amz-date"])

    error = refusal(request)

    assert isinstance(error, IncompleteSignature)
    assert "'Host'" in error.aws_message


def test_unsigned_x_amz_date_is_incomplete() -> None:
    """The header that dates a signature must itself be signed [sign]."""
    request = hand_signed(signed(), ["content-type", "host"])

    error = refusal(request)

    assert isinstance(error, IncompleteSignature)


def test_signature_in_header_and_query_is_incomplete() -> None:
    """A signature travels in the header or the query, never both [s3-presign]."""
    request = presigned().with_header("Authorization", authorization(signed()))

    error = refusal(request)

    assert isinstance(error, IncompleteSignature)


@pytest.mark.parametrize(
    "param",
    ["X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"],
)
def test_presigned_url_without_a_parameter_is_incomplete(param: str) -> None:
    """Query auth needs every X-Amz-* signing parameter [sts-params]."""
    error = refusal(drop_query(presigned(), param))

    assert isinstance(error, IncompleteSignature)
    assert f"must include '{param}'" in error.aws_message


def test_sigv4a_is_unsupported() -> None:
    """SigV4a signatures are refused as unemulated, not as forged [elements]."""
    request = signed()
    header = authorization(request).replace(
        "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1
    )

    with pytest.raises(Unsupported, match="SigV4a"):
        verify_request(with_authorization(request, header), SECRETS.get, NOW)


# Refusals: unknown key, wrong signature, wrong scope


def test_unknown_access_key_is_invalid_client_token_id() -> None:
    """An access key AWS does not know is InvalidClientTokenId, 403 [sts-errors]."""
    request = signed(credentials=Credentials("AKIAUNKNOWN000000000", "secret"))

    error = refusal(request)

    assert isinstance(error, InvalidClientTokenId)
    assert isinstance(error, InvalidCredentials)
    assert (error.aws_code, error.http_status) == ("InvalidClientTokenId", 403)
    assert error.aws_message == "The security token included in the request is invalid."


def test_wrong_secret_is_signature_does_not_match() -> None:
    """A signature made with another secret is SignatureDoesNotMatch, 403 [sign]."""
    request = signed(credentials=Credentials(KEY.access_key_id, "not-the-secret"))

    error = refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)
    assert isinstance(error, SignatureMismatch)
    assert (error.aws_code, error.http_status) == ("SignatureDoesNotMatch", 403)
    assert error.aws_message.startswith("The request signature we calculated")


def test_changed_body_is_signature_does_not_match() -> None:
    """The payload hash is signed, so a changed body fails [sign]."""
    request = signed()
    changed = HttpRequest(
        request.method, request.path, request.query, request.headers, b"Action=X"
    )

    error = refusal(changed)

    assert isinstance(error, SignatureDoesNotMatch)


def test_changed_query_is_signature_does_not_match() -> None:
    """The canonical query string is signed, so an added parameter fails [sign]."""
    request = signed(STS_QUERY)

    error = refusal(request.with_query(request.query + "&Extra=1"))

    assert isinstance(error, SignatureDoesNotMatch)


def test_mismatch_carries_string_to_sign_for_diagnosis() -> None:
    """A mismatch exposes the server's string to sign, which holds no secret [sign]."""
    request = signed(credentials=Credentials(KEY.access_key_id, "not-the-secret"))

    error = refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.string_to_sign.startswith("AWS4-HMAC-SHA256\n20240115T123600Z\n")


def test_signature_for_another_region_is_refused() -> None:
    """An endpoint refuses a signature scoped to another region [elements]."""
    error = refusal(signed(), region="eu-west-1")

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.aws_message == "Credential should be scoped to a valid region."


def test_signature_for_another_service_is_refused() -> None:
    """An endpoint refuses a signature scoped to another service [elements]."""
    error = refusal(signed(), service="iam")

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.aws_message == "Credential should be scoped to correct service: 'iam'."


# Refusals: time


def test_request_sixteen_minutes_old_has_expired_signature() -> None:
    """A request over 15 minutes old gets AWS's 'Signature expired' [sts-errors]."""
    request = signed(at=NOW - timedelta(minutes=16))

    error = refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.http_status == 403
    assert error.aws_message == (
        "Signature expired: 20240115T122000Z is now earlier than "
        "20240115T122100Z (20240115T123600Z - 15 min.)"
    )
    assert error.message.startswith("signature expired: ")


def test_request_sixteen_minutes_ahead_is_not_yet_current() -> None:
    """A request dated over 15 minutes ahead is refused too [sts-errors]."""
    request = signed(at=NOW + timedelta(minutes=16))

    error = refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.aws_message == (
        "Signature not yet current: 20240115T125200Z is still later than "
        "20240115T125100Z (20240115T123600Z + 15 min.)"
    )


def test_presigned_url_past_expiry_is_request_expired() -> None:
    """A presigned URL used after X-Amz-Expires is RequestExpired, 400 [sts-errors]."""
    request = presigned(expires_in=60)

    error = refusal(request, NOW + timedelta(seconds=61))

    assert isinstance(error, RequestExpired)
    assert (error.aws_code, error.http_status) == ("RequestExpired", 400)


def test_presigned_url_outlives_the_fifteen_minute_window() -> None:
    """X-Amz-Expires, not the 15-minute window, bounds a presigned URL [s3-presign]."""
    request = presigned(expires_in=3600)

    verified = verify_request(request, SECRETS.get, NOW + timedelta(minutes=59))

    assert verified.presigned


def test_presigned_url_without_expires_gets_fifteen_minutes() -> None:
    """Without X-Amz-Expires a presigned URL gets the 15-minute window [sts-errors]."""
    request = drop_query(presigned(), "X-Amz-Expires")
    request = rewrite_query(request, "X-Amz-Signature", "0" * 64)

    error = refusal(request, NOW + timedelta(minutes=16))

    assert isinstance(error, SignatureDoesNotMatch)
    assert error.aws_message.startswith("Signature expired")


@pytest.mark.parametrize(
    ("value", "aws_message"),
    [
        (
            "604801",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ),
        ("-1", "X-Amz-Expires must be non-negative"),
        ("soon", "X-Amz-Expires should be a number"),
    ],
)
def test_unusable_x_amz_expires_is_refused(value: str, aws_message: str) -> None:
    """X-Amz-Expires must be a number of seconds up to 604800 [s3-presign]."""
    request = rewrite_query(presigned(), "X-Amz-Expires", value)

    error = refusal(request)

    assert isinstance(error, AuthorizationQueryParametersError)
    assert (error.aws_code, error.http_status) == (
        "AuthorizationQueryParametersError",
        400,
    )
    assert error.aws_message == aws_message


def test_naive_now_is_refused() -> None:
    """A clock without a time zone is a caller bug, never guessed at [elements]."""
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_request(signed(), SECRETS.get, NOW.replace(tzinfo=None))


# Refusals: payload


def test_s3_body_differing_from_declared_hash_is_refused() -> None:
    """S3 checks the body against x-amz-content-sha256 [s3-errors]."""
    request = signed(S3_GET, service="s3")
    changed = HttpRequest(
        request.method, request.path, request.query, request.headers, b"x"
    )

    error = refusal(changed)

    assert isinstance(error, XAmzContentSHA256Mismatch)
    assert error.http_status == 400


def test_unsigned_payload_outside_s3_does_not_verify() -> None:
    """Only S3 takes UNSIGNED-PAYLOAD; elsewhere the body is hashed [s3-header]."""
    request = signed(unsigned_payload=True)

    error = refusal(request)

    assert isinstance(error, SignatureDoesNotMatch)


# Secrets stay out of errors


def failing_requests() -> list[HttpRequest]:
    good = signed(credentials=SESSION)
    header = authorization(good)
    return [
        signed(credentials=Credentials(SESSION.access_key_id, "x"), at=NOW),
        signed(credentials=SESSION, at=NOW - timedelta(hours=1)),
        with_authorization(good, header.replace("Credential=", "Credentia=")),
        with_authorization(good, header.replace("aws4_request", "aws5", 1)),
        good.with_header("X-Amz-Date", "yesterday"),
        with_authorization(
            good, header.replace("AKIA", "AKIB").replace("ASIA", "ASIB")
        ),
    ]


@pytest.mark.parametrize("request_", failing_requests())
def test_refusals_never_reveal_secret_token_or_signature(
    request_: HttpRequest,
) -> None:
    """Refusals name the access key at most, never secrets or signatures [sign]."""
    signature = authorization(request_).rsplit("=", 1)[-1]

    error = refusal(request_)

    shown = " ".join((str(error), error.aws_message, error.hint, error.where))
    for secret in (SESSION.secret_access_key, SESSION.session_token or "", signature):
        assert secret not in shown
