"""Amazon Resource Names: parsing and IAM's component-wise wildcard matching.

An ARN is ``arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE``; the resource part
may itself contain colons. IAM matches a pattern against an ARN one
colon-delimited component at a time, each component a glob, case-sensitively
(IAM User Guide, "IAM JSON policy elements: Condition operators", ARN
condition operators; and "IAM JSON policy elements: Resource").

Imports nothing of iamsim but errors and wildcard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from iamsim.errors import PolicySyntaxError
from iamsim.policy.wildcard import compile_glob, has_wildcard

PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)
ARN_COMPONENTS = 6


@dataclass(frozen=True, slots=True)
class Arn:
    """A parsed ARN. ``resource`` keeps any colons or slashes it contains."""

    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return (
            f"arn:{self.partition}:{self.service}:{self.region}:"
            f"{self.account}:{self.resource}"
        )

    @property
    def resource_type(self) -> str:
        """The text before the first ``/`` or ``:`` of the resource part."""
        for index, char in enumerate(self.resource):
            if char in "/:":
                return self.resource[:index]
        return self.resource

    @property
    def resource_id(self) -> str:
        """The text after the first ``/`` or ``:`` of the resource part."""
        for index, char in enumerate(self.resource):
            if char in "/:":
                return self.resource[index + 1 :]
        return ""


def is_arn(text: str) -> bool:
    """Whether ``text`` has the six-component shape of an ARN."""
    return text.startswith("arn:") and text.count(":") >= ARN_COMPONENTS - 1


def parse_arn(text: str) -> Arn:
    """Split ``text`` into an :class:`Arn`, or raise ``PolicySyntaxError``."""
    parts = text.split(":", ARN_COMPONENTS - 1)
    if len(parts) != ARN_COMPONENTS or parts[0] != "arn":
        raise PolicySyntaxError(
            f"{text!r} is not an ARN",
            hint="an ARN reads arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
        )
    return Arn(*parts[1:])


def split_arn(text: str) -> list[str]:
    """The six components of an ARN-like string, padded when it is short."""
    parts = text.split(":", ARN_COMPONENTS - 1)
    return parts + [""] * (ARN_COMPONENTS - len(parts))


ArnMatcher = Callable[[str], bool]


@lru_cache(maxsize=65_536)
def compile_arn_pattern(pattern: str) -> ArnMatcher:
    """A predicate matching ARNs against ``pattern`` component by component.

    ``*`` alone matches every resource. A pattern without wildcards is an
    exact, case-sensitive comparison. Otherwise each of the six components is
    a glob that cannot spill into its neighbours.
    """
    if pattern == "*":
        return lambda _arn: True
    if not has_wildcard(pattern):
        return pattern.__eq__
    if not pattern.startswith("arn:"):
        return compile_glob(pattern)
    head = pattern.split(":", ARN_COMPONENTS - 1)
    if len(head) == ARN_COMPONENTS and not any(has_wildcard(p) for p in head[:-1]):
        # With the first five components literal, a glob over the whole text
        # pins them exactly, and the resource component may hold colons.
        return compile_glob(pattern)
    component_matchers = [compile_glob(part) for part in split_arn(pattern)]

    def matches(arn: str) -> bool:
        parts = arn.split(":", ARN_COMPONENTS - 1)
        if len(parts) != ARN_COMPONENTS:
            return False
        return all(m(p) for m, p in zip(component_matchers, parts, strict=True))

    return matches


def matches_arn(pattern: str, arn: str) -> bool:
    """Whether ``arn`` matches the IAM ARN pattern ``pattern``."""
    return compile_arn_pattern(pattern)(arn)
