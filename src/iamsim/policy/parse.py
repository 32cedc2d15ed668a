"""Parse policy JSON into :class:`~iamsim.policy.model.Policy`, checking each element.

Parsing enforces the grammar of "IAM JSON policy element reference" in the IAM
User Guide and the rules each policy kind adds: identity policies, permissions
boundaries and session policies name no Principal; resource-based policies
must; role trust policies name no Resource; SCPs name no Principal; RCPs use
``"Principal": "*"``, no NotAction, and Allow only in RCPFullAWSAccess
("RCP syntax", AWS Organizations User Guide). Errors carry a JSON path and,
when the policy came as text, its line and column.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from iamsim.errors import PolicyError, PolicySyntaxError, PolicyValidationError
from iamsim.policy.conditions import check_operator, compile_condition
from iamsim.policy.jsonpos import PathPart, line_column, locate
from iamsim.policy.model import (
    VERSION_2008,
    VERSION_2012,
    ConditionClause,
    ConditionMatcher,
    Effect,
    Policy,
    PolicyKind,
    PrincipalSet,
    Statement,
)

TOP_LEVEL_KEYS = ("Version", "Id", "Statement")
STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")
RCP_FULL_ACCESS = "RCPFullAWSAccess"
_ACTION = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_NO_PRINCIPAL_KINDS = (
    PolicyKind.IDENTITY,
    PolicyKind.BOUNDARY,
    PolicyKind.SESSION,
    PolicyKind.SCP,
)


def parse_policy(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: PolicyKind,
    name: str = "inline",
) -> Policy:
    """Parse one policy document of ``kind``.

    ``source`` is JSON text or an already-decoded mapping. Raises
    :class:`PolicySyntaxError` for malformed elements and
    :class:`PolicyValidationError` for rules of the kind, each naming the
    JSON path (and line:column when ``source`` is text).
    """
    text = source.decode() if isinstance(source, bytes) else source
    document = _decode(text) if isinstance(text, str) else text
    try:
        return _Parser(kind, name).policy(document)
    except _ElementError as error:
        raise _located_error(error, text if isinstance(text, str) else None) from None


class _ElementError(Exception):
    def __init__(self, path: Sequence[PathPart], error: PolicyError) -> None:
        super().__init__(error.message)
        self.path = list(path)
        self.error = error


def _decode(text: str) -> Mapping[str, Any]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        line, column = line_column(text, error.pos)
        raise PolicySyntaxError(
            f"policy is not valid JSON: {error.msg.lower()}",
            where=f"line {line}:{column}",
            hint="check quotes, commas and brackets near that place",
        ) from None
    return document  # type: ignore[no-any-return]


def _render_path(path: Sequence[PathPart]) -> str:
    rendered = ""
    for part in path:
        rendered += (
            f"[{part}]" if isinstance(part, int) else (f".{part}" if rendered else part)
        )
    return rendered or "$"


def _located_error(error: _ElementError, text: str | None) -> PolicyError:
    where = _render_path(error.path)
    if text is not None:
        position = locate(text, error.path)
        if position is not None:
            where = f"{where} (line {position[0]}:{position[1]})"
    inner = error.error
    if inner.where:
        where = f"{where}: {inner.where}"
    return type(inner)(inner.message, where=where, hint=inner.hint)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _closest(word: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return (
        f"did you mean {match[0]!r}?" if match else f"use one of {', '.join(choices)}"
    )


class _Parser:
    def __init__(self, kind: PolicyKind, name: str) -> None:
        self.kind = kind
        self.name = name
        self.version = VERSION_2008

    def fail(
        self,
        path: Sequence[PathPart],
        message: str,
        hint: str = "",
        *,
        validation: bool = False,
    ) -> _ElementError:
        error_type = PolicyValidationError if validation else PolicySyntaxError
        return _ElementError(path, error_type(message, hint=hint))

    def policy(self, document: Any) -> Policy:
        if not isinstance(document, Mapping):
            raise self.fail(
                [], f"a policy must be a JSON object, not {_type(document)}"
            )
        for key in document:
            if key not in TOP_LEVEL_KEYS:
                raise self.fail(
                    [key],
                    f"unknown policy element {key!r}",
                    _closest(key, TOP_LEVEL_KEYS),
                )
        self.version = self.parse_version(document)
        policy_id = document.get("Id")
        if policy_id is not None and not isinstance(policy_id, str):
            raise self.fail(["Id"], f"Id must be a string, not {_type(policy_id)}")
        if "Statement" not in document:
            raise self.fail([], "policy has no Statement element")
        raw = document["Statement"]
        items = raw if isinstance(raw, list) else [raw]
        if not items:
            raise self.fail(["Statement"], "Statement must not be empty")
        prefix: list[PathPart] = ["Statement"]
        statements = tuple(
            self.statement(item, prefix + [i] if isinstance(raw, list) else prefix, i)
            for i, item in enumerate(items)
        )
        self.check_unique_sids(statements, isinstance(raw, list))
        return Policy(
            self.name, self.kind, self.version, statements, policy_id, document
        )

    def parse_version(self, document: Mapping[str, Any]) -> str:
        version = document.get("Version")
        if version is None:
            if self.kind is PolicyKind.RCP:
                raise self.fail(
                    [], "an RCP must have Version '2012-10-17'", validation=True
                )
            return VERSION_2008
        if version not in (VERSION_2012, VERSION_2008):
            raise self.fail(
                ["Version"],
                f"unsupported policy Version {version!r}",
                "use '2012-10-17'",
            )
        return str(version)

    def check_unique_sids(self, statements: Sequence[Statement], listed: bool) -> None:
        seen: set[str] = set()
        for statement in statements:
            if statement.sid is None:
                continue
            if statement.sid in seen:
                path: list[PathPart] = (
                    ["Statement", statement.index] if listed else ["Statement"]
                )
                raise self.fail(
                    path + ["Sid"],
                    f"duplicate Sid {statement.sid!r}",
                    "give each statement its own Sid",
                    validation=True,
                )
            seen.add(statement.sid)

    def statement(self, raw: Any, path: list[PathPart], index: int) -> Statement:
        if not isinstance(raw, Mapping):
            raise self.fail(
                path, f"a statement must be a JSON object, not {_type(raw)}"
            )
        for key in raw:
            if key not in STATEMENT_KEYS:
                raise self.fail(
                    path + [key],
                    f"unknown statement element {key!r}",
                    _closest(key, STATEMENT_KEYS),
                )
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise self.fail(path + ["Sid"], f"Sid must be a string, not {_type(sid)}")
        effect = self.effect(raw, path)
        actions, not_actions = self.pair(raw, path, "Action", "NotAction", self.action)
        resources, not_resources = self.resources(raw, path)
        principal, not_principal = self.principals(raw, path, effect)
        condition = self.condition(raw.get("Condition"), path + ["Condition"])
        statement = Statement(
            index,
            sid,
            effect,
            actions,
            not_actions,
            resources,
            not_resources,
            principal,
            not_principal,
            condition,
        )
        self.check_kind_rules(statement, path)
        return statement

    def effect(self, raw: Mapping[str, Any], path: list[PathPart]) -> Effect:
        value = raw.get("Effect")
        if value is None:
            raise self.fail(path, "statement has no Effect", 'add "Effect": "Allow"')
        if value == "Allow":
            return Effect.ALLOW
        if value == "Deny":
            return Effect.DENY
        raise self.fail(
            path + ["Effect"],
            f"Effect must be 'Allow' or 'Deny', not {value!r}",
            _closest(str(value), ("Allow", "Deny")),
        )

    def pair(
        self,
        raw: Mapping[str, Any],
        path: list[PathPart],
        name: str,
        negated: str,
        check: Any,
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        if name in raw and negated in raw:
            raise self.fail(path, f"a statement cannot have both {name} and {negated}")
        if name not in raw and negated not in raw:
            raise self.fail(path, f"statement has no {name} or {negated}")
        key = name if name in raw else negated
        values = self.strings(raw[key], path + [key])
        for i, value in enumerate(values):
            check(value, path + [key] + ([i] if isinstance(raw[key], list) else []))
        return (values, None) if key == name else (None, values)

    def strings(self, value: Any, path: list[PathPart]) -> tuple[str, ...]:
        items = _as_list(value)
        if not items:
            raise self.fail(path, f"{path[-1]} must not be an empty list")
        for i, item in enumerate(items):
            if not isinstance(item, str):
                where = path + ([i] if isinstance(value, list) else [])
                raise self.fail(where, f"expected a string, not {_type(item)}")
        return tuple(items)

    def action(self, value: str, path: list[PathPart]) -> None:
        if value != "*" and not _ACTION.match(value):
            raise self.fail(
                path,
                f"invalid action {value!r}",
                "an action reads SERVICE:ActionName, e.g. 's3:GetObject'",
            )

    def resource(self, value: str, path: list[PathPart]) -> None:
        if value == "*" or value.startswith("arn:"):
            if value != "*" and value.count(":") < 5:
                raise self.fail(
                    path,
                    f"resource {value!r} is not a complete ARN",
                    "an ARN reads arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
                )
            return
        raise self.fail(
            path,
            f"resource {value!r} is neither '*' nor an ARN",
            "use an ARN such as 'arn:aws:s3:::bucket/*'",
        )

    def resources(
        self, raw: Mapping[str, Any], path: list[PathPart]
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        has_any = "Resource" in raw or "NotResource" in raw
        if self.kind is PolicyKind.TRUST:
            if has_any:
                key = "Resource" if "Resource" in raw else "NotResource"
                raise self.fail(
                    path + [key],
                    f"a role trust policy cannot have {key}",
                    "remove it; the role itself is the resource",
                    validation=True,
                )
            return None, None
        if not has_any and self.kind is PolicyKind.SCP:
            return ("*",), None
        return self.pair(raw, path, "Resource", "NotResource", self.resource)

    def principals(
        self, raw: Mapping[str, Any], path: list[PathPart], effect: Effect
    ) -> tuple[PrincipalSet | None, PrincipalSet | None]:
        has_principal = "Principal" in raw
        has_not = "NotPrincipal" in raw
        if self.kind in _NO_PRINCIPAL_KINDS and (has_principal or has_not):
            key = "Principal" if has_principal else "NotPrincipal"
            raise self.fail(
                path + [key],
                f"{self.kind.title} cannot name a {key}",
                "principals belong in resource-based and trust policies",
                validation=True,
            )
        if self.kind in _NO_PRINCIPAL_KINDS:
            return None, None
        if has_principal and has_not:
            raise self.fail(
                path, "a statement cannot have both Principal and NotPrincipal"
            )
        if not has_principal and not has_not:
            raise self.fail(
                path,
                f"a {self.kind.title} statement needs a Principal",
                validation=True,
            )
        if has_not:
            if effect is not Effect.DENY or self.kind is not PolicyKind.RESOURCE:
                raise self.fail(
                    path + ["NotPrincipal"],
                    "NotPrincipal is supported only with Deny in a "
                    "resource-based policy",
                    validation=True,
                )
            return None, self.principal_set(
                raw["NotPrincipal"], path + ["NotPrincipal"]
            )
        return self.principal_set(raw["Principal"], path + ["Principal"]), None

    def principal_set(self, raw: Any, path: list[PathPart]) -> PrincipalSet:
        if raw == "*":
            return PrincipalSet(everyone=True)
        if not isinstance(raw, Mapping):
            raise self.fail(
                path,
                "Principal must be '*' or an object",
                'e.g. {"AWS": "arn:aws:iam::111122223333:root"}',
            )
        found: dict[str, frozenset[str]] = {}
        for key, value in raw.items():
            if key not in PRINCIPAL_KEYS:
                raise self.fail(
                    path + [key],
                    f"unknown principal type {key!r}",
                    _closest(key, PRINCIPAL_KEYS),
                )
            values = self.strings(value, path + [key])
            if key == "AWS":
                values = tuple(_normalize_aws_principal(v) for v in values)
            found[key] = frozenset(values)
        everyone = "*" in found.get("AWS", frozenset())
        return PrincipalSet(
            everyone=everyone,
            aws=found.get("AWS", frozenset()) - {"*"},
            service=found.get("Service", frozenset()),
            federated=found.get("Federated", frozenset()),
            canonical_user=found.get("CanonicalUser", frozenset()),
        )

    def condition(self, raw: Any, path: list[PathPart]) -> ConditionMatcher | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            raise self.fail(path, f"Condition must be an object, not {_type(raw)}")
        clauses: list[ConditionClause] = []
        for operator, block in raw.items():
            try:
                check_operator(operator)
            except PolicyError as error:
                raise _ElementError(path + [operator], error) from None
            if not isinstance(block, Mapping) or not block:
                raise self.fail(
                    path + [operator],
                    "a condition operator needs an object of keys and values",
                    'e.g. {"aws:SourceIp": "203.0.113.0/24"}',
                )
            for key, value in block.items():
                clauses.append(
                    self.clause(operator, key, value, path + [operator, key])
                )
        try:
            return compile_condition(tuple(clauses), version=self.version)
        except PolicyError as error:
            raise _ElementError(path, error) from None

    def clause(
        self, operator: str, key: str, value: Any, path: list[PathPart]
    ) -> ConditionClause:
        items = _as_list(value)
        rendered: list[str] = []
        for i, item in enumerate(items):
            if isinstance(item, bool):
                rendered.append("true" if item else "false")
            elif isinstance(item, str | int | float):
                rendered.append(str(item))
            else:
                where = path + ([i] if isinstance(value, list) else [])
                raise self.fail(
                    where,
                    f"a condition value must be a string, number or "
                    f"boolean, not {_type(item)}",
                )
        return ConditionClause(operator, key, tuple(rendered), _render_path(path))

    def check_kind_rules(self, statement: Statement, path: list[PathPart]) -> None:
        if self.kind is not PolicyKind.RCP:
            return
        if statement.not_actions is not None:
            raise self.fail(
                path + ["NotAction"], "an RCP cannot use NotAction", validation=True
            )
        if (
            statement.principal is None
            or not statement.principal.everyone
            or (statement.principal.aws or statement.principal.service)
        ):
            raise self.fail(
                path + ["Principal"],
                'an RCP statement must use "Principal": "*"',
                "narrow it with a Condition instead",
                validation=True,
            )
        if statement.effect is Effect.ALLOW and self.name != RCP_FULL_ACCESS:
            raise self.fail(
                path + ["Effect"],
                "an RCP may only Deny",
                f"Allow is reserved to {RCP_FULL_ACCESS}",
                validation=True,
            )


def _normalize_aws_principal(value: str) -> str:
    """IAM stores a bare account id as that account's root ARN."""
    if _ACCOUNT_ID.match(value):
        return f"arn:aws:iam::{value}:root"
    return value


def _type(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
