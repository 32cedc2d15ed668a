"""Run every request of every scenario in tests/conformance/ and examples/.

Each request pins one documented IAM rule: its ``doc`` names the AWS page that
states the rule and ``expect`` is the outcome that page implies. When the
engine disagrees with a case, the cited page decides which side is wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SCENARIO_DIRS = (REPO / "tests" / "conformance", REPO / "examples")

#: The request time for cases that set none. No case depends on it: those
#: about time set their own ``time``.
REQUEST_TIME = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

#: Effects each ``expect`` value accepts; "Deny" accepts either kind.
ACCEPTED = {
    "Allow": {"Allow"},
    "Deny": {"ExplicitDeny", "ImplicitDeny"},
    "ExplicitDeny": {"ExplicitDeny"},
    "ImplicitDeny": {"ImplicitDeny"},
}


def _cases() -> list[Any]:
    cases = []
    for path in sorted(p for d in SCENARIO_DIRS for p in d.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for index, request in enumerate(raw.get("requests", [])):
            case_id = f"{path.relative_to(REPO)}::{request['name']}"
            cases.append(pytest.param(path, index, request, id=case_id))
    return cases


CASES = _cases()


@cache
def _scenario(path: Path) -> Any:
    from iamsim.world.scenario import load_scenario

    return load_scenario(path)


@pytest.mark.parametrize(("path", "index", "raw"), CASES)
def test_case_cites_its_rule(path: Path, index: int, raw: dict[str, Any]) -> None:
    """Every case states its rule, cites an AWS page and expects a known effect."""
    assert raw.get("description"), "a case must state the rule it pins"
    assert str(raw.get("doc", "")).startswith("https://docs.aws.amazon.com/")
    assert raw.get("expect") in ACCEPTED


@pytest.mark.parametrize(("path", "index", "raw"), CASES)
def test_decision_matches_documented_effect(
    path: Path, index: int, raw: dict[str, Any]
) -> None:
    """The engine's decision for the request is the one AWS documents."""
    scenario = _scenario(path)
    request = scenario.requests[index]

    decision = scenario.world.authorize(request.query, now=REQUEST_TIME)

    assert request.name == raw["name"]
    assert decision.effect.value in ACCEPTED[raw["expect"]], (
        f"expected {raw['expect']}, got {decision.effect.value} "
        f"({decision.reason}); rule: {raw['doc']}"
    )
