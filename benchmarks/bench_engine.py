"""Benchmark the authorization path: world load time and decisions per second.

Run from the repository root::

    .venv/bin/python benchmarks/bench_engine.py [--requests N] [--seed S]
    .venv/bin/python benchmarks/bench_engine.py --profile

The workload (see ``workload.py`` beside this file) is an organization of five
accounts with about 2,000 principals, their managed and inline policies, SCPs
at the root and OU levels, permissions boundaries and resource policies, then
a stream of requests against it. The script reports:

- world load: seconds from the scenario dict to a World (``scenario_from_dict``
  parses every policy and compiles its conditions), in a process whose caches
  are cold;
- decisions per second through ``World.authorize``, end to end: only the
  authorize loop is timed, over Query objects built beforehand in chunks.
  The world's Authorizer compiles each policy into matchers on first use, so
  that cost falls inside the loop, as it does for any caller;
- the two halves of that path timed apart: the world side (``resolve``:
  caller, target, request context and the applicable policies) and the
  engine side (``Authorizer.evaluate`` on requests resolved beforehand, with
  one long-lived Authorizer), which must reach the same decisions;
- the Allow / ExplicitDeny / ImplicitDeny mix and the gates that denied;
- how much of each timed stretch went to the cyclic garbage collector;
- peak resident memory, and the world's own size measured with tracemalloc.

Seconds and rates are CPU time of this process, with wall-clock time shown
beside them: on a shared machine, CPU time still counts only this work.
The process is single-threaded and, where the OS allows, pinned to one CPU,
so the rate is a one-core figure. ``--profile`` profiles a smaller run with
cProfile instead and prints the functions with the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import resource
import sys
import time
import tracemalloc
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import islice, product
from typing import TypeAlias

from workload import Workload, build_workload, iter_requests

from iamsim.engine.decision import Decision, DecisionEffect, Gate
from iamsim.engine.evaluate import Authorizer
from iamsim.world.model import World
from iamsim.world.query import Query
from iamsim.world.resolve import Resolution, resolve
from iamsim.world.scenario import scenario_from_dict

#: The default seed is arbitrary (a date). It is fixed so that every run, on
#: any machine, builds the same world and sends the same requests, and figures
#: from two commits measure the same work. Another --seed draws a different
#: workload of the same shape, to check a figure does not hinge on one draw.
DEFAULT_SEED = 20_240_501
DEFAULT_REQUESTS = 200_000
#: cProfile slows Python code several times over; a tenth of the run suffices
#: to rank the hot spots.
PROFILE_REQUESTS = 20_000
#: Requests turned into Query objects at a time: enough that the timer's own
#: cost vanishes, few enough that the benchmark's queries and resolved
#: requests add little to the heap that each garbage collection walks.
CHUNK = 1_000
#: Every request is asked at this moment; the world never reads a clock.
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TARGET_DECISIONS_PER_SECOND = 100_000
TARGET_LOAD_SECONDS = 2.0
TOP_PROFILE_ROWS = 25
TOP_LOAD_PROFILE_ROWS = 15

Step: TypeAlias = Callable[[], object]
#: A decision's effect and deciding gate, and the one-byte code of each pair.
Outcome: TypeAlias = tuple[DecisionEffect, Gate | None]
_OUTCOMES: tuple[Outcome, ...] = tuple(product(DecisionEffect, (None, *Gate)))
_CODES = {outcome: code for code, outcome in enumerate(_OUTCOMES)}


class GcClock:
    """CPU time spent in cyclic garbage collections, as a gc callback."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self.by_generation = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
            return
        spent = time.process_time() - self._started
        self.seconds += spent
        self.collections[info["generation"]] += 1
        self.by_generation[info["generation"]] += spent


GC_CLOCK = GcClock()


@dataclass
class Span:
    """Accumulated wall-clock time, CPU time and the CPU time spent in gc.

    Rates use CPU time: the machine may be shared, and CPU time counts only
    this process's work, which is what "on one core" means.
    """

    wall: float = 0.0
    cpu: float = 0.0
    gc: float = 0.0

    @contextmanager
    def measure(self) -> Iterator[None]:
        wall, cpu, collecting = (
            time.perf_counter(),
            time.process_time(),
            GC_CLOCK.seconds,
        )
        try:
            yield
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu
            self.gc += GC_CLOCK.seconds - collecting

    def describe(self) -> str:
        gc_share = f"{100 * self.gc / self.cpu:.0f}%" if self.cpu else "-"
        return f"{self.cpu:.2f} s CPU ({self.wall:.2f} s wall), {gc_share} in gc"


@dataclass
class Timing:
    """The time one way of deciding took, and what it decided."""

    label: str
    span: Span = field(default_factory=Span)
    decisions: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return self.decisions / self.span.cpu if self.span.cpu else 0.0


@dataclass
class Report:
    """Every figure a run measures."""

    load: Span
    queries: Span = field(default_factory=Span)
    timings: list[Timing] = field(default_factory=list)
    gates: Counter[str] = field(default_factory=Counter)
    mismatches: int = 0
    rss_before_load_mib: float = 0.0
    rss_after_load_mib: float = 0.0
    rss_peak_mib: float = 0.0
    gc_collections: list[int] = field(default_factory=list)
    gc_seconds: list[float] = field(default_factory=list)
    world_mib: float | None = None
    load_peak_mib: float | None = None


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if args.gc == "off":
        gc.disable()
    pinned = _pin_to_one_cpu()
    started = time.perf_counter()
    workload = build_workload(args.seed)
    generation = time.perf_counter() - started
    _print_header(args, pinned, workload, generation)
    gc.callbacks.append(GC_CLOCK)
    if args.profile:
        _profile(workload, args)
        return 0
    rss_before_load = _rss_mib()
    world, load = _load(workload)
    if args.gc == "freeze":
        gc.freeze()
    report = Report(
        load,
        rss_before_load_mib=rss_before_load,
        rss_after_load_mib=_rss_mib(),
    )
    _run(world, workload, args, report)
    report.rss_peak_mib = _rss_mib()
    report.gc_collections = list(GC_CLOCK.collections)
    report.gc_seconds = list(GC_CLOCK.by_generation)
    gc.callbacks.remove(GC_CLOCK)
    if not args.no_tracemalloc:
        del world
        gc.collect()
        report.world_mib, report.load_peak_mib = _world_size(args.seed)
    _print_report(report)
    return 0


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark iamsim's authorization path."
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=None,
        help=f"requests to decide (default {DEFAULT_REQUESTS:,}; "
        f"{PROFILE_REQUESTS:,} with --profile)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"workload seed (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile a smaller run with cProfile instead",
    )
    parser.add_argument(
        "--profile-path",
        choices=("world", "resolve", "engine"),
        default="world",
        help="what --profile times: World.authorize (default), resolve "
        "alone, or an Authorizer on requests resolved beforehand",
    )
    parser.add_argument(
        "--no-fast-paths", action="store_true", help="time World.authorize only"
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="skip measuring the world's size (a second load)",
    )
    parser.add_argument(
        "--gc",
        choices=("on", "off", "freeze"),
        default="on",
        help="the cyclic garbage collector: on (default), off for the whole "
        "run, or frozen once the world is loaded (gc.freeze), so that "
        "collections no longer traverse the world's objects",
    )
    args = parser.parse_args(argv)
    if args.requests is None:
        args.requests = PROFILE_REQUESTS if args.profile else DEFAULT_REQUESTS
    if args.requests <= 0:
        parser.error("--requests must be positive")
    return args


def _pin_to_one_cpu() -> int | None:
    """Pin the process to its first allowed CPU; None where that is unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _load(workload: Workload) -> tuple[World, Span]:
    """The world, and the time its load took.

    The scenario dict is dropped once loaded, so that collections during the
    timed loops do not also walk the benchmark's copy of every document.
    """
    span = Span()
    with span.measure():
        world = scenario_from_dict(workload.scenario, source="bench").world
    workload.scenario = {}
    return world, span


# -- timed runs -----------------------------------------------------------------


def _run(
    world: World, workload: Workload, args: argparse.Namespace, report: Report
) -> None:
    """Time World.authorize over every request, then the two halves apart.

    The halves run in a second pass, so that the first has the heap to
    itself: no second Authorizer's caches and no resolved requests kept.
    Each decision is kept as a one-byte code, which the collector ignores.
    """
    headline = Timing("World.authorize (end to end)")
    report.timings.append(headline)
    codes = array("B")
    for queries in _query_chunks(workload, args, report.queries):
        codes.extend(_time_world(world, queries, headline))
    _tally(headline, codes)
    for code in codes:
        gate = _OUTCOMES[code][1]
        if gate is not None:
            report.gates[gate.value] += 1
    if args.no_fast_paths:
        return
    world_side = Timing("resolve only (world side, second pass)")
    engine_side = Timing("Authorizer.evaluate on resolved requests")
    report.timings += [world_side, engine_side]
    authorizer = Authorizer()
    again = array("B")
    for queries in _query_chunks(workload, args, Span()):
        resolutions = _time_resolve(world, queries, world_side)
        again.extend(_time_engine(authorizer, resolutions, engine_side))
    _tally(engine_side, again)
    report.mismatches = sum(a != b for a, b in zip(codes, again, strict=True))


def _query_chunks(
    workload: Workload, args: argparse.Namespace, span: Span
) -> Iterator[list[Query]]:
    """The requests as Query objects, a chunk at a time; ``span`` times it."""
    requests = iter_requests(workload, args.seed, args.requests)
    while specs := list(islice(requests, CHUNK)):
        with span.measure():
            queries = [spec.query() for spec in specs]
        yield queries


def _code(decision: Decision) -> int:
    return _CODES[decision.effect, decision.deciding_gate]


def _time_world(world: World, queries: list[Query], timing: Timing) -> list[int]:
    # Only a code for each decision is kept, as a caller that acts on a
    # decision and drops it would, so the collector does not walk old traces.
    authorize, code, now = world.authorize, _code, NOW
    with timing.span.measure():
        return [code(authorize(query, now=now)) for query in queries]


def _time_resolve(
    world: World, queries: list[Query], timing: Timing
) -> list[Resolution]:
    now = NOW
    with timing.span.measure():
        resolutions = [resolve(world, query, now=now) for query in queries]
    timing.decisions += len(resolutions)
    return resolutions


def _time_engine(
    authorizer: Authorizer, resolutions: list[Resolution], timing: Timing
) -> list[int]:
    evaluate, code = authorizer.evaluate, _code
    with timing.span.measure():
        return [code(evaluate(r.request, r.policies)) for r in resolutions]


def _tally(timing: Timing, codes: array[int]) -> None:
    timing.decisions += len(codes)
    for code, count in Counter(codes).items():
        timing.outcomes[_OUTCOMES[code][0].value] += count


# -- memory ---------------------------------------------------------------------


def _rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _world_size(seed: int) -> tuple[float, float]:
    """MiB a freshly loaded World keeps, and the peak while loading it."""
    workload = build_workload(seed)
    tracemalloc.start()
    world = scenario_from_dict(workload.scenario, source="bench").world
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del world
    return current / 2**20, peak / 2**20


# -- profiling ------------------------------------------------------------------


def _profile(workload: Workload, args: argparse.Namespace) -> None:
    """Profile the world load, then the requests along ``--profile-path``."""
    profiler = cProfile.Profile()
    profiler.enable()
    world = scenario_from_dict(workload.scenario, source="bench").world
    profiler.disable()
    workload.scenario = {}
    if args.gc == "freeze":
        gc.freeze()
    print(f"\nworld load, top {TOP_LOAD_PROFILE_ROWS} by own time")
    _print_profile(profiler, TOP_LOAD_PROFILE_ROWS)

    profiler = cProfile.Profile()
    span = Span()
    authorizer = Authorizer()
    for queries in _query_chunks(workload, args, Span()):
        steps = _profiled_steps(world, authorizer, queries, args.profile_path)
        with span.measure():
            profiler.enable()
            for step in steps:
                step()
            profiler.disable()
    print(
        f"\n{args.requests:,} requests through {args.profile_path!r} under "
        f"cProfile, {span.describe()}; top {TOP_PROFILE_ROWS} by own time"
    )
    _print_profile(profiler, TOP_PROFILE_ROWS)


def _profiled_steps(
    world: World, authorizer: Authorizer, queries: list[Query], path: str
) -> list[Step]:
    """One call per query, doing what ``path`` names; set-up is done here."""
    if path == "world":
        return [partial(world.authorize, query, now=NOW) for query in queries]
    if path == "resolve":
        return [partial(resolve, world, query, now=NOW) for query in queries]
    resolutions = [resolve(world, query, now=NOW) for query in queries]
    return [partial(authorizer.evaluate, r.request, r.policies) for r in resolutions]


def _print_profile(profiler: cProfile.Profile, rows: int) -> None:
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: item[1][2],
        reverse=True,
    )
    print(f"  {'own s':>7} {'own %':>6} {'cum s':>7} {'calls':>10}  function")
    for (filename, line, name), (_, calls, own, cumulative, _) in entries[:rows]:
        share = 100 * own / total if total else 0.0
        place = _short_place(filename, line, name)
        print(f"  {own:7.3f} {share:5.1f}% {cumulative:7.3f} {calls:10,}  {place}")


def _short_place(filename: str, line: int, name: str) -> str:
    """``iamsim/engine/compiled.py:64 __init__``, or the built-in's name."""
    if filename == "~":
        return name
    marker = f"{os.sep}iamsim{os.sep}"
    if marker in filename:
        filename = "iamsim" + os.sep + filename.split(marker, 1)[1]
    else:
        filename = os.path.join(*filename.split(os.sep)[-2:])
    return f"{filename}:{line} {name}"


# -- output ---------------------------------------------------------------------


def _machine(pinned: int | None) -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    pin = f", pinned to CPU {pinned}" if pinned is not None else ""
    return (
        f"{platform.system()} {platform.machine()}, {_cpu_model()}, "
        f"{os.cpu_count()} CPUs{pin}; Python {platform.python_version()} "
        f"({platform.python_implementation()}); {cpus} CPU(s) in use"
    )


def _load_average() -> str:
    """The 1-minute load average: above about 1, other work shares the CPUs."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return f"{os.getloadavg()[0]:.2f}"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _print_header(
    args: argparse.Namespace, pinned: int | None, workload: Workload, generation: float
) -> None:
    stats = workload.stats
    statements = stats["statements"]
    print("iamsim authorization benchmark")
    print(f"  machine      {_machine(pinned)}")
    print(
        f"  run          seed {args.seed}, {args.requests:,} requests, "
        f"gc {args.gc}; workload drawn in "
        f"{generation:.2f} s; load average {_load_average()}"
    )
    print(
        f"  principals   {stats['principals']:,}: {stats['users']:,} users in "
        f"{stats['groups']} groups, {stats['roles']:,} roles called through "
        "sessions"
    )
    print(
        f"  policies     {stats['managed_policies']} named, "
        f"{stats['inline_policies']:,} inline, {statements:,} statements "
        f"({_share(stats['conditioned'], statements)} with conditions, "
        f"{_share(stats['deny'], statements)} Deny, "
        f"{_share(stats['not_action'], statements)} NotAction)"
    )
    print(
        f"  also         SCPs at root and OU level, {stats['boundaries']} "
        f"permissions boundaries, {stats['resource_policies']} resource "
        "policies"
    )


def _print_report(report: Report) -> None:
    load_met = report.load.cpu <= TARGET_LOAD_SECONDS
    print(
        f"\nworld load     {report.load.cpu:10.2f} s    "
        f"target < {TARGET_LOAD_SECONDS:.0f} s: {_verdict(load_met)}; "
        f"{report.load.describe()}"
    )
    headline = report.timings[0]
    query_rate = headline.decisions / report.queries.cpu if report.queries.cpu else 0
    print(
        f"queries built  {query_rate:10,.0f} /s   Query objects, kept out of the "
        f"rates below; {report.queries.describe()}"
    )
    for index, timing in enumerate(report.timings):
        print(
            f"{'per second':15}{timing.rate:10,.0f} /s   {timing.label}: "
            f"{timing.decisions:,} in {timing.span.describe()}"
        )
        if index == 0:
            met = timing.rate >= TARGET_DECISIONS_PER_SECOND
            print(
                f"{'':28}target >= {TARGET_DECISIONS_PER_SECOND:,}/s: {_verdict(met)}"
            )
    if len(report.timings) > 1:
        agree = "yes" if report.mismatches == 0 else f"NO ({report.mismatches})"
        print(f"paths agree    {agree}")
    total = headline.decisions
    mix = ", ".join(
        f"{name} {headline.outcomes[name]:,} ({_share(headline.outcomes[name], total)})"
        for name in ("Allow", "ExplicitDeny", "ImplicitDeny")
    )
    print(f"outcomes       {mix}")
    gates = ", ".join(f"{gate} {count:,}" for gate, count in report.gates.most_common())
    print(f"denied at      {gates}")
    counts = ", ".join(
        f"{count:,} of generation {generation} ({seconds:.1f} s)"
        for generation, (count, seconds) in enumerate(
            zip(report.gc_collections, report.gc_seconds, strict=True)
        )
    )
    print(f"gc runs        {counts}")
    print(
        f"memory         peak RSS {report.rss_peak_mib:,.0f} MiB "
        f"({report.rss_before_load_mib:,.0f} MiB with the workload drawn, "
        f"{report.rss_after_load_mib:,.0f} MiB after load)"
    )
    if report.world_mib is not None and report.load_peak_mib is not None:
        print(
            f"               world {report.world_mib:,.1f} MiB live, "
            f"{report.load_peak_mib:,.1f} MiB peak while loading (tracemalloc)"
        )


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


if __name__ == "__main__":
    sys.exit(main())
