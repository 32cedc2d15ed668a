"""Cross-checks against botocore, the signer behind boto3 and the AWS CLI.

botocore is only called here, never copied: a request it signs must verify, and
signing the same request at the same instant must give botocore's signature.

Pages cited in test docstrings:

- [sign] IAM User Guide, "Create a signed AWS API request",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
- [s3-presign] Amazon S3 API Reference, "Authenticating Requests: Using Query
  Parameters (AWS Signature Version 4)",
  https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import botocore.auth
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from iamsim.sigv4 import (
    Credentials,
    HttpRequest,
    presign_request,
    sign_request,
    verify_request,
)

NOW = datetime(2024, 3, 5, 14, 7, 9, tzinfo=UTC)
LONG_TERM = Credentials(
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)
TEMPORARY = Credentials(
    "ASIAIOSFODNN7EXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "FwoGZXIvYXdzEBYaDEXAMPLEtokenvalue+with/slashes==",
)
SECRETS = {c.access_key_id: c.secret_access_key for c in (LONG_TERM, TEMPORARY)}
FORM = "application/x-www-form-urlencoded; charset=utf-8"


@dataclass(frozen=True)
class Example:
    """One request, as a test names it."""

    name: str
    method: str
    url: str
    service: str
    region: str
    credentials: Credentials
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


EXAMPLES = [
    Example(
        "sts-get-caller-identity",
        "POST",
        "https://sts.amazonaws.com/",
        "sts",
        "us-east-1",
        LONG_TERM,
        (("Content-Type", FORM),),
        b"Action=GetCallerIdentity&Version=2011-06-15",
    ),
    Example(
        "sts-get-caller-identity-in-query",
        "GET",
        "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        "sts",
        "us-east-1",
        TEMPORARY,
    ),
    Example(
        "iam-list-users-with-session-token",
        "GET",
        "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08&MaxItems=5",
        "iam",
        "us-east-1",
        TEMPORARY,
    ),
    Example(
        "rolesanywhere-path-needing-double-encoding",
        "GET",
        "https://rolesanywhere.eu-west-1.amazonaws.com/trustanchor/a%20b%2Fc/x~y",
        "rolesanywhere",
        "eu-west-1",
        LONG_TERM,
        (("X-Amz-Target", "Op"), ("X-Custom", "  spaced    out  value ")),
    ),
    Example(
        "organizations-json-body",
        "POST",
        "https://organizations.us-east-1.amazonaws.com/",
        "organizations",
        "us-east-1",
        TEMPORARY,
        (
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts"),
        ),
        b'{"MaxResults": 20}',
    ),
    Example(
        "s3-key-with-repeated-slashes",
        "GET",
        "https://bucket.s3.us-west-2.amazonaws.com/my-object//example//photo.user",
        "s3",
        "us-west-2",
        LONG_TERM,
    ),
    Example(
        "query-with-reserved-characters",
        "GET",
        "https://iam.amazonaws.com/?Action=GetUser&UserName=a%2Bb%20c%3Dd&Version=2010-05-08",
        "iam",
        "us-east-1",
        LONG_TERM,
    ),
]
IDS = [example.name for example in EXAMPLES]
# botocore presigns operation parameters, not bodies: only body-less examples.
PRESIGNABLE = [example for example in EXAMPLES if not example.body]
PRESIGN_IDS = [example.name for example in PRESIGNABLE]


@pytest.fixture(autouse=True)
def frozen_botocore_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore reads the clock when it signs; pin it to NOW."""
    naive_now = NOW.replace(tzinfo=None)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: naive_now)


def boto_credentials(credentials: Credentials) -> BotoCredentials:
    return BotoCredentials(
        credentials.access_key_id,
        credentials.secret_access_key,
        credentials.session_token,
    )


def boto_request(example: Example) -> AWSRequest:
    return AWSRequest(
        method=example.method,
        url=example.url,
        headers=dict(example.headers),
        data=example.body,
    )


def to_http_request(prepared: AWSPreparedRequest) -> HttpRequest:
    """The request as it reaches a server: HTTP clients add Host from the URL."""
    parts = urlsplit(prepared.url)
    headers = [(name, str(value)) for name, value in prepared.headers.items()]
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    body = prepared.body if isinstance(prepared.body, bytes) else b""
    return HttpRequest(prepared.method, parts.path, parts.query, headers, body)


def boto_signed(example: Example) -> HttpRequest:
    request = boto_request(example)
    auth_class = (
        botocore.auth.S3SigV4Auth
        if example.service == "s3"
        else botocore.auth.SigV4Auth
    )
    signer = auth_class(
        boto_credentials(example.credentials), example.service, example.region
    )
    signer.add_auth(request)
    return to_http_request(request.prepare())


def boto_presigned(example: Example) -> HttpRequest:
    request = boto_request(example)
    auth_class = (
        botocore.auth.S3SigV4QueryAuth
        if example.service == "s3"
        else botocore.auth.SigV4QueryAuth
    )
    signer = auth_class(
        boto_credentials(example.credentials),
        example.service,
        example.region,
        expires=900,
    )
    signer.add_auth(request)
    return to_http_request(request.prepare())


def unsigned(example: Example) -> HttpRequest:
    parts = urlsplit(example.url)
    headers = [("Host", parts.netloc), *example.headers]
    return HttpRequest(example.method, parts.path, parts.query, headers, example.body)


def signature_of(authorization: str) -> str:
    return authorization.rsplit("Signature=", 1)[1]


def query_value(request: HttpRequest, name: str) -> str:
    return parse_qs(request.query)[name][0]


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_botocore_signed_request_verifies(example: Example) -> None:
    """A request botocore signs verifies [sign]."""
    request = boto_signed(example)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.access_key_id == example.credentials.access_key_id
    assert verified.session_token == example.credentials.session_token
    assert (verified.region, verified.service) == (example.region, example.service)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_signer_reproduces_botocore_signature(example: Example) -> None:
    """Signing what botocore signs gives botocore's signature [sign]."""
    expected = boto_signed(example)
    signed_headers = expected.header_values("authorization")[0]
    names = signed_headers.split("SignedHeaders=")[1].split(",")[0].split(";")

    ours = sign_request(
        unsigned(example),
        example.credentials,
        region=example.region,
        service=example.service,
        now=NOW,
        signed_headers=names,
    )

    assert ours.request.header_values("authorization") == [signed_headers]


@pytest.mark.parametrize("example", PRESIGNABLE, ids=PRESIGN_IDS)
def test_botocore_presigned_url_verifies(example: Example) -> None:
    """A URL botocore presigns verifies [s3-presign]."""
    request = boto_presigned(example)

    verified = verify_request(request, SECRETS.get, NOW)

    assert verified.presigned
    assert verified.session_token == example.credentials.session_token


@pytest.mark.parametrize("example", PRESIGNABLE, ids=PRESIGN_IDS)
def test_presigner_reproduces_botocore_signature(example: Example) -> None:
    """Presigning what botocore presigns gives its X-Amz-Signature [s3-presign]."""
    expected = boto_presigned(example)
    names = query_value(expected, "X-Amz-SignedHeaders").split(";")

    ours = presign_request(
        unsigned(example),
        example.credentials,
        region=example.region,
        service=example.service,
        now=NOW,
        expires_in=900,
        signed_headers=names,
    )

    assert query_value(ours.request, "X-Amz-Signature") == query_value(
        expected, "X-Amz-Signature"
    )
