"""The records the catalog hands out: actions, their resources, condition keys.

All are frozen values built from the dataset on first use. Imports nothing
of iamsim but errors.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from iamsim.errors import Unsupported


class AccessLevel(enum.Enum):
    """The access level the Service Authorization Reference gives an action."""

    LIST = "List"
    READ = "Read"
    WRITE = "Write"
    PERMISSIONS_MANAGEMENT = "Permissions management"
    TAGGING = "Tagging"


#: When the dataset gives several levels ("Tagging, Write"), the reference
#: shows the most specific one; this is that order, most specific first.
_LEVEL_PRECEDENCE = (
    AccessLevel.PERMISSIONS_MANAGEMENT,
    AccessLevel.TAGGING,
    AccessLevel.WRITE,
    AccessLevel.READ,
    AccessLevel.LIST,
)


def parse_access_level(raw: str, action: str) -> AccessLevel:
    """The level named by the dataset's text for ``action``.

    The dataset marks permissions-management and tagging actions as also
    being writes ("Permissions management, Write"); the reference lists such
    an action under the specific level only.
    """
    named = {part.strip().casefold() for part in raw.split(",")}
    for level in _LEVEL_PRECEDENCE:
        if level.value.casefold() in named:
            return level
    raise Unsupported(f"unknown access level {raw!r} for action {action!r}")


@dataclass(frozen=True, slots=True)
class ConditionKey:
    """A condition key as the reference defines it.

    ``name`` keeps the reference's spelling; a key with a variable part is a
    template such as ``aws:ResourceTag/${TagKey}``. ``value_type`` uses the
    reference's type names: ``String``, ``ArrayOfString``, ``ARN``,
    ``ArrayOfARN``, ``Bool``, ``ArrayOfBool``, ``Numeric``, ``Date``,
    ``IPAddress``. ``description`` is empty for the global keys, which the
    dataset does not describe.
    """

    name: str
    value_type: str
    description: str = ""
    is_global: bool = False


@dataclass(frozen=True, slots=True)
class ActionResource:
    """A resource type an action works on, as one row of its reference entry.

    ``arn_format`` is the reference's pattern, e.g.
    ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``. ``required``
    means a statement naming a resource for this action must name one of
    this type. ``condition_keys`` joins the keys of the resource type with
    any the row adds; ``dependent_actions`` are further actions a caller
    needs when acting on this type.
    """

    name: str
    arn_format: str
    required: bool
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Action:
    """One action of one service, e.g. ``s3:GetObject``.

    ``resources`` is empty for an action that supports no resource-level
    permissions: a policy can grant it only with ``"Resource": "*"``.
    ``condition_keys`` are the keys of the action itself; see
    :attr:`all_condition_keys` for those its resource types add.
    """

    service: str
    name: str
    access_level: AccessLevel
    description: str
    resources: tuple[ActionResource, ...]
    condition_keys: tuple[str, ...]
    dependent_actions: tuple[str, ...]

    @property
    def full_name(self) -> str:
        """``service:Name`` in the reference's casing."""
        return f"{self.service}:{self.name}"

    @property
    def all_condition_keys(self) -> tuple[str, ...]:
        """The action's keys followed by its resource types', without repeats."""
        seen: dict[str, str] = {}
        for key in self.condition_keys:
            seen.setdefault(key.casefold(), key)
        for resource in self.resources:
            for key in resource.condition_keys:
                seen.setdefault(key.casefold(), key)
        return tuple(seen.values())
