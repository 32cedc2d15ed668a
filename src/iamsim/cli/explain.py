"""``iamsim explain``: one decision, gate by gate, in plain words."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from datetime import UTC, datetime
from typing import Any

from iamsim.cli.render import trace
from iamsim.engine.decision import decision_to_dict
from iamsim.errors import InputError
from iamsim.world.query import Query
from iamsim.world.scenario import Scenario, load_scenario


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "explain",
        help="explain one decision gate by gate",
        description="Explain one request of a scenario (chosen with --request), "
        "or an ad hoc request against the scenario's world (--principal, "
        "--action, --resource). Exit 0 when allowed, 1 when denied.",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file")
    parser.add_argument("--request", metavar="NAME", help="the request's name")
    parser.add_argument("--principal", metavar="ARN", help="who asks (an ARN)")
    parser.add_argument("--action", metavar="ACTION", help="e.g. s3:GetObject")
    parser.add_argument("--resource", metavar="ARN", default="*")
    parser.add_argument(
        "--context",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="a request context key; repeat the key for several values",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    query = _ad_hoc_query(args) if args.principal else _named_query(scenario, args)
    decision = scenario.world.authorize(query, now=datetime.now(UTC))
    if args.format == "json":
        sys.stdout.write(json.dumps(decision_to_dict(decision), indent=2) + "\n")
    else:
        sys.stdout.write(trace(decision) + "\n")
    return 0 if decision.allowed else 1


def _named_query(scenario: Scenario, args: argparse.Namespace) -> Query:
    requests = scenario.requests
    if args.request is None:
        if len(requests) == 1:
            return requests[0].query
        names = ", ".join(repr(r.name) for r in requests[:5])
        raise InputError(
            f"the scenario has {len(requests)} requests; choose one",
            where=args.scenario,
            hint=f"pass --request NAME (for example {names}) or --principal",
        )
    for request in requests:
        if request.name == args.request:
            return request.query
    close = difflib.get_close_matches(args.request, [r.name for r in requests], n=1)
    raise InputError(
        f"no request named {args.request!r}",
        where=args.scenario,
        hint=f"did you mean {close[0]!r}?" if close else "see `iamsim check` output",
    )


def _ad_hoc_query(args: argparse.Namespace) -> Query:
    if not args.action:
        raise InputError("--principal needs --action too", where="--action")
    context: dict[str, list[str]] = {}
    for item in args.context:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(
                f"context {item!r} has no '='",
                where="--context",
                hint="write KEY=VALUE, e.g. aws:SourceIp=203.0.113.7",
            )
        context.setdefault(key, []).append(value)
    flat = {k: v[0] if len(v) == 1 else v for k, v in context.items()}
    return Query(args.principal, args.action, args.resource, context=flat)
