"""The background trail writer stores every call's records, in order."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from iamsim.server._trail_writer import TrailWriter
from iamsim.services.api import Caller
from iamsim.trail.record import ApiCall

CALLER = Caller("arn:aws:iam::111111111111:user/a", "111111111111", "AIDAX", "AKIAX")
CALLS = 50


def _call(index: int) -> ApiCall:
    return ApiCall(
        caller=CALLER,
        event_source="iam.amazonaws.com",
        event_name="GetUser",
        region="us-east-1",
        time=datetime(2024, 1, 1, tzinfo=UTC),
        request_id=f"req-{index}",
    )


class SlowBackend:
    """Stores one record at a time, slowly, as an fsync-bound store would."""

    def __init__(self) -> None:
        self.records: list[Mapping[str, Any]] = []
        self.gate = threading.Event()

    def record_event(self, record: Mapping[str, Any]) -> None:
        self.gate.wait(5)
        self.records.append(record)


class BatchBackend:
    """Offers record_events, storing several records in one transaction."""

    def __init__(self) -> None:
        self.batches: list[list[Mapping[str, Any]]] = []

    def record_events(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.batches.append(list(records))


def test_drain_waits_until_every_record_is_stored_in_order() -> None:
    """After drain, the store holds every submitted call's record, in order."""
    backend = SlowBackend()
    writer = TrailWriter(backend)
    for index in range(CALLS):
        writer.submit(_call(index))

    backend.gate.set()
    writer.drain()

    assert [r["requestID"] for r in backend.records] == [
        f"req-{index}" for index in range(CALLS)
    ]
    writer.close()


def test_batches_go_to_record_events_when_the_backend_offers_it() -> None:
    """A backend with record_events receives queued records together."""
    backend = BatchBackend()
    writer = TrailWriter(backend)
    for index in range(CALLS):
        writer.submit(_call(index))

    writer.close()

    stored = [r["requestID"] for batch in backend.batches for r in batch]
    assert stored == [f"req-{index}" for index in range(CALLS)]
