"""The ways a SigV4 request is refused, each carrying AWS's code and status.

Every class here is also one of iamsim's shared authentication families, so a
caller may catch ``SignatureMismatch`` or ``InvalidCredentials`` without knowing
SigV4; a server catches :class:`SigV4Error` and encodes ``aws_code``,
``http_status`` and ``aws_message`` on the wire::

    SigV4Error (AuthenticationError)
    ├── MissingAuthenticationToken        403  no signature at all
    ├── InvalidClientTokenId              403  unknown access key (InvalidCredentials)
    ├── IncompleteSignature               400  malformed signature (SignatureMismatch)
    ├── SignatureDoesNotMatch             403  wrong or stale signature
    ├── RequestExpired                    400  presigned URL past X-Amz-Expires
    ├── AuthorizationQueryParametersError 400  unusable X-Amz-Expires
    └── XAmzContentSHA256Mismatch         400  S3 body differs from its declared hash

``message`` follows iamsim's style (lowercase, one line); ``aws_message`` is the
text AWS puts in its error response. Neither ever holds a secret key, a session
token or a signature.

Codes and statuses: "Common Errors" of the AWS STS and IAM API references
(https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html), and
the Amazon S3 API reference "Error responses" for the S3-only codes.

Class names are AWS's error codes, spelled as AWS spells them.

Imports nothing of iamsim but errors.
"""

from __future__ import annotations

from typing import ClassVar

from iamsim.errors import AuthenticationError, InvalidCredentials, SignatureMismatch

# AWS's wire texts for the two most common refusals.
SIGNATURE_MISMATCH_MESSAGE = (
    "The request signature we calculated does not match the signature you "
    "provided. Check your AWS Secret Access Key and signing method. Consult the "
    "service documentation for details."
)
UNKNOWN_CREDENTIAL_MESSAGE = "The security token included in the request is invalid."


class SigV4Error(AuthenticationError):
    """A request AWS would refuse before running it, with AWS's wire error."""

    aws_code: ClassVar[str] = ""
    http_status: ClassVar[int] = 0

    def __init__(
        self, message: str, *, aws_message: str, where: str = "", hint: str = ""
    ) -> None:
        self.aws_message = aws_message
        super().__init__(message, where=where, hint=hint)


class MissingAuthenticationToken(SigV4Error):
    """The request carries neither an Authorization header nor query auth."""

    aws_code = "MissingAuthenticationToken"
    http_status = 403


class InvalidClientTokenId(SigV4Error, InvalidCredentials):
    """The access key id in the credential scope is not known."""

    aws_code = "InvalidClientTokenId"
    http_status = 403


class IncompleteSignature(SigV4Error, SignatureMismatch):
    """The signature is malformed: a part, the date or the scope is wrong."""

    aws_code = "IncompleteSignature"
    http_status = 400


class SignatureDoesNotMatch(SigV4Error, SignatureMismatch):
    """The signature is well formed but wrong, stale or for another scope."""

    aws_code = "SignatureDoesNotMatch"
    http_status = 403

    def __init__(
        self,
        message: str,
        *,
        aws_message: str,
        where: str = "",
        hint: str = "",
        string_to_sign: str = "",
    ) -> None:
        self.string_to_sign = string_to_sign
        super().__init__(message, aws_message=aws_message, where=where, hint=hint)


class RequestExpired(SigV4Error, SignatureMismatch):
    """A presigned request arrived after its X-Amz-Expires window closed."""

    aws_code = "RequestExpired"
    http_status = 400


class AuthorizationQueryParametersError(SigV4Error, SignatureMismatch):
    """X-Amz-Expires is not a number or is outside what SigV4 allows."""

    aws_code = "AuthorizationQueryParametersError"
    http_status = 400


class XAmzContentSHA256Mismatch(SigV4Error, SignatureMismatch):
    """An S3 body does not hash to its declared x-amz-content-sha256."""

    aws_code = "XAmzContentSHA256Mismatch"
    http_status = 400
