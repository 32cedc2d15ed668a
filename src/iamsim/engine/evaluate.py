"""The authorizer: combine every applicable policy into one Decision.

The order follows "Policy evaluation logic" in the IAM User Guide:

1. an explicit Deny in any applicable policy decides;
2. SCPs must allow at every level from the root to the principal's account,
   and RCPs at every level down to the resource's account (the management
   account is exempt from both; service-linked roles from SCPs);
3. within one account, a resource-based policy may grant on its own, while an
   identity-based grant must also pass the permissions boundary and the
   session policies; across accounts both sides must allow;
4. for a role's trust policy (sts:AssumeRole*) and a KMS key policy, the
   resource-based policy must allow whatever the identity side says.

The engine is pure: no I/O, no clock, no globals. An :class:`Authorizer`
keeps compiled policies so repeated requests reuse them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from iamsim.engine.compiled import (
    CompiledGate,
    CompiledLevels,
    CompiledPolicy,
    CompiledStatement,
    GateScan,
    PrincipalMatch,
    is_excluded_by_not_principal,
    match_principal,
)
from iamsim.engine.decision import (
    Decision,
    DecisionEffect,
    DecisionTrace,
    Gate,
    GateOutcome,
    GateResult,
    MatchedStatement,
)
from iamsim.engine.request import (
    OrgGates,
    PolicySet,
    Principal,
    PrincipalType,
    Request,
)
from iamsim.policy.model import Context, Policy

#: Actions whose resource-based policy (the role's trust policy) must allow.
ROLE_TRUST_ACTIONS = frozenset(
    {
        "sts:assumerole",
        "sts:assumerolewithsaml",
        "sts:assumerolewithwebidentity",
        "sts:tagsession",
        "sts:setsourceidentity",
        "sts:setcontext",
    }
)

#: Services whose resource-based policy must allow every request: a KMS key
#: policy is the primary control of its key ("Key policies in AWS KMS").
RESOURCE_POLICY_REQUIRED_SERVICES = frozenset({"kms"})

#: Services that RCPs govern ("Resource control policies (RCPs)", AWS
#: Organizations User Guide, list of supported services).
RCP_SERVICES = frozenset(
    {
        "s3",
        "sts",
        "kms",
        "sqs",
        "secretsmanager",
        "ecr",
        "aoss",
        "cognito-identity",
        "logs",
        "dynamodb",
    }
)

_NO_POLICIES: tuple[Policy, ...] = ()

_ACCOUNTLESS = (
    PrincipalType.SERVICE,
    PrincipalType.ANONYMOUS,
    PrincipalType.WEB_IDENTITY,
)


#: The scan of a gate with no statement for the action; shared, never changed.
_NOTHING_MATCHED = GateScan()


class Authorizer:
    """Evaluates requests, compiling each policy and policy set once.

    Compiled forms are kept by the identity of the policy (or tuple of
    policies) they came from, so callers that reuse the same objects, as a
    world does, pay for compilation and action indexing once. The caches are
    bounded and start afresh when full.
    """

    def __init__(self) -> None:
        self._policies: dict[int, tuple[Policy, CompiledPolicy]] = {}
        self._gates: dict[int, tuple[object, CompiledGate]] = {}
        self._levels: dict[int, tuple[OrgGates, CompiledLevels]] = {}

    def compile(self, policy: Policy) -> CompiledPolicy:
        """The compiled form of ``policy``, built once per policy object."""
        entry = self._policies.get(id(policy))
        if entry is None or entry[0] is not policy:
            _bound(self._policies)
            entry = (policy, CompiledPolicy(policy))
            self._policies[id(policy)] = entry
        return entry[1]

    def gate(self, policies: tuple[Policy, ...]) -> CompiledGate:
        """The compiled, action-indexed union of ``policies``."""
        return self._gate_of(policies, policies)

    def single(self, policy: Policy) -> CompiledGate:
        """The compiled gate of one policy (a boundary or a resource policy)."""
        return self._gate_of(policy, (policy,))

    def _gate_of(self, owner: object, policies: tuple[Policy, ...]) -> CompiledGate:
        """The gate of ``policies``, kept by the identity of ``owner``."""
        entry = self._gates.get(id(owner))
        if entry is None or entry[0] is not owner:
            _bound(self._gates)
            compiled = [self.compile(p) for p in policies]
            entry = (owner, CompiledGate(policies, compiled))
            self._gates[id(owner)] = entry
        return entry[1]

    def levels(self, gates: OrgGates) -> CompiledLevels:
        """The compiled gates of every organization level of ``gates``."""
        entry = self._levels.get(id(gates))
        if entry is None or entry[0] is not gates:
            _bound(self._levels)
            compiled = CompiledLevels(tuple(self.gate(level) for level in gates.levels))
            entry = (gates, compiled)
            self._levels[id(gates)] = entry
        return entry[1]

    def evaluate(self, request: Request, policies: PolicySet) -> Decision:
        """Decide ``request`` against ``policies``; see the module docstring."""
        return _Evaluation(self, request, policies).decide()


#: How many compiled entries an Authorizer keeps of each kind.
_CACHE_LIMIT = 65_536


def _bound(cache: dict[int, Any]) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()


def evaluate(request: Request, policies: PolicySet) -> Decision:
    """Decide one request with a fresh :class:`Authorizer`."""
    return Authorizer().evaluate(request, policies)


class _Evaluation:
    """The state of one evaluation; lives only for one request."""

    def __init__(
        self, authorizer: Authorizer, request: Request, policies: PolicySet
    ) -> None:
        self.authorizer = authorizer
        self.request = request
        self.policies = policies
        self.action = request.action.lower()
        self.context: Context = request.context
        self.principal: Principal = request.principal
        self.missing: set[str] = set()
        self.has_boundary = policies.boundary is not None

    def scan(self, gate: CompiledGate, *, with_principal: bool = False) -> GateScan:
        plan = gate.for_action(self.action)
        if plan.static is not None and not with_principal:
            return plan.static
        statements = plan.statements
        if not statements:
            return _NOTHING_MATCHED
        allows: list[MatchedStatement] | None = None
        denies: list[MatchedStatement] | None = None
        best: PrincipalMatch | None = None
        resource = self.request.resource
        context = self.context
        for statement in statements:
            match: PrincipalMatch | None = None
            if with_principal:
                match = self.principal_match(statement)
                if match is None:
                    continue
            matches_resource = statement.resource_matches
            if matches_resource is not None and not matches_resource(resource, context):
                continue
            condition = statement.condition
            if condition is not None:
                for key in statement.condition_keys:
                    if key not in context:
                        self.missing.add(key)
                if not condition(context):
                    continue
            if statement.is_deny:
                if denies is None:
                    denies = []
                denies.append(statement.matched)
                continue
            if allows is None:
                allows = []
            allows.append(statement.matched)
            if match is not None and (best is None or match > best):
                best = match
        if allows is None and denies is None:
            return _NOTHING_MATCHED
        scan = GateScan(allows, denies)
        scan.match = best
        return scan

    def principal_match(self, statement: CompiledStatement) -> PrincipalMatch | None:
        if statement.principal is not None:
            return match_principal(statement.principal, self.principal)
        names = statement.not_principal
        if names is None:
            return PrincipalMatch.EVERYONE
        if statement.is_deny and self.has_boundary:
            # "Permissions boundaries for IAM entities": a Deny with NotPrincipal
            # always denies a principal that has a permissions boundary.
            return PrincipalMatch.EVERYONE
        if is_excluded_by_not_principal(names, self.principal):
            return None
        return PrincipalMatch.EVERYONE

    def session_policies(self) -> tuple[Policy, ...]:
        """The session policies, which may be none at all.

        A federated-user session always has the session gate: without session
        policies it has no permissions ("GetFederationToken", AWS STS API
        Reference). Other principals have the gate only when a session
        carries policies.
        """
        if self.policies.session is not None:
            return self.policies.session
        return _NO_POLICIES

    def has_session_gate(self) -> bool:
        return self.policies.session is not None or (
            self.principal.type is PrincipalType.FEDERATED_USER
        )

    def org_scan(self, gates: OrgGates | None) -> Sequence[GateScan] | None:
        if gates is None or gates.is_management_account:
            return None
        levels = self.authorizer.levels(gates)
        static = levels.static_scans(self.action)
        if static is not None:
            return static
        return [self.scan(level) for level in levels.gates]

    def decide(self) -> Decision:
        policies = self.policies
        principal = self.principal
        service = self.action.split(":", 1)[0]
        scp_levels = None
        if principal.type not in _ACCOUNTLESS and not principal.is_service_linked:
            scp_levels = self.org_scan(policies.scps)
        rcp_levels = None
        if service in RCP_SERVICES and not principal.is_service_linked:
            rcp_levels = self.org_scan(policies.rcps)
        authorizer = self.authorizer
        resource = (
            self.scan(authorizer.single(policies.resource), with_principal=True)
            if policies.resource is not None
            else None
        )
        identity = self.scan(authorizer.gate(policies.identity))
        boundary = (
            self.scan(authorizer.single(policies.boundary))
            if policies.boundary is not None
            else None
        )
        session = (
            self.scan(authorizer.gate(self.session_policies()))
            if self.has_session_gate()
            else None
        )

        def explain() -> DecisionTrace:
            gates = _gate_results(
                scp_levels, rcp_levels, resource, identity, boundary, session
            )
            matched = tuple(s for g in gates for s in g.statements)
            return DecisionTrace(gates, matched, tuple(sorted(self.missing)))

        scp_denied, scp_short = _org_status(scp_levels)
        rcp_denied, rcp_short = _org_status(rcp_levels)
        if scp_denied:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.SCP, explain)
        if rcp_denied:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.RCP, explain)
        if resource is not None and resource.denies:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.RESOURCE, explain)
        if identity.denies:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.IDENTITY, explain)
        if boundary is not None and boundary.denies:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.BOUNDARY, explain)
        if session is not None and session.denies:
            return self.finish(DecisionEffect.EXPLICIT_DENY, Gate.SESSION, explain)
        if scp_short:
            return self.finish(DecisionEffect.IMPLICIT_DENY, Gate.SCP, explain)
        if rcp_short:
            return self.finish(DecisionEffect.IMPLICIT_DENY, Gate.RCP, explain)
        failing = self.combine(resource, identity, boundary, session, service)
        if failing is None:
            return self.finish(DecisionEffect.ALLOW, None, explain)
        return self.finish(DecisionEffect.IMPLICIT_DENY, failing, explain)

    def combine(
        self,
        resource: GateScan | None,
        identity: GateScan,
        boundary: GateScan | None,
        session: GateScan | None,
        service: str,
    ) -> Gate | None:
        """The gate that leaves the request implicitly denied, or None to allow."""
        principal = self.principal
        granted = resource.match if resource is not None and resource.allows else None
        identity_gap = self.identity_gap(identity, boundary, session)
        required = (self.action in ROLE_TRUST_ACTIONS and self.targets_role()) or (
            service in RESOURCE_POLICY_REQUIRED_SERVICES
        )
        if principal.type in _ACCOUNTLESS:
            return None if granted is not None else Gate.RESOURCE
        if required and granted is None:
            return Gate.RESOURCE
        if self.is_cross_account():
            if granted is None:
                return Gate.RESOURCE
            return identity_gap
        if granted in (PrincipalMatch.DIRECT, PrincipalMatch.EVERYONE):
            return None
        if granted is PrincipalMatch.ROLE:
            return self.limits_gap(boundary, session)
        return identity_gap

    def identity_gap(
        self, identity: GateScan, boundary: GateScan | None, session: GateScan | None
    ) -> Gate | None:
        if self.principal.type is PrincipalType.ROOT:
            return None
        if not identity.allows:
            return Gate.IDENTITY
        return self.limits_gap(boundary, session)

    def limits_gap(
        self, boundary: GateScan | None, session: GateScan | None
    ) -> Gate | None:
        if boundary is not None and not boundary.allows:
            return Gate.BOUNDARY
        if session is not None and not session.allows:
            return Gate.SESSION
        return None

    def targets_role(self) -> bool:
        """Whether the resource is an IAM role, whose trust policy must allow."""
        parts = self.request.resource.split(":", 5)
        return len(parts) == 6 and parts[2] == "iam" and parts[5].startswith("role/")

    def is_cross_account(self) -> bool:
        owner = self.request.resource_account
        return owner is not None and owner != self.principal.account

    def finish(
        self,
        effect: DecisionEffect,
        gate: Gate | None,
        explain: Callable[[], DecisionTrace],
    ) -> Decision:
        return Decision(effect, self.request, gate, explain)


def _org_status(levels: Sequence[GateScan] | None) -> tuple[bool, bool]:
    """Whether any level denies, and whether any level lacks an allow."""
    denied = short = False
    if levels is not None:
        for level in levels:
            if level.denies:
                denied = True
            if not level.allows:
                short = True
    return denied, short


def _gate_results(
    scp_levels: Sequence[GateScan] | None,
    rcp_levels: Sequence[GateScan] | None,
    resource: GateScan | None,
    identity: GateScan,
    boundary: GateScan | None,
    session: GateScan | None,
) -> tuple[GateResult, ...]:
    results: list[GateResult] = []
    for gate, levels in ((Gate.SCP, scp_levels), (Gate.RCP, rcp_levels)):
        if levels is not None:
            results.append(_org_result(gate, levels))
    if resource is not None:
        results.append(_scan_result(resource, Gate.RESOURCE))
    results.append(_scan_result(identity, Gate.IDENTITY))
    if boundary is not None:
        results.append(_scan_result(boundary, Gate.BOUNDARY))
    if session is not None:
        results.append(_scan_result(session, Gate.SESSION))
    return tuple(results)


def _scan_result(scan: GateScan, gate: Gate) -> GateResult:
    if scan.denies:
        return GateResult(gate, GateOutcome.DENY, tuple(scan.denies))
    if scan.allows:
        return GateResult(gate, GateOutcome.ALLOW, tuple(scan.allows))
    return GateResult(gate, GateOutcome.NO_MATCH, ())


def _org_result(gate: Gate, levels: Sequence[GateScan]) -> GateResult:
    denies = tuple(s for level in levels for s in level.denies)
    allows = tuple(s for level in levels for s in level.allows)
    if denies:
        return GateResult(gate, GateOutcome.DENY, denies)
    missing = [i for i, level in enumerate(levels) if not level.allows]
    if missing:
        note = f"no allow at level {missing[0]} of {len(levels)} (0 is the root)"
        return GateResult(gate, GateOutcome.NO_MATCH, allows, note)
    return GateResult(gate, GateOutcome.ALLOW, allows)
