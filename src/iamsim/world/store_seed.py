"""Import a scenario file into an empty store: accounts, entities, policies and
the organization.

The file is first loaded as a scenario (:func:`iamsim.world.scenario.load_scenario`),
so every mistake is reported with its place before anything is written.
Then its data becomes rows, the way IAM and Organizations would hold it:

- a policy named by a ``policies:`` name becomes a customer managed policy
  of the account that uses it (``arn:aws:iam::ACCOUNT:policy/NAME``) and is
  attached; one named by ARN keeps that ARN (``arn:aws:iam::aws:policy/...``
  is AWS managed); a document written in place becomes an inline policy,
  named by its ``Id`` or ``inline-N``;
- an inline permissions boundary becomes a managed policy named
  ``ENTITY-permissions-boundary``;
- users, groups and roles keep the unique ids the scenario world gave them;
- SCPs and RCPs become organization policies; ``FullAWSAccess`` and
  ``RCPFullAWSAccess`` are AWS's own. SCPs are enabled; RCPs are enabled
  when the scenario attaches any.

Imports only iamsim.errors and iamsim.world.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from sqlite3 import Connection
from typing import Any

from iamsim.errors import InputError
from iamsim.world.ids import POLICY_ID_PREFIX, ou_id, root_id, unique_id
from iamsim.world.model import Account, World
from iamsim.world.references import (
    BUILTIN_POLICIES,
    FULL_AWS_ACCESS,
    is_full_access_rcp,
)
from iamsim.world.scenario import load_scenario
from iamsim.world.source import read_text
from iamsim.world.store_iam import (
    add_member,
    get_account,
    insert_account,
    insert_group,
    insert_oidc_provider,
    insert_resource,
    insert_role,
    insert_saml_provider,
    insert_user,
)
from iamsim.world.store_org import (
    FULL_ACCESS_RCP_ID,
    FULL_ACCESS_SCP_ID,
    OrgAccountRow,
    OrganizationRow,
    OrgPolicyRow,
    OrgUnitRow,
    RootRow,
    attach_org_policy,
    ensure_aws_managed_policies,
    insert_member,
    insert_org_policy,
    insert_organization,
    insert_root,
    insert_unit,
)
from iamsim.world.store_policies import (
    attach,
    get_policy,
    insert_policy,
    insert_version,
    put_inline,
    set_boundary,
)
from iamsim.world.store_rows import (
    AccountRow,
    EntityKind,
    GroupRow,
    InlinePolicyRow,
    ManagedPolicyRow,
    OidcProviderRow,
    PolicyVersionRow,
    RoleRow,
    SamlProviderRow,
    UserRow,
)

SCP_TYPE = "SERVICE_CONTROL_POLICY"
RCP_TYPE = "RESOURCE_CONTROL_POLICY"
_MANAGED_ARN = re.compile(
    r"^arn:(?P<partition>[a-z-]+):iam::(?P<owner>aws|\d{12}):policy"
    r"(?P<path>/(?:.*/)?)(?P<name>[^/]+)$"
)
_INLINE_NAME = re.compile(r"[^\w+=,.@-]")
_SAML_METADATA = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
    'entityID="{name}">\n'
    "  <!-- imported by iamsim from a scenario, which names the provider only; "
    "this document stands in for the provider's metadata -->\n"
    "{padding}"
    "</md:EntityDescriptor>\n"
)


def seed_scenario(db: Connection, path: Path, now: datetime) -> str:
    """Import the scenario at ``path``; the account that gets the root key.

    That is the organization's management account, or else the first
    account the file lists.
    """
    scenario = load_scenario(path)
    text = path.read_text(encoding="utf-8")
    data, _ = read_text(text, str(path), is_json=path.suffix.lower() == ".json")
    importer = _Importer(db, scenario.world, data.get("policies") or {}, now)
    accounts = data.get("accounts") or {}
    for account_id, fields in accounts.items():
        importer.account(str(account_id), fields or {})
    organization = data.get("organization")
    if organization:
        importer.organization(organization)
        return str(organization["management_account"])
    if not accounts:
        raise InputError(
            "the seed scenario defines no account",
            where=str(path),
            hint="add accounts: or organization: to the scenario",
        )
    return str(next(iter(accounts)))


def _text(document: Any) -> str:
    if isinstance(document, str):
        return document
    return json.dumps(document, indent=4)


def _is_document(item: Any) -> bool:
    return isinstance(item, Mapping) or (
        isinstance(item, str) and item.lstrip().startswith("{")
    )


class _Importer:
    def __init__(
        self,
        db: Connection,
        world: World,
        definitions: Mapping[str, Any],
        now: datetime,
    ) -> None:
        self.db = db
        self.world = world
        self.definitions = definitions
        self.now = now
        self.org_policies: dict[tuple[str, str], str] = {}

    # Accounts and IAM entities

    def account(self, account_id: str, fields: Mapping[str, Any]) -> None:
        built = self.world.accounts[account_id]
        self._ensure_account(account_id, built.partition)
        for name, group in built.groups.items():
            insert_group(
                self.db,
                GroupRow(account_id, name, group.path, group.group_id, self.now),
            )
            spec = (fields.get("groups") or {}).get(name) or {}
            self._policies(built, EntityKind.GROUP, name, spec.get("policies"))
        for name, user in built.users.items():
            tags = tuple(user.tags.items())
            insert_user(
                self.db,
                UserRow(account_id, name, user.path, user.user_id, self.now, tags),
            )
            for member_of in user.groups:
                add_member(self.db, account_id, member_of, name)
            spec = (fields.get("users") or {}).get(name) or {}
            self._policies(built, EntityKind.USER, name, spec.get("policies"))
            self._boundary(
                built, EntityKind.USER, name, spec.get("permissions_boundary")
            )
        for name, role in built.roles.items():
            spec = (fields.get("roles") or {}).get(name) or {}
            trust = self._document(spec["trust_policy"])
            role_row = RoleRow(
                account_id,
                name,
                role.path,
                role.role_id,
                self.now,
                trust,
                None,
                role.max_session_duration,
                role.service_linked,
                tuple(role.tags.items()),
            )
            insert_role(self.db, role_row)
            self._policies(built, EntityKind.ROLE, name, spec.get("policies"))
            self._boundary(
                built, EntityKind.ROLE, name, spec.get("permissions_boundary")
            )
        self._providers(built)
        for item in fields.get("resources") or ():
            policy = item.get("policy")
            text = None if policy is None else self._document(policy)
            tags = tuple((str(k), str(v)) for k, v in (item.get("tags") or {}).items())
            insert_resource(self.db, item["arn"], account_id, text, tags)

    def _ensure_account(self, account_id: str, partition: str = "aws") -> None:
        if get_account(self.db, account_id) is None:
            email = f"{account_id}@iamsim.example"
            row = AccountRow(
                account_id, partition, f"account-{account_id}", email, self.now
            )
            insert_account(self.db, row)

    def _providers(self, account: Account) -> None:
        for provider in account.providers:
            tags = tuple(provider.tags.items())
            if provider.kind.value == "saml-provider":
                padding = "  " * 500 + "\n"
                metadata = _SAML_METADATA.format(name=provider.name, padding=padding)
                row = SamlProviderRow(
                    provider.arn,
                    account.id,
                    provider.name,
                    metadata,
                    hashlib.sha256(provider.arn.encode()).hexdigest()[:26].upper(),
                    self.now,
                    None,
                    tags,
                )
                insert_saml_provider(self.db, row)
            else:
                insert_oidc_provider(
                    self.db,
                    OidcProviderRow(
                        provider.arn, account.id, provider.name, (), (), self.now, tags
                    ),
                )

    def _document(self, reference: Any) -> str:
        if _is_document(reference):
            return _text(reference)
        _, document = self._lookup(str(reference))
        return _text(document)

    def _lookup(self, reference: str) -> tuple[str, Any]:
        """The short name and document a ``policies:`` reference names."""
        if reference in self.definitions:
            match = _MANAGED_ARN.match(reference)
            return (match.group("name") if match else reference), self.definitions[
                reference
            ]
        match = _MANAGED_ARN.match(reference)
        short = match.group("name") if match else reference
        if short in self.definitions:
            return short, self.definitions[short]
        return short, BUILTIN_POLICIES[short]

    def _policies(
        self, account: Account, kind: EntityKind, entity: str, items: Any
    ) -> None:
        for index, item in enumerate(items or ()):
            if _is_document(item):
                document = item if isinstance(item, Mapping) else json.loads(item)
                name = str(document.get("Id") or f"inline-{index}")
                name = _INLINE_NAME.sub("-", name)[:128]
                row = InlinePolicyRow(account.id, kind, entity, name, _text(item))
                put_inline(self.db, row)
                continue
            arn = self._managed(account, str(item))
            attach(self.db, account.id, kind, entity, arn)

    def _boundary(
        self, account: Account, kind: EntityKind, entity: str, reference: Any
    ) -> None:
        if reference is None:
            return
        if _is_document(reference):
            name = f"{entity}-permissions-boundary"
            arn = self._create_managed(account, name, "/", account.id, _text(reference))
        else:
            arn = self._managed(account, str(reference))
        set_boundary(self.db, account.id, kind, entity, arn)

    def _managed(self, account: Account, reference: str) -> str:
        """The ARN of the managed policy ``reference`` names, created once."""
        short, document = self._lookup(reference)
        match = _MANAGED_ARN.match(reference)
        if match is None:
            arn = f"arn:{account.partition}:iam::{account.id}:policy/{short}"
            owner, policy_path = account.id, "/"
        else:
            arn, owner, policy_path = (
                reference,
                match.group("owner"),
                match.group("path"),
            )
        if get_policy(self.db, arn) is None:
            self._create_managed(
                account, short, policy_path, owner, _text(document), arn
            )
        return arn

    def _create_managed(
        self,
        account: Account,
        name: str,
        policy_path: str,
        owner: str,
        text: str,
        arn: str | None = None,
    ) -> str:
        arn = arn or f"arn:{account.partition}:iam::{owner}:policy{policy_path}{name}"
        ident = unique_id(POLICY_ID_PREFIX, arn)
        row = ManagedPolicyRow(
            arn, owner, name, policy_path, ident, self.now, self.now, None, "v1", 2
        )
        insert_policy(self.db, row)
        insert_version(self.db, PolicyVersionRow(arn, "v1", text, self.now))
        return arn

    # The organization

    def organization(self, data: Mapping[str, Any]) -> None:
        ensure_aws_managed_policies(self.db)
        org_id = str(data["id"])
        management = str(data["management_account"])
        root = data.get("root") or {}
        root_ident = str(root.get("id") or root_id(org_id))
        types = (SCP_TYPE, RCP_TYPE) if _uses_rcps(root) else (SCP_TYPE,)
        insert_organization(
            self.db, OrganizationRow(org_id, management, "ALL", self.now)
        )
        insert_root(self.db, RootRow(root_ident, "Root", types))
        self._unit(root, root_ident, root_ident, (), RCP_TYPE in types)

    def _unit(
        self,
        fields: Mapping[str, Any],
        ident: str,
        root: str,
        names: tuple[str, ...],
        rcps: bool,
    ) -> None:
        self._gates(ident, fields, rcps)
        for item in fields.get("accounts") or ():
            spec = item if isinstance(item, Mapping) else {"id": item}
            account_id = str(spec["id"])
            self._ensure_account(account_id)
            insert_member(
                self.db, OrgAccountRow(account_id, ident, "INVITED", self.now)
            )
            self._gates(account_id, spec, rcps)
        for child in fields.get("ous") or ():
            path = (*names, str(child["name"]))
            child_id = str(child.get("id") or ou_id(root, *path))
            insert_unit(self.db, OrgUnitRow(child_id, ident, str(child["name"])))
            self._unit(child, child_id, root, path, rcps)

    def _gates(self, target: str, fields: Mapping[str, Any], rcps: bool) -> None:
        scps = fields.get("scps") or [FULL_AWS_ACCESS]
        for index, item in enumerate(scps):
            attach_org_policy(
                self.db, self._org_policy(SCP_TYPE, item, target, index), target
            )
        if not rcps:
            return
        listed = [
            self._org_policy(RCP_TYPE, item, target, index)
            for index, item in enumerate(fields.get("rcps") or ())
        ]
        for policy_id in dict.fromkeys([FULL_ACCESS_RCP_ID, *listed]):
            attach_org_policy(self.db, policy_id, target)

    def _org_policy(self, kind: str, item: Any, owner: str, index: int) -> str:
        if _is_document(item):
            document = item if isinstance(item, Mapping) else json.loads(item)
            label = "scp" if kind == SCP_TYPE else "rcp"
            name = str(document.get("Id") or f"{owner}-{label}-{index}")
            return self._stored_org_policy(kind, name, _text(item))
        reference = str(item)
        if kind == SCP_TYPE and reference == FULL_AWS_ACCESS:
            return FULL_ACCESS_SCP_ID
        if kind == RCP_TYPE and is_full_access_rcp(reference):
            return FULL_ACCESS_RCP_ID
        short, document = self._lookup(reference)
        return self._stored_org_policy(kind, short, _text(document))

    def _stored_org_policy(self, kind: str, name: str, content: str) -> str:
        key = (kind, name)
        if key not in self.org_policies:
            digest = hashlib.sha256(f"{kind}\x00{name}".encode()).hexdigest()[:10]
            policy_id = f"p-{digest}"
            row = OrgPolicyRow(policy_id, kind, name, "", content)
            insert_org_policy(self.db, row)
            self.org_policies[key] = policy_id
        return self.org_policies[key]


def _uses_rcps(unit: Mapping[str, Any]) -> bool:
    if unit.get("rcps"):
        return True
    for item in unit.get("accounts") or ():
        if isinstance(item, Mapping) and item.get("rcps"):
            return True
    return any(_uses_rcps(child) for child in unit.get("ous") or ())
