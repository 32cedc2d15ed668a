"""A pytest plugin: a live iamsim endpoint for the tests of your own code.

Enable it with ``pytest -p iamsim.testing`` (or ``pytest_plugins =
["iamsim.testing"]`` in a ``conftest.py``). The ``iamsim`` fixture starts the
endpoint in-process on a free port of 127.0.0.1, over a fresh state in the
test's temporary directory, and stops it after the test::

    import pytest

    @pytest.mark.iamsim(world="scenarios/two-accounts.yaml")
    def test_deployer_cannot_delete_users(iamsim):
        iam = iamsim.client("iam")
        ...

The scenario comes from the ``iamsim`` marker's ``world`` argument, or from
indirect parametrization (``@pytest.mark.parametrize("iamsim", ["a.yaml"],
indirect=True)``); a relative path is taken from the test file's
directory. Without either the state is a new organization with one
management account. ``iamsim.client(service)`` signs as that account's root
user; ``iamsim.session_for(credentials)`` gives a boto3 session for any
credentials the endpoint issued (CreateAccessKey's ``AccessKey``, or STS's
``Credentials``).

Needs boto3 and uvicorn (``pip install iamsim[server]`` and boto3).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from iamsim.server import BackgroundServer
from iamsim.services.backend import StoreBackend, open_backend

REGION = "us-east-1"
MARKER = "iamsim"


@dataclass
class IamsimEndpoint:
    """A running endpoint and the root credentials of its first account."""

    endpoint_url: str
    account_id: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    backend: StoreBackend = field(repr=False)
    state_dir: Path

    def client(self, service: str, **options: Any) -> Any:
        """A boto3 client for ``service`` signing as the account's root user."""
        options.setdefault("aws_access_key_id", self.access_key_id)
        options.setdefault("aws_secret_access_key", self.secret_access_key)
        return self._session().client(service, **self._defaults(options))

    def session_for(self, credentials: Mapping[str, Any]) -> BoundSession:
        """A boto3 session using ``credentials``, whose clients use this endpoint.

        ``credentials`` holds ``AccessKeyId`` and ``SecretAccessKey`` and, for
        temporary credentials, ``SessionToken``.
        """
        session = self._session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials.get("SessionToken"),
        )
        return BoundSession(session, self.endpoint_url)

    def _session(self, **credentials: Any) -> Any:
        import boto3  # type: ignore[import-untyped]

        return boto3.session.Session(region_name=REGION, **credentials)

    def _defaults(self, options: dict[str, Any]) -> dict[str, Any]:
        options.setdefault("endpoint_url", self.endpoint_url)
        options.setdefault("region_name", REGION)
        return options


class BoundSession:
    """A boto3 session whose clients and resources talk to one endpoint.

    Anything else is the wrapped ``boto3.session.Session``'s.
    """

    def __init__(self, session: Any, endpoint_url: str) -> None:
        self.session = session
        self.endpoint_url = endpoint_url

    def client(self, service: str, **options: Any) -> Any:
        options.setdefault("endpoint_url", self.endpoint_url)
        return self.session.client(service, **options)

    def resource(self, service: str, **options: Any) -> Any:
        options.setdefault("endpoint_url", self.endpoint_url)
        return self.session.resource(service, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(world=PATH): the scenario file the iamsim fixture starts from",
    )


@pytest.fixture
def iamsim(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IamsimEndpoint]:
    """A live endpoint on 127.0.0.1, stopped after the test."""
    world = _scenario(request)
    state = tmp_path_factory.mktemp("iamsim-state")
    with running_endpoint(state, world) as endpoint:
        yield endpoint


@contextlib.contextmanager
def running_endpoint(
    state_dir: Path, world: Path | None = None
) -> Iterator[IamsimEndpoint]:
    """Open the state in ``state_dir`` and serve it until the block ends."""
    backend, bootstrap = open_backend(state_dir, seed_scenario=world)
    try:
        secret = json.loads(bootstrap.secret_path.read_text(encoding="utf-8"))
        with BackgroundServer(backend) as server:
            yield IamsimEndpoint(
                endpoint_url=server.endpoint_url,
                account_id=bootstrap.account_id,
                access_key_id=bootstrap.access_key_id,
                secret_access_key=str(secret["SecretAccessKey"]),
                backend=backend,
                state_dir=state_dir,
            )
    finally:
        backend.close()


def _scenario(request: pytest.FixtureRequest) -> Path | None:
    param = getattr(request, "param", None)
    if param is not None:
        return Path(param)
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return None
    world = marker.kwargs.get("world", marker.args[0] if marker.args else None)
    if world is None:
        return None
    path = Path(world)
    return path if path.is_absolute() else request.path.parent / path
