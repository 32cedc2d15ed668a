"""The IAM API's errors, with the codes and HTTP statuses of its botocore model.

Messages follow the wording IAM uses in its responses, since clients and
people match on them; the codes are those of the IAM API Reference's
"Errors" sections. Imports only iamsim.services.api.
"""

from __future__ import annotations

from iamsim.services.api import ServiceError


def no_such_entity(message: str) -> ServiceError:
    return ServiceError("NoSuchEntity", message, status=404)


def entity_exists(message: str) -> ServiceError:
    return ServiceError("EntityAlreadyExists", message, status=409)


def delete_conflict(message: str) -> ServiceError:
    return ServiceError("DeleteConflict", message, status=409)


def limit_exceeded(message: str) -> ServiceError:
    return ServiceError("LimitExceeded", message, status=409)


def invalid_input(message: str) -> ServiceError:
    return ServiceError("InvalidInput", message, status=400)


def malformed_policy(message: str) -> ServiceError:
    return ServiceError("MalformedPolicyDocument", message, status=400)


def validation_error(message: str) -> ServiceError:
    """AWS's input-constraint error; ``message`` is one constraint's failure."""
    return ServiceError(
        "ValidationError", f"1 validation error detected: {message}", status=400
    )


def unmodifiable(message: str) -> ServiceError:
    return ServiceError("UnmodifiableEntity", message, status=400)


def not_attachable(message: str) -> ServiceError:
    return ServiceError("PolicyNotAttachable", message, status=400)
