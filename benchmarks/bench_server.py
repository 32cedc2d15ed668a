"""Throughput and latency of the iamsim endpoint, driven by boto3.

Measures requests per second and p50/p99 latency for GetCallerIdentity,
AssumeRole and GetRole with 1 and 4 client threads, each run bounded by a
call count and a time limit. The server runs in its own process on
127.0.0.1, so client and server do not share an interpreter lock.

When moto's server is available (``moto[server]`` importable here, or the
Python named by ``--moto-python``), the same client code runs against it for
comparison. Last, the server's own work per GetCallerIdentity is timed
in-process: one pre-signed request through :class:`iamsim.server.Endpoint`,
with no socket and no client.

Run: ``python benchmarks/bench_server.py [--calls 2000] [--seconds 20]``.
Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

LOOPBACK = "127.0.0.1"
REGION = "us-east-1"
THREAD_COUNTS = (1, 4)
START_TIMEOUT_SECONDS = 20.0
OWN_WORK_CALLS = 5_000
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::{account}:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}
PERMISSIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["sts:AssumeRole", "iam:GetRole"],
            "Resource": "*",
        }
    ],
}


@dataclass(frozen=True)
class Keys:
    access_key_id: str
    secret_access_key: str


@dataclass(frozen=True)
class Target:
    """A running server and the credentials to call it with."""

    name: str
    url: str
    root: Keys
    user: Keys
    role_arn: str


@dataclass(frozen=True)
class Figures:
    target: str
    operation: str
    threads: int
    calls: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    figures: list[Figures] = []
    with _iamsim_server() as (url, state):
        figures += _run_all(_prepare("iamsim", url, _iamsim_root(state)), args)
    moto_python = args.moto_python or _moto_here()
    if moto_python:
        with _moto_server(moto_python) as url:
            root = Keys("AKIAIOSFODNN7EXAMPLE", "x" * 40)
            figures += _run_all(_prepare("moto", url, root), args)
    else:
        print("moto[server] not found: no comparison (see --moto-python)")
    print(_table(figures))
    reply, total = own_work_per_call()
    print(
        "\nown work per GetCallerIdentity (in-process, no socket): "
        f"{reply:.0f} µs to the reply, {total:.0f} µs with its trail record stored"
    )
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2_000, help="calls per run")
    parser.add_argument("--seconds", type=float, default=20.0, help="time per run")
    parser.add_argument(
        "--moto-python", help="a Python interpreter that has moto[server]"
    )
    return parser.parse_args(argv)


# Servers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, process_alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not process_alive():
            raise RuntimeError(f"the server for port {port} exited")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no server on port {port} after {START_TIMEOUT_SECONDS} s")


def _serve_iamsim(state_dir: str, port: int) -> None:
    from iamsim.server import serve
    from iamsim.services.backend import open_backend

    backend, _ = open_backend(Path(state_dir))
    serve(backend, LOOPBACK, port)


@contextmanager
def _iamsim_server() -> Iterator[tuple[str, Path]]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as state:
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=_serve_iamsim, args=(state, port))
        process.start()
        try:
            _wait_for(port, process.is_alive)
            yield f"http://{LOOPBACK}:{port}", Path(state)
        finally:
            process.terminate()
            process.join(10)


def _iamsim_root(state: Path) -> Keys:
    saved = json.loads((state / "root-credentials.json").read_text(encoding="utf-8"))
    return Keys(saved["AccessKeyId"], saved["SecretAccessKey"])


def _moto_here() -> str | None:
    try:
        import moto  # noqa: F401
    except ImportError:
        return None
    return sys.executable


@contextmanager
def _moto_server(python: str) -> Iterator[str]:
    port = _free_port()
    command = [python, "-m", "moto.server", "-H", LOOPBACK, "-p", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(port, lambda: process.poll() is None)
        yield f"http://{LOOPBACK}:{port}"
    finally:
        process.terminate()
        process.wait(10)


# Workloads


def _client(url: str, service: str, keys: Keys, token: str | None = None) -> Any:
    return boto3.session.Session().client(
        service,
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id=keys.access_key_id,
        aws_secret_access_key=keys.secret_access_key,
        aws_session_token=token,
        config=Config(retries={"max_attempts": 1}),
    )


def _prepare(name: str, url: str, root: Keys) -> Target:
    """A user allowed to assume a role and read it, with its own key."""
    iam = _client(url, "iam", root)
    account = _client(url, "sts", root).get_caller_identity()["Account"]
    iam.create_user(UserName="bench")
    iam.put_user_policy(
        UserName="bench",
        PolicyName="bench",
        PolicyDocument=json.dumps(PERMISSIONS),
    )
    created = iam.create_access_key(UserName="bench")["AccessKey"]
    trust = json.dumps(TRUST).replace("{account}", account)
    role = iam.create_role(RoleName="bench-role", AssumeRolePolicyDocument=trust)
    user = Keys(created["AccessKeyId"], created["SecretAccessKey"])
    return Target(name, url, root, user, role["Role"]["Arn"])


def _operations(target: Target) -> dict[str, Callable[[], Callable[[], Any]]]:
    """Per operation, a factory of one thread's call (one client per thread)."""

    def caller_identity() -> Callable[[], Any]:
        return _client(target.url, "sts", target.user).get_caller_identity

    def assume_role() -> Callable[[], Any]:
        sts = _client(target.url, "sts", target.user)
        return lambda: sts.assume_role(RoleArn=target.role_arn, RoleSessionName="bench")

    def get_role() -> Callable[[], Any]:
        iam = _client(target.url, "iam", target.user)
        return lambda: iam.get_role(RoleName="bench-role")

    return {
        "GetCallerIdentity": caller_identity,
        "AssumeRole": assume_role,
        "GetRole": get_role,
    }


def _run_all(target: Target, args: argparse.Namespace) -> list[Figures]:
    figures = []
    for operation, factory in _operations(target).items():
        for threads in THREAD_COUNTS:
            figures.append(
                _run(target.name, operation, factory, threads, args.calls, args.seconds)
            )
    return figures


def _run(
    name: str,
    operation: str,
    factory: Callable[[], Callable[[], Any]],
    threads: int,
    calls: int,
    seconds: float,
) -> Figures:
    calls_each = calls // threads
    prepared = [factory() for _ in range(threads)]
    for call in prepared:
        call()  # warm the connection and the client
    latencies: list[list[float]] = [[] for _ in range(threads)]
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        call, own = prepared[index], latencies[index]
        for _ in range(calls_each):
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            call()
            own.append(time.perf_counter() - started)

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    flat = [value for own in latencies for value in own]
    return Figures(name, operation, threads, len(flat), elapsed, flat)


def _table(figures: list[Figures]) -> str:
    lines = [
        "| server | operation | threads | calls | req/s | p50 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in figures:
        lines.append(
            f"| {row.target} | {row.operation} | {row.threads} | {row.calls} | "
            f"{row.per_second:,.0f} | {row.percentile(0.50):.2f} | "
            f"{row.percentile(0.99):.2f} |"
        )
    return "\n".join(lines)


# The server's own work


def own_work_per_call() -> tuple[float, float]:
    """Median microseconds the endpoint spends on one GetCallerIdentity.

    First until the reply is ready (the trail record is stored by a
    background writer), then including the trail record's write to the store.
    """
    from iamsim.server import Endpoint, WireRequest
    from iamsim.server._trail_writer import TrailWriter
    from iamsim.services.backend import open_backend
    from iamsim.sigv4 import Credentials, HttpRequest, sign_request

    with tempfile.TemporaryDirectory() as state:
        backend, bootstrap = open_backend(Path(state))
        try:
            saved = json.loads(bootstrap.secret_path.read_text(encoding="utf-8"))
            body = b"Action=GetCallerIdentity&Version=2011-06-15"
            headers = [
                ("Host", f"{LOOPBACK}:1"),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ]
            signed = sign_request(
                HttpRequest("POST", "/", "", headers, body),
                Credentials(bootstrap.access_key_id, saved["SecretAccessKey"]),
                region=REGION,
                service="sts",
                now=datetime.now(UTC),
            ).request
            request = WireRequest("POST", "/", "", tuple(signed.headers), body)
            endpoint = Endpoint(backend, trail_writer=TrailWriter(backend))

            def with_trail() -> None:
                endpoint.handle(request)
                endpoint.flush_trail()

            reply = _median_microseconds(
                lambda: endpoint.handle(request), after=endpoint.flush_trail
            )
            total = _median_microseconds(with_trail)
            endpoint.close()
            return reply, total
        finally:
            backend.close()


def _median_microseconds(
    call: Callable[[], Any], after: Callable[[], Any] = lambda: None
) -> float:
    """Median time of ``call``; ``after`` runs untimed after each one."""
    for _ in range(100):
        call()
        after()
    samples = []
    for _ in range(OWN_WORK_CALLS):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
        after()
    return statistics.median(samples) * 1e6


if __name__ == "__main__":
    sys.exit(main())
