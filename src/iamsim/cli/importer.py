"""``iamsim import``: turn real AWS exports into a scenario file.

The scenario is written atomically (a temporary file renamed into place), so
an interrupted import never leaves half a file behind.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from iamsim.errors import InputError
from iamsim.world.importers import (
    import_authorization_details,
    import_organization,
    merge_scenarios,
)
from iamsim.world.scenario import scenario_from_dict


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "import",
        help="convert AWS exports into a scenario file",
        description="Read `aws iam get-account-authorization-details` output and "
        "an Organizations export folder (see docs/import.md) and write one "
        "scenario file that `iamsim check` and `iamsim explain` can use.",
    )
    parser.add_argument(
        "--authorization-details",
        metavar="FILE",
        action="append",
        default=[],
        help="get-account-authorization-details JSON; repeat for more accounts",
    )
    parser.add_argument(
        "--organization", metavar="DIR", help="an Organizations export folder"
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", required=True, help="scenario to write"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.authorization_details and not args.organization:
        raise InputError(
            "nothing to import",
            hint="pass --authorization-details FILE and/or --organization DIR",
        )
    parts: list[dict[str, Any]] = []
    if args.authorization_details:
        files = [Path(f) for f in args.authorization_details]
        parts.append(import_authorization_details(files))
    if args.organization:
        parts.append(import_organization(Path(args.organization)))
    scenario = merge_scenarios(*parts)
    loaded = scenario_from_dict(scenario, source=args.output)
    _write_atomically(Path(args.output), scenario)
    accounts = len(scenario.get("accounts", {}))
    policies = len(scenario.get("policies", {}))
    print(
        f"wrote {args.output}: {accounts} account(s), {policies} managed "
        f"policies, {len(loaded.world.known_arns)} principals",
        file=sys.stderr,
    )
    return 0


def _write_atomically(path: Path, scenario: dict[str, Any]) -> None:
    text = yaml.safe_dump(scenario, sort_keys=False, default_flow_style=False)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
