"""Imported scenarios load as a World through the scenario loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamsim.world.importers import (
    import_authorization_details,
    import_organization,
    merge_scenarios,
)

scenario = pytest.importorskip("iamsim.world.scenario")


def test_sample_exports_load_as_one_world(exports: Path) -> None:
    """The merged sample exports are a scenario the loader accepts."""
    details = exports / "authorization-details"
    merged = merge_scenarios(
        import_organization(exports / "organization"),
        import_authorization_details(
            [details / "222222222222.json", details / "333333333333-pages.json"]
        ),
    )

    loaded = scenario.scenario_from_dict(merged)

    assert loaded is not None
