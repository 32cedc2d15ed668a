"""Shared fixtures for the importer tests: the sample exports on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


@pytest.fixture
def exports() -> Path:
    """The folder of sample AWS exports."""
    return EXPORTS


@pytest.fixture
def org_folder(tmp_path: Path) -> Path:
    """A writable copy of the sample Organizations export."""
    target = tmp_path / "organization"
    shutil.copytree(EXPORTS / "organization", target)
    return target
