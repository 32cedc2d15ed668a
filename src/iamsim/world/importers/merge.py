"""Combine scenario dictionaries from several imports into one.

An Organizations export and the authorization-details exports of its
accounts each give part of a world; :func:`merge_scenarios` joins them.
Equal definitions merge silently. A managed policy name defined with
different documents in two inputs is qualified with the one account that
uses it in each input (``222222222222/DevAccess``); any other disagreement
is an error, because picking one side would silently change the world.

Imports nothing of iamsim but errors; it builds plain data, never a World.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from iamsim.errors import InputError
from iamsim.world.importers._naming import qualified_name
from iamsim.world.importers._source import Node, describe

_PRINCIPAL_KINDS = ("users", "groups", "roles")
_CONTROL_POLICY_KEYS = ("scps", "rcps")
_CLASH_HINT = (
    "import every account's authorization details in one "
    "import_authorization_details call, which names clashing customer "
    "managed policies by account"
)


def merge_scenarios(*scenarios: Mapping[str, Any]) -> dict[str, Any]:
    """One scenario holding everything the given scenarios hold.

    The inputs are not changed. Inputs are named ``scenario 1``,
    ``scenario 2``, ... in errors, in the order given.
    """
    nodes = [
        Node(_plain(scenario, f"scenario {number}"), f"scenario {number}")
        for number, scenario in enumerate(scenarios, start=1)
    ]
    _resolve_clashes(nodes)
    merged: dict[str, Any] = {}
    for node in nodes:
        _merge_scenario(merged, node)
    return merged


def _plain(value: object, where: str) -> Any:
    """A deep copy in plain dicts and lists, so the inputs stay untouched."""
    if isinstance(value, Mapping):
        return {key: _plain(item, where) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, where) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise InputError(
        f"expected plain scenario data, got {describe(value)}", where=where
    )


# Clashing policy names


def _resolve_clashes(nodes: list[Node]) -> None:
    definers: dict[str, list[Node]] = defaultdict(list)
    for node in nodes:
        for name, _ in _policies(node):
            definers[name].append(node)
    for name, defining in definers.items():
        documents = [_policies_dict(node)[name] for node in defining]
        if any(document != documents[0] for document in documents):
            for node in defining:
                _qualify(node, name)


def _policies(node: Node) -> list[tuple[str, Node]]:
    found = node.get("policies")
    return [] if found is None else found.members()


def _policies_dict(node: Node) -> dict[str, Any]:
    policies = node.key("policies").value
    assert isinstance(policies, dict)  # INVARIANT: _plain made it a dict
    return policies


def _qualify(node: Node, name: str) -> None:
    """Rename policy ``name`` after the one account that uses it."""
    owners = {account for account, _ in _references(node, name)}
    new_name = qualified_name(next(iter(owners)), name) if len(owners) == 1 else ""
    policies = _policies_dict(node)
    if not new_name or "/" in name or _org_uses(node, name) or new_name in policies:
        raise (
            node.key("policies")
            .key(name)
            .error(
                f"policy {name!r} has a different document in another input",
                hint=_CLASH_HINT,
            )
        )
    policies[new_name] = policies.pop(name)
    for _, holder in _references(node, name):
        _rename_in(holder, name, new_name)


def _references(node: Node, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The principals that use policy ``name``, with their account ids."""
    accounts = node.get("accounts")
    for account, entry in [] if accounts is None else accounts.members():
        for kind in _PRINCIPAL_KINDS:
            principals = entry.get(kind)
            for _, principal in [] if principals is None else principals.members():
                if _uses(principal, name):
                    assert isinstance(principal.value, dict)  # INVARIANT: _plain
                    yield account, principal.value


def _uses(principal: Node, name: str) -> bool:
    boundary = principal.get("permissions_boundary")
    if boundary is not None and boundary.value == name:
        return True
    return any(item.value == name for item in principal.list_at("policies"))


def _rename_in(principal: dict[str, Any], old: str, new: str) -> None:
    if principal.get("permissions_boundary") == old:
        principal["permissions_boundary"] = new
    principal["policies"] = [
        new if item == old else item for item in principal.get("policies", [])
    ]


def _org_uses(node: Node, name: str) -> bool:
    organization = node.get("organization")
    root = None if organization is None else organization.get("root")
    return root is not None and _level_uses(root, name)


def _level_uses(level: Node, name: str) -> bool:
    """Whether a root, OU or account entry, or anything below, attaches ``name``."""
    if isinstance(level.value, str):
        return False
    attached = [
        item.value for key in _CONTROL_POLICY_KEYS for item in level.list_at(key)
    ]
    children = level.list_at("accounts") + level.list_at("ous")
    return name in attached or any(_level_uses(child, name) for child in children)


# Merging


def _merge_scenario(merged: dict[str, Any], node: Node) -> None:
    for key, member in node.members():
        if key == "policies":
            _merge_named(merged.setdefault(key, {}), member, "policy")
        elif key == "accounts":
            _merge_accounts(merged.setdefault(key, {}), member)
        else:
            _merge_equal(merged, key, member)


def _merge_accounts(merged: dict[str, Any], accounts: Node) -> None:
    for account, entry in accounts.members():
        target = merged.setdefault(account, {})
        for key, member in entry.members():
            if key in _PRINCIPAL_KINDS:
                _merge_named(target.setdefault(key, {}), member, key[:-1])
            elif key == "resources":
                _merge_resources(target.setdefault(key, []), member)
            else:
                _merge_equal(target, key, member)


def _merge_named(merged: dict[str, Any], named: Node, what: str) -> None:
    for name, member in named.members():
        if name in merged and merged[name] != member.value:
            raise member.error(
                f"{what} {name!r} is defined differently in another input",
                hint="give each entity in one input, or the same way in all",
            )
        merged[name] = member.value


def _merge_resources(merged: list[Any], resources: Node) -> None:
    for resource in resources.elements():
        if resource.value in merged:
            continue
        arn = resource.key("arn").value
        if any(_arn_of(known) == arn for known in merged):
            raise resource.error(
                f"resource {arn!r} is defined differently in another input",
                hint="give each resource in one input, or the same way in all",
            )
        merged.append(resource.value)


def _arn_of(resource: object) -> object:
    return resource.get("arn") if isinstance(resource, dict) else None


def _merge_equal(merged: dict[str, Any], key: str, member: Node) -> None:
    if key in merged and merged[key] != member.value:
        raise member.error(
            f"{key!r} differs from another input's",
            hint="merge scenarios that describe one organization",
        )
    merged[key] = member.value
