"""The one table from iamsim's errors to AWS's wire errors.

Every refusal reaches the client as an AWS error code, an HTTP status and a
message. Errors that already carry AWS's code (SigV4 refusals, service and
STS errors) keep it; iamsim's own families map as below; anything else is an
internal failure, reported as AWS reports its own (500, ``InternalFailure``)
and logged, since the client cannot act on it.

Imports iamsim.errors, iamsim.sigv4, iamsim.sts and iamsim.services.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim.errors import (
    IamsimError,
    InputError,
    InvalidCredentials,
    NoSuchEntity,
    PolicyError,
    Unsupported,
)
from iamsim.server._models import JSON
from iamsim.services.api import ServiceError
from iamsim.sigv4 import SigV4Error
from iamsim.sts.errors import INVALID_TOKEN_MESSAGE, StsError

INTERNAL_FAILURE = "InternalFailure"


@dataclass(frozen=True, slots=True)
class WireError:
    """An error as the client receives it."""

    code: str
    message: str
    status: int = 400
    sender_fault: bool = True


def validation_error(protocol: str, message: str) -> WireError:
    """Input that breaks the model's constraints (AWS's front-end check)."""
    code = "ValidationException" if protocol == JSON else "ValidationError"
    return WireError(code, message)


def malformed_input(protocol: str, message: str) -> WireError:
    """Input that does not read as its shape's types."""
    code = "SerializationException" if protocol == JSON else "MalformedInput"
    return WireError(code, message)


def unknown_operation(protocol: str, name: str, version: str) -> WireError:
    """An operation the service's API does not have."""
    if protocol == JSON:
        return WireError("UnknownOperationException", f"unknown operation {name!r}")
    return WireError(
        "InvalidAction", f"Could not find operation {name} for version {version}"
    )


def not_emulated(service: str, operation: str) -> WireError:
    """An AWS operation iamsim does not serve (yet)."""
    return WireError(
        "NotImplemented",
        f"iamsim does not emulate {service}:{operation}",
        status=501,
        sender_fault=False,
    )


def wire_error(error: BaseException) -> WireError | None:
    """AWS's wire form of ``error``; None for an unexpected (internal) error."""
    if isinstance(error, SigV4Error):
        return WireError(error.aws_code, error.aws_message, error.http_status)
    if isinstance(error, ServiceError):
        return WireError(error.code, error.message, error.status, error.sender_fault)
    if isinstance(error, StsError):
        return WireError(error.code, error.message, error.status)
    if isinstance(error, IamsimError):
        return _family_error(error)
    return None


def _family_error(error: IamsimError) -> WireError | None:
    if isinstance(error, Unsupported):
        return WireError("NotImplemented", error.render(), 501, sender_fault=False)
    if isinstance(error, InvalidCredentials):
        return WireError("InvalidClientTokenId", INVALID_TOKEN_MESSAGE, 403)
    if isinstance(error, NoSuchEntity):
        return WireError("NoSuchEntity", error.render(), 404)
    if isinstance(error, PolicyError):
        return WireError("MalformedPolicyDocument", error.render())
    if isinstance(error, InputError):
        return WireError("InvalidInput", error.render())
    return None
