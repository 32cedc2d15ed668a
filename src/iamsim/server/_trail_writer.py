"""Storing trail records on a thread of their own, off the request path.

The store commits each record durably (an fsync), which costs more than
serving a typical call. A served endpoint hands each finished call to this
writer and replies at once; the writer builds the call's records and stores
them in order. Anything that
reads the trail first waits for the writer to catch up (:meth:`drain`), and a
full queue makes callers wait, so the backlog stays bounded.

Imports iamsim.trail only.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from typing import Any

from iamsim.trail.record import ApiCall, records_for

log = logging.getLogger(__name__)

#: Calls whose records may wait for the store before callers are held back.
MAX_QUEUED_CALLS = 1_000
#: How long stopping waits for the last records to be stored.
CLOSE_TIMEOUT_SECONDS = 30.0


class TrailWriter:
    """A daemon thread storing records through ``backend`` in arrival order.

    A backend offering ``record_events(records)`` (one transaction for
    several records) gets every batch waiting in the queue at once; any other
    gets ``record_event(record)`` for each.
    """

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._queue: queue.Queue[ApiCall | None] = queue.Queue(MAX_QUEUED_CALLS)
        self._thread = threading.Thread(
            target=self._run, name="iamsim-trail-writer", daemon=True
        )
        self._thread.start()

    def submit(self, call: ApiCall) -> None:
        """Queue ``call``'s records; waits only while the queue is full."""
        self._queue.put(call)

    def drain(self) -> None:
        """Wait until every record submitted so far is stored."""
        self._queue.join()

    def close(self) -> None:
        """Store what is queued, then stop the thread."""
        if not self._thread.is_alive():
            return
        self._queue.put(None)
        self._thread.join(CLOSE_TIMEOUT_SECONDS)

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get_nowait())
            stop = None in batch
            self._store([r for call in batch if call for r in self._records(call)])
            for _ in batch:
                self._queue.task_done()
            if stop:
                return

    def _records(self, call: ApiCall) -> list[dict[str, Any]]:
        try:
            return records_for(call)
        except Exception:
            log.exception("could not build the trail records of %s", call.event_name)
            return []

    def _store(self, records: list[Mapping[str, Any]]) -> None:
        if not records:
            return
        try:
            record_events = getattr(self.backend, "record_events", None)
            if record_events is not None:
                record_events(records)
                return
            for record in records:
                self.backend.record_event(record)
        except Exception:
            log.exception("could not store %d trail records", len(records))
