"""Session tokens are opaque, tamper-evident, bound to their key and expire.

Pages cited: [request] IAM User Guide, "Requesting temporary security
credentials" (token size not fixed, typically under 4096 bytes); [errors]
AWS API references, "Common Errors" (ExpiredToken and InvalidClientTokenId,
HTTP 403).
"""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from tests.sts.shared import NOW, SERVER_KEY, fixed_bytes

from iamsim.sts import keys
from iamsim.sts.errors import (
    EXPIRED_TOKEN_MESSAGE,
    INVALID_TOKEN_MESSAGE,
    CredentialsRejected,
)
from iamsim.sts.token import HEADER, NONCE_BYTES, TAG_BYTES, open_token, seal_token

KEY_ID = keys.temporary_key_id("123456789012", fixed_bytes(7))
CLAIMS = {"k": "assumed-role", "a": "arn:aws:sts::123456789012:assumed-role/R/s"}
EXPIRES = NOW + timedelta(hours=1)


def _token() -> str:
    return seal_token(SERVER_KEY, KEY_ID, CLAIMS, EXPIRES)


def _rejected(token: str, key_id: str = KEY_ID, server_key: bytes = SERVER_KEY) -> str:
    with pytest.raises(CredentialsRejected) as caught:
        open_token(server_key, key_id, token, NOW)
    return caught.value.code


def _flip(token: str, index: int) -> str:
    raw = bytearray(base64.b64decode(token))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_token_opens_to_the_claims_it_was_sealed_with() -> None:
    """A token carries the whole session, so the server stores nothing [request]."""
    claims = open_token(SERVER_KEY, KEY_ID, _token(), NOW)

    assert claims["k"] == "assumed-role"
    assert claims["a"] == CLAIMS["a"]
    assert claims["exp"] == int(EXPIRES.timestamp())


def test_token_is_base64_of_a_few_hundred_characters() -> None:
    """Tokens are base64 text of AWS-like size, under 4096 bytes [request]."""
    token = _token()

    assert 400 <= len(token) < 4096
    assert base64.b64encode(base64.b64decode(token)).decode() == token


def test_token_contents_are_not_readable() -> None:
    """The claims are encrypted, not merely encoded [request]."""
    raw = base64.b64decode(_token())

    assert b"assumed-role" not in raw


def test_same_claims_seal_to_different_tokens() -> None:
    """Each token has its own random nonce [request]."""
    assert _token() != _token()


@pytest.mark.parametrize(
    ("region", "index"),
    [
        ("header", 0),
        ("version", len(HEADER) - 1),
        ("nonce", len(HEADER)),
        ("ciphertext", len(HEADER) + NONCE_BYTES + 5),
        ("tag", -TAG_BYTES),
        ("last byte", -1),
    ],
)
def test_token_altered_in_any_region_is_invalid(region: str, index: int) -> None:
    """A flipped bit anywhere gives InvalidClientTokenId [errors]."""
    token = _token()
    position = index % len(base64.b64decode(token))

    assert _rejected(_flip(token, position)) == "InvalidClientTokenId"


def test_token_altered_at_any_byte_is_invalid() -> None:
    """Every single-bit change of the decoded token is detected [errors]."""
    token = _token()
    length = len(base64.b64decode(token))

    codes = {_rejected(_flip(token, index)) for index in range(length)}

    assert codes == {"InvalidClientTokenId"}


def test_token_altered_at_any_character_is_invalid() -> None:
    """Changing any character of the text, padding included, is detected [errors]."""
    token = _token()

    for index, char in enumerate(token):
        replacement = "A" if char != "A" else "B"
        altered = token[:index] + replacement + token[index + 1 :]
        assert _rejected(altered) == "InvalidClientTokenId", index


@pytest.mark.parametrize("cut", [1, 4, 40])
def test_truncated_token_is_invalid(cut: int) -> None:
    """A token missing its end is refused [errors]."""
    assert _rejected(_token()[:-cut]) == "InvalidClientTokenId"


@pytest.mark.parametrize("text", ["", "not base64!", "AAAA", "IQoB"])
def test_garbage_token_is_invalid(text: str) -> None:
    """Text that is no token is refused as invalid, not as an error [errors]."""
    assert _rejected(text) == "InvalidClientTokenId"


def test_token_used_with_another_access_key_is_invalid() -> None:
    """A token is bound to the access key id it was issued with [errors]."""
    other = keys.temporary_key_id("123456789012", fixed_bytes(8))

    assert _rejected(_token(), key_id=other) == "InvalidClientTokenId"


def test_token_from_another_server_is_invalid() -> None:
    """Only the server key that sealed a token opens it [errors]."""
    assert _rejected(_token(), server_key=b"another server") == "InvalidClientTokenId"


def test_invalid_token_carries_aws_message_and_status() -> None:
    """InvalidClientTokenId is HTTP 403 with AWS's message [errors]."""
    with pytest.raises(CredentialsRejected) as caught:
        open_token(SERVER_KEY, KEY_ID, "AAAA", NOW)

    assert caught.value.status == 403
    assert caught.value.message == INVALID_TOKEN_MESSAGE


def test_token_is_expired_at_its_expiration() -> None:
    """At the expiration instant the token gives ExpiredToken, HTTP 403 [errors]."""
    with pytest.raises(CredentialsRejected) as caught:
        open_token(SERVER_KEY, KEY_ID, _token(), EXPIRES)

    assert caught.value.code == "ExpiredToken"
    assert caught.value.status == 403
    assert caught.value.message == EXPIRED_TOKEN_MESSAGE


def test_token_is_valid_until_its_last_second() -> None:
    """One second before expiration the token still opens [errors]."""
    claims = open_token(SERVER_KEY, KEY_ID, _token(), EXPIRES - timedelta(seconds=1))

    assert claims["k"] == "assumed-role"
