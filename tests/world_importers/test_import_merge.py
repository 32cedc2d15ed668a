"""Merging scenario dictionaries from several imports."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from iamsim.errors import InputError
from iamsim.world.importers import (
    import_authorization_details,
    import_organization,
    merge_scenarios,
)

ALLOW = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}
DENY = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny"}]}


def account_using(
    account: str, policy: str, document: object, *, boundary: bool = False
) -> dict[str, Any]:
    """A scenario with one user in ``account`` using managed ``policy``."""
    user: dict[str, Any] = {"path": "/", "policies": [policy]}
    if boundary:
        user["permissions_boundary"] = policy
    return {
        "policies": {policy: document},
        "accounts": {account: {"users": {"u": user}}},
    }


def test_org_and_account_exports_make_one_scenario(exports: Path) -> None:
    """An org export and two account exports merge into one scenario."""
    details = exports / "authorization-details"
    parts = [
        import_organization(exports / "organization"),
        import_authorization_details(details / "222222222222.json"),
        import_authorization_details(details / "333333333333-pages.json"),
    ]

    merged = merge_scenarios(*parts)

    assert merged["organization"]["id"] == "o-a1b2c3d4e5"
    assert list(merged["accounts"]) == ["222222222222", "333333333333"]
    assert {"scp/RegionLock", "ReadOnlyAccess"} <= set(merged["policies"])


def test_identical_policies_merge_silently() -> None:
    """The same name with the same document is one policy."""
    merged = merge_scenarios(
        account_using("222222222222", "ReadOnly", ALLOW),
        account_using("333333333333", "ReadOnly", ALLOW),
    )

    assert merged["policies"] == {"ReadOnly": ALLOW}


def test_clashing_policies_are_qualified_by_their_account() -> None:
    """Two documents under one name become ACCOUNT/NAME in each account."""
    merged = merge_scenarios(
        account_using("222222222222", "DevAccess", ALLOW),
        account_using("333333333333", "DevAccess", DENY),
    )

    users = merged["accounts"]["333333333333"]["users"]
    assert merged["policies"] == {
        "222222222222/DevAccess": ALLOW,
        "333333333333/DevAccess": DENY,
    }
    assert users["u"]["policies"] == ["333333333333/DevAccess"]


def test_qualifying_rewrites_boundary_references() -> None:
    """A renamed policy used as a boundary is renamed there too."""
    merged = merge_scenarios(
        account_using("222222222222", "Edge", ALLOW, boundary=True),
        account_using("333333333333", "Edge", DENY, boundary=True),
    )

    user = merged["accounts"]["222222222222"]["users"]["u"]
    assert user["permissions_boundary"] == "222222222222/Edge"


def test_clash_without_one_owning_account_is_an_error() -> None:
    """A clashing policy no account uses cannot be told apart."""
    unused = {"policies": {"DevAccess": DENY}}

    with pytest.raises(InputError) as caught:
        merge_scenarios(account_using("222222222222", "DevAccess", ALLOW), unused)

    assert caught.value.where == "scenario 2: policies.DevAccess"


def test_clash_on_a_control_policy_is_an_error() -> None:
    """Two organizations' SCPs of one name are not reconciled."""
    first = {"policies": {"scp/Guard": ALLOW}}
    second = {"policies": {"scp/Guard": DENY}}

    with pytest.raises(InputError, match="different document"):
        merge_scenarios(first, second)


def test_same_user_defined_differently_is_an_error() -> None:
    """One user described two ways is refused, naming the second place."""
    first = account_using("222222222222", "P", ALLOW)
    second = copy.deepcopy(first)
    second["accounts"]["222222222222"]["users"]["u"]["path"] = "/other/"

    with pytest.raises(InputError) as caught:
        merge_scenarios(first, second)

    assert caught.value.where == "scenario 2: accounts.222222222222.users.u"


def test_one_account_from_two_inputs_combines_its_principals() -> None:
    """Users from one input and roles from another share the account."""
    users = {"accounts": {"222222222222": {"users": {"a": {"path": "/"}}}}}
    roles = {"accounts": {"222222222222": {"roles": {"r": {"path": "/"}}}}}

    merged = merge_scenarios(users, roles)

    assert merged["accounts"]["222222222222"] == {
        "users": {"a": {"path": "/"}},
        "roles": {"r": {"path": "/"}},
    }


def test_different_organizations_do_not_merge() -> None:
    """Two organizations cannot be one world."""
    first = {"organization": {"id": "o-aaaaaaaaaa"}}
    second = {"organization": {"id": "o-bbbbbbbbbb"}}

    with pytest.raises(InputError, match="'organization' differs"):
        merge_scenarios(first, second)


def test_inputs_are_left_unchanged() -> None:
    """Qualifying names works on copies, never on the caller's data."""
    first = account_using("222222222222", "DevAccess", ALLOW)
    second = account_using("333333333333", "DevAccess", DENY)
    before = copy.deepcopy([first, second])

    merge_scenarios(first, second)

    assert [first, second] == before


def test_equal_resources_collapse_and_differing_ones_clash() -> None:
    """A resource listed twice the same way is kept once; two ways is an error."""
    bucket = {"arn": "arn:aws:s3:::b", "tags": {"k": "v"}}
    other = {"arn": "arn:aws:s3:::b", "tags": {"k": "w"}}

    def holding(resource: dict[str, Any]) -> dict[str, Any]:
        return {"accounts": {"222222222222": {"resources": [resource]}}}

    merged = merge_scenarios(holding(bucket), holding(bucket))
    assert merged["accounts"]["222222222222"]["resources"] == [bucket]
    with pytest.raises(InputError, match="'arn:aws:s3:::b'"):
        merge_scenarios(holding(bucket), holding(other))


def test_merging_nothing_gives_an_empty_scenario() -> None:
    """No inputs make an empty scenario."""
    assert merge_scenarios() == {}


def test_non_mapping_part_is_reported() -> None:
    """A malformed part is located by its input number and path."""
    with pytest.raises(InputError) as caught:
        merge_scenarios({"accounts": {"222222222222": []}})

    assert caught.value.where == "scenario 1: accounts.222222222222"
