"""Turn decisions into text a person reads: one line each, or a gate-by-gate trace."""

from __future__ import annotations

from iamsim.engine.decision import Decision, DecisionEffect, GateOutcome
from iamsim.policy.model import Effect, PolicyKind

#: The policy kinds that grant; the others only let a grant through.
_GRANTING = (PolicyKind.IDENTITY, PolicyKind.RESOURCE, PolicyKind.TRUST)

_OUTCOME_WORDS = {
    GateOutcome.ALLOW: "allows",
    GateOutcome.DENY: "explicitly denies",
    GateOutcome.NO_MATCH: "has no matching statement",
}


def summary(decision: Decision) -> str:
    """``Allow`` or the denial with the gate that decided it."""
    if decision.effect is DecisionEffect.ALLOW:
        via = ", ".join(
            s.label
            for s in decision.matched
            if s.effect is Effect.ALLOW and s.kind in _GRANTING
        )
        return f"Allow (by {via})" if via else "Allow"
    gate = decision.deciding_gate.value if decision.deciding_gate else "no policy"
    return f"{decision.effect.value} ({gate})"


def trace(decision: Decision) -> str:
    """A multi-line, plain-words explanation of every gate of ``decision``."""
    request = decision.request
    lines = [
        f"principal: {request.principal.arn} ({request.principal.type.value})",
        f"action:    {request.action}",
        f"resource:  {request.resource}",
        "",
    ]
    for number, result in enumerate(decision.gates, start=1):
        words = _OUTCOME_WORDS[result.outcome]
        lines.append(f"{number}. the {result.gate.value} {words}")
        lines.extend(f"     - {s.effect.value}: {s.label}" for s in result.statements)
        if result.note:
            lines.append(f"     ({result.note})")
    lines.append("")
    lines.append(f"decision: {decision.effect.value}")
    if decision.reason:
        lines.append(f"reason:   {decision.reason}")
    if decision.missing_context_keys:
        keys = ", ".join(decision.missing_context_keys)
        lines.append(f"note: the policies read context keys this request lacks: {keys}")
    return "\n".join(lines)
