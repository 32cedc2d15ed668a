"""AWS's published Signature Version 4 test suite, run case by case.

Pages cited in test docstrings:

- [suite] AWS General Reference, "Signature Version 4 test suite"
- [sign] IAM User Guide, "Create a signed AWS API request",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
- [sts-errors] AWS STS API Reference, "Common Errors",
  https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html

Each case folder holds a request (``.req``), its canonical request (``.creq``),
string to sign (``.sts``), Authorization header (``.authz``) and signed request
(``.sreq``); see /work/shared/sigv4-testsuite/README.md. Every case is signed
with the suite's fixed example key, region, service and time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from iamsim.sigv4 import (
    Credentials,
    HttpRequest,
    SignatureDoesNotMatch,
    SignedRequest,
    sign_request,
    verify_request,
)

SUITE = Path("/work/shared/sigv4-testsuite")
KEY = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
REGION = "us-east-1"
SERVICE = "service"
SIGNED_AT = datetime(2015, 8, 30, 12, 36, tzinfo=UTC)

# The published .sreq of this case carries get-vanilla's signature, not the one
# its own .creq, .sts and .authz lead to; its .authz is the consistent value.
SREQ_DEFECTS = frozenset({"get-vanilla-with-session-token"})


@dataclass(frozen=True)
class Case:
    """One folder of the suite."""

    folder: Path

    @property
    def name(self) -> str:
        return self.folder.name

    def text(self, suffix: str) -> str:
        return (self.folder / f"{self.name}.{suffix}").read_text(encoding="utf-8")

    def request(self, suffix: str) -> HttpRequest:
        return parse_http(self.text(suffix))


def parse_http(text: str) -> HttpRequest:
    """Read a suite request: request line, folded headers, blank line, body."""
    head, _, body = text.partition("\n\n")
    lines = [line for line in head.split("\n") if line]
    method, _, rest = lines[0].partition(" ")
    target = rest.rsplit(" ", 1)[0]
    path, _, query = target.partition("?")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[0] in " \t":
            name, value = headers[-1]
            headers[-1] = (name, f"{value}\n{line}")
        else:
            name, _, value = line.partition(":")
            headers.append((name, value))
    return HttpRequest(method, path, query, headers, body.encode("utf-8"))


def signed_header_names(authorization: str) -> list[str]:
    match = re.search(r"SignedHeaders=([^,]+)", authorization)
    assert match is not None
    return match.group(1).split(";")


def sign_case(case: Case) -> SignedRequest:
    """Sign the case's .req the way its .sreq shows it was signed."""
    request = case.request("req")
    token = case.request("sreq").header_values("x-amz-security-token")
    credentials = KEY
    sign_token = True
    if token and not request.has_header("x-amz-security-token"):
        credentials = Credentials(KEY.access_key_id, KEY.secret_access_key, token[0])
        sign_token = "x-amz-security-token" in signed_header_names(case.text("authz"))
    return sign_request(
        request,
        credentials,
        region=REGION,
        service=SERVICE,
        now=SIGNED_AT,
        sign_session_token=sign_token,
    )


def signed_request(case: Case) -> HttpRequest:
    """The case's .sreq, with its .authz where the published .sreq is wrong."""
    request = case.request("sreq")
    if case.name in SREQ_DEFECTS:
        return request.with_header("Authorization", case.text("authz").strip())
    return request


def stripped_headers(request: HttpRequest) -> list[tuple[str, str]]:
    """Headers with the optional whitespace around each value removed."""
    return [(name, value.strip()) for name, value in request.headers]


def lookup(access_key_id: str) -> str | None:
    return KEY.secret_access_key if access_key_id == KEY.access_key_id else None


CASES = sorted(
    (Case(path.parent) for path in SUITE.rglob("*.req")), key=lambda c: c.name
)
IDS = [case.name for case in CASES]


def test_suite_has_every_published_case() -> None:
    """The suite holds all 34 published request cases [suite]."""
    assert len(CASES) == 34


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_canonical_request_matches_suite(case: Case) -> None:
    """The canonical request is AWS's, byte for byte [sign] [suite]."""
    signed = sign_case(case)

    assert signed.trace.canonical_request == case.text("creq")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_string_to_sign_matches_suite(case: Case) -> None:
    """The string to sign is AWS's, byte for byte [sign] [suite]."""
    signed = sign_case(case)

    assert signed.trace.string_to_sign == case.text("sts")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_authorization_header_matches_suite(case: Case) -> None:
    """The Authorization header is AWS's, byte for byte [sign] [suite]."""
    signed = sign_case(case)

    assert signed.request.header_values("authorization") == [case.text("authz").strip()]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_signed_request_carries_suite_headers(case: Case) -> None:
    """Signing adds exactly the headers of the suite's signed request [suite]."""
    expected = stripped_headers(signed_request(case))

    signed = sign_case(case)

    assert stripped_headers(signed.request) == expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_verifier_accepts_suite_signed_request(case: Case) -> None:
    """Each signed request verifies, as AWS repeats the calculation [sign]."""
    request = signed_request(case)

    verified = verify_request(request, lookup, SIGNED_AT)

    assert verified.access_key_id == "AKIDEXAMPLE"
    assert verified.signed_headers == tuple(signed_header_names(case.text("authz")))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_verifier_rejects_one_changed_signature_byte(case: Case) -> None:
    """A signature off by one hex digit is refused [sts-errors]."""
    request = signed_request(case)
    authorization = request.header_values("authorization")[0]
    flipped = "0" if authorization[-1] != "0" else "1"
    tampered = request.with_header("Authorization", authorization[:-1] + flipped)

    with pytest.raises(SignatureDoesNotMatch):
        verify_request(tampered, lookup, SIGNED_AT)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_verifier_rejects_one_changed_signed_header_byte(case: Case) -> None:
    """One changed byte of a signed header breaks the signature [sign]."""
    request = signed_request(case)
    name = next(
        header
        for header in signed_header_names(case.text("authz"))
        if header != "x-amz-date"
    )
    value = request.header_values(name)[0]
    changed = value[:-1] + ("x" if value[-1] != "x" else "y")

    with pytest.raises(SignatureDoesNotMatch):
        verify_request(request.with_header(name, changed), lookup, SIGNED_AT)


def test_published_session_token_sreq_carries_another_cases_signature() -> None:
    """The suite's session-token .sreq reuses get-vanilla's signature [suite]."""
    case = next(case for case in CASES if case.name in SREQ_DEFECTS)
    vanilla = next(case for case in CASES if case.name == "get-vanilla")
    published = case.request("sreq")

    assert published.header_values("authorization")[0].endswith(
        vanilla.text("authz").strip()[-64:]
    )
    with pytest.raises(SignatureDoesNotMatch):
        verify_request(published, lookup, SIGNED_AT)
