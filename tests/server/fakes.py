"""A small in-memory backend for testing the wire alone.

It holds a fixed world (one account with the user alice), two long-term keys
(the root user's and alice's) and the trail in a list. ``authorize`` allows
everything: these tests check translation, and the real authorization is
exercised through the store-backed endpoint.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from iamsim.services.api import AccessKeyRecord, Call
from iamsim.sts import keys
from iamsim.world.model import World
from iamsim.world.scenario import scenario_from_text

ACCOUNT = "111111111111"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
ALICE_ARN = f"arn:aws:iam::{ACCOUNT}:user/alice"
SCENARIO = f"""
accounts:
  "{ACCOUNT}":
    users:
      alice: {{}}
"""


class FakeBackend:
    """Backend protocol over a fixed world, keeping events in memory."""

    def __init__(self) -> None:
        self.server_key = secrets.token_bytes(32)
        self._world = scenario_from_text(SCENARIO, source="fakes").world
        self.root_key = self._add_key(ROOT_ARN)
        self.alice_key = self._add_key(ALICE_ARN)
        self.events: list[Mapping[str, Any]] = []

    def _add_key(self, owner: str) -> AccessKeyRecord:
        record = AccessKeyRecord(
            access_key_id=keys.long_term_key_id(ACCOUNT),
            secret_access_key=keys.secret_access_key(),
            owner_arn=owner,
            account=ACCOUNT,
            created_at=datetime.now(UTC),
        )
        self._keys = {**getattr(self, "_keys", {}), record.access_key_id: record}
        return record

    def world(self) -> World:
        return self._world

    def access_key(self, access_key_id: str) -> AccessKeyRecord | None:
        return self._keys.get(access_key_id)

    def record_event(self, record: Mapping[str, Any]) -> None:
        self.events.append(record)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def authorize(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        return None
