"""The world: organizations, accounts, principals, policies and resources.

Load one from a scenario, ask it questions, and let the engine decide::

    from iamsim.world import Query, load_scenario

    scenario = load_scenario("quiz.yaml")
    for case in scenario.requests:
        decision = scenario.world.authorize(case.query, now=now)

The world gathers which policies apply to a request and fills the request
context; the engine decides. Imports only iamsim.errors, iamsim.policy and
iamsim.engine.
"""

from iamsim.world.model import (
    Account,
    Group,
    IdentityProvider,
    ManagedPolicy,
    ProviderKind,
    Resource,
    Role,
    User,
    World,
)
from iamsim.world.organization import OrgAccount, Organization, OrgUnit
from iamsim.world.query import Query, SessionSpec
from iamsim.world.resolve import Resolution, authorize, resolve
from iamsim.world.scenario import (
    Expect,
    Scenario,
    ScenarioRequest,
    load_scenario,
    scenario_from_dict,
    scenario_from_text,
)

__all__ = [
    "Account",
    "Expect",
    "Group",
    "IdentityProvider",
    "ManagedPolicy",
    "OrgAccount",
    "OrgUnit",
    "Organization",
    "ProviderKind",
    "Query",
    "Resolution",
    "Resource",
    "Role",
    "Scenario",
    "ScenarioRequest",
    "SessionSpec",
    "User",
    "World",
    "authorize",
    "load_scenario",
    "resolve",
    "scenario_from_dict",
    "scenario_from_text",
]
