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

from iamsim.engine.compiled import (
    CompiledPolicy,
    CompiledStatement,
    PrincipalMatch,
    is_excluded_by_not_principal,
    match_principal,
)
from iamsim.engine.decision import (
    Decision,
    DecisionEffect,
    Gate,
    GateOutcome,
    GateResult,
    MatchedStatement,
    denial_message,
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

_ACCOUNTLESS = (
    PrincipalType.SERVICE,
    PrincipalType.ANONYMOUS,
    PrincipalType.WEB_IDENTITY,
)


class _GateScan:
    """The statements of one gate that matched a request."""

    __slots__ = ("allows", "denies", "match")

    def __init__(self) -> None:
        self.allows: list[MatchedStatement] = []
        self.denies: list[MatchedStatement] = []
        self.match: PrincipalMatch | None = None

    def result(self, gate: Gate, note: str = "") -> GateResult:
        if self.denies:
            return GateResult(gate, GateOutcome.DENY, tuple(self.denies), note)
        if self.allows:
            return GateResult(gate, GateOutcome.ALLOW, tuple(self.allows), note)
        return GateResult(gate, GateOutcome.NO_MATCH, (), note)


class Authorizer:
    """Evaluates requests, compiling each policy the first time it is seen."""

    def __init__(self) -> None:
        self._compiled: dict[int, tuple[Policy, CompiledPolicy]] = {}

    def compile(self, policy: Policy) -> CompiledPolicy:
        """The compiled form of ``policy``, built once per policy object."""
        entry = self._compiled.get(id(policy))
        if entry is None or entry[0] is not policy:
            entry = (policy, CompiledPolicy(policy))
            self._compiled[id(policy)] = entry
        return entry[1]

    def evaluate(self, request: Request, policies: PolicySet) -> Decision:
        """Decide ``request`` against ``policies``; see the module docstring."""
        return _Evaluation(self, request, policies).decide()


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

    def scan(
        self, policies: tuple[Policy, ...], *, with_principal: bool = False
    ) -> _GateScan:
        scan = _GateScan()
        for policy in policies:
            compiled = self.authorizer.compile(policy)
            for statement in compiled.for_action(self.action):
                self.scan_statement(statement, scan, with_principal)
        return scan

    def scan_statement(
        self, statement: CompiledStatement, scan: _GateScan, with_principal: bool
    ) -> None:
        match: PrincipalMatch | None = None
        if with_principal:
            match = self.principal_match(statement)
            if match is None:
                return
        if not statement.resource_matches(self.request.resource, self.context):
            return
        if statement.condition is not None:
            context = self.context
            for key in statement.condition_keys:
                if key not in context:
                    self.missing.add(key)
            if not statement.condition(context):
                return
        if statement.is_deny:
            scan.denies.append(statement.matched)
            return
        scan.allows.append(statement.matched)
        if match is not None and (scan.match is None or match > scan.match):
            scan.match = match

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
        return ()

    def has_session_gate(self) -> bool:
        return self.policies.session is not None or (
            self.principal.type is PrincipalType.FEDERATED_USER
        )

    def org_scan(self, gates: OrgGates | None) -> list[_GateScan] | None:
        if gates is None or gates.is_management_account:
            return None
        return [self.scan(level) for level in gates.levels]

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
        resource = (
            self.scan((policies.resource,), with_principal=True)
            if (policies.resource is not None)
            else None
        )
        identity = self.scan(policies.identity)
        boundary = self.scan((policies.boundary,)) if policies.boundary else None
        session = (
            self.scan(self.session_policies()) if self.has_session_gate() else None
        )

        gates = _gate_results(
            scp_levels, rcp_levels, resource, identity, boundary, session
        )
        denied = next((g for g in gates if g.outcome is GateOutcome.DENY), None)
        if denied is not None:
            return self.finish(DecisionEffect.EXPLICIT_DENY, denied.gate, gates)
        for gate, levels in ((Gate.SCP, scp_levels), (Gate.RCP, rcp_levels)):
            if levels is not None and any(not level.allows for level in levels):
                return self.finish(DecisionEffect.IMPLICIT_DENY, gate, gates)
        failing = self.combine(resource, identity, boundary, session, service)
        if failing is None:
            return self.finish(DecisionEffect.ALLOW, None, gates)
        return self.finish(DecisionEffect.IMPLICIT_DENY, failing, gates)

    def combine(
        self,
        resource: _GateScan | None,
        identity: _GateScan,
        boundary: _GateScan | None,
        session: _GateScan | None,
        service: str,
    ) -> Gate | None:
        """The gate that leaves the request implicitly denied, or None to allow."""
        principal = self.principal
        granted = resource.match if resource is not None and resource.allows else None
        identity_gap = self.identity_gap(identity, boundary, session)
        required = self.action in ROLE_TRUST_ACTIONS or (
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
        self, identity: _GateScan, boundary: _GateScan | None, session: _GateScan | None
    ) -> Gate | None:
        if self.principal.type is PrincipalType.ROOT:
            return None
        if not identity.allows:
            return Gate.IDENTITY
        return self.limits_gap(boundary, session)

    def limits_gap(
        self, boundary: _GateScan | None, session: _GateScan | None
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
        self, effect: DecisionEffect, gate: Gate | None, gates: tuple[GateResult, ...]
    ) -> Decision:
        matched = tuple(s for g in gates for s in g.statements)
        reason = (
            ""
            if effect is DecisionEffect.ALLOW
            else denial_message(self.request, effect, gate)
        )
        return Decision(
            effect,
            self.request,
            gate,
            gates,
            matched,
            tuple(sorted(self.missing)),
            reason,
        )


def _gate_results(
    scp_levels: list[_GateScan] | None,
    rcp_levels: list[_GateScan] | None,
    resource: _GateScan | None,
    identity: _GateScan,
    boundary: _GateScan | None,
    session: _GateScan | None,
) -> tuple[GateResult, ...]:
    results: list[GateResult] = []
    for gate, levels in ((Gate.SCP, scp_levels), (Gate.RCP, rcp_levels)):
        if levels is not None:
            results.append(_org_result(gate, levels))
    if resource is not None:
        results.append(resource.result(Gate.RESOURCE))
    results.append(identity.result(Gate.IDENTITY))
    if boundary is not None:
        results.append(boundary.result(Gate.BOUNDARY))
    if session is not None:
        results.append(session.result(Gate.SESSION))
    return tuple(results)


def _org_result(gate: Gate, levels: list[_GateScan]) -> GateResult:
    denies = tuple(s for level in levels for s in level.denies)
    allows = tuple(s for level in levels for s in level.allows)
    if denies:
        return GateResult(gate, GateOutcome.DENY, denies)
    missing = [i for i, level in enumerate(levels) if not level.allows]
    if missing:
        note = f"no allow at level {missing[0]} of {len(levels)} (0 is the root)"
        return GateResult(gate, GateOutcome.NO_MATCH, allows, note)
    return GateResult(gate, GateOutcome.ALLOW, allows)
