"""Role chaining: the one-hour cap and the tags that flow down a chain.

Pages cited: [chain] IAM User Guide, "Role chaining" (terms and concepts,
one-hour limit); [ar] STS API Reference, "AssumeRole" (DurationSeconds and
inherited transitive tags); [tags] IAM User Guide, "Pass session tags in
AWS STS", section "Chaining roles with session tags" (the Star, Heart, Sun
and Lightning example); [compare] IAM User Guide, "Compare AWS STS
credentials".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.sts.shared import (
    DEV,
    NOW,
    OPS,
    SHARED,
    FakeBackend,
    assume,
    invoke,
    refused,
    session_caller,
    tags,
)

from iamsim.services.api import Caller


def _dev_session(backend: FakeBackend, alice: Caller, **params: Any) -> Caller:
    return session_caller(backend, assume(backend, alice, DEV, "first", **params))


def _tags_of(who: Caller) -> dict[str, str]:
    assert who.session is not None
    return dict(who.session.tags)


def test_chained_session_lasts_one_hour_by_default(
    backend: FakeBackend, alice: Caller
) -> None:
    """A chained session without DurationSeconds lasts 3,600 s [chain]."""
    dev = _dev_session(backend, alice)

    result = assume(backend, dev, OPS, "second")

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=1)
    second = session_caller(backend, result)
    assert second.session is not None and second.session.chained


def test_chained_request_above_one_hour_fails_even_if_role_allows(
    backend: FakeBackend, alice: Caller
) -> None:
    """Role chaining caps sessions at one hour whatever the role's maximum [chain][ar]."""
    dev = _dev_session(backend, alice)
    params = {"RoleArn": OPS, "RoleSessionName": "second", "DurationSeconds": 3601}

    error = refused(backend, dev, "AssumeRole", params)

    assert error.code == "ValidationError"
    assert error.message == (
        "The requested DurationSeconds exceeds the 1 hour session limit for roles "
        "assumed by role chaining."
    )


def test_chained_request_of_one_hour_is_accepted(
    backend: FakeBackend, alice: Caller
) -> None:
    """Exactly 3,600 s is within the chaining limit [chain]."""
    dev = _dev_session(backend, alice)

    result = assume(backend, dev, OPS, "second", DurationSeconds=3600)

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=1)


def test_first_hop_may_exceed_one_hour(backend: FakeBackend, alice: Caller) -> None:
    """A user assuming a role is not chaining: the role's maximum applies [chain]."""
    result = assume(backend, alice, OPS, "first", DurationSeconds=43_200)

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=12)


def test_session_token_credentials_are_not_a_role_chain(
    backend: FakeBackend, alice: Caller
) -> None:
    """GetSessionToken credentials are a user's, so the one-hour cap does not apply.

    The documented chain is a role assuming a role [chain][compare]; a
    GetSessionToken session is pinned here as not being one.
    """
    session = session_caller(backend, invoke(backend, alice, "GetSessionToken"))

    result = assume(backend, session, DEV, "mfa", DurationSeconds=7200)

    assert result["Credentials"]["Expiration"] - NOW == timedelta(hours=2)


def test_cross_account_chain_is_capped_too(backend: FakeBackend, alice: Caller) -> None:
    """The cap applies whichever account the next role is in [chain]."""
    dev = _dev_session(backend, alice)
    params = {"RoleArn": SHARED, "RoleSessionName": "xa", "DurationSeconds": 7200}

    error = refused(backend, dev, "AssumeRole", params)

    assert "role chaining" in error.message


def test_transitive_tags_pass_to_the_next_session(
    backend: FakeBackend, alice: Caller
) -> None:
    """Star and Heart set transitive in session 1 are in session 2 [tags]."""
    first = _dev_session(
        backend,
        alice,
        Tags=tags(Star="1", Heart="1"),
        TransitiveTagKeys=["Star", "Heart"],
    )

    second = session_caller(backend, assume(backend, first, OPS, "Session2"))

    assert _tags_of(second) == {"Star": "1", "Heart": "1"}
    assert second.session is not None
    assert set(second.session.transitive_tag_keys) == {"Star", "Heart"}


def test_transitive_tags_stay_transitive_down_the_chain(
    backend: FakeBackend, alice: Caller
) -> None:
    """Inherited transitive tags reach the third session too [tags]."""
    first = _dev_session(
        backend, alice, Tags=tags(Star="1"), TransitiveTagKeys=["Star"]
    )
    second = session_caller(backend, assume(backend, first, OPS, "Session2"))

    third = session_caller(backend, assume(backend, second, OPS, "Session3"))

    assert _tags_of(third) == {"Star": "1"}


def test_non_transitive_tags_do_not_pass_on(
    backend: FakeBackend, alice: Caller
) -> None:
    """Session tags not marked transitive stay in their session [tags]."""
    first = _dev_session(
        backend, alice, Tags=tags(Star="1", Moon="2"), TransitiveTagKeys=["Star"]
    )

    second = session_caller(backend, assume(backend, first, OPS, "Session2"))

    assert _tags_of(second) == {"Star": "1"}


def test_role_tags_are_never_transitive(backend: FakeBackend, alice: Caller) -> None:
    """Dev's own team tag does not follow its session into Ops [tags]."""
    first = _dev_session(backend, alice)

    second = session_caller(backend, assume(backend, first, OPS, "Session2"))

    assert _tags_of(second) == {}


@pytest.mark.parametrize("key", ["Heart", "heart"])
def test_inherited_transitive_tag_cannot_be_overridden(
    backend: FakeBackend, alice: Caller, key: str
) -> None:
    """Passing Heart=3 over an inherited Heart=1 fails, whatever the case [tags][ar]."""
    first = _dev_session(
        backend, alice, Tags=tags(Heart="1"), TransitiveTagKeys=["Heart"]
    )
    params = {
        "RoleArn": OPS,
        "RoleSessionName": "s2",
        "Tags": [{"Key": key, "Value": "3"}],
    }

    error = refused(backend, first, "AssumeRole", params)

    assert error.code == "InvalidParameterValue"
    assert error.message == (
        "One of the specified transitive tag keys can't be set because it "
        "conflicts with a transitive tag key from the calling session."
    )


def test_new_tags_join_inherited_ones(backend: FakeBackend, alice: Caller) -> None:
    """A chained call may add tags beside the inherited transitive ones [tags]."""
    first = _dev_session(
        backend, alice, Tags=tags(Star="1"), TransitiveTagKeys=["Star"]
    )

    second = session_caller(
        backend, assume(backend, first, OPS, "Session2", Tags=tags(Sun="2"))
    )

    assert _tags_of(second) == {"Star": "1", "Sun": "2"}
    assert second.session is not None
    assert second.session.transitive_tag_keys == ("Star",)
