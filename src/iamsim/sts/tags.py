"""Session tags: which a new session carries and which it passes on.

From "Pass session tags in AWS STS" (IAM User Guide) and AssumeRole's
``Tags`` and ``TransitiveTagKeys`` (STS API Reference):

- tag keys are case-insensitive but keep their case, so a request may not
  pass two keys differing only in case;
- a key set as transitive must be one of the tags passed in the same call;
- a session made from a role session inherits the caller's transitive tags,
  and they stay transitive; passing a tag whose key matches an inherited
  one makes the call fail;
- role tags are never transitive: only session tags are.

The count and size limits are shape constraints, checked with every other
parameter in :mod:`iamsim.sts.requests`. AWS documents that the two
conflicts fail but not their error; the codes and texts here are those AWS
returns (InvalidParameterValue), as observed in recorded responses.
Imports only iamsim.sts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from iamsim.sts.errors import invalid_parameter

Tags = tuple[tuple[str, str], ...]

DUPLICATE_KEYS_MESSAGE = (
    "Duplicate tag keys found. Please note that Tag keys are case insensitive."
)
TRANSITIVE_NOT_TAGGED_MESSAGE = (
    "The specified transitive tag key must be included in the requested tags."
)
INHERITED_CONFLICT_MESSAGE = (
    "One of the specified transitive tag keys can't be set because it conflicts "
    "with a transitive tag key from the calling session."
)


@dataclass(frozen=True, slots=True)
class SessionTags:
    """A session's tags (inherited ones first) and its transitive keys."""

    tags: Tags = ()
    transitive_keys: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str]:
        return dict(self.tags)


def inherited_tags(
    tags: Mapping[str, str], transitive_keys: Sequence[str]
) -> SessionTags:
    """What a calling session passes on: its transitive tags only."""
    wanted = {key.lower() for key in transitive_keys}
    kept = tuple((key, value) for key, value in tags.items() if key.lower() in wanted)
    return SessionTags(kept, tuple(key for key, _ in kept))


def session_tags(
    passed: Tags, transitive_keys: Sequence[str], inherited: SessionTags
) -> SessionTags:
    """The tags of a new session, or InvalidParameterValue on a conflict."""
    passed_keys = [key.lower() for key, _ in passed]
    if len(set(passed_keys)) != len(passed_keys):
        raise invalid_parameter(DUPLICATE_KEYS_MESSAGE)
    if any(key.lower() not in passed_keys for key in transitive_keys):
        raise invalid_parameter(TRANSITIVE_NOT_TAGGED_MESSAGE)
    inherited_keys = {key.lower() for key in inherited.transitive_keys}
    if inherited_keys.intersection(passed_keys):
        raise invalid_parameter(INHERITED_CONFLICT_MESSAGE)
    new_transitive = _unique(transitive_keys)
    return SessionTags(
        tags=inherited.tags + passed,
        transitive_keys=inherited.transitive_keys + new_transitive,
    )


def _unique(keys: Sequence[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    result: list[str] = []
    for key in keys:
        if key.lower() not in seen:
            seen.add(key.lower())
            result.append(key)
    return tuple(result)
