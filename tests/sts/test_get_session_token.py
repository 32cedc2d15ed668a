"""GetSessionToken gives users and the root user temporary credentials.

Pages cited: [gst] STS API Reference, "GetSessionToken" (duration 900 to
129,600 seconds, 43,200 by default; root at most one hour); [compare] IAM
User Guide, "Compare AWS STS credentials" (who may call it, what its
credentials may call); [perm] IAM User Guide, "Permissions for
GetSessionToken" (no permission needed, policies cannot control it).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.sts.shared import (
    DEV,
    MALLORY_KEY,
    NOW,
    FakeBackend,
    assume,
    caller,
    invoke,
    refused,
    session_caller,
)

from iamsim.errors import Unsupported
from iamsim.services.api import Caller


def _lifetime(result: dict[str, object]) -> timedelta:
    credentials = result["Credentials"]
    assert isinstance(credentials, dict)
    expiration = credentials["Expiration"]
    assert isinstance(expiration, type(NOW))
    return expiration - NOW


def test_user_session_lasts_twelve_hours_by_default(
    backend: FakeBackend, alice: Caller
) -> None:
    """Without DurationSeconds an IAM user's session lasts 43,200 s [gst]."""
    result = invoke(backend, alice, "GetSessionToken")

    assert _lifetime(result) == timedelta(hours=12)
    assert result["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_user_may_ask_for_thirty_six_hours(backend: FakeBackend, alice: Caller) -> None:
    """129,600 s is the longest session an IAM user may request [gst]."""
    result = invoke(backend, alice, "GetSessionToken", {"DurationSeconds": 129_600})

    assert _lifetime(result) == timedelta(hours=36)


def test_root_session_lasts_one_hour_by_default(
    backend: FakeBackend, root: Caller
) -> None:
    """The root user's session defaults to 3,600 s [gst]."""
    result = invoke(backend, root, "GetSessionToken")

    assert _lifetime(result) == timedelta(hours=1)


def test_root_request_above_one_hour_is_cut_to_one_hour(
    backend: FakeBackend, root: Caller
) -> None:
    """A longer root request is cut to one hour, not refused [gst]."""
    result = invoke(backend, root, "GetSessionToken", {"DurationSeconds": 7200})

    assert _lifetime(result) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("seconds", "rule"),
    [
        (899, "Member must have value greater than or equal to 900"),
        (129_601, "Member must have value less than or equal to 129600"),
    ],
)
def test_duration_outside_range_is_a_validation_error(
    backend: FakeBackend, alice: Caller, seconds: int, rule: str
) -> None:
    """DurationSeconds is 900 to 129,600 [gst]."""
    error = refused(backend, alice, "GetSessionToken", {"DurationSeconds": seconds})

    assert error.code == "ValidationError"
    assert error.message == (
        f"1 validation error detected: Value '{seconds}' at 'durationSeconds' "
        f"failed to satisfy constraint: {rule}"
    )


def test_role_session_cannot_get_a_session_token(
    backend: FakeBackend, alice: Caller
) -> None:
    """A role session is refused with AWS's message [compare]."""
    session = session_caller(backend, assume(backend, alice, DEV))

    error = refused(backend, session, "GetSessionToken")

    assert error.code == "AccessDenied"
    assert error.status == 403
    assert error.message == "Cannot call GetSessionToken with session credentials"


def test_session_token_credentials_cannot_get_another(
    backend: FakeBackend, alice: Caller
) -> None:
    """GetSessionToken credentials call no STS operation but two [compare]."""
    session = session_caller(backend, invoke(backend, alice, "GetSessionToken"))

    error = refused(backend, session, "GetSessionToken")

    assert error.message == "Cannot call GetSessionToken with session credentials"


def test_explicit_deny_does_not_stop_get_session_token(backend: FakeBackend) -> None:
    """Policies cannot control GetSessionToken [perm]."""
    mallory = caller(backend, MALLORY_KEY)

    result = invoke(backend, mallory, "GetSessionToken")

    assert "Credentials" in result


def test_mfa_parameters_are_refused_as_unsupported(
    backend: FakeBackend, alice: Caller
) -> None:
    """MFA-protected sessions are not emulated and say so [gst]."""
    params = {"SerialNumber": "arn:aws:iam::111111111111:mfa/alice", "TokenCode": "1"}

    with pytest.raises(Unsupported, match="MFA"):
        invoke(backend, alice, "GetSessionToken", params)
