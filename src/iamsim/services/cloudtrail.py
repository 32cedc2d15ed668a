"""The AWS CloudTrail operation LookupEvents, over the recorded trail.

LookupEvents ("LookupEvents", AWS CloudTrail API Reference) returns the
management events of the caller's account, newest first, at most 50 a page,
filtered by a time range and at most one lookup attribute. Every event
carries the full record as JSON text in ``CloudTrailEvent``.

The caller needs ``cloudtrail:LookupEvents`` (resource ``*``: the action has
no resource type in the Service Authorization Reference).

Imports only iamsim.errors and iamsim.services.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from iamsim.services.api import OPERATIONS, Backend, Call, Params, Result, ServiceError

#: LookupEvents accepts one lookup attribute per request.
MAX_LOOKUP_ATTRIBUTES = 1
MANAGEMENT = "management"
INSIGHT = "insight"


class TrailBackend(Backend, Protocol):
    """A backend that can also look up the recorded events."""

    def events(
        self,
        *,
        account: str | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        lookup_attributes: Sequence[Mapping[str, str]] = (),
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> Result: ...


@OPERATIONS.operation("cloudtrail", "LookupEvents")
def lookup_events(backend: TrailBackend, call: Call, params: Params) -> Result:
    """The caller's account's management events, newest first."""
    backend.authorize(call, "cloudtrail:LookupEvents", "*")
    attributes: Sequence[Mapping[str, Any]] = params.get("LookupAttributes", [])
    if len(attributes) > MAX_LOOKUP_ATTRIBUTES:
        raise ServiceError(
            "InvalidLookupAttributesException",
            "You cannot specify more than one lookup attribute.",
        )
    if params.get("EventCategory") == INSIGHT:
        # Insights is never enabled on an iamsim trail, so it has no events.
        return {"Events": []}
    # GAP: events are not filtered by the endpoint's region; IAM, STS and
    # Organizations events all appear in every region's LookupEvents.
    return backend.events(
        account=call.caller.account,
        start_time=params.get("StartTime"),
        end_time=params.get("EndTime"),
        lookup_attributes=attributes,
        max_results=params.get("MaxResults"),
        next_token=params.get("NextToken"),
    )
