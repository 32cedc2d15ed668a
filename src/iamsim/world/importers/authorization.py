"""Turn ``aws iam get-account-authorization-details`` output into a scenario.

The export lists users, groups, roles and managed policies with every
version. The scenario takes each managed policy's default version, names
policies by the rules in :mod:`iamsim.world.importers._naming`, and files
every principal under the account its ARN names, so pages and exports of
several accounts can be given together in any order.

Imports nothing of iamsim but errors; it builds plain data, never a World.
"""

from __future__ import annotations

import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from iamsim.errors import InputError
from iamsim.world.importers._naming import (
    AWS_MANAGED,
    parse_iam_arn,
    qualified_name,
)
from iamsim.world.importers._source import (
    IN_MEMORY,
    Document,
    Node,
    PathArg,
    describe,
    policy_document,
    read_documents,
)

logger = logging.getLogger(__name__)

AuthorizationSource = (
    Mapping[str, Any] | PathArg | Sequence[Mapping[str, Any] | PathArg]
)

_LISTS = ("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies")
_SERVICE_LINKED_PATH = "/aws-service-role/"  # every service-linked role's path
_VERSION_ID = re.compile(r"v(\d+)")
_EXPORT_HINT = "export with 'aws iam get-account-authorization-details --output json'"
_FILTER_HINT = (
    "export without --filter so that every attached policy and group is listed"
)


@dataclass(frozen=True)
class ManagedPolicy:
    """One managed policy as exported, with every version it had."""

    arn: str
    name: str  # the PolicyName in AWS, not the scenario name
    account: str  # "aws" for an AWS managed policy
    default_version: str
    versions: Mapping[str, Document]

    @property
    def document(self) -> Document:
        """The default version's document, the one IAM evaluates."""
        return self.versions[self.default_version]

    @property
    def is_aws_managed(self) -> bool:
        """Whether AWS rather than a customer owns the policy."""
        return self.account == AWS_MANAGED


@dataclass(frozen=True)
class AuthorizationDetails:
    """An imported export: the scenario and what the scenario shape lacks.

    ``managed_policies`` maps each scenario policy name to the exported
    policy, with its ARN and all its versions.
    """

    scenario: dict[str, Any]
    managed_policies: dict[str, ManagedPolicy]


@dataclass
class _Records:
    """The detail records of every page, by kind."""

    users: list[Node] = field(default_factory=list)
    groups: list[Node] = field(default_factory=list)
    roles: list[Node] = field(default_factory=list)
    policies: list[Node] = field(default_factory=list)


def import_authorization_details(data: AuthorizationSource) -> dict[str, Any]:
    """The scenario dictionary for one or more authorization-details exports.

    ``data`` is a parsed export, a file path, or a list of either: pages of
    one export, or exports of several accounts. A file may hold one
    response, a JSON array of pages, or pages written one after another.
    """
    return read_authorization_details(data).scenario


def read_authorization_details(data: AuthorizationSource) -> AuthorizationDetails:
    """Like :func:`import_authorization_details`, also keeping every version."""
    records = _collect(_pages(data))
    policies = _index_policies(records.policies)
    names = _scenario_names(policies.values())
    accounts = _accounts(records, names)
    by_name = {names[arn]: policy for arn, policy in policies.items()}
    scenario = {
        "policies": {name: policy.document for name, policy in by_name.items()},
        "accounts": accounts,
    }
    return AuthorizationDetails(scenario=scenario, managed_policies=by_name)


def _pages(data: AuthorizationSource) -> list[Node]:
    if isinstance(data, Mapping):
        return [Node(data, IN_MEMORY)]
    if isinstance(data, str | os.PathLike):
        return _file_pages(data)
    if not isinstance(data, Sequence):
        raise InputError(
            f"expected an export, a file path or a list of them, got {describe(data)}",
            where=IN_MEMORY,
        )
    pages: list[Node] = []
    for index, item in enumerate(data):
        pages.extend(_item_pages(item, index))
    return pages


def _item_pages(item: object, index: int) -> list[Node]:
    if isinstance(item, Mapping):
        return [Node(item, IN_MEMORY, f"[{index}]")]
    if isinstance(item, str | os.PathLike):
        return _file_pages(item)
    raise InputError(
        f"expected an export or a file path, got {describe(item)}",
        where=f"{IN_MEMORY}[{index}]",
    )


def _file_pages(path: PathArg) -> list[Node]:
    return [page for doc in read_documents(path) for page in doc.pages()]


def _collect(pages: Iterable[Node]) -> _Records:
    records = _Records()
    for page in pages:
        if not any(key in page.mapping() for key in _LISTS):
            raise page.error(
                "not a get-account-authorization-details output: none of "
                + ", ".join(repr(key) for key in _LISTS)
                + " is present",
                hint=_EXPORT_HINT,
            )
        records.users.extend(page.list_at("UserDetailList"))
        records.groups.extend(page.list_at("GroupDetailList"))
        records.roles.extend(page.list_at("RoleDetailList"))
        records.policies.extend(page.list_at("Policies"))
    return records


# Managed policies


def _index_policies(nodes: Iterable[Node]) -> dict[str, ManagedPolicy]:
    """Every managed policy by ARN; an AWS managed one may recur across exports."""
    by_arn: dict[str, ManagedPolicy] = {}
    for node in nodes:
        policy = _read_policy(node)
        known = by_arn.get(policy.arn)
        if known is None or known == policy:
            by_arn[policy.arn] = policy
        elif policy.is_aws_managed:
            by_arn[policy.arn] = _newer(known, policy)
        else:
            raise node.error(
                f"managed policy {policy.arn!r} appears twice with different contents",
                hint="give each account's export once",
            )
    return by_arn


def _read_policy(node: Node) -> ManagedPolicy:
    arn_node = node.key("Arn")
    account = parse_iam_arn(arn_node, aws_managed=True).account
    versions: dict[str, Document] = {}
    flagged: list[str] = []
    for version in node.list_at("PolicyVersionList"):
        version_id = version.key("VersionId").text()
        versions[version_id] = policy_document(version.key("Document"))
        is_default = version.get("IsDefaultVersion")
        if is_default is not None and is_default.flag():
            flagged.append(version_id)
    default = _default_version(node, versions, flagged)
    return ManagedPolicy(
        arn=arn_node.text(),
        name=node.key("PolicyName").text(),
        account=account,
        default_version=default,
        versions=versions,
    )


def _default_version(
    node: Node, versions: Mapping[str, Document], flagged: list[str]
) -> str:
    given = node.get("DefaultVersionId")
    if given is None and not flagged:
        raise node.error(
            "managed policy has no 'DefaultVersionId' and no version with "
            "'IsDefaultVersion' true"
        )
    default = flagged[0] if given is None else given.text()
    if default not in versions:
        raise (given or node).error(
            f"default version {default!r} is not in 'PolicyVersionList'",
            hint="the export must include every version's document",
        )
    return default


def _newer(first: ManagedPolicy, second: ManagedPolicy) -> ManagedPolicy:
    """The later of two exports of one AWS managed policy, with all versions."""
    newer, older = first, second
    if _version_number(second.default_version) > _version_number(first.default_version):
        newer, older = second, first
    logger.warning(
        "AWS managed policy %s differs between exports; using default version %s",
        newer.arn,
        newer.default_version,
    )
    return replace(newer, versions={**older.versions, **newer.versions})


def _version_number(version_id: str) -> int:
    found = _VERSION_ID.fullmatch(version_id)
    return int(found.group(1)) if found else -1


def _scenario_names(policies: Iterable[ManagedPolicy]) -> dict[str, str]:
    """The scenario name of every policy, by ARN (see ``_naming``)."""
    policies = list(policies)
    aws_names = {p.name for p in policies if p.is_aws_managed}
    owners: dict[str, set[str]] = defaultdict(set)
    for policy in policies:
        if not policy.is_aws_managed:
            owners[policy.name].add(policy.account)
    names: dict[str, str] = {}
    for policy in policies:
        clashes = len(owners[policy.name]) > 1 or policy.name in aws_names
        needs_account = not policy.is_aws_managed and clashes
        name = (
            qualified_name(policy.account, policy.name)
            if needs_account
            else policy.name
        )
        names[policy.arn] = name
    _check_distinct(names)
    return names


def _check_distinct(names: Mapping[str, str]) -> None:
    seen: dict[str, str] = {}
    for arn, name in names.items():
        if name in seen:
            raise InputError(
                f"managed policies {seen[name]!r} and {arn!r} would both be "
                f"named {name!r}",
                where=IN_MEMORY,
                hint="an account cannot hold two managed policies of one name",
            )
        seen[name] = arn


# Principals


def _accounts(
    records: _Records, names: Mapping[str, str]
) -> dict[str, dict[str, dict[str, Any]]]:
    accounts: dict[str, dict[str, dict[str, Any]]] = {}
    kinds = (
        ("groups", records.groups, _group_entry),
        ("users", records.users, _user_entry),
        ("roles", records.roles, _role_entry),
    )
    for kind, nodes, build in kinds:
        for node in nodes:
            account = parse_iam_arn(node.key("Arn")).account
            name, entry = build(node, names)
            _add(_account(accounts, account), kind, name, entry, node)
    _check_groups(accounts, records.users)
    return {account: accounts[account] for account in sorted(accounts)}


def _account(
    accounts: dict[str, dict[str, dict[str, Any]]], account: str
) -> dict[str, dict[str, Any]]:
    if account not in accounts:
        accounts[account] = {"users": {}, "groups": {}, "roles": {}}
    return accounts[account]


def _add(
    account: dict[str, dict[str, Any]],
    kind: str,
    name: str,
    entry: dict[str, Any],
    node: Node,
) -> None:
    known = account[kind].get(name)
    if known is not None and known != entry:
        raise node.error(
            f"{kind[:-1]} {name!r} appears twice with different contents",
            hint="give each account's export once",
        )
    account[kind][name] = entry


def _user_entry(node: Node, names: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    entry: dict[str, Any] = {
        "path": node.key("Path").text(),
        "groups": [group.text() for group in node.list_at("GroupList")],
        "policies": _policies(node, "UserPolicyList", names),
    }
    _add_boundary_and_tags(entry, node, names)
    return node.key("UserName").text(), entry


def _group_entry(node: Node, names: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    entry = {
        "path": node.key("Path").text(),
        "policies": _policies(node, "GroupPolicyList", names),
    }
    return node.key("GroupName").text(), entry


def _role_entry(node: Node, names: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    path = node.key("Path").text()
    entry: dict[str, Any] = {
        "path": path,
        "trust_policy": policy_document(node.key("AssumeRolePolicyDocument")),
        "policies": _policies(node, "RolePolicyList", names),
    }
    _add_boundary_and_tags(entry, node, names)
    duration = node.get("MaxSessionDuration")
    if duration is not None:
        entry["max_session_duration"] = duration.integer()
    entry["service_linked"] = path.startswith(_SERVICE_LINKED_PATH)
    return node.key("RoleName").text(), entry


def _policies(
    node: Node, inline_key: str, names: Mapping[str, str]
) -> list[str | Document]:
    """Attached managed policies by name, then inline documents."""
    attached: list[str | Document] = [
        _policy_name(item.key("PolicyArn"), names)
        for item in node.list_at("AttachedManagedPolicies")
    ]
    inline = [_inline_document(item) for item in node.list_at(inline_key)]
    return attached + inline


def _inline_document(item: Node) -> Document:
    item.key("PolicyName").text()  # GAP: inline policy names are not kept
    return policy_document(item.key("PolicyDocument"))


def _policy_name(arn_node: Node, names: Mapping[str, str]) -> str:
    arn = arn_node.text()
    if arn not in names:
        raise arn_node.error(
            f"managed policy {arn!r} is attached but missing from 'Policies'",
            hint=_FILTER_HINT,
        )
    return names[arn]


def _add_boundary_and_tags(
    entry: dict[str, Any], node: Node, names: Mapping[str, str]
) -> None:
    boundary = node.get("PermissionsBoundary")
    if boundary is not None:
        arn = boundary.key("PermissionsBoundaryArn")
        entry["permissions_boundary"] = _policy_name(arn, names)
    tags = node.list_at("Tags")
    if tags:
        entry["tags"] = {tag.key("Key").text(): _tag_value(tag) for tag in tags}


def _tag_value(tag: Node) -> str:
    value = tag.get("Value")
    return "" if value is None else value.text()


def _check_groups(
    accounts: Mapping[str, Mapping[str, Mapping[str, Any]]], users: Iterable[Node]
) -> None:
    """Every group a user belongs to is listed for the user's account."""
    for user in users:
        account = parse_iam_arn(user.key("Arn")).account
        groups = accounts[account]["groups"]
        for group in user.list_at("GroupList"):
            if group.text() not in groups:
                raise group.error(
                    f"user is in group {group.text()!r}, which the export of "
                    f"account {account!r} does not list",
                    hint=_FILTER_HINT,
                )
