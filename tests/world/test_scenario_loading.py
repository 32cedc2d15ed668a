"""Scenario files and dictionaries load into a World and a list of requests.

Pages cited: [ids] IAM User Guide, "IAM identifiers"; [scp] AWS Organizations
User Guide, "Service control policies (SCPs)"; [rcp] AWS Organizations User
Guide, "Resource control policies (RCPs)"; [roles] IAM User Guide, "Modify a
role maximum session duration".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from tests.world.shared import ALICE, DEV, NOW, SCENARIO

from iamsim.engine.decision import DecisionEffect
from iamsim.policy.model import PolicyKind
from iamsim.world.model import ProviderKind, World
from iamsim.world.scenario import (
    Expect,
    Scenario,
    load_scenario,
    scenario_from_dict,
    scenario_from_text,
)


def _minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "accounts": {"222222222222": {"users": {"alice": {}}}},
        "requests": [
            {
                "principal": "arn:aws:iam::222222222222:user/alice",
                "action": "s3:ListBucket",
                "resource": "arn:aws:s3:::b",
            }
        ],
    }
    data.update(extra)
    return data


def test_yaml_file_loads_world_and_requests(tmp_path: Path) -> None:
    """A YAML scenario file gives its world and its requests in order."""
    path = tmp_path / "quiz.yaml"
    path.write_text(SCENARIO)

    scenario = load_scenario(path)

    assert [r.name for r in scenario.requests] == ["alice reads the bucket"]
    assert scenario.world.user(ALICE) is not None
    assert scenario.source == str(path)


def test_json_file_loads_like_yaml(tmp_path: Path) -> None:
    """A .json scenario is read as JSON and builds the same world."""
    path = tmp_path / "quiz.json"
    path.write_text(json.dumps(yaml.safe_load(SCENARIO), indent=2))

    scenario = load_scenario(path)

    assert scenario.world.role(DEV) is not None
    assert scenario.requests[0].query.principal == ALICE


def test_dict_scenario_loads_with_its_source_name() -> None:
    """An already-decoded scenario loads and remembers its source name."""
    scenario = scenario_from_dict(_minimal(), source="import:org")

    assert scenario.source == "import:org"
    assert scenario.requests[0].location == "import:org at requests[0]"


def test_request_location_names_file_line_and_column(scenario: Scenario) -> None:
    """Each request remembers where it was written, for reports."""
    location = scenario.requests[0].location

    assert location.startswith("world.yaml:")
    assert location.endswith(" at requests[0]")


def test_request_fields_are_kept() -> None:
    """A request keeps its expectation, description, doc link and time."""
    data = _minimal()
    data["requests"][0].update(
        name="n",
        expect="ImplicitDeny",
        description="why",
        doc="https://docs.aws.amazon.com/x",
        time="2024-05-01T12:00:00Z",
        context={"aws:SourceIp": "203.0.113.7", "aws:SecureTransport": True},
    )

    request = scenario_from_dict(data).requests[0]

    assert request.expect is Expect.IMPLICIT_DENY
    assert (request.description, request.doc) == (
        "why",
        "https://docs.aws.amazon.com/x",
    )
    assert request.query.time == NOW
    assert request.query.normalized_context == {
        "aws:sourceip": ("203.0.113.7",),
        "aws:securetransport": ("true",),
    }


def test_unnamed_requests_are_numbered() -> None:
    """A request without a name is called after its position."""
    scenario = scenario_from_dict(_minimal())

    assert scenario.requests[0].name == "request 1"


def test_deny_expectation_accepts_both_denies() -> None:
    """``Deny`` is met by an explicit or an implicit deny, never by an allow."""
    assert Expect.DENY.is_met_by(DecisionEffect.EXPLICIT_DENY)
    assert Expect.DENY.is_met_by(DecisionEffect.IMPLICIT_DENY)
    assert not Expect.DENY.is_met_by(DecisionEffect.ALLOW)
    assert not Expect.EXPLICIT_DENY.is_met_by(DecisionEffect.IMPLICIT_DENY)


def test_user_arn_carries_its_path(world: World) -> None:
    """[ids] A user's ARN includes its path: user/eng/alice."""
    user = world.user(ALICE)

    assert user is not None
    assert user.path == "/eng/"
    assert user.arn == ALICE


def test_unique_ids_are_stable_and_prefixed(world: World) -> None:
    """[ids] Users get AIDA ids and roles AROA ids, the same on every load."""
    again = scenario_from_text(SCENARIO, source="again.yaml").world
    user, role = world.user(ALICE), world.role(DEV)

    assert user is not None and role is not None
    assert user.user_id.startswith("AIDA") and len(user.user_id) == 21
    assert role.role_id.startswith("AROA") and len(role.role_id) == 21
    assert again.user(ALICE) == user


def test_explicit_unique_id_is_kept() -> None:
    """An importer may give the real unique id of a user."""
    data = _minimal()
    data["accounts"]["222222222222"]["users"]["alice"]["id"] = "AIDAEXAMPLE1234567890"

    world = scenario_from_dict(data).world

    user = world.user("arn:aws:iam::222222222222:user/alice")
    assert user is not None and user.user_id == "AIDAEXAMPLE1234567890"


def test_role_defaults(world: World) -> None:
    """[roles] A role's maximum session defaults to 3600 s; it is not service-linked."""
    role = world.role(DEV)

    assert role is not None
    assert role.max_session_duration == 3600
    assert not role.service_linked
    assert role.trust_policy.kind is PolicyKind.TRUST


def test_tag_numbers_become_text(world: World) -> None:
    """Tag values are text, so a YAML number is kept as its digits."""
    user = world.user(ALICE)

    assert user is not None and user.tags == {"Team": "blue", "cost": "42"}


def test_named_policy_keeps_its_name(world: World) -> None:
    """A policy from policies: is named by its key in decisions."""
    role = world.role(DEV)

    assert role is not None and [p.name for p in role.policies] == ["S3Read"]


def test_inline_policy_is_named_after_its_owner(world: World) -> None:
    """An inline policy is called OWNER/inline-N."""
    user = world.user(ALICE)

    assert user is not None and user.policies[0].name == "alice/inline-0"


def test_inline_policy_with_id_takes_its_id() -> None:
    """An inline document with an Id is named by that Id."""
    document = {
        "Version": "2012-10-17",
        "Id": "ReadOnly",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
    data = _minimal()
    data["accounts"]["222222222222"]["users"]["alice"]["policies"] = [document]

    world = scenario_from_dict(data).world

    user = world.user("arn:aws:iam::222222222222:user/alice")
    assert user is not None and user.policies[0].name == "ReadOnly"


def test_policy_may_be_json_text() -> None:
    """A policy given as JSON text parses like a mapping."""
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
    )
    data = _minimal(policies={"Admin": text})
    data["accounts"]["222222222222"]["users"]["alice"]["policies"] = ["Admin"]

    world = scenario_from_dict(data).world

    user = world.user("arn:aws:iam::222222222222:user/alice")
    assert user is not None and user.policies[0].name == "Admin"


def test_aws_managed_policy_arn_resolves_when_defined() -> None:
    """An AWS managed policy ARN resolves to the policy of that name."""
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
    }
    data = _minimal(policies={"ReadOnlyAccess": document})
    data["accounts"]["222222222222"]["users"]["alice"]["policies"] = [
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    ]

    scenario = scenario_from_dict(data)

    user = scenario.world.user("arn:aws:iam::222222222222:user/alice")
    assert user is not None and user.policies[0].name == "ReadOnlyAccess"
    assert "ReadOnlyAccess" in scenario.world.policies


def test_providers_are_registered(world: World) -> None:
    """SAML and OIDC providers get their IAM ARNs; an OIDC URL loses its scheme."""
    saml = world.provider("arn:aws:iam::222222222222:saml-provider/Corp")
    oidc = world.provider(
        "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"
    )

    assert saml is not None and saml.kind is ProviderKind.SAML
    assert oidc is not None and oidc.kind is ProviderKind.OIDC


def test_organization_accounts_exist_even_when_not_listed() -> None:
    """An account only named in the organization is an empty account."""
    data = _minimal(
        organization={
            "id": "o-a1b2c3d4e5",
            "management_account": "111111111111",
            "root": {"accounts": ["111111111111"]},
        }
    )

    world = scenario_from_dict(data).world

    assert world.account("111111111111") is not None


def test_levels_without_scps_get_full_aws_access(world: World) -> None:
    """[scp] A root, OU or account that lists no SCP has FullAWSAccess attached."""
    assert world.organization is not None

    gates = world.organization.scp_gates("222222222222")

    assert gates is not None
    assert [p.name for p in gates.levels[-1]] == ["FullAWSAccess"]


def test_rcp_full_aws_access_is_always_attached(world: World) -> None:
    """[rcp] RCPFullAWSAccess sits at every level, under any listed RCP."""
    assert world.organization is not None

    gates = world.organization.rcp_gates("222222222222")

    assert gates is not None
    names = [[p.name for p in level] for level in gates.levels]
    assert names == [
        ["RCPFullAWSAccess"],
        ["RCPFullAWSAccess", "DenyOutsideS3"],
        ["RCPFullAWSAccess"],
    ]


def test_imported_rcp_full_aws_access_replaces_the_built_in() -> None:
    """[rcp] An imported rcp/RCPFullAWSAccess may allow and is not doubled."""
    full = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        ],
    }
    data = _minimal(
        policies={"rcp/RCPFullAWSAccess": full},
        organization={
            "id": "o-a1b2c3d4e5",
            "management_account": "222222222222",
            "root": {"rcps": ["rcp/RCPFullAWSAccess"], "accounts": ["222222222222"]},
        },
    )

    organization = scenario_from_dict(data).world.organization

    assert organization is not None
    gates = organization.rcp_gates("222222222222")
    assert gates is not None
    assert [p.name for p in gates.levels[0]] == ["rcp/RCPFullAWSAccess"]


def test_loaded_requests_evaluate(scenario: Scenario) -> None:
    """A loaded request can be authorized against its world."""
    request = scenario.requests[0]

    decision = scenario.world.authorize(request.query, now=NOW)

    assert request.expect is not None
    assert request.expect.is_met_by(decision.effect)
