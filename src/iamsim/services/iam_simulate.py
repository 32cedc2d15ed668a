"""SimulatePrincipalPolicy and SimulateCustomPolicy, answered by the engine.

As "Testing IAM policies with the IAM policy simulator" (IAM User Guide)
describes, the simulator evaluates the identity policies of a user (with
its groups'), group or role, or the given policies, against each action and
resource, with the permissions boundary, a resource policy and the SCPs of
the account's organization. Only the context keys given in ContextEntries
are known; keys a matching condition needs but lacks are reported in
MissingContextValues. Each result carries AWS's EvaluationResult members:
EvalDecision (``allowed``, ``explicitDeny``, ``implicitDeny``),
MatchedStatements, OrganizationsDecisionDetail and
PermissionsBoundaryDecisionDetail.

Imports only iamsim.errors, iamsim.engine, iamsim.policy, iamsim.world and
iamsim.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

from iamsim.engine.decision import Decision, DecisionEffect, Gate, GateOutcome
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import OrgGates, PolicySet, Principal, PrincipalType, Request
from iamsim.errors import PolicyError
from iamsim.policy.arn import is_arn, parse_arn
from iamsim.policy.jsonpos import locate
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import Scope
from iamsim.services.iam_common import paginate
from iamsim.services.iam_errors import invalid_input, no_such_entity
from iamsim.services.iam_validate import string_list
from iamsim.world.store_iam import get_group, get_role, get_user, groups_of_user
from iamsim.world.store_policies import (
    attached_arns,
    default_document,
    get_boundary,
    get_policy,
    list_inline,
)
from iamsim.world.store_rows import EntityKind

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

_EFFECTS = {
    DecisionEffect.ALLOW: "allowed",
    DecisionEffect.EXPLICIT_DENY: "explicitDeny",
    DecisionEffect.IMPLICIT_DENY: "implicitDeny",
}
_ORG_KINDS = (PolicyKind.SCP, PolicyKind.RCP)


@dataclass
class _Inputs:
    """The policies of one simulation, each named so results can cite it."""

    identity: list[Policy] = field(default_factory=list)
    boundary: Policy | None = None
    resource: Policy | None = None
    scps: OrgGates | None = None
    #: Parsed policy name -> (SourcePolicyId, SourcePolicyType, document text).
    sources: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def add(
        self, text: str, kind: PolicyKind, source_id: str, source_type: str
    ) -> Policy:
        label = f"{len(self.sources)}:{source_id}"
        try:
            policy = parse_policy(text, kind=kind, name=label)
        except PolicyError as error:
            raise invalid_input(f"{source_id}: {error.render()}") from None
        self.sources[label] = (source_id, source_type, text)
        return policy


@dataclass(frozen=True)
class _Exclusions:
    arns: frozenset[str] = frozenset()
    inline: frozenset[tuple[str, str, str]] = frozenset()

    @classmethod
    def of(cls, params: Params) -> _Exclusions:
        arns: set[str] = set()
        inline: set[tuple[str, str, str]] = set()
        for item in params.get("PolicyExclusionList") or ():
            if not isinstance(item, dict):
                raise invalid_input("PolicyExclusionList entries must be structures.")
            if item.get("PolicyArn"):
                arns.add(str(item["PolicyArn"]))
            ident = item.get("InlinePolicyIdentifier")
            if isinstance(ident, dict):
                inline.add(
                    (
                        str(ident.get("AttachmentType", "")),
                        str(ident.get("AttachmentName", "")).lower(),
                        str(ident.get("PolicyName", "")),
                    )
                )
        return cls(frozenset(arns), frozenset(inline))


def _entity_policies(
    db: Connection,
    scope: Scope,
    inputs: _Inputs,
    kind: EntityKind,
    name: str,
    excluded: _Exclusions,
) -> None:
    for row in list_inline(db, scope.account, kind, name):
        if (kind.value, name.lower(), row.policy_name) in excluded.inline:
            continue
        policy = inputs.add(
            row.document, PolicyKind.IDENTITY, row.policy_name, kind.value
        )
        inputs.identity.append(policy)
    for arn in attached_arns(db, scope.account, kind, name):
        managed = get_policy(db, arn)
        text = default_document(db, arn)
        if managed is None or text is None or arn in excluded.arns:
            continue
        source_type = "aws-managed" if managed.aws_managed else "user-managed"
        policy = inputs.add(text, PolicyKind.IDENTITY, managed.name, source_type)
        inputs.identity.append(policy)


def _source_principal(
    db: Connection, scope: Scope, inputs: _Inputs, arn: str, excluded: _Exclusions
) -> Principal:
    """Gather the source entity's policies; the principal it simulates as."""
    parsed = parse_arn(arn) if is_arn(arn) else None
    kind, _, rest = ("", "", "") if parsed is None else parsed.resource.partition("/")
    entity = rest.rsplit("/", 1)[-1]
    if parsed is None or parsed.service != "iam" or parsed.account != scope.account:
        raise invalid_input(f"Invalid PolicySourceArn: {arn}")
    if kind == "user" and (user := get_user(db, scope.account, entity)) is not None:
        _entity_policies(db, scope, inputs, EntityKind.USER, user.name, excluded)
        for member_of in groups_of_user(db, scope.account, user.name):
            _entity_policies(
                db, scope, inputs, EntityKind.GROUP, member_of.name, excluded
            )
        _boundary(db, scope, inputs, EntityKind.USER, user.name, excluded)
        user_arn = scope.arn("user", user.path, user.name)
        return Principal(user_arn, PrincipalType.USER, scope.account)
    if kind == "role" and (role := get_role(db, scope.account, entity)) is not None:
        _entity_policies(db, scope, inputs, EntityKind.ROLE, role.name, excluded)
        _boundary(db, scope, inputs, EntityKind.ROLE, role.name, excluded)
        role_arn = scope.arn("role", role.path, role.name)
        sts = f"arn:{scope.partition}:sts::{scope.account}"
        session = f"{sts}:assumed-role/{role.name}/{role.name}"
        return Principal(session, PrincipalType.ASSUMED_ROLE, scope.account, role_arn)
    if kind == "group" and (group := get_group(db, scope.account, entity)) is not None:
        _entity_policies(db, scope, inputs, EntityKind.GROUP, group.name, excluded)
        return Principal(arn, PrincipalType.USER, scope.account)
    raise no_such_entity(f"PolicySourceArn {arn} does not name an existing entity.")


def _boundary(
    db: Connection,
    scope: Scope,
    inputs: _Inputs,
    kind: EntityKind,
    name: str,
    excluded: _Exclusions,
) -> None:
    arn = get_boundary(db, scope.account, kind, name)
    if arn is None or arn in excluded.arns:
        return
    managed = get_policy(db, arn)
    text = default_document(db, arn)
    if managed is not None and text is not None:
        source_type = "aws-managed" if managed.aws_managed else "user-managed"
        inputs.boundary = inputs.add(
            text, PolicyKind.BOUNDARY, managed.name, source_type
        )


def _given_policies(params: Params, inputs: _Inputs, *, required: bool) -> None:
    documents = string_list(params, "PolicyInputList")
    if required and not documents:
        raise invalid_input("PolicyInputList must hold at least one policy.")
    for index, text in enumerate(documents, 1):
        source = f"PolicyInputList.{index}"
        inputs.identity.append(inputs.add(text, PolicyKind.IDENTITY, source, "none"))
    boundaries = string_list(params, "PermissionsBoundaryPolicyInputList")
    if len(boundaries) > 1:
        raise invalid_input("PermissionsBoundaryPolicyInputList holds one policy.")
    if boundaries:
        source = "PermissionsBoundaryPolicyInputList.1"
        inputs.boundary = inputs.add(boundaries[0], PolicyKind.BOUNDARY, source, "none")
    resource_policy = params.get("ResourcePolicy")
    if isinstance(resource_policy, str):
        inputs.resource = inputs.add(
            resource_policy, PolicyKind.RESOURCE, "ResourcePolicy", "resource"
        )


def _context(params: Params) -> dict[str, tuple[str, ...]]:
    context: dict[str, tuple[str, ...]] = {}
    for entry in params.get("ContextEntries") or ():
        if not isinstance(entry, dict) or not entry.get("ContextKeyName"):
            raise invalid_input("Each ContextEntries entry needs a ContextKeyName.")
        values = entry.get("ContextKeyValues") or []
        context[str(entry["ContextKeyName"]).lower()] = tuple(str(v) for v in values)
    return context


def _resource_owner(params: Params, default: str | None) -> str | None:
    owner = params.get("ResourceOwner")
    if not isinstance(owner, str):
        return default
    if is_arn(owner):
        return parse_arn(owner).account or default
    return owner


def _caller_principal(scope: Scope, arn: str) -> Principal:
    if not is_arn(arn):
        raise invalid_input(f"Invalid CallerArn: {arn}")
    parsed = parse_arn(arn)
    account = parsed.account or scope.account
    if parsed.resource == "root":
        return Principal(arn, PrincipalType.ROOT, account)
    if parsed.service == "sts" and parsed.resource.startswith("assumed-role/"):
        return Principal(arn, PrincipalType.ASSUMED_ROLE, account)
    return Principal(arn, PrincipalType.USER, account)


def _position(text: str, index: int) -> dict[str, int] | None:
    found = locate(text, ["Statement", index]) or locate(text, ["Statement"])
    if found is None:
        return None
    return {"Line": found[0], "Column": found[1]}


def _matched(decision: Decision, inputs: _Inputs) -> list[Result]:
    shapes: list[Result] = []
    for statement in decision.matched:
        source = inputs.sources.get(statement.policy)
        if statement.kind in _ORG_KINDS or source is None:
            continue
        source_id, source_type, text = source
        shape: Result = {"SourcePolicyId": source_id, "SourcePolicyType": source_type}
        start = _position(text, statement.index)
        if start is not None:
            shape["StartPosition"] = start
        shapes.append(shape)
    return shapes


def _missing(decision: Decision, policies: list[Policy]) -> list[str]:
    spelled: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            if statement.condition is None:
                continue
            for clause in statement.condition.clauses:
                spelled.setdefault(clause.key.lower(), clause.key)
    return [spelled.get(key, key) for key in decision.missing_context_keys]


def _result(decision: Decision, inputs: _Inputs, action: str, resource: str) -> Result:
    policies = [*inputs.identity, *filter(None, (inputs.boundary, inputs.resource))]
    result: Result = {
        "EvalActionName": action,
        "EvalResourceName": resource,
        "EvalDecision": _EFFECTS[decision.effect],
        "MatchedStatements": _matched(decision, inputs),
        "MissingContextValues": _missing(decision, policies),
    }
    scp = decision.gate(Gate.SCP)
    if scp is not None:
        allowed = scp.outcome is GateOutcome.ALLOW
        result["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": allowed}
    boundary = decision.gate(Gate.BOUNDARY)
    if boundary is not None:
        allowed = boundary.outcome is GateOutcome.ALLOW
        result["PermissionsBoundaryDecisionDetail"] = {
            "AllowedByPermissionsBoundary": allowed
        }
    return result


def _simulate(
    params: Params, inputs: _Inputs, principal: Principal, owner: str | None
) -> Result:
    actions = string_list(params, "ActionNames")
    if not actions:
        raise invalid_input("ActionNames must name at least one action.")
    resources = string_list(params, "ResourceArns") or ["*"]
    context = _context(params)
    policies = PolicySet(
        identity=tuple(inputs.identity),
        boundary=inputs.boundary,
        resource=inputs.resource,
        scps=inputs.scps,
    )
    results = []
    for action in actions:
        if ":" not in action:
            raise invalid_input(f"Action {action!r} has no service prefix.")
        for resource in resources:
            request = Request(principal, action, resource, context, owner)
            decision = evaluate(request, policies)
            results.append(_result(decision, inputs, action, resource))
    page, extra = paginate(results, params)
    return {"EvaluationResults": page, **extra}


def _scp_level(inputs: _Inputs, index: int, level: Any) -> tuple[Policy, ...]:
    texts = (
        level.get("ServiceControlPolicyInputList") if isinstance(level, dict) else None
    )
    return tuple(
        inputs.add(text, PolicyKind.SCP, f"OrganizationPolicy.{index}.{n}", "none")
        for n, text in enumerate(texts or (), 1)
    )


def _organization_scps(backend: StoreBackend, account: str) -> OrgGates | None:
    organization = backend.world().organization
    return None if organization is None else organization.scp_gates(account)


@OPERATIONS.operation("iam", "SimulatePrincipalPolicy")
def simulate_principal_policy(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Simulate a user's, group's or role's policies on actions and resources."""
    scope = Scope.of(backend, call)
    source = params.get("PolicySourceArn")
    if not isinstance(source, str) or not source:
        raise invalid_input("PolicySourceArn is required.")
    scope.authorize("iam:SimulatePrincipalPolicy", source)
    inputs = _Inputs()
    with backend.read() as db:
        principal = _source_principal(db, scope, inputs, source, _Exclusions.of(params))
    _given_policies(params, inputs, required=False)
    caller = params.get("CallerArn")
    if isinstance(caller, str):
        principal = _caller_principal(scope, caller)
    inputs.scps = _organization_scps(backend, scope.account)
    owner = _resource_owner(params, scope.account)
    return _simulate(params, inputs, principal, owner)


@OPERATIONS.operation("iam", "SimulateCustomPolicy")
def simulate_custom_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Simulate the given policies on actions and resources."""
    scope = Scope.of(backend, call)
    scope.authorize("iam:SimulateCustomPolicy", "*")
    inputs = _Inputs()
    _given_policies(params, inputs, required=True)
    levels = [
        _scp_level(inputs, index, level)
        for index, level in enumerate(
            params.get("OrderedOrganizationPolicyInputList") or (), 1
        )
    ]
    if levels:
        inputs.scps = OrgGates(tuple(levels))
    caller = params.get("CallerArn")
    arn = caller if isinstance(caller, str) else call.caller.arn
    principal = _caller_principal(scope, arn)
    owner = _resource_owner(params, principal.account)
    return _simulate(params, inputs, principal, owner)
