"""Turn an AWS Organizations export folder into a scenario's organization.

The folder holds the JSON output of the Organizations list and describe
calls, one file per call, in the layout described in ``docs/import.md``
and written by ``scripts/export-organization.sh``. The result has the
nested ``organization.root`` tree, with the service and resource control
policies attached at each root, OU and account, and those policies'
documents under ``policies``.

Imports nothing of iamsim but errors; it builds plain data, never a World.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iamsim.errors import InputError
from iamsim.world.importers._naming import (
    ORG_POLICY_PREFIX,
    RESOURCE_CONTROL_POLICY,
    SERVICE_CONTROL_POLICY,
    is_account_id,
    org_policy_name,
)
from iamsim.world.importers._source import (
    Document,
    Node,
    PathArg,
    policy_document,
    read_documents,
)

POLICY_TYPES = (SERVICE_CONTROL_POLICY, RESOURCE_CONTROL_POLICY)
_SCENARIO_KEY = {SERVICE_CONTROL_POLICY: "scps", RESOURCE_CONTROL_POLICY: "rcps"}
_ENABLED = "ENABLED"

# Id formats from the Organizations API reference; checked before an id
# becomes part of a file name.
_ROOT_ID = re.compile(r"r-[0-9a-z]{4,32}")
_OU_ID = re.compile(r"ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}")
_POLICY_ID = re.compile(r"p-[0-9a-zA-Z_]{8,128}")
_MISSING_HINT = (
    "the export is incomplete; write it with scripts/export-organization.sh "
    "(layout in docs/import.md)"
)


@dataclass
class _Attachments:
    """Which control policies each root, OU and account has attached."""

    enabled: tuple[str, ...]
    by_target: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    places: dict[str, Node] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def attach(self, target: Node, policy_type: str, name: str) -> None:
        """Record ``name`` as attached to the target the node names."""
        target_id = target.key("TargetId").text()
        lists = self.by_target.setdefault(target_id, self._empty())
        lists[_SCENARIO_KEY[policy_type]].append(name)
        self.places.setdefault(target_id, target)

    def lists(self, target_id: str) -> dict[str, list[str]]:
        """The ``scps``/``rcps`` lists of a target, one per enabled type."""
        self.used.add(target_id)
        return self.by_target.get(target_id, self._empty())

    def unused(self) -> list[Node]:
        """Targets that are not in the tree, by the place they were named."""
        return [
            place for target, place in self.places.items() if target not in self.used
        ]

    def _empty(self) -> dict[str, list[str]]:
        return {_SCENARIO_KEY[kind]: [] for kind in self.enabled}


@dataclass(frozen=True)
class _Folder:
    """An export folder, read one file at a time."""

    root: Path

    def document(self, relative: str) -> Node:
        """The one JSON document of a file."""
        documents = read_documents(self.root / relative, hint=_MISSING_HINT)
        if len(documents) > 1:
            raise documents[1].error("expected one JSON document in this file")
        return documents[0]

    def items(self, relative: str, key: str) -> list[Node]:
        """The elements of ``key`` over every page the file holds."""
        documents = read_documents(self.root / relative, hint=_MISSING_HINT)
        pages = [page for doc in documents for page in doc.pages()]
        return [item for page in pages for item in page.key(key).elements()]


def import_organization(folder: PathArg) -> dict[str, Any]:
    """The scenario dictionary for an Organizations export folder.

    Only policy types the root shows as ``ENABLED`` are read; a type that
    is not enabled constrains nothing, and its ``scps`` or ``rcps`` key is
    left out at every level.
    """
    export = _Folder(Path(folder))
    if not export.root.is_dir():
        raise InputError("no such folder", where=str(folder), hint=_MISSING_HINT)
    organization = _organization(export.document("organization.json"))
    root_id, enabled = _root(export.document("roots.json"))
    attachments = _Attachments(enabled=enabled)
    policies = _policies(export, attachments)
    root = _parent(export, root_id, attachments, seen=set())
    _check_targets(attachments)
    organization["root"] = root
    return {"organization": organization, "policies": policies}


def _organization(document: Node) -> dict[str, Any]:
    organization = document.key("Organization")
    management = organization.key("MasterAccountId")
    _account_id(management)
    return {
        "id": organization.key("Id").text(),
        "management_account": management.text(),
    }


def _root(document: Node) -> tuple[str, tuple[str, ...]]:
    roots = [root for page in document.pages() for root in page.key("Roots").elements()]
    if len(roots) != 1:
        raise document.error(
            f"an organization has exactly one root, the export lists {len(roots)}"
        )
    root = roots[0]
    root_id = _checked_id(root.key("Id"), _ROOT_ID, "root id")
    enabled = _enabled_types(root.list_at("PolicyTypes"))
    return root_id, tuple(kind for kind in POLICY_TYPES if kind in enabled)


def _enabled_types(summaries: Iterable[Node]) -> set[str]:
    return {
        summary.key("Type").text()
        for summary in summaries
        if summary.key("Status").text() == _ENABLED
    }


# Control policies


def _policies(export: _Folder, attachments: _Attachments) -> dict[str, Document]:
    policies: dict[str, Document] = {}
    for policy_type in attachments.enabled:
        relative = f"policies/{policy_type}.json"
        for summary in export.items(relative, "Policies"):
            name, document = _policy(export, summary, policy_type, attachments)
            if name in policies:
                raise summary.error(
                    f"two {ORG_POLICY_PREFIX[policy_type].upper()}s are named "
                    f"{name.split('/', 1)[1]!r}",
                    hint="Organizations keeps policy names unique",
                )
            policies[name] = document
    return policies


def _policy(
    export: _Folder, summary: Node, policy_type: str, attachments: _Attachments
) -> tuple[str, Document]:
    policy_id = _checked_id(summary.key("Id"), _POLICY_ID, "policy id")
    listed_type = summary.get("Type")
    if listed_type is not None and listed_type.text() != policy_type:
        raise listed_type.error(
            f"expected policy type {policy_type!r}, got {listed_type.text()!r}",
            hint=f"write 'list-policies --filter {policy_type}' to this file",
        )
    name = org_policy_name(policy_type, summary.key("Name").text())
    document = _content(export.document(f"policy-content/{policy_id}.json"), policy_id)
    for target in export.items(f"policy-targets/{policy_id}.json", "Targets"):
        attachments.attach(target, policy_type, name)
    return name, document


def _content(document: Node, policy_id: str) -> Document:
    policy = document.key("Policy")
    described = policy.key("PolicySummary").key("Id")
    if described.text() != policy_id:
        raise described.error(
            f"file describes policy {described.text()!r}, expected {policy_id!r}",
            hint=f"write 'describe-policy --policy-id {policy_id}' to this file",
        )
    return policy_document(policy.key("Content"))


def _check_targets(attachments: _Attachments) -> None:
    for place in attachments.unused():
        target = place.key("TargetId")
        raise target.error(
            f"policy is attached to {target.text()!r}, which is not in the tree",
            hint=_MISSING_HINT,
        )


# The tree


def _parent(
    export: _Folder, parent_id: str, attachments: _Attachments, seen: set[str]
) -> dict[str, Any]:
    """A root or OU: its policies, accounts and child OUs."""
    entry: dict[str, Any] = {"id": parent_id, **attachments.lists(parent_id)}
    entry["accounts"] = [
        _account(node, attachments, seen)
        for node in export.items(f"accounts/{parent_id}.json", "Accounts")
    ]
    entry["ous"] = [
        _unit(export, node, attachments, seen)
        for node in export.items(f"ous/{parent_id}.json", "OrganizationalUnits")
    ]
    return entry


def _unit(
    export: _Folder, node: Node, attachments: _Attachments, seen: set[str]
) -> dict[str, Any]:
    unit_id = _checked_id(node.key("Id"), _OU_ID, "organizational unit id")
    if unit_id in seen:
        raise node.key("Id").error(
            f"organizational unit {unit_id!r} appears twice in the tree",
            hint="each OU has one parent; re-export the folder",
        )
    seen.add(unit_id)
    name = node.key("Name").text()
    return {"name": name, **_parent(export, unit_id, attachments, seen)}


def _account(
    node: Node, attachments: _Attachments, seen: set[str]
) -> str | dict[str, Any]:
    """An account id, or the id with its policies when types are enabled."""
    account_id = _account_id(node.key("Id"))
    if account_id in seen:
        raise node.key("Id").error(
            f"account {account_id!r} appears twice in the tree",
            hint="each account has one parent; re-export the folder",
        )
    seen.add(account_id)
    if not attachments.enabled:
        attachments.lists(account_id)
        return account_id
    return {"id": account_id, **attachments.lists(account_id)}


def _account_id(node: Node) -> str:
    text = node.text()
    if not is_account_id(text):
        raise node.error(f"expected a twelve-digit account id, got {text!r}")
    return text


def _checked_id(node: Node, pattern: re.Pattern[str], what: str) -> str:
    text = node.text()
    if pattern.fullmatch(text) is None:
        raise node.error(f"malformed {what} {text!r}")
    return text
