"""World entities, lookups, identifiers and the organization tree.

Pages cited: [ids] IAM User Guide, "IAM identifiers" (unique ids and ARNs);
[orgs] AWS Organizations API Reference, "OrganizationalUnit" and "Root"
(id formats); [paths] IAM User Guide, "Understand the AWS Organizations
entity path".
"""

from __future__ import annotations

import re

import pytest

from iamsim.errors import InputError, NoSuchEntity
from iamsim.world.ids import ou_id, root_id, unique_id
from iamsim.world.model import Account, Resource, User, World
from iamsim.world.organization import OrgAccount, Organization, OrgUnit


def test_unique_ids_depend_only_on_names() -> None:
    """[ids] The same names always give the same id; other names another."""
    first = unique_id("AIDA", "aws", "222222222222", "alice")

    assert first == unique_id("AIDA", "aws", "222222222222", "alice")
    assert first != unique_id("AIDA", "aws", "222222222222", "bob")
    assert re.fullmatch(r"AIDA[A-Z2-7]{17}", first)


def test_generated_org_ids_have_the_documented_shape() -> None:
    """[orgs] Generated root and OU ids match the Organizations id patterns."""
    root = root_id("o-a1b2c3d4e5")

    assert re.fullmatch(r"r-[0-9a-z]{4,32}", root)
    assert re.fullmatch(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}", ou_id(root, "Prod"))


def test_user_defaults_fill_arn_and_id() -> None:
    """[ids] A user built in code gets its ARN and a stable id."""
    user = User("alice", "222222222222", path="/eng/")

    assert user.arn == "arn:aws:iam::222222222222:user/eng/alice"
    assert user.user_id.startswith("AIDA")


def test_lookups_find_entities_by_arn() -> None:
    """A world finds users by their full ARN and nothing else."""
    user = User("alice", "222222222222")
    world = World({"222222222222": Account("222222222222", users={"alice": user})})

    assert world.user(user.arn) is user
    assert world.role(user.arn) is None
    assert world.user("arn:aws:iam::222222222222:user/bob") is None


def test_duplicate_resource_is_refused() -> None:
    """A resource ARN belongs to one account only."""
    resource = Resource("arn:aws:s3:::b", "222222222222")
    accounts = {
        "222222222222": Account("222222222222", resources=(resource,)),
        "333333333333": Account("333333333333", resources=(resource,)),
    }

    with pytest.raises(InputError):
        World(accounts)


def test_unknown_group_membership_is_no_such_entity() -> None:
    """A user in a group its account lacks cannot gather group policies."""
    user = User("alice", "222222222222", groups=("ghosts",))
    world = World({"222222222222": Account("222222222222", users={"alice": user})})

    with pytest.raises(NoSuchEntity):
        world.groups_of(user)


def _organization() -> Organization:
    prod = OrgUnit("ou-ab12-11111111", "Prod", accounts=(OrgAccount("222222222222"),))
    team = OrgUnit("ou-ab12-22222222", "Team", accounts=(OrgAccount("333333333333"),))
    prod = OrgUnit(prod.id, prod.name, accounts=prod.accounts, units=(team,))
    root = OrgUnit(
        "r-ab12", "Root", accounts=(OrgAccount("111111111111"),), units=(prod,)
    )
    return Organization("o-a1b2c3d4e5", "111111111111", root)


def test_entity_path_runs_through_nested_ous() -> None:
    """[paths] A nested account's path lists the org, root and each OU."""
    organization = _organization()

    path = organization.entity_path("333333333333")

    assert path == "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/"


def test_levels_run_from_root_to_account() -> None:
    """Each unit on the way down and the account itself form a level."""
    gates = _organization().scp_gates("333333333333")

    assert gates is not None and len(gates.levels) == 4


def test_non_member_has_no_path_or_gates() -> None:
    """An account outside the tree has no entity path and no gates."""
    organization = _organization()

    assert organization.entity_path("444444444444") is None
    assert organization.rcp_gates("444444444444") is None


def test_organization_accounts_join_the_world() -> None:
    """Member accounts not otherwise listed exist in the world, empty."""
    world = World(organization=_organization())

    assert set(world.accounts) == {"111111111111", "222222222222", "333333333333"}


def test_account_placed_twice_is_refused() -> None:
    """An account belongs to exactly one OU or to the root."""
    twice = (OrgAccount("111111111111"), OrgAccount("111111111111"))

    with pytest.raises(InputError):
        Organization(
            "o-a1b2c3d4e5", "111111111111", OrgUnit("r-ab12", "Root", accounts=twice)
        )


def test_management_account_outside_the_tree_is_refused() -> None:
    """The management account is a member of its own organization."""
    with pytest.raises(InputError):
        Organization("o-a1b2c3d4e5", "111111111111", OrgUnit("r-ab12", "Root"))
