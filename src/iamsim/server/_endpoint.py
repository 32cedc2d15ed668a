"""One AWS request in, one AWS reply out: the endpoint without its transport.

For each request the endpoint routes to a service and operation (the
``X-Amz-Target`` header for JSON 1.1, the ``Action`` parameter and the
credential scope for the query protocol), verifies the SigV4 signature,
resolves the caller (and its session, from ``X-Amz-Security-Token``), decodes
the input by the operation's botocore shape, runs the registered operation,
encodes its result or error, and records the call in the trail. It decides
nothing about IAM itself: the operation authorizes, the codecs translate.

Logging: one INFO line per request (operation, principal ARN, outcome and
milliseconds); never a secret, a session token or a signature.

Imports iamsim.services, iamsim.sts, iamsim.sigv4, iamsim.trail.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from iamsim import services
from iamsim.server import _json, _query, _validate
from iamsim.server._errors import (
    INTERNAL_FAILURE,
    WireError,
    malformed_input,
    not_emulated,
    unknown_operation,
    validation_error,
    wire_error,
)
from iamsim.server._models import JSON, QUERY, Catalog, ServiceSpec, load_catalog
from iamsim.server._trail_writer import TrailWriter
from iamsim.server._values import WireValueError
from iamsim.services.api import OPERATIONS, Call, Caller, Registry
from iamsim.services.sts import resolve_caller, secret_for
from iamsim.sigv4 import HttpRequest, verify_request
from iamsim.trail.record import ApiCall, records_for

log = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"
XML_TYPE = "text/xml"
REQUEST_ID_HEADER = "x-amzn-RequestId"
#: Parameters of the query protocol that are not operation input.
QUERY_CONTROL = frozenset({"Action", "Version"})
#: Services whose operations read the trail, so must see every earlier call.
TRAIL_READERS = frozenset({"cloudtrail"})
#: The caller of an operation whose model needs no signature.
ANONYMOUS = Caller(arn="", account="", user_id="", access_key_id="")

Clock = Callable[[], datetime]


def load_operations() -> None:
    """Import every module of :mod:`iamsim.services`, registering its operations.

    A module that fails to import is logged as a warning and its operations
    answer ``NotImplemented``, naming the operation, as any AWS operation
    that no module registers does.
    """
    for module in pkgutil.iter_modules(services.__path__, "iamsim.services."):
        try:
            importlib.import_module(module.name)
        except ImportError as error:
            log.warning("service module %s is not loaded: %s", module.name, error)


@dataclass(frozen=True)
class WireRequest:
    """An HTTP request as received: raw path and query, headers, body."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    secure: bool = False
    _first: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first: dict[str, str] = {}
        for key, value in self.headers:
            first.setdefault(key.lower(), value)
        object.__setattr__(self, "_first", first)

    def header(self, name: str) -> str | None:
        """The first value sent under ``name`` (any case), if any."""
        return self._first.get(name.lower())


@dataclass(frozen=True)
class WireResponse:
    """An HTTP reply: status, headers and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Refusal(Exception):
    """A request ends here with ``error`` (raised inside the endpoint only)."""

    def __init__(self, error: WireError) -> None:
        self.error = error
        super().__init__(error.code)


@dataclass
class _Exchange:
    """What is known about one request as it is served."""

    request: WireRequest
    request_id: str
    now: datetime
    protocol: str = QUERY
    spec: ServiceSpec | None = None
    operation_name: str = ""
    operation: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    caller: Caller | None = None
    region: str = "us-east-1"
    outcome: str = "ok"
    recorded: bool = False


class Endpoint:
    """The AWS endpoint over one backend, callable without any socket."""

    def __init__(
        self,
        backend: Any,
        *,
        clock: Clock | None = None,
        registry: Registry = OPERATIONS,
        catalog: Catalog | None = None,
        trail_writer: TrailWriter | None = None,
    ) -> None:
        self.backend = backend
        self.trail_writer = trail_writer
        self.clock: Clock = clock or _utc_now
        self.registry = registry
        self.catalog = catalog or load_catalog()
        if registry is OPERATIONS:
            load_operations()

    def handle(self, request: WireRequest) -> WireResponse:
        """Serve one request; never raises.

        The call's trail records are stored before this returns, or, with a
        ``trail_writer``, queued for it; a request that reads the trail
        (CloudTrail's API) first waits for the writer to catch up.
        """
        started = time.perf_counter()
        exchange = _Exchange(request, str(uuid.uuid4()), self.clock())
        try:
            response = self._serve(exchange)
        except Refusal as refusal:
            response = self._refuse(exchange, refusal.error)
        except Exception as error:
            response = self._refuse(exchange, self._as_wire_error(exchange, error))
        _log_line(exchange, response, started)
        return response

    def flush_trail(self) -> None:
        """Wait until the records of every call served so far are stored."""
        if self.trail_writer is not None:
            self.trail_writer.drain()

    def close(self) -> None:
        """Store the last records and stop the trail writer, if any."""
        if self.trail_writer is not None:
            self.trail_writer.close()

    def _serve(self, exchange: _Exchange) -> WireResponse:
        self._route(exchange)
        spec = exchange.spec
        assert spec is not None
        if spec.name in TRAIL_READERS:
            self.flush_trail()
        exchange.operation = spec.operation(exchange.operation_name)
        exchange.caller = self._authenticate(exchange, spec)
        if exchange.operation is None:
            raise Refusal(
                unknown_operation(
                    exchange.protocol, exchange.operation_name, spec.api_version
                )
            )
        self._decode(exchange)
        return self._run(exchange, spec)

    def _route(self, exchange: _Exchange) -> None:
        request = exchange.request
        target = request.header("x-amz-target")
        scope_service = _scope_service(request)
        if target is not None:
            exchange.protocol = JSON
            prefix, exchange.operation_name = _json.split_target(target)
            exchange.spec = self.catalog.by_target_prefix(prefix)
            if exchange.spec is None:
                raise Refusal(unknown_operation(JSON, target, ""))
            return
        exchange.params = _query_params(request)
        exchange.operation_name = exchange.params.get("Action", "")
        spec = self.catalog.get(scope_service or "")
        if spec is None or spec.protocol != QUERY:
            spec = self.catalog.query_service_for(exchange.operation_name)
        exchange.spec = spec

    def _authenticate(self, exchange: _Exchange, spec: ServiceSpec) -> Caller:
        request = exchange.request
        operation = exchange.operation
        unsigned = request.header("authorization") is None and (
            "X-Amz-Credential" not in request.query
        )
        if unsigned and operation is not None and operation.auth_type == "none":
            return ANONYMOUS
        http = HttpRequest(
            request.method, request.path, request.query, request.headers, request.body
        )
        backend = self.backend
        verified = verify_request(
            http,
            lambda key: secret_for(backend, key),
            exchange.now,
            service=spec.name,
        )
        exchange.region = verified.region
        return resolve_caller(
            backend, verified.access_key_id, verified.session_token, exchange.now
        )

    def _decode(self, exchange: _Exchange) -> None:
        operation = exchange.operation
        try:
            if exchange.protocol == JSON:
                params = _json.decode_body(operation.input_shape, exchange.request.body)
            else:
                flat = {
                    k: v for k, v in exchange.params.items() if k not in QUERY_CONTROL
                }
                params = _query.decode_params(operation.input_shape, flat)
        except WireValueError as error:
            raise Refusal(malformed_input(exchange.protocol, str(error))) from None
        exchange.params = params
        found = _validate.violations(operation.input_shape, params)
        if found:
            raise Refusal(validation_error(exchange.protocol, _validate.summary(found)))

    def _run(self, exchange: _Exchange, spec: ServiceSpec) -> WireResponse:
        operation = self.registry.find(spec.name, exchange.operation_name)
        if operation is None:
            raise Refusal(not_emulated(spec.name, exchange.operation_name))
        call = self._call(exchange, spec)
        try:
            result = operation.handler(self.backend, call, exchange.params)
        except Exception as error:
            raise Refusal(self._as_wire_error(exchange, error)) from None
        body = self._encode(exchange, spec, result)
        self._record(exchange, spec, result, None)
        return _reply(exchange, 200, body)

    def _call(self, exchange: _Exchange, spec: ServiceSpec) -> Call:
        request = exchange.request
        assert exchange.caller is not None
        return Call(
            caller=exchange.caller,
            service=spec.name,
            operation=exchange.operation_name,
            region=exchange.region,
            now=exchange.now,
            request_id=exchange.request_id,
            source_ip=request.source_ip,
            user_agent=request.header("user-agent") or "",
            secure_transport=request.secure,
        )

    def _encode(
        self, exchange: _Exchange, spec: ServiceSpec, result: Mapping[str, Any]
    ) -> bytes:
        if exchange.protocol == JSON:
            return _json.encode_result(exchange.operation, result or {})
        return _query.encode_result(
            exchange.operation, result or {}, spec.xml_namespace, exchange.request_id
        )

    def _record(
        self,
        exchange: _Exchange,
        spec: ServiceSpec,
        result: Mapping[str, Any] | None,
        error: WireError | None,
    ) -> None:
        caller = exchange.caller
        if caller is None or exchange.recorded:
            return
        exchange.recorded = True
        request = exchange.request
        call = ApiCall(
            caller=caller,
            event_source=spec.event_source,
            event_name=exchange.operation_name,
            region=exchange.region,
            time=exchange.now,
            request_id=exchange.request_id,
            source_ip=request.source_ip,
            user_agent=request.header("user-agent") or "",
            request_parameters=exchange.params,
            response=result,
            error_code=None if error is None else error.code,
            error_message=None if error is None else error.message,
            principal_id_of=self._principal_id_of,
        )
        if self.trail_writer is not None:
            self.trail_writer.submit(call)
            return
        try:
            for record in records_for(call):
                self.backend.record_event(record)
        except Exception:
            log.exception("could not record %s in the trail", exchange.operation_name)

    def _principal_id_of(self, user_arn: str) -> str | None:
        user = self.backend.world().user(user_arn)
        return None if user is None else str(user.user_id)

    def _refuse(self, exchange: _Exchange, error: WireError) -> WireResponse:
        exchange.outcome = error.code
        if exchange.operation is not None and exchange.spec is not None:
            self._record(exchange, exchange.spec, None, error)
        if exchange.protocol == JSON:
            body = _json.encode_error(error.code, error.message)
        else:
            namespace = exchange.spec.xml_namespace if exchange.spec else ""
            body = _query.encode_error(
                error.code,
                error.message,
                exchange.request_id,
                namespace=namespace,
                sender_fault=error.sender_fault,
            )
        return _reply(exchange, error.status, body)

    def _as_wire_error(self, exchange: _Exchange, error: Exception) -> WireError:
        wire = wire_error(error)
        if wire is not None:
            return wire
        log.exception(
            "internal failure in %s (request %s)",
            exchange.operation_name or "?",
            exchange.request_id,
        )
        return WireError(
            INTERNAL_FAILURE,
            "The request processing has failed because of an unknown error.",
            status=500,
            sender_fault=False,
        )


def _reply(exchange: _Exchange, status: int, body: bytes) -> WireResponse:
    content_type = _json.CONTENT_TYPE if exchange.protocol == JSON else XML_TYPE
    headers = (
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        (REQUEST_ID_HEADER, exchange.request_id),
    )
    return WireResponse(status, headers, body)


def _query_params(request: WireRequest) -> dict[str, str]:
    """Query-protocol parameters from the URL and a form body, body last."""
    params = dict(parse_qsl(request.query, keep_blank_values=True))
    content_type = (request.header("content-type") or "").lower()
    if request.body and (FORM_TYPE in content_type or not content_type):
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(
                malformed_input(QUERY, "the form body is not UTF-8")
            ) from None
        params.update(_query.parse_form(text))
    return params


def _scope_service(request: WireRequest) -> str | None:
    """The service named in the credential scope, read without verifying."""
    authorization = request.header("authorization")
    credential = ""
    if authorization is not None:
        _, _, rest = authorization.partition("Credential=")
        credential = rest.split(",", 1)[0].strip()
    elif "X-Amz-Credential" in request.query:
        params = dict(parse_qsl(request.query, keep_blank_values=True))
        credential = params.get("X-Amz-Credential", "")
    parts = credential.split("/")
    return parts[3] if len(parts) == 5 else None


def _log_line(exchange: _Exchange, response: WireResponse, started: float) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    milliseconds = (time.perf_counter() - started) * 1000
    service = exchange.spec.name if exchange.spec else "?"
    principal = exchange.caller.arn if exchange.caller else "-"
    log.info(
        "%s:%s principal=%s outcome=%s status=%d %.2fms",
        service,
        exchange.operation_name or "?",
        principal or "anonymous",
        exchange.outcome,
        response.status,
        milliseconds,
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)
