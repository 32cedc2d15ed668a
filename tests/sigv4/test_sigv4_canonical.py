"""Canonical-request rules and signer options the test suite does not reach.

Pages cited in test docstrings:

- [sign] IAM User Guide, "Create a signed AWS API request",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
- [s3-header] Amazon S3 API Reference, "Signature Calculations for the
  Authorization Header",
  https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
- [s3-presign] Amazon S3 API Reference, "Authenticating Requests: Using Query
  Parameters (AWS Signature Version 4)",
  https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from iamsim.sigv4 import (
    UNSIGNED_PAYLOAD,
    Credentials,
    HttpRequest,
    canonical_headers,
    canonical_query,
    canonical_uri,
    presign_request,
    sign_request,
    uri_encode,
)

NOW = datetime(2024, 1, 15, 12, 36, tzinfo=UTC)
KEY = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
GET = HttpRequest("GET", "/", headers=[("Host", "iam.amazonaws.com")])


def test_uri_encoding_keeps_only_unreserved_characters() -> None:
    """Only A-Z, a-z, 0-9, '-', '.', '_' and '~' stay unencoded [sign]."""
    encoded = uri_encode("aZ09-._~ /+=*é")

    assert encoded == "aZ09-._~%20%2F%2B%3D%2A%C3%A9"


def test_path_is_encoded_again_outside_s3() -> None:
    """Services other than S3 encode the already-encoded path a second time [sign]."""
    assert canonical_uri("/documents%20and%20settings/") == (
        "/documents%2520and%2520settings/"
    )


def test_s3_path_is_encoded_once() -> None:
    """S3 encodes the object key once, decoding any escapes first [s3-header]."""
    assert canonical_uri("/bucket/a%20b c", s3=True) == "/bucket/a%20b%20c"


def test_s3_path_keeps_repeated_slashes_and_dots() -> None:
    """S3 never normalizes: my-object//example//photo.user stays [s3-header]."""
    path = "/my-object//example//./photo.user"

    assert canonical_uri(path, s3=True) == path


def test_dot_segments_leave_the_named_directory() -> None:
    """Paths are normalized as RFC 3986 removes dot segments [sign]."""
    assert canonical_uri("/a/b/../c/./d/..") == "/a/c/"


def test_empty_path_is_slash() -> None:
    """An empty absolute path is '/' [sign]."""
    assert canonical_uri("") == "/"


def test_query_plus_is_a_space() -> None:
    """A '+' in the query is a form-encoded space and re-encodes as %20 [sign]."""
    assert canonical_query("q=a+b&r=a%2Bb") == "q=a%20b&r=a%2Bb"


def test_query_parameter_without_value_gets_empty_value() -> None:
    """A parameter with no value is written name= [sign]."""
    assert canonical_query("acl&b=") == "acl=&b="


def test_query_sorts_by_name_then_value() -> None:
    """Parameters sort by encoded name, then by value [sign]."""
    assert canonical_query("b=2&a=z&a=y&A=1") == "A=1&a=y&a=z&b=2"


def test_header_whitespace_runs_collapse_to_one_space() -> None:
    """Values are trimmed and whitespace runs become one space [sign]."""
    request = HttpRequest("GET", "/", headers=[("X-A", " \t a \t b\r\n  c  ")])

    assert canonical_headers(request, ["x-a"]) == "x-a:a b c\n"


def test_request_headers_accept_a_list_and_stay_immutable() -> None:
    """Headers given as a list are stored as a tuple, keeping duplicates [sign]."""
    request = HttpRequest("GET", "/", headers=[("A", "1"), ("a", "2")])

    assert request.headers == (("A", "1"), ("a", "2"))
    assert hash(request) == hash(HttpRequest("GET", "/", headers=request.headers))


def test_explicit_signed_headers_always_include_host_and_amz_headers() -> None:
    """Host and every x-amz-* header must be signed [sign]."""
    request = GET.with_header("X-Amz-Target", "Op").with_header("X-Other", "1")

    signed = sign_request(
        request, KEY, region="us-east-1", service="iam", now=NOW, signed_headers=[]
    )

    assert signed.trace.signed_headers == ("host", "x-amz-date", "x-amz-target")


def test_default_signing_skips_hop_by_hop_headers() -> None:
    """Headers rewritten in transit, such as User-Agent, are not signed [sign]."""
    request = GET.with_header("User-Agent", "x").with_header("Connection", "close")

    signed = sign_request(request, KEY, region="us-east-1", service="iam", now=NOW)

    assert signed.trace.signed_headers == ("host", "x-amz-date")


def test_s3_signing_declares_the_payload_hash() -> None:
    """S3 requests carry and sign x-amz-content-sha256 [s3-header]."""
    signed = sign_request(GET, KEY, region="us-east-1", service="s3", now=NOW)

    assert signed.request.header_values("x-amz-content-sha256") == [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    ]
    assert "x-amz-content-sha256" in signed.trace.signed_headers


def test_s3_presigning_signs_unsigned_payload() -> None:
    """A presigned S3 URL signs UNSIGNED-PAYLOAD, not the body hash [s3-presign]."""
    signed = presign_request(GET, KEY, region="us-east-1", service="s3", now=NOW)

    assert signed.trace.canonical_request.endswith(f"\n{UNSIGNED_PAYLOAD}")


def test_presigned_signature_comes_last_in_the_query() -> None:
    """X-Amz-Signature is appended after the signed parameters [s3-presign]."""
    request = GET.with_query("Action=ListUsers")

    signed = presign_request(request, KEY, region="us-east-1", service="iam", now=NOW)

    assert signed.request.query.startswith("Action=ListUsers&X-Amz-Algorithm=")
    assert signed.request.query.endswith(f"&X-Amz-Signature={signed.trace.signature}")


@pytest.mark.parametrize("seconds", [0, 604_801])
def test_presigning_refuses_expiry_outside_a_week(seconds: int) -> None:
    """X-Amz-Expires runs from 1 second to 604800 (7 days) [s3-presign]."""
    with pytest.raises(ValueError, match="expires_in"):
        presign_request(
            GET, KEY, region="us-east-1", service="iam", now=NOW, expires_in=seconds
        )


def test_signing_refuses_a_request_without_host() -> None:
    """SigV4 must sign Host, so a request without one cannot be signed [sign]."""
    with pytest.raises(ValueError, match="Host"):
        sign_request(
            HttpRequest("GET", "/"), KEY, region="us-east-1", service="iam", now=NOW
        )
