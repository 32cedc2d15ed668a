"""``iamsim validate``: check policy documents against the grammar of their kind."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from iamsim.errors import InputError, PolicyError
from iamsim.policy.model import PolicyKind
from iamsim.policy.parse import parse_policy


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check policy JSON files",
        description="Parse each policy file as the given kind. Exit 0 when all "
        "are valid, 1 when any is not.",
    )
    parser.add_argument("files", nargs="+", metavar="POLICY.json")
    parser.add_argument(
        "--kind",
        choices=[k.value for k in PolicyKind],
        default=PolicyKind.IDENTITY.value,
        help="the kind of policy (default: identity)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    kind = PolicyKind(args.kind)
    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(
                f"cannot read policy file: {error.strerror}", where=name
            ) from None
        try:
            policy = parse_policy(text, kind=kind, name=path.stem)
        except PolicyError as error:
            failures += 1
            print(f"{name}: {error.render()}")
            continue
        print(f"{name}: valid {kind.title} with {len(policy.statements)} statement(s)")
    return 1 if failures else 0
