"""GetCallerIdentity reports who is calling, and no policy can stop it.

Pages cited: [gci] STS API Reference, "GetCallerIdentity"; [compare] IAM
User Guide, "Compare AWS STS credentials" (no permission is required, an
explicit deny does not apply); [vars] IAM User Guide, "IAM policy
elements: Variables and tags" (UserId per caller).
"""

from __future__ import annotations

from tests.sts.shared import (
    ALICE,
    DEV,
    MALLORY,
    MALLORY_KEY,
    OPS,
    FakeBackend,
    assume,
    caller,
    invoke,
    session_caller,
)

from iamsim.services.api import Caller


def test_user_sees_its_arn_account_and_unique_id(
    backend: FakeBackend, alice: Caller
) -> None:
    """An IAM user gets its ARN, account and AIDA id [gci][vars]."""
    result = invoke(backend, alice, "GetCallerIdentity")

    assert result == {
        "UserId": alice.user_id,
        "Account": "111111111111",
        "Arn": ALICE,
    }


def test_root_user_sees_the_root_arn(backend: FakeBackend, root: Caller) -> None:
    """The root user's UserId is the account id [gci][vars]."""
    result = invoke(backend, root, "GetCallerIdentity")

    assert result["Arn"] == "arn:aws:iam::111111111111:root"
    assert result["UserId"] == "111111111111"


def test_role_session_sees_the_session_arn_without_role_path(
    backend: FakeBackend, alice: Caller
) -> None:
    """An assumed-role ARN names the role without its path [gci]."""
    dev = session_caller(backend, assume(backend, alice, DEV, "dev"))
    ops = session_caller(backend, assume(backend, dev, OPS, "chain"))

    result = invoke(backend, ops, "GetCallerIdentity")

    assert result["Arn"] == "arn:aws:sts::111111111111:assumed-role/Ops/chain"
    assert result["UserId"].endswith(":chain")


def test_explicit_deny_does_not_stop_get_caller_identity(
    backend: FakeBackend,
) -> None:
    """A user denied every sts action still learns who it is [compare]."""
    mallory = caller(backend, MALLORY_KEY)

    result = invoke(backend, mallory, "GetCallerIdentity")

    assert result["Arn"] == MALLORY
    assert backend.authorized == []
