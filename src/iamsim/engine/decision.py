"""The engine's answer: an effect, the gate that decided, and why.

A :class:`Decision` is never a bare boolean. It keeps every gate's result and
the statements that matched, and words its denial the way AWS does in an
AccessDenied message. Imports only iamsim.policy and the engine's request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from iamsim.engine.request import Request
from iamsim.policy.model import Effect, PolicyKind


class DecisionEffect(Enum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"


class Gate(Enum):
    """A layer of evaluation, named as AWS names its policy type."""

    SCP = "service control policy"
    RCP = "resource control policy"
    RESOURCE = "resource-based policy"
    IDENTITY = "identity-based policy"
    BOUNDARY = "permissions boundary"
    SESSION = "session policy"

    @classmethod
    def for_kind(cls, kind: PolicyKind) -> Gate:
        return _GATE_OF_KIND[kind]


_GATE_OF_KIND = {
    PolicyKind.IDENTITY: Gate.IDENTITY,
    PolicyKind.RESOURCE: Gate.RESOURCE,
    PolicyKind.TRUST: Gate.RESOURCE,
    PolicyKind.SCP: Gate.SCP,
    PolicyKind.RCP: Gate.RCP,
    PolicyKind.BOUNDARY: Gate.BOUNDARY,
    PolicyKind.SESSION: Gate.SESSION,
}


class GateOutcome(Enum):
    ALLOW = "Allow"
    DENY = "Deny"
    NO_MATCH = "NoMatch"


@dataclass(frozen=True, slots=True)
class MatchedStatement:
    """A statement that matched the request, named as a user can find it."""

    policy: str
    kind: PolicyKind
    index: int
    sid: str | None
    effect: Effect

    @property
    def label(self) -> str:
        where = self.sid if self.sid else f"statement {self.index}"
        return f"{self.policy}/{where}"


@dataclass(frozen=True, slots=True)
class GateResult:
    gate: Gate
    outcome: GateOutcome
    statements: tuple[MatchedStatement, ...] = ()
    note: str = ""


class Decision:
    """The result of authorizing one request.

    The effect and the deciding gate are known at once; the trace (each
    gate's result, the matched statements, the missing context keys and the
    reason) is assembled on first access, so a caller that only needs the
    verdict does not pay for the explanation.
    """

    __slots__ = ("_explain", "_trace", "deciding_gate", "effect", "request")

    def __init__(
        self,
        effect: DecisionEffect,
        request: Request,
        deciding_gate: Gate | None,
        explain: Callable[[], DecisionTrace],
    ) -> None:
        self.effect = effect
        self.request = request
        self.deciding_gate = deciding_gate
        self._explain: Callable[[], DecisionTrace] | None = explain
        self._trace: DecisionTrace | None = None

    @property
    def allowed(self) -> bool:
        return self.effect is DecisionEffect.ALLOW

    @property
    def trace(self) -> DecisionTrace:
        """Every gate's result, the matched statements and the missing keys."""
        if self._trace is None:
            assert self._explain is not None
            self._trace = self._explain()
            self._explain = None
        return self._trace

    @property
    def gates(self) -> tuple[GateResult, ...]:
        return self.trace.gates

    @property
    def matched(self) -> tuple[MatchedStatement, ...]:
        return self.trace.matched

    @property
    def missing_context_keys(self) -> tuple[str, ...]:
        return self.trace.missing_context_keys

    @property
    def reason(self) -> str:
        """AWS's AccessDenied wording for a denial; empty for an Allow."""
        if self.effect is DecisionEffect.ALLOW:
            return ""
        return denial_message(self.request, self.effect, self.deciding_gate)

    def gate(self, gate: Gate) -> GateResult | None:
        """This decision's result at ``gate``, if the gate was evaluated."""
        for result in self.gates:
            if result.gate is gate:
                return result
        return None

    def __repr__(self) -> str:
        gate = self.deciding_gate.name if self.deciding_gate else None
        return f"Decision({self.effect.value}, gate={gate}, {self.request.action})"


@dataclass(frozen=True, slots=True)
class DecisionTrace:
    """The explanation of a decision, gate by gate."""

    gates: tuple[GateResult, ...]
    matched: tuple[MatchedStatement, ...]
    missing_context_keys: tuple[str, ...]


def denial_message(request: Request, effect: DecisionEffect, gate: Gate | None) -> str:
    """The AccessDenied wording AWS uses for a denied request.

    AWS's form, from "Troubleshoot access denied error messages" in the IAM
    User Guide: ``User: ARN is not authorized to perform: ACTION on resource:
    RESOURCE because no GATE allows the ACTION action`` for an implicit deny,
    and ``... with an explicit deny in a GATE`` for an explicit one.
    """
    noun = request.principal.type.message_noun
    head = (
        f"{noun}: {request.principal.arn} is not authorized to perform: "
        f"{request.action} on resource: {request.resource}"
    )
    if effect is DecisionEffect.EXPLICIT_DENY and gate is not None:
        article = "an" if gate.value[0] in "aeiou" else "a"
        return f"{head} with an explicit deny in {article} {gate.value}"
    if gate is None:
        return head
    return f"{head} because no {gate.value} allows the {request.action} action"


def decision_to_dict(decision: Decision) -> dict[str, object]:
    """A JSON-ready rendering of ``decision`` with its whole trace."""
    request = decision.request
    return {
        "effect": decision.effect.value,
        "allowed": decision.allowed,
        "deciding_gate": decision.deciding_gate.value
        if decision.deciding_gate
        else None,
        "reason": decision.reason,
        "principal": request.principal.arn,
        "principal_type": request.principal.type.value,
        "action": request.action,
        "resource": request.resource,
        "gates": [
            {
                "gate": result.gate.value,
                "outcome": result.outcome.value,
                "statements": [s.label for s in result.statements],
                **({"note": result.note} if result.note else {}),
            }
            for result in decision.gates
        ],
        "matched_statements": [
            {
                "policy": s.policy,
                "kind": s.kind.value,
                "sid": s.sid,
                "index": s.index,
                "effect": s.effect.value,
            }
            for s in decision.matched
        ],
        "missing_context_keys": list(decision.missing_context_keys),
    }
