"""One service's part of the catalog, read from the dataset on first use.

Each of a service's three files (actions, resource types, condition keys)
is read only when a lookup needs it, so a lookup in one service never pays
for the others. Imports nothing of iamsim but the catalog's own modules.
"""

from __future__ import annotations

from functools import cached_property

from iamsim.catalog._data import (
    ACTIONS,
    CONDITION_KEYS,
    RESOURCE_TYPES,
    DataFiles,
    JsonObject,
)
from iamsim.catalog._model import (
    Action,
    ActionResource,
    ConditionKey,
    parse_access_level,
)
from iamsim.catalog._templates import ArnFormat, KeyIndex, compile_arn_format


class ServiceData:
    """The actions, resource types and condition keys of one service prefix."""

    def __init__(self, prefix: str, files: DataFiles) -> None:
        self.prefix = prefix
        self._files = files
        self._actions: dict[str, Action] = {}

    @cached_property
    def raw_actions(self) -> dict[str, JsonObject]:
        """The dataset's action entries, keyed by lower-cased name."""
        return self._files.read_service(ACTIONS, self.prefix)

    @cached_property
    def raw_resource_types(self) -> dict[str, JsonObject]:
        """The dataset's resource type entries, keyed by lower-cased name."""
        return self._files.read_service(RESOURCE_TYPES, self.prefix)

    @cached_property
    def condition_keys(self) -> dict[str, ConditionKey]:
        """The service's condition keys, keyed by lower-cased name."""
        raw = self._files.read_service(CONDITION_KEYS, self.prefix)
        keys = (_condition_key(entry) for entry in raw.values())
        return {key.name.lower(): key for key in keys}

    @cached_property
    def key_index(self) -> KeyIndex:
        """Resolves a key to the name of the service key it instantiates."""
        return KeyIndex(key.name for key in self.condition_keys.values())

    @cached_property
    def arn_formats(self) -> tuple[ArnFormat, ...]:
        """Every resource type's ARN format, compiled."""
        return tuple(
            compile_arn_format(entry["key"], entry["arn"])
            for entry in self.raw_resource_types.values()
        )

    @cached_property
    def action_names(self) -> tuple[str, ...]:
        """Every action's name in the reference's casing, e.g. ``GetObject``."""
        return tuple(entry["name"] for entry in self.raw_actions.values())

    def action(self, name: str) -> Action | None:
        """The action called ``name`` in any casing, or None."""
        lowered = name.lower()
        cached = self._actions.get(lowered)
        if cached is not None:
            return cached
        entry = self.raw_actions.get(lowered)
        if entry is None:
            return None
        built = self._build_action(entry)
        self._actions[lowered] = built
        return built

    def resource_type(self, name: str) -> JsonObject | None:
        """The dataset's entry for resource type ``name``, or None."""
        return self.raw_resource_types.get(name.lower())

    def _build_action(self, entry: JsonObject) -> Action:
        full_name = f"{self.prefix}:{entry['name']}"
        return Action(
            service=self.prefix,
            name=entry["name"],
            access_level=parse_access_level(entry["accessLevel"], full_name),
            description=entry.get("description", ""),
            resources=tuple(
                self._build_resource(row) for row in entry["resourceTypes"]
            ),
            condition_keys=tuple(entry.get("conditionKeys", ())),
            dependent_actions=tuple(entry.get("dependentActions", ())),
        )

    def _build_resource(self, row: JsonObject) -> ActionResource:
        resource_type = self.raw_resource_types[row["name"].lower()]
        keys = [*resource_type.get("conditionKeys", ()), *row["conditionKeys"]]
        return ActionResource(
            name=resource_type["key"],
            arn_format=resource_type["arn"],
            required=bool(row["required"]),
            condition_keys=tuple(dict.fromkeys(keys)),
            dependent_actions=tuple(row.get("dependentActions", ())),
        )


def _condition_key(entry: JsonObject) -> ConditionKey:
    return ConditionKey(
        name=entry["key"],
        value_type=entry["type"],
        description=entry.get("description", ""),
    )
