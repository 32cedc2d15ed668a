"""Refusals that STS words itself, carrying AWS's error code and HTTP status.

The sts layer sits below ``services`` and so cannot raise the wire-level
``ServiceError``; these errors carry what the wire needs (``code``,
``status`` and AWS's own message text) and the STS operations translate them
one to one::

    StsError
    ├── CredentialsRejected (InvalidCredentials)   InvalidClientTokenId, ExpiredToken
    └── RequestRejected (InputError)               ValidationError,
                                                   InvalidParameterValue,
                                                   MalformedPolicyDocument,
                                                   PackedPolicyTooLarge

Messages are AWS's wording, returned verbatim to clients, so they do not
follow the house style of lowercase messages. Imports only iamsim.errors.
"""

from __future__ import annotations

from iamsim.errors import IamsimError, InputError, InvalidCredentials

#: AWS's texts as STS returns them, both with HTTP 403 ("Common Errors", AWS
#: API references): the first for an unknown access key, an altered token or
#: a token used with another key; the second, without a final period on the
#: wire, for a session token past its expiration.
INVALID_TOKEN_MESSAGE = "The security token included in the request is invalid."
EXPIRED_TOKEN_MESSAGE = "The security token included in the request is expired"


class StsError(IamsimError):
    """An STS refusal: AWS's error ``code``, HTTP ``status`` and message."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        self.code = code
        self.status = status
        super().__init__(message)


class CredentialsRejected(StsError, InvalidCredentials):
    """The access key or session token of a request cannot be used."""


class RequestRejected(StsError, InputError):
    """A parameter of an STS request breaks one of STS's rules."""


def invalid_token() -> CredentialsRejected:
    """InvalidClientTokenId: unknown key, altered token, or a key mismatch."""
    return CredentialsRejected(
        "InvalidClientTokenId", INVALID_TOKEN_MESSAGE, status=403
    )


def expired_token() -> CredentialsRejected:
    """ExpiredToken: the session token's expiration has passed."""
    return CredentialsRejected("ExpiredToken", EXPIRED_TOKEN_MESSAGE, status=403)


def validation_error(message: str) -> RequestRejected:
    return RequestRejected("ValidationError", message)


def invalid_parameter(message: str) -> RequestRejected:
    return RequestRejected("InvalidParameterValue", message)


def malformed_policy(message: str) -> RequestRejected:
    return RequestRejected("MalformedPolicyDocument", message)


def packed_policy_too_large(message: str) -> RequestRejected:
    return RequestRejected("PackedPolicyTooLarge", message)
