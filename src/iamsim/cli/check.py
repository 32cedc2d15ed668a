"""``iamsim check``: evaluate every request of scenario files, as a test run."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from iamsim.cli.paths import scenario_files
from iamsim.cli.render import summary
from iamsim.engine.decision import Decision, decision_to_dict
from iamsim.world.scenario import ScenarioRequest, load_scenario

EXPECTATIONS = {
    "Allow": ("Allow",),
    "Deny": ("ExplicitDeny", "ImplicitDeny"),
    "ExplicitDeny": ("ExplicitDeny",),
    "ImplicitDeny": ("ImplicitDeny",),
}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="evaluate every request in scenario files",
        description="Evaluate each request of each scenario file. With `expect`, "
        "it is a test: exit 0 when all hold, 1 when any differs, "
        "2 when input is unusable.",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="scenario files or directories of them"
    )
    parser.add_argument(
        "--format",
        choices=("table", "json", "junit"),
        default="table",
        help="output format (default: table)",
    )
    parser.set_defaults(run=run)


@dataclass(frozen=True)
class Outcome:
    file: Path
    request: ScenarioRequest
    decision: Decision
    seconds: float

    @property
    def expected(self) -> str | None:
        expect = self.request.expect
        return None if expect is None else str(getattr(expect, "value", expect))

    @property
    def passed(self) -> bool:
        expected = self.expected
        return expected is None or self.decision.effect.value in EXPECTATIONS[expected]


def run(args: argparse.Namespace) -> int:
    files = scenario_files(args.paths)
    scenarios = [(path, load_scenario(path)) for path in files]
    now = datetime.now(UTC)
    outcomes = [
        _evaluate(path, scenario.world, request, now)
        for path, scenario in scenarios
        for request in scenario.requests
    ]
    render = {"table": _table, "json": _json, "junit": _junit}[args.format]
    sys.stdout.write(render(outcomes))
    return 0 if all(o.passed for o in outcomes) else 1


def _evaluate(
    path: Path, world: Any, request: ScenarioRequest, now: datetime
) -> Outcome:
    started = time.perf_counter()
    decision = world.authorize(request.query, now=now)
    return Outcome(path, request, decision, time.perf_counter() - started)


def _table(outcomes: list[Outcome]) -> str:
    lines: list[str] = []
    current: Path | None = None
    for outcome in outcomes:
        if outcome.file != current:
            current = outcome.file
            lines.append(f"{current}")
        mark = "ok  " if outcome.passed else "FAIL"
        if outcome.expected is None:
            mark = "    "
        lines.append(f"  {mark} {outcome.request.name}: {summary(outcome.decision)}")
        if not outcome.passed:
            lines.append(f"       expected {outcome.expected}")
        if outcome.decision.reason:
            lines.append(f"       {outcome.decision.reason}")
    failed = sum(not o.passed for o in outcomes)
    tested = sum(o.expected is not None for o in outcomes)
    lines.append("")
    noun = "request" if len(outcomes) == 1 else "requests"
    lines.append(f"{len(outcomes)} {noun}, {tested - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def _json(outcomes: list[Outcome]) -> str:
    records = [
        {
            "file": str(o.file),
            "name": o.request.name,
            "expect": o.expected,
            "passed": o.passed,
            "decision": decision_to_dict(o.decision),
        }
        for o in outcomes
    ]
    failed = sum(not o.passed for o in outcomes)
    document = {"requests": records, "total": len(outcomes), "failed": failed}
    return json.dumps(document, indent=2) + "\n"


def _junit(outcomes: list[Outcome]) -> str:
    suites = ElementTree.Element("testsuites")
    by_file: dict[Path, list[Outcome]] = {}
    for outcome in outcomes:
        by_file.setdefault(outcome.file, []).append(outcome)
    for path, group in by_file.items():
        suite = ElementTree.SubElement(
            suites,
            "testsuite",
            name=str(path),
            tests=str(len(group)),
            failures=str(sum(not o.passed for o in group)),
        )
        for outcome in group:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=str(path),
                name=outcome.request.name,
                time=f"{outcome.seconds:.6f}",
            )
            if not outcome.passed:
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    message=f"expected {outcome.expected}, got "
                    f"{outcome.decision.effect.value}",
                )
                failure.text = outcome.decision.reason
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
