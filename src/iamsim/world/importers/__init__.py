"""Importers of real AWS exports into scenario dictionaries.

Each importer reads the JSON that the AWS CLI prints and returns the plain
data of a scenario file, which ``iamsim.world.scenario`` turns into a
World. Several results are joined with :func:`merge_scenarios`::

    scenario = merge_scenarios(
        import_organization("export/org"),
        import_authorization_details(["export/222.json", "export/333.json"]),
    )

Malformed input raises :class:`iamsim.errors.InputError` naming the file and
JSON path. How policies are named, and the organization folder layout, are
described in ``docs/import.md``.

This package imports nothing of iamsim but errors, and never builds a World.
"""

from iamsim.world.importers.authorization import (
    AuthorizationDetails,
    ManagedPolicy,
    import_authorization_details,
    read_authorization_details,
)
from iamsim.world.importers.merge import merge_scenarios
from iamsim.world.importers.organization import import_organization

__all__ = [
    "AuthorizationDetails",
    "ManagedPolicy",
    "import_authorization_details",
    "import_organization",
    "merge_scenarios",
    "read_authorization_details",
]
