"""Build the read model (:class:`~iamsim.world.model.World`) from the store.

Every policy a request may meet is parsed once and reused by later builds
while its text is unchanged, so a rebuild after a small change parses only
what changed. Inline policies keep their own names; managed policies, SCPs
and RCPs are named as AWS names them.

When a policy type is not enabled in the organization's root, no policy of
that type applies ("Enabling and disabling policy types", AWS Organizations
User Guide); each level then holds AWS's full-access policy of that type, so
the engine's "every level must allow" rule lets everything through.

Imports only iamsim.errors, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from sqlite3 import Connection

from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.world.model import (
    Account,
    Group,
    IdentityProvider,
    ManagedPolicy,
    ProviderKind,
    Resource,
    Role,
    User,
    World,
)
from iamsim.world.organization import OrgAccount, Organization, OrgUnit
from iamsim.world.references import (
    BUILTIN_POLICIES,
    FULL_AWS_ACCESS,
    RCP_FULL_AWS_ACCESS,
)
from iamsim.world.store_iam import (
    list_accounts,
    list_oidc_providers,
    list_resources,
    list_saml_providers,
)
from iamsim.world.store_org import (
    get_organization,
    list_roots,
    members,
    policies_for_target,
    units_under,
)
from iamsim.world.store_rows import (
    EntityKind,
    RoleRow,
    TagPairs,
    UserRow,
    parse_tags,
)

SCP_TYPE = "SERVICE_CONTROL_POLICY"
RCP_TYPE = "RESOURCE_CONTROL_POLICY"

_EntityKey = tuple[str, str, str]
_ParseKey = tuple[PolicyKind, str, str]


class WorldBuilder:
    """Builds Worlds from a store connection, keeping parsed policies between builds."""

    def __init__(self) -> None:
        self._parsed: dict[_ParseKey, Policy] = {}
        self._used: dict[_ParseKey, Policy] = {}

    def build(self, db: Connection) -> World:
        """The world as the connection sees it (use a snapshot for consistency)."""
        self._used = {}
        loaded = _Loaded(db)
        accounts = {
            row.id: self._account(db, loaded, row.id, row.partition)
            for row in list_accounts(db)
        }
        organization = self._organization(db)
        policies = {
            arn: ManagedPolicy(name, document, arn, version)
            for arn, (name, document, version) in loaded.managed.items()
        }
        self._parsed = self._used
        return World(accounts, organization, policies)

    def parse(self, text: str, kind: PolicyKind, name: str) -> Policy:
        """``text`` parsed as ``kind``, reused while text, kind and name repeat."""
        key = (kind, name, text)
        policy = self._parsed.get(key) or self._used.get(key)
        if policy is None:
            policy = parse_policy(text, kind=kind, name=name)
        self._used[key] = policy
        return policy

    # Accounts and their entities

    def _account(
        self, db: Connection, loaded: _Loaded, account: str, partition: str
    ) -> Account:
        groups = {
            row["name"]: Group(
                row["name"],
                account,
                row["path"],
                self._policies(loaded, (account, EntityKind.GROUP, row["name"])),
                partition,
                row["id"],
            )
            for row in loaded.rows("iam_groups", account)
        }
        users = {
            row.name: self._user(loaded, row, partition)
            for row in (UserRow.of(r) for r in loaded.rows("users", account))
        }
        roles = {
            row.name: self._role(loaded, row, partition)
            for row in (RoleRow.of(r) for r in loaded.rows("roles", account))
        }
        providers = [
            IdentityProvider(
                ProviderKind.SAML, row.name, account, dict(row.tags), partition
            )
            for row in list_saml_providers(db, account)
        ]
        providers += [
            IdentityProvider(
                ProviderKind.OIDC, row.url, account, dict(row.tags), partition
            )
            for row in list_oidc_providers(db, account)
        ]
        resources = [
            Resource(arn, account, None, dict(tags))
            for arn, tags in loaded.tagged(account, partition)
        ]
        resources += [
            Resource(provider.arn, account, None, dict(provider.tags))
            for provider in providers
        ]
        for arn, text, tags in list_resources(db, account):
            policy = None
            if text is not None:
                short = arn.split(":", 5)[5]
                policy = self.parse(
                    text, PolicyKind.RESOURCE, f"{short}/resource-policy"
                )
            resources.append(Resource(arn, account, policy, dict(tags)))
        return Account(
            account,
            partition,
            users,
            groups,
            roles,
            tuple(providers),
            tuple(resources),
        )

    def _user(self, loaded: _Loaded, row: UserRow, partition: str) -> User:
        key = (row.account, EntityKind.USER.value, row.name.lower())
        return User(
            row.name,
            row.account,
            row.path,
            tuple(loaded.memberships.get(key, ())),
            self._policies(loaded, (row.account, EntityKind.USER, row.name)),
            self._boundary(loaded, (row.account, EntityKind.USER, row.name)),
            dict(row.tags),
            partition,
            row.id,
        )

    def _role(self, loaded: _Loaded, row: RoleRow, partition: str) -> Role:
        trust = self.parse(
            row.trust_policy, PolicyKind.TRUST, f"{row.name}/trust-policy"
        )
        return Role(
            row.name,
            row.account,
            trust,
            row.path,
            self._policies(loaded, (row.account, EntityKind.ROLE, row.name)),
            self._boundary(loaded, (row.account, EntityKind.ROLE, row.name)),
            dict(row.tags),
            row.max_session_duration,
            row.service_linked,
            partition,
            row.id,
        )

    def _policies(
        self, loaded: _Loaded, entity: tuple[str, EntityKind, str]
    ) -> tuple[Policy, ...]:
        key = _key(entity)
        policies = [
            self.parse(document, PolicyKind.IDENTITY, name)
            for name, document in loaded.inline.get(key, ())
        ]
        for arn in loaded.attached.get(key, ()):
            name, document, _ = loaded.managed[arn]
            policies.append(self.parse(document, PolicyKind.IDENTITY, name))
        return tuple(policies)

    def _boundary(
        self, loaded: _Loaded, entity: tuple[str, EntityKind, str]
    ) -> Policy | None:
        arn = loaded.boundaries.get(_key(entity))
        if arn is None:
            return None
        name, document, _ = loaded.managed[arn]
        return self.parse(document, PolicyKind.BOUNDARY, name)

    # The organization

    def _organization(self, db: Connection) -> Organization | None:
        row = get_organization(db)
        roots = list_roots(db)
        if row is None or not roots:
            return None
        root = roots[0]
        gates = _Gates(self, db, root.policy_types)
        tree = self._unit(db, gates, root.id, "Root")
        return Organization(row.id, row.management_account, tree)

    def _unit(self, db: Connection, gates: _Gates, unit_id: str, name: str) -> OrgUnit:
        scps, rcps = gates.of(unit_id)
        accounts = []
        for member in members(db, unit_id):
            member_scps, member_rcps = gates.of(member.account_id)
            accounts.append(OrgAccount(member.account_id, member_scps, member_rcps))
        units = tuple(
            self._unit(db, gates, child.id, child.name)
            for child in units_under(db, unit_id)
        )
        return OrgUnit(unit_id, name, scps, rcps, tuple(accounts), units)


class _Gates:
    """The SCPs and RCPs of each target, or the full-access stand-ins."""

    def __init__(
        self, builder: WorldBuilder, db: Connection, enabled: tuple[str, ...]
    ) -> None:
        self.builder = builder
        self.db = db
        self.scps_enabled = SCP_TYPE in enabled
        self.rcps_enabled = RCP_TYPE in enabled
        self.full_scp = builder.parse(
            json.dumps(BUILTIN_POLICIES[FULL_AWS_ACCESS]),
            PolicyKind.SCP,
            FULL_AWS_ACCESS,
        )
        self.full_rcp = builder.parse(
            json.dumps(BUILTIN_POLICIES[RCP_FULL_AWS_ACCESS]),
            PolicyKind.RCP,
            RCP_FULL_AWS_ACCESS,
        )

    def of(self, target: str) -> tuple[tuple[Policy, ...], tuple[Policy, ...]]:
        scps: tuple[Policy, ...] = (self.full_scp,)
        rcps: tuple[Policy, ...] = (self.full_rcp,)
        if self.scps_enabled:
            scps = self._attached(target, SCP_TYPE, PolicyKind.SCP)
        if self.rcps_enabled:
            rcps = self._attached(target, RCP_TYPE, PolicyKind.RCP)
        return scps, rcps

    def _attached(
        self, target: str, policy_type: str, kind: PolicyKind
    ) -> tuple[Policy, ...]:
        return tuple(
            self.builder.parse(row.content, kind, row.name)
            for row in policies_for_target(self.db, target, policy_type)
        )


def _key(entity: tuple[str, EntityKind, str]) -> _EntityKey:
    account, kind, name = entity
    return account, kind.value, name.lower()


class _Loaded:
    """Every policy-related row, loaded once per build and grouped by entity."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.inline: dict[_EntityKey, list[tuple[str, str]]] = defaultdict(list)
        for row in db.execute("SELECT * FROM inline_policies ORDER BY seq"):
            key = (row["account"], row["entity_kind"], row["entity_name"].lower())
            self.inline[key].append((row["policy_name"], row["document"]))
        self.attached: dict[_EntityKey, list[str]] = defaultdict(list)
        for row in db.execute("SELECT * FROM attachments ORDER BY seq"):
            key = (row["account"], row["entity_kind"], row["entity_name"].lower())
            self.attached[key].append(row["policy_arn"])
        self.boundaries: dict[_EntityKey, str] = {}
        for row in db.execute("SELECT * FROM permissions_boundaries"):
            key = (row["account"], row["entity_kind"], row["entity_name"].lower())
            self.boundaries[key] = row["policy_arn"]
        self.managed: dict[str, tuple[str, str, str]] = {}
        for row in db.execute(
            "SELECT p.arn, p.name, p.default_version, v.document "
            "FROM managed_policies p JOIN policy_versions v "
            "ON v.policy_arn = p.arn AND v.version_id = p.default_version"
        ):
            self.managed[row["arn"]] = (
                row["name"],
                row["document"],
                row["default_version"],
            )
        self.memberships: dict[_EntityKey, list[str]] = defaultdict(list)
        for row in db.execute(
            "SELECT m.account, m.user_name, g.name FROM group_members m "
            "JOIN iam_groups g ON g.account = m.account AND g.name = m.group_name "
            "ORDER BY m.seq"
        ):
            key = (row[0], EntityKind.USER.value, row[1].lower())
            self.memberships[key].append(row[2])

    def tagged(self, account: str, partition: str) -> list[tuple[str, TagPairs]]:
        """Customer managed policies and instance profiles, with their tags.

        They become world resources, so requests on them see
        ``aws:ResourceTag/*`` and ``aws:ResourceAccount``.
        """
        found = [
            (row["arn"], parse_tags(row["tags"]))
            for row in self.db.execute(
                "SELECT arn, tags FROM managed_policies WHERE account = ?", (account,)
            )
        ]
        for row in self.rows("instance_profiles", account):
            arn = (
                f"arn:{partition}:iam::{account}:instance-profile"
                f"{row['path']}{row['name']}"
            )
            found.append((arn, parse_tags(row["tags"])))
        return found

    def rows(self, table: str, account: str) -> list[sqlite3.Row]:
        return list(
            self.db.execute(
                f"SELECT * FROM {table} WHERE account = ? ORDER BY name", (account,)
            )
        )
