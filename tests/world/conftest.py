"""Fixtures for the world tests: the shared scenario of :mod:`tests.world.shared`."""

from __future__ import annotations

import pytest
from tests.world.shared import load

from iamsim.world.model import World
from iamsim.world.scenario import Scenario


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The shared scenario, loaded once."""
    return load()


@pytest.fixture(scope="session")
def world(scenario: Scenario) -> World:
    """The shared scenario's world."""
    return scenario.world
