"""Signing: string to sign, signing key, signature, and the two ways to attach it.

A request is signed either with an ``Authorization`` header or, for a presigned
URL, with ``X-Amz-*`` query parameters. Both hash the same canonical request;
only where the signature travels and which payload hash is used differ.

Sources: IAM User Guide, "Create a signed AWS API request" and "Elements of an
AWS API request signature"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html);
Amazon S3 API Reference, "Authenticating Requests: Using Query Parameters
(AWS Signature Version 4)"
(https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).

Pure: no clock (the caller passes ``now``), no I/O. Imports nothing of iamsim.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from iamsim.sigv4._canonical import (
    UNSIGNED_PAYLOAD,
    canonical_request,
    is_s3,
    payload_hash,
    uri_encode,
)
from iamsim.sigv4._request import HttpRequest

ALGORITHM = "AWS4-HMAC-SHA256"
TERMINATOR = "aws4_request"
AMZ_DATE_FORMAT = "%Y%m%dT%H%M%SZ"
SIGNATURE_PARAM = "X-Amz-Signature"
CONTENT_SHA256_HEADER = "x-amz-content-sha256"
PRESIGN_MAX_SECONDS = 604_800  # 7 days: a signing key is valid for 7 days at most

# Headers a signer leaves out by default: hop-by-hop or rewritten in transit,
# so signing them would make an honest request fail verification.
UNSIGNABLE_HEADERS = frozenset(
    {
        "authorization",
        "connection",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "user-agent",
        "x-amzn-trace-id",
    }
)

_AMZ_DATE = re.compile(r"\d{8}T\d{6}Z")


@dataclass(frozen=True)
class Credentials:
    """An access key pair, with the session token of temporary credentials."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CredentialScope:
    """The date, region and service a signature is bound to."""

    date: str
    region: str
    service: str

    def __str__(self) -> str:
        return f"{self.date}/{self.region}/{self.service}/{TERMINATOR}"


@dataclass(frozen=True)
class SigningTrace:
    """Every intermediate value of one signature, for tests and diagnostics."""

    canonical_request: str
    string_to_sign: str
    signature: str
    signed_headers: tuple[str, ...]
    scope: CredentialScope
    amz_date: str


@dataclass(frozen=True)
class SignedRequest:
    """A signed request and how its signature was reached."""

    request: HttpRequest
    trace: SigningTrace


def format_amz_date(moment: datetime) -> str:
    """``moment`` in ISO 8601 basic format (``20150830T123600Z``), in UTC."""
    return as_utc(moment).strftime(AMZ_DATE_FORMAT)


def parse_amz_date(text: str) -> datetime | None:
    """The UTC instant of an ISO 8601 basic timestamp, or None if malformed."""
    if not _AMZ_DATE.fullmatch(text):
        return None
    try:
        return datetime.strptime(text, AMZ_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a naive datetime is refused, never guessed."""
    if moment.tzinfo is None:
        raise ValueError("'now' must be timezone-aware")
    return moment.astimezone(UTC)


def derive_signing_key(secret_access_key: str, scope: CredentialScope) -> bytes:
    """The key that signs for ``scope``: an HMAC chain from the secret."""
    key = f"AWS4{secret_access_key}".encode()
    for part in (scope.date, scope.region, scope.service, TERMINATOR):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def string_to_sign(
    amz_date: str, scope: CredentialScope, canonical: str, *, algorithm: str = ALGORITHM
) -> str:
    """The algorithm, the time, the scope and the hash of the canonical request."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{algorithm}\n{amz_date}\n{scope}\n{digest}"


def hmac_signature(signing_key: bytes, to_sign: str) -> str:
    """The lowercase hex HMAC-SHA256 of ``to_sign``."""
    return hmac.new(signing_key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def compute_signature(
    request: HttpRequest,
    secret_access_key: str,
    *,
    scope: CredentialScope,
    amz_date: str,
    signed_headers: Sequence[str],
    body_hash: str,
    exclude_query: Sequence[str] = (),
) -> SigningTrace:
    """Sign ``request`` as it stands; the request itself is not changed."""
    canonical = canonical_request(
        request,
        signed_headers,
        body_hash,
        s3=is_s3(scope.service),
        exclude_query=exclude_query,
    )
    to_sign = string_to_sign(amz_date, scope, canonical)
    signature = hmac_signature(derive_signing_key(secret_access_key, scope), to_sign)
    return SigningTrace(
        canonical, to_sign, signature, tuple(signed_headers), scope, amz_date
    )


def authorization_header(
    signer_id: str, trace: SigningTrace, *, algorithm: str = ALGORITHM
) -> str:
    """The Authorization header value for a finished signature.

    ``signer_id`` is the access key id, or for the X.509 variant the signing
    certificate's serial number in decimal.
    """
    return (
        f"{algorithm} Credential={signer_id}/{trace.scope}, "
        f"SignedHeaders={';'.join(trace.signed_headers)}, "
        f"Signature={trace.signature}"
    )


def default_signed_headers(request: HttpRequest) -> list[str]:
    """Every header name on ``request`` a signer can safely sign, sorted."""
    names = {name.lower() for name, _ in request.headers}
    return sorted(names - UNSIGNABLE_HEADERS)


def choose_signed_headers(
    request: HttpRequest, signed_headers: Sequence[str] | None
) -> list[str]:
    """The sorted names to sign: the defaults, or the caller's plus required ones."""
    if signed_headers is None:
        return default_signed_headers(request)
    required = {name.lower() for name, _ in request.headers if _must_sign(name)}
    return sorted({name.lower() for name in signed_headers} | required)


def _must_sign(name: str) -> bool:
    lowered = name.lower()
    return lowered == "host" or lowered.startswith("x-amz-")


def scope_for(now: datetime, region: str, service: str) -> CredentialScope:
    """The credential scope for signing at ``now``."""
    return CredentialScope(as_utc(now).strftime("%Y%m%d"), region, service)


def require_host(request: HttpRequest) -> None:
    """Refuse to sign a request without the Host header SigV4 must sign."""
    if not request.has_header("host"):
        raise ValueError("the request has no 'Host' header, which SigV4 must sign")


def sign_request(
    request: HttpRequest,
    credentials: Credentials,
    *,
    region: str,
    service: str,
    now: datetime,
    signed_headers: Sequence[str] | None = None,
    sign_session_token: bool = True,
    unsigned_payload: bool = False,
) -> SignedRequest:
    """Sign ``request`` with an Authorization header.

    ``X-Amz-Date`` is set from ``now``. A session token goes in
    ``X-Amz-Security-Token``, signed unless ``sign_session_token`` is False
    (some services want it added after signing). By default every header
    present is signed except hop-by-hop ones; an explicit ``signed_headers``
    list always gains ``host`` and every ``x-amz-*`` header, as AWS requires.
    For S3, or with ``unsigned_payload``, the payload hash also travels in
    ``x-amz-content-sha256``.
    """
    require_host(request)
    amz_date = format_amz_date(now)
    prepared = request.with_header("X-Amz-Date", amz_date)
    token = credentials.session_token
    if token is not None and sign_session_token:
        prepared = prepared.with_header("X-Amz-Security-Token", token)
    prepared, body_hash = _declare_payload(prepared, service, unsigned_payload)
    headers = choose_signed_headers(prepared, signed_headers)
    trace = compute_signature(
        prepared,
        credentials.secret_access_key,
        scope=scope_for(now, region, service),
        amz_date=amz_date,
        signed_headers=headers,
        body_hash=body_hash,
    )
    if token is not None and not sign_session_token:
        prepared = prepared.with_header("X-Amz-Security-Token", token)
    header = authorization_header(credentials.access_key_id, trace)
    return SignedRequest(prepared.with_header("Authorization", header), trace)


def _declare_payload(
    request: HttpRequest, service: str, unsigned_payload: bool
) -> tuple[HttpRequest, str]:
    declared = request.header_values(CONTENT_SHA256_HEADER)
    if declared:
        return request, declared[0]
    body_hash = UNSIGNED_PAYLOAD if unsigned_payload else payload_hash(request.body)
    if unsigned_payload or is_s3(service):
        return request.with_header(CONTENT_SHA256_HEADER, body_hash), body_hash
    return request, body_hash


def presign_request(
    request: HttpRequest,
    credentials: Credentials,
    *,
    region: str,
    service: str,
    now: datetime,
    expires_in: int = 3600,
    signed_headers: Sequence[str] | None = None,
) -> SignedRequest:
    """Sign ``request`` as a presigned URL, with ``X-Amz-*`` query parameters.

    The authentication parameters (and ``X-Amz-Security-Token``) follow the
    request's own query, and ``X-Amz-Signature`` comes last. S3 signs the
    constant ``UNSIGNED-PAYLOAD``; other services sign the body's hash.
    """
    if not 1 <= expires_in <= PRESIGN_MAX_SECONDS:
        raise ValueError(
            f"expires_in must be 1..{PRESIGN_MAX_SECONDS}, not {expires_in}"
        )
    require_host(request)
    headers = choose_signed_headers(request, signed_headers)
    scope = scope_for(now, region, service)
    amz_date = format_amz_date(now)
    params = [
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", f"{credentials.access_key_id}/{scope}"),
        ("X-Amz-Date", amz_date),
        ("X-Amz-Expires", str(expires_in)),
        ("X-Amz-SignedHeaders", ";".join(headers)),
    ]
    if credentials.session_token is not None:
        params.append(("X-Amz-Security-Token", credentials.session_token))
    prepared = request.with_query(_append_query(request.query, params))
    body_hash = UNSIGNED_PAYLOAD if is_s3(service) else payload_hash(request.body)
    trace = compute_signature(
        prepared,
        credentials.secret_access_key,
        scope=scope,
        amz_date=amz_date,
        signed_headers=headers,
        body_hash=body_hash,
    )
    signed_query = _append_query(prepared.query, [(SIGNATURE_PARAM, trace.signature)])
    return SignedRequest(prepared.with_query(signed_query), trace)


def _append_query(query: str, params: Sequence[tuple[str, str]]) -> str:
    added = "&".join(
        f"{uri_encode(name)}={uri_encode(value)}" for name, value in params
    )
    return f"{query}&{added}" if query else added
