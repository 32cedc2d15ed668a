"""Fixtures for the STS tests: a fresh fake backend and the usual callers."""

from __future__ import annotations

import pytest
from tests.sts.shared import (
    ALICE_KEY,
    BOB_KEY,
    ROOT_KEY,
    FakeBackend,
    build_world,
    caller,
)

from iamsim.services.api import Caller


@pytest.fixture
def backend() -> FakeBackend:
    """A backend over the shared world, recording what it authorizes."""
    return FakeBackend(build_world())


@pytest.fixture
def alice(backend: FakeBackend) -> Caller:
    """IAM user alice, signing with her long-term key."""
    return caller(backend, ALICE_KEY)


@pytest.fixture
def bob(backend: FakeBackend) -> Caller:
    """IAM user bob, who has no policies."""
    return caller(backend, BOB_KEY)


@pytest.fixture
def root(backend: FakeBackend) -> Caller:
    """The root user of account A, signing with a root access key."""
    return caller(backend, ROOT_KEY)
