"""``iamsim serve``: run the AWS endpoint (IAM, STS, Organizations, CloudTrail).

The state lives in a directory (``./.iamsim/`` by default) and survives
restarts. On the first start it gets a root access key for the management
account; the key's secret is written to a file there (mode 0600) and never
printed. ``IAMSIM_ROOT_ACCESS_KEY_ID`` and ``IAMSIM_ROOT_SECRET_ACCESS_KEY``
fix that key instead.

The default port, 4599, sits outside the ports LocalStack takes (4566 and
4510 to 4559), so both can run side by side.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
#: The default port: outside LocalStack's 4566 and 4510-4559, so both can run.
DEFAULT_PORT = 4599
DEFAULT_STATE = Path(".iamsim")
KEY_ID_VARIABLE = "IAMSIM_ROOT_ACCESS_KEY_ID"
SECRET_VARIABLE = "IAMSIM_ROOT_SECRET_ACCESS_KEY"


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve the AWS IAM, STS, Organizations and CloudTrail APIs",
        description="Serve AWS's IAM, STS, Organizations and CloudTrail APIs "
        "over HTTP for boto3, the AWS CLI and any SDK. One line per request "
        "is logged unless --quiet.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST})",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        metavar="DIR",
        help=f"state directory, created if missing (default: ./{DEFAULT_STATE}/)",
    )
    parser.add_argument(
        "--world",
        type=Path,
        metavar="SCENARIO",
        help="scenario file seeding a new state (ignored once the state exists)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="do not log one line per request",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The server stack loads only for this command, so the others start fast.
    from iamsim.server import serve
    from iamsim.services.backend import open_backend

    backend, bootstrap = open_backend(
        args.state,
        seed_scenario=args.world,
        root_access_key_id=os.environ.get(KEY_ID_VARIABLE),
        root_secret=os.environ.get(SECRET_VARIABLE),
    )
    if not args.quiet:
        logging.getLogger("iamsim.server").setLevel(logging.INFO)
    url = f"http://{args.host}:{args.port}"
    lines = [
        f"iamsim endpoint: {url}",
        f"root access key id: {bootstrap.access_key_id} "
        f"(account {bootstrap.account_id})",
        f"root secret access key: in {bootstrap.secret_path}",
        f"state: {args.state}",
    ]
    if args.world is not None and not bootstrap.created:
        lines.append(f"note: the state exists; {args.world} was not loaded")
    print("\n".join(lines), flush=True)
    try:
        serve(backend, args.host, args.port)
    finally:
        backend.close()
        print("iamsim: stopped", file=sys.stderr)
    return 0
