"""Resolve the policy references of a scenario into parsed policies.

Anywhere a scenario takes a policy it accepts a name from ``policies:``, a
managed-policy ARN whose name is defined there, or an inline document (a
mapping, or JSON text). AWS managed policies are not bundled, so one named
by ARN (``arn:aws:iam::aws:policy/ReadOnlyAccess``) must be defined under
``policies:`` too, by its name or its full ARN. The two AWS managed
Organizations policies ``FullAWSAccess`` (an SCP) and ``RCPFullAWSAccess``
(an RCP) are built in, with AWS's documented documents, unless a scenario
redefines them.

A named policy keeps its name in decisions; an inline one is named after
its owner, e.g. ``alice/inline-0``, or by its ``Id`` when it has one.
Imports only iamsim.errors, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from iamsim.errors import InputError, PolicyError
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.world.model import ManagedPolicy
from iamsim.world.source import Cursor, Path, PathPart, closest_hint, type_name

FULL_AWS_ACCESS = "FullAWSAccess"
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"
#: "AWS managed SCPs" and "AWS managed RCPs", AWS Organizations User Guide:
#: attached to every root, OU and account when the policy type is enabled.
BUILTIN_POLICIES: Mapping[str, Mapping[str, Any]] = {
    FULL_AWS_ACCESS: {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    },
    RCP_FULL_AWS_ACCESS: {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        ],
    },
}
_MANAGED_ARN = re.compile(
    r"^arn:[a-z-]+:iam::(?P<owner>aws|\d{12}):policy/(?:.*/)?(?P<name>[^/]+)$"
)


def is_full_access_rcp(name: str) -> bool:
    """Whether a policy name is AWS's ``RCPFullAWSAccess``, prefixed or not."""
    return name.rsplit("/", 1)[-1] == RCP_FULL_AWS_ACCESS


class PolicyBook:
    """The scenario's named policies, parsed once per (name, kind) on use."""

    def __init__(self, definitions: Cursor | None) -> None:
        self._definitions: dict[str, Cursor] = {}
        if definitions is not None:
            for name, cursor in definitions.entries("policies"):
                self._check_definition(cursor)
                self._definitions[name] = cursor
        self._parsed: dict[tuple[str, PolicyKind], Policy] = {}
        self._used_builtins: set[str] = set()

    @staticmethod
    def _check_definition(cursor: Cursor) -> None:
        if not isinstance(cursor.value, Mapping | str):
            raise cursor.fail(
                f"a policy document must be a mapping or JSON text, not "
                f"{type_name(cursor.value)}"
            )

    def managed_policies(self) -> dict[str, ManagedPolicy]:
        """Every defined policy, plus each built-in one the scenario used."""
        result: dict[str, ManagedPolicy] = {}
        for name, cursor in self._definitions.items():
            match = _MANAGED_ARN.match(name)
            short = match.group("name") if match else name
            result[short] = ManagedPolicy(
                short, cursor.value, arn=name if match else None
            )
        for name in sorted(self._used_builtins - set(result)):
            result[name] = ManagedPolicy(
                name,
                BUILTIN_POLICIES[name],
                arn=f"arn:aws:organizations::aws:policy/{name}",
            )
        return result

    def many(
        self, cursor: Cursor, kind: PolicyKind, owner: str, what: str = "policies"
    ) -> tuple[Policy, ...]:
        """Each reference in the list at ``cursor``, parsed as ``kind``."""
        policies: list[Policy] = []
        for index, item in enumerate(cursor.elements(what)):
            policies.append(self.one(item, kind, f"{owner}/inline-{index}"))
        return tuple(policies)

    def one(self, cursor: Cursor, kind: PolicyKind, inline_name: str) -> Policy:
        """The policy a reference names; ``inline_name`` names inline ones."""
        value = cursor.value
        if isinstance(value, Mapping):
            return _parse(cursor, kind, inline_name, use_id=True)
        if not isinstance(value, str):
            raise cursor.fail(
                f"a policy must be a name, an ARN or a document, not {type_name(value)}"
            )
        if value.lstrip().startswith("{"):
            return _parse(cursor, kind, inline_name, use_id=True)
        return self.named(cursor, kind)

    def named(self, cursor: Cursor, kind: PolicyKind) -> Policy:
        """The defined or built-in policy that the string at ``cursor`` names."""
        reference: str = cursor.value
        name, definition = self._lookup(reference)
        if definition is None and name in BUILTIN_POLICIES:
            self._used_builtins.add(name)
            builtin = Cursor(
                cursor.source, ("<built-in>", name), BUILTIN_POLICIES[name]
            )
            return self._cached(name, kind, builtin)
        if definition is None:
            raise self._unknown(cursor, reference)
        return self._cached(name, kind, definition)

    def _cached(self, name: str, kind: PolicyKind, definition: Cursor) -> Policy:
        key = (name, kind)
        if key in self._parsed:
            return self._parsed[key]
        # AWS lets only its managed RCPFullAWSAccess allow; an import may name
        # it with a prefix (``rcp/RCPFullAWSAccess``), so match the last part.
        reserved = kind is PolicyKind.RCP and is_full_access_rcp(name)
        parse_name = RCP_FULL_AWS_ACCESS if reserved else name
        policy = _parse(definition, kind, parse_name, use_id=False)
        if parse_name != name:
            policy = dataclasses.replace(policy, name=name)
        self._parsed[key] = policy
        return policy

    def check_unreferenced(self) -> None:
        """Parse every defined policy that nothing has used yet.

        A mistake in a policy no principal references would otherwise go
        unnoticed. Its kind is unknown, so it is read as a resource-based
        policy when a statement names a principal, else as an identity policy.
        """
        used = {name for name, _kind in self._parsed}
        for reference, definition in self._definitions.items():
            name, _ = self._lookup(reference)
            if name in used:
                continue
            kind = (
                PolicyKind.RESOURCE
                if _names_a_principal(definition.value)
                else PolicyKind.IDENTITY
            )
            _parse(definition, kind, name, use_id=False)

    def _lookup(self, reference: str) -> tuple[str, Cursor | None]:
        if reference in self._definitions:
            match = _MANAGED_ARN.match(reference)
            short = match.group("name") if match else reference
            return short, self._definitions[reference]
        match = _MANAGED_ARN.match(reference)
        if match is None:
            return reference, None
        short = match.group("name")
        return short, self._definitions.get(short)

    def _unknown(self, cursor: Cursor, reference: str) -> InputError:
        match = _MANAGED_ARN.match(reference)
        if match is not None and match.group("owner") == "aws":
            return cursor.fail(
                f"AWS managed policy {reference!r} is not defined",
                f"add it under policies: as {match.group('name')!r} with its "
                "document; iamsim bundles no AWS managed policies",
            )
        choices = [*self._definitions, *BUILTIN_POLICIES]
        return cursor.fail(
            f"policy {reference!r} is not defined",
            closest_hint(reference, choices, "define it under policies:"),
        )


def _names_a_principal(document: Any) -> bool:
    if isinstance(document, str):
        return '"Principal"' in document or '"NotPrincipal"' in document
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    items = statements if isinstance(statements, list) else [statements]
    return any(
        isinstance(item, Mapping) and ("Principal" in item or "NotPrincipal" in item)
        for item in items
    )


def _parse(cursor: Cursor, kind: PolicyKind, name: str, *, use_id: bool) -> Policy:
    try:
        policy = parse_policy(cursor.value, kind=kind, name=name)
    except PolicyError as error:
        raise _located(cursor, error, kind, name) from None
    if use_id and policy.policy_id:
        policy = dataclasses.replace(policy, name=policy.policy_id)
    return policy


def _located(
    cursor: Cursor, error: PolicyError, kind: PolicyKind, name: str
) -> InputError:
    parts, rest = _split_policy_path(cursor.value, error.where)
    where = cursor.source.where((*cursor.path, *parts))
    if rest:
        where = f"{where}{rest}" if rest[0] in " :" else f"{where}: {rest}"
    return InputError(
        f"{kind.title} {name!r}: {error.message}", where=where, hint=error.hint
    )


def _split_policy_path(document: Any, where: str) -> tuple[Path, str]:
    """The leading JSON path of a policy error's place, walked in ``document``.

    Keys may contain dots and colons (``token.actions.githubusercontent.com:sub``)
    so each step takes the longest key of the current object that fits.
    """
    if where.startswith("$"):
        return (), where[1:].lstrip()
    parts: list[PathPart] = []
    node, rest = document, where
    while rest:
        step = _step(node, rest, first=not parts)
        if step is None:
            break
        part, rest = step
        parts.append(part)
        node = node[part]
    return tuple(parts), rest


def _step(node: Any, rest: str, *, first: bool) -> tuple[PathPart, str] | None:
    index = re.match(r"\[(\d+)\]", rest)
    if index is not None:
        position = int(index.group(1))
        if isinstance(node, list) and position < len(node):
            return position, rest[index.end() :]
        return None
    if not isinstance(node, Mapping):
        return None
    body = rest if first else rest[1:] if rest.startswith(".") else None
    if body is None:
        return None
    fitting = [
        key
        for key in node
        if isinstance(key, str)
        and body.startswith(key)
        and body[len(key) : len(key) + 1] in ("", ".", "[", " ", ":")
    ]
    if not fitting:
        return None
    key = max(fitting, key=len)
    return key, body[len(key) :]
