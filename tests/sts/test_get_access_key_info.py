"""GetAccessKeyInfo names the account an access key id belongs to.

Pages cited: [info] STS API Reference, "GetAccessKeyInfo" (AKIA and ASIA
ids, the state of the key is not checked); [compare] IAM User Guide,
"Compare AWS STS credentials" (which credentials may call STS).
"""

from __future__ import annotations

from tests.sts.shared import (
    ALICE_KEY,
    INACTIVE_KEY,
    SHARED,
    FakeBackend,
    assume,
    fixed_bytes,
    invoke,
    refused,
    session_caller,
)

from iamsim.services.api import Caller
from iamsim.sts import keys


def _account(backend: FakeBackend, who: Caller, key_id: str) -> str:
    result = invoke(backend, who, "GetAccessKeyInfo", {"AccessKeyId": key_id})
    return str(result["Account"])


def test_own_long_term_key_belongs_to_its_account(
    backend: FakeBackend, alice: Caller
) -> None:
    """An AKIA key's account is the account of its user [info]."""
    assert _account(backend, alice, ALICE_KEY) == "111111111111"


def test_inactive_key_still_reports_its_account(
    backend: FakeBackend, alice: Caller
) -> None:
    """The operation does not look at the key's state [info]."""
    assert _account(backend, alice, INACTIVE_KEY) == "111111111111"


def test_temporary_key_belongs_to_the_role_account(
    backend: FakeBackend, alice: Caller
) -> None:
    """An ASIA key of a cross-account role session belongs to the role's account [info]."""
    key_id = assume(backend, alice, SHARED)["Credentials"]["AccessKeyId"]

    assert _account(backend, alice, key_id) == "222222222222"


def test_key_unknown_to_the_store_is_decoded_from_its_id(
    backend: FakeBackend, alice: Caller
) -> None:
    """A key of another account need not be known to be attributed [info]."""
    key_id = keys.long_term_key_id("444455556666", fixed_bytes(9))

    assert _account(backend, alice, key_id) == "444455556666"


def test_unknown_key_without_an_account_is_refused(
    backend: FakeBackend, alice: Caller
) -> None:
    """An old-format id nobody holds cannot be attributed [info].

    AWS does not document this error; iamsim pins InvalidParameterValue.
    """
    params = {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE"}

    error = refused(backend, alice, "GetAccessKeyInfo", params)

    assert error.code == "InvalidParameterValue"


def test_access_key_id_shorter_than_sixteen_is_a_validation_error(
    backend: FakeBackend, alice: Caller
) -> None:
    """AccessKeyId is 16 to 128 word characters [info]."""
    error = refused(backend, alice, "GetAccessKeyInfo", {"AccessKeyId": "AKIA123"})

    assert error.code == "ValidationError"
    assert "at 'accessKeyId'" in error.message


def test_caller_needs_permission_for_get_access_key_info(
    backend: FakeBackend, bob: Caller
) -> None:
    """sts:GetAccessKeyInfo must be allowed for the caller [info]."""
    error = refused(backend, bob, "GetAccessKeyInfo", {"AccessKeyId": ALICE_KEY})

    assert error.code == "AccessDenied"
    assert "sts:GetAccessKeyInfo" in error.message


def test_session_token_credentials_cannot_read_key_info(
    backend: FakeBackend, alice: Caller
) -> None:
    """GetSessionToken credentials call only AssumeRole and GetCallerIdentity [compare]."""
    session = session_caller(backend, invoke(backend, alice, "GetSessionToken"))

    error = refused(backend, session, "GetAccessKeyInfo", {"AccessKeyId": ALICE_KEY})

    assert error.code == "AccessDenied"
