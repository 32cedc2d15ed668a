"""The contract between the wire and the AWS operations.

An operation is a plain function ``handler(backend, call, params) -> result``:
``params`` is the decoded input structure of the AWS API (member names as in
the service's botocore model, e.g. ``{"UserName": "alice", "Path": "/"}``),
and the result is the output structure as a dict in the same naming. The
server decodes the wire into ``params`` and encodes the result; the Python API
and the CLI can call the same functions directly.

Every handler authorizes itself through ``backend.authorize`` with the real
IAM action, the real resource ARN and the condition keys AWS supplies, since
only the operation knows them. A refusal or a failed rule raises
:class:`ServiceError` carrying AWS's error code and HTTP status.

Imports only iamsim.errors and iamsim.world (for the read model's type).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from iamsim.errors import IamsimError
from iamsim.world.model import World

Params = Mapping[str, Any]
Result = dict[str, Any]


class ServiceError(IamsimError):
    """An error an AWS API returns: a code, an HTTP status and AWS's message."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 400,
        sender_fault: bool = True,
    ) -> None:
        self.code = code
        self.status = status
        self.sender_fault = sender_fault
        super().__init__(message)


def access_denied(message: str) -> ServiceError:
    """AWS's AccessDenied (IAM, STS, Organizations use this code and 403)."""
    return ServiceError("AccessDenied", message, status=403)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What a temporary credential carries (decoded from its session token).

    ``kind`` is ``"assumed-role"``, ``"federated-user"`` or ``"session-token"``
    (GetSessionToken: the caller keeps its own identity and policies).
    """

    kind: str
    arn: str
    account: str
    expires_at: datetime
    role_arn: str | None = None
    session_name: str | None = None
    user_arn: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None
    #: Session policy documents as JSON text, inline first then managed ARNs'.
    policies: tuple[str, ...] = ()
    policy_arns: tuple[str, ...] = ()
    #: Whether the session came from a role session (role chaining).
    chained: bool = False
    mfa_authenticated: bool = False
    #: When the credentials were issued (aws:TokenIssueTime).
    issued_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated identity behind a request.

    ``arn`` is the identity AWS reports from GetCallerIdentity (a user ARN,
    an assumed-role session ARN, a federated-user ARN or the root ARN);
    ``user_id`` is GetCallerIdentity's UserId (aws:userid).
    """

    arn: str
    account: str
    user_id: str
    access_key_id: str
    session: SessionInfo | None = None


@dataclass(frozen=True, slots=True)
class Call:
    """One API call in progress: who, where from, when, and its ids."""

    caller: Caller
    service: str
    operation: str
    region: str
    now: datetime
    request_id: str
    source_ip: str = "127.0.0.1"
    user_agent: str = ""
    secure_transport: bool = False


@dataclass(frozen=True, slots=True)
class AccessKeyRecord:
    """A long-term access key (AKIA...) as the store keeps it.

    ``owner_arn`` is the IAM user's ARN, or the account root's ARN for a root
    key. ``status`` is ``"Active"`` or ``"Inactive"``.
    """

    access_key_id: str
    secret_access_key: str = field(repr=False)
    owner_arn: str = ""
    account: str = ""
    status: str = "Active"
    created_at: datetime | None = None


class Backend(Protocol):
    """What operations and the server need from the state behind them.

    ``server_key`` signs session tokens and derives temporary secrets; it is
    created once with the state and never leaves it.
    """

    server_key: bytes

    def world(self) -> World:
        """The current read model (rebuilt after each committed change)."""
        ...

    def access_key(self, access_key_id: str) -> AccessKeyRecord | None:
        """The long-term key with this id, if any."""
        ...

    def record_event(self, record: Mapping[str, Any]) -> None:
        """Store one CloudTrail record (already in AWS's schema)."""
        ...

    def transaction(self) -> AbstractContextManager[Any]:
        """A write transaction: all of a call's changes land, or none do."""
        ...

    def authorize(
        self,
        call: Call,
        action: str,
        resource: str,
        context: Mapping[str, Any] | None = None,
    ) -> None:
        """Raise AccessDenied (worded as AWS words it) unless the engine allows."""
        ...


Handler = Callable[[Any, Call, Params], Result]


@dataclass(frozen=True, slots=True)
class Operation:
    service: str
    name: str
    handler: Handler


class Registry:
    """The operations the endpoint serves, by service and operation name."""

    def __init__(self) -> None:
        self._operations: dict[tuple[str, str], Operation] = {}

    def operation(self, service: str, name: str) -> Callable[[Handler], Handler]:
        """Decorator registering ``handler`` as ``service``'s ``name``."""

        def register(handler: Handler) -> Handler:
            self._operations[(service, name)] = Operation(service, name, handler)
            return handler

        return register

    def find(self, service: str, name: str) -> Operation | None:
        return self._operations.get((service, name))

    def __iter__(self) -> Iterator[Operation]:
        return iter(self._operations.values())


#: Every operation iamsim serves; service modules register into it on import.
OPERATIONS = Registry()
