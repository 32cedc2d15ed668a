"""iamsim: an offline, faithful emulator of AWS IAM authorization.

The public API::

    import iamsim

    scenario = iamsim.load_scenario("examples/layered-policies.yaml")
    decision = scenario.world.authorize(iamsim.Query(
        principal="arn:aws:iam::222222222222:user/alice",
        action="s3:GetObject",
        resource="arn:aws:s3:::data-bucket/report.csv",
    ), now=datetime.now(UTC))
    print(decision.effect, decision.reason)

Lower layers are usable on their own: :func:`parse_policy` turns JSON into a
:class:`Policy`, and :func:`evaluate` decides a :class:`Request` against a
:class:`PolicySet` with no world at all.
"""

from iamsim.engine.decision import (
    Decision,
    DecisionEffect,
    Gate,
    GateOutcome,
    GateResult,
    MatchedStatement,
    decision_to_dict,
)
from iamsim.engine.evaluate import Authorizer, evaluate
from iamsim.engine.request import (
    OrgGates,
    PolicySet,
    Principal,
    PrincipalType,
    Request,
)
from iamsim.errors import (
    IamsimError,
    InputError,
    NoSuchEntity,
    PolicyError,
    PolicySyntaxError,
    PolicyValidationError,
    Unsupported,
)
from iamsim.policy.model import Effect, Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.world.model import World
from iamsim.world.query import Query, SessionSpec
from iamsim.world.scenario import (
    Scenario,
    ScenarioRequest,
    load_scenario,
    scenario_from_dict,
)

__all__ = [
    "Authorizer",
    "Decision",
    "DecisionEffect",
    "Effect",
    "Gate",
    "GateOutcome",
    "GateResult",
    "IamsimError",
    "InputError",
    "MatchedStatement",
    "NoSuchEntity",
    "OrgGates",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "PolicySet",
    "PolicySyntaxError",
    "PolicyValidationError",
    "Principal",
    "PrincipalType",
    "Query",
    "Request",
    "Scenario",
    "ScenarioRequest",
    "SessionSpec",
    "Unsupported",
    "World",
    "decision_to_dict",
    "evaluate",
    "load_scenario",
    "parse_policy",
    "scenario_from_dict",
]
