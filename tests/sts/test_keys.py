"""Access key ids, secrets and derived temporary secrets look like AWS's.

Pages cited: [keys] IAM User Guide, "Manage access keys for IAM users"
(key id and secret shapes); [info] STS API Reference, "GetAccessKeyInfo"
(AKIA long-term, ASIA temporary, the account is recoverable from the id).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sts.shared import SERVER_KEY, fixed_bytes

from iamsim.sts import keys

_SHAPE = re.compile(r"^(AKIA|ASIA)[A-Z2-7]{16}$")


def test_long_term_key_id_has_akia_prefix_and_twenty_characters() -> None:
    """A long-term key id is AKIA and 16 base32 characters [keys][info]."""
    key_id = keys.long_term_key_id("123456789012")

    assert _SHAPE.match(key_id)
    assert key_id.startswith("AKIA")


def test_temporary_key_id_has_asia_prefix() -> None:
    """A temporary key id begins with ASIA [info]."""
    key_id = keys.temporary_key_id("123456789012")

    assert _SHAPE.match(key_id)
    assert key_id.startswith("ASIA")


@pytest.mark.parametrize("account", ["000000000000", "123456789012", "999999999999"])
def test_account_is_recovered_from_generated_key_id(account: str) -> None:
    """GetAccessKeyInfo can tell the account from the key id alone [info]."""
    key_id = keys.temporary_key_id(account, fixed_bytes(0xFF))

    assert keys.account_from_access_key_id(key_id) == account


@given(
    account=st.integers(min_value=0, max_value=999_999_999_999),
    noise=st.binary(min_size=5, max_size=5),
)
def test_account_round_trips_whatever_the_random_part(
    account: int, noise: bytes
) -> None:
    """The random bits of an id never disturb the account it encodes [info]."""
    text = f"{account:012d}"

    key_id = keys.long_term_key_id(text, lambda _: noise)

    assert keys.account_from_access_key_id(key_id) == text


def test_old_format_key_id_carries_no_account() -> None:
    """The documentation's AKIAIOSFODNN7EXAMPLE predates the account layout [keys]."""
    assert keys.account_from_access_key_id("AKIAIOSFODNN7EXAMPLE") is None


@pytest.mark.parametrize(
    "text", ["AKIA", "AIDAQXVNOVK6KH6TDYSC", "AKIAQXVNOVK6KH6TDYS1"]
)
def test_text_that_is_not_a_key_id_decodes_to_none(text: str) -> None:
    """Only AKIA/ASIA ids of 20 base32 characters carry an account [info]."""
    assert keys.account_from_access_key_id(text) is None


def test_secret_access_key_is_forty_base64_characters() -> None:
    """A secret is 40 characters like wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY [keys]."""
    secret = keys.secret_access_key()

    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", secret)


def test_temporary_secret_is_derived_the_same_way_each_time() -> None:
    """The server recomputes a temporary secret instead of storing it [keys]."""
    key_id = keys.temporary_key_id("123456789012")

    first = keys.temporary_secret(SERVER_KEY, key_id)
    second = keys.temporary_secret(SERVER_KEY, key_id)

    assert first == second
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", first)


def test_temporary_secret_depends_on_key_id_and_server_key() -> None:
    """Another key id or another server derives an unrelated secret [keys]."""
    key_id = keys.temporary_key_id("123456789012", fixed_bytes(1))
    other_id = keys.temporary_key_id("123456789012", fixed_bytes(2))

    secret = keys.temporary_secret(SERVER_KEY, key_id)

    assert secret != keys.temporary_secret(SERVER_KEY, other_id)
    assert secret != keys.temporary_secret(b"another server key", key_id)
