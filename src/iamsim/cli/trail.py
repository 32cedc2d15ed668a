"""``iamsim trail export DIR``: the recorded calls as CloudTrail log files.

Every record in the state is written under ``DIR`` as CloudTrail delivers
logs to a bucket (``AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/…``), so
tools that read real CloudTrail logs read these too.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iamsim.errors import InputError

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

DEFAULT_STATE = Path(".iamsim")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "trail",
        help="work with the CloudTrail records of served calls",
        description="Work with the CloudTrail records iamsim kept for each call.",
    )
    actions = parser.add_subparsers(dest="trail_command", metavar="ACTION")
    export = actions.add_parser(
        "export",
        help="write the records as CloudTrail log files",
        description="Write every record as gzipped CloudTrail log files under "
        "DIR, laid out as CloudTrail delivers them to Amazon S3.",
    )
    export.add_argument("directory", type=Path, metavar="DIR", help="output directory")
    export.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        metavar="DIR",
        help=f"state directory (default: ./{DEFAULT_STATE}/)",
    )
    export.set_defaults(run=run_export)
    parser.set_defaults(run=lambda args: parser.print_help() or 2)


def run_export(args: argparse.Namespace) -> int:
    if not args.state.is_dir():
        raise InputError(
            "no iamsim state here",
            where=str(args.state),
            hint="pass --state with the directory `iamsim serve` used",
        )
    # The store loads only for this command, so the others start fast.
    from iamsim.services.backend import open_backend
    from iamsim.trail.export import export_records

    backend, _ = open_backend(args.state)
    try:
        records = list(_all_records(backend))
    finally:
        backend.close()
    # Oldest first; calls within one second keep the store's order, reversed.
    records.reverse()
    records.sort(key=lambda record: str(record.get("eventTime", "")))
    paths = export_records(records, args.directory)
    print(f"{len(records)} records in {len(paths)} files under {args.directory}")
    return 0


def _all_records(backend: StoreBackend) -> Iterator[dict[str, Any]]:
    """Every stored record, newest first, page by page."""
    token: str | None = None
    while True:
        page = backend.events(next_token=token)
        for event in page["Events"]:
            yield json.loads(event["CloudTrailEvent"])
        token = page.get("NextToken")
        if not token:
            return
