"""Verified credentials become the caller they speak for, or are refused.

Pages cited: [ids] IAM User Guide, "IAM identifiers" (ARNs and unique ids);
[vars] IAM User Guide, "IAM policy elements: Variables and tags" (the
``aws:userid`` value per caller); [errors] AWS API references, "Common
Errors" (InvalidClientTokenId, ExpiredToken); [info] STS API Reference,
"GetAccessKeyInfo" (AKIA and ASIA ids).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from tests.sts.shared import (
    ALICE,
    ALICE_KEY,
    DEV,
    INACTIVE_KEY,
    NOW,
    ROOT_A,
    ROOT_KEY,
    FakeBackend,
    assume,
    caller,
    fixed_bytes,
    invoke,
    session_caller,
)

from iamsim.services.api import Caller, ServiceError
from iamsim.services.sts import resolve_caller, secret_for
from iamsim.sts import keys
from iamsim.world.model import World


def _code(
    backend: FakeBackend, key: str, token: str | None, now: datetime = NOW
) -> str:
    with pytest.raises(ServiceError) as caught:
        resolve_caller(backend, key, token, now)
    assert caught.value.status == 403
    return caught.value.code


def test_user_key_resolves_to_the_user(backend: FakeBackend) -> None:
    """An IAM user's key speaks as the user, with its AIDA unique id [ids][vars]."""
    who = caller(backend, ALICE_KEY)

    assert who.arn == ALICE
    assert who.account == "111111111111"
    assert who.user_id.startswith("AIDA")
    assert who.session is None


def test_root_key_resolves_to_the_root_user(backend: FakeBackend) -> None:
    """A root key speaks as the account, whose userid is the account id [vars]."""
    who = caller(backend, ROOT_KEY)

    assert who.arn == ROOT_A
    assert who.user_id == "111111111111"


def test_inactive_key_is_invalid(backend: FakeBackend) -> None:
    """An Inactive access key cannot sign requests [errors]."""
    assert _code(backend, INACTIVE_KEY, None) == "InvalidClientTokenId"


def test_unknown_long_term_key_is_invalid(backend: FakeBackend) -> None:
    """A key id the store does not hold is refused [errors]."""
    unknown = keys.long_term_key_id("111111111111", fixed_bytes(99))

    assert _code(backend, unknown, None) == "InvalidClientTokenId"


def test_long_term_key_with_a_session_token_is_invalid(
    backend: FakeBackend, alice: Caller
) -> None:
    """A session token belongs with an ASIA key, never an AKIA one [info]."""
    token = assume(backend, alice, DEV)["Credentials"]["SessionToken"]

    assert _code(backend, ALICE_KEY, token) == "InvalidClientTokenId"


def test_temporary_key_without_its_token_is_invalid(
    backend: FakeBackend, alice: Caller
) -> None:
    """Temporary credentials need their session token [info]."""
    key = assume(backend, alice, DEV)["Credentials"]["AccessKeyId"]

    assert _code(backend, key, None) == "InvalidClientTokenId"


def test_token_of_another_session_is_invalid(
    backend: FakeBackend, alice: Caller
) -> None:
    """A session token works only with the key id issued alongside it [errors]."""
    first = assume(backend, alice, DEV, "one")["Credentials"]
    second = assume(backend, alice, DEV, "two")["Credentials"]

    code = _code(backend, first["AccessKeyId"], second["SessionToken"])

    assert code == "InvalidClientTokenId"


def test_expired_session_is_refused_as_expired(
    backend: FakeBackend, alice: Caller
) -> None:
    """Past its expiration a session gives ExpiredToken [errors]."""
    credentials = assume(backend, alice, DEV)["Credentials"]
    later = NOW + timedelta(hours=1)

    code = _code(
        backend, credentials["AccessKeyId"], credentials["SessionToken"], later
    )

    assert code == "ExpiredToken"


def test_role_session_resolves_with_role_id_and_session_name(
    backend: FakeBackend, alice: Caller
) -> None:
    """A role session's userid is the role's AROA id, a colon and the session [vars]."""
    who = session_caller(backend, assume(backend, alice, DEV, "s1"))

    assert who.arn == "arn:aws:sts::111111111111:assumed-role/Dev/s1"
    assert who.user_id.startswith("AROA")
    assert who.user_id.endswith(":s1")
    assert who.session is not None and who.session.role_arn == DEV


def test_federated_user_resolves_with_account_and_name(
    backend: FakeBackend, alice: Caller
) -> None:
    """A federated user's userid is ACCOUNT:NAME [vars]."""
    result = invoke(backend, alice, "GetFederationToken", {"Name": "jane"})

    who = session_caller(backend, result)

    assert who.arn == "arn:aws:sts::111111111111:federated-user/jane"
    assert who.user_id == "111111111111:jane"


def test_session_token_credentials_keep_the_user_identity(
    backend: FakeBackend, alice: Caller
) -> None:
    """GetSessionToken credentials act as the user that got them [vars]."""
    who = session_caller(backend, invoke(backend, alice, "GetSessionToken"))

    assert (who.arn, who.user_id) == (alice.arn, alice.user_id)
    assert who.access_key_id.startswith("ASIA")


def test_session_of_a_deleted_role_is_invalid(
    backend: FakeBackend, alice: Caller
) -> None:
    """Once its role is gone a role session no longer authenticates [errors].

    AWS documents no error for this case; iamsim pins InvalidClientTokenId.
    """
    credentials = assume(backend, alice, DEV)["Credentials"]
    world = backend.world()
    account = world.accounts["111111111111"]
    roles = {name: role for name, role in account.roles.items() if name != "Dev"}
    accounts = {**world.accounts, account.id: dataclasses.replace(account, roles=roles)}
    later = FakeBackend(World(accounts, world.organization, world.policies))

    code = _code(later, credentials["AccessKeyId"], credentials["SessionToken"])

    assert code == "InvalidClientTokenId"


def test_secret_for_long_term_key_is_the_stored_secret(backend: FakeBackend) -> None:
    """The SigV4 verifier gets a long-term key's secret from the store [info]."""
    assert secret_for(backend, ALICE_KEY) == "alice-secret"


def test_secret_for_temporary_key_is_the_issued_secret(
    backend: FakeBackend, alice: Caller
) -> None:
    """The verifier derives the same secret AssumeRole handed out [info]."""
    credentials = assume(backend, alice, DEV)["Credentials"]

    secret = secret_for(backend, credentials["AccessKeyId"])

    assert secret == credentials["SecretAccessKey"]


@pytest.mark.parametrize("key", ["AIDAQXVNOVK6KH6TDYSCN", "AKIAQXVNOVK6KH6TDYSC"])
def test_secret_for_unknown_key_is_none(backend: FakeBackend, key: str) -> None:
    """Unknown long-term keys and non-key ids have no secret [info]."""
    assert secret_for(backend, key) is None
