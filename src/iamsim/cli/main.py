"""The ``iamsim`` command: parse arguments, dispatch to a command module.

Exit codes: 0 success (every expectation held), 1 an expectation failed or
a request was denied where that is the question, 2 unusable input or usage.
Only this package configures logging; the library never prints.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from iamsim.cli import check, explain, importer, serve, trail, validate
from iamsim.errors import IamsimError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iamsim",
        description="Offline emulator and analyzer of AWS IAM authorization.",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log more detail (-v info, -vv debug)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check.register(commands)
    explain.register(commands)
    importer.register(commands)
    validate.register(commands)
    serve.register(commands)
    trail.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    level = {0: logging.WARNING, 1: logging.INFO}.get(args.verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except IamsimError as error:
        print(f"iamsim: error: {error.render()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
