"""AWS Signature Version 4: sign requests, and verify them as an AWS endpoint does.

Signing (:func:`sign_request`, :func:`presign_request`) and verification
(:func:`verify_request`) share one canonical-request builder, so what one
produces the other accepts. The X.509 variant IAM Roles Anywhere uses has its
own pair, :func:`sign_x509_request` and :func:`verify_x509_request`. Refusals
are :class:`SigV4Error` subclasses carrying AWS's error code, HTTP status and
wire message.

Pure: no I/O, no clock (callers pass ``now``). Imports nothing of iamsim but
errors.
"""

from iamsim.sigv4._canonical import (
    EMPTY_SHA256,
    S3_SERVICES,
    UNSIGNED_PAYLOAD,
    canonical_headers,
    canonical_query,
    canonical_request,
    canonical_uri,
    normalize_path,
    payload_hash,
    uri_encode,
)
from iamsim.sigv4._errors import (
    AuthorizationQueryParametersError,
    IncompleteSignature,
    InvalidClientTokenId,
    MissingAuthenticationToken,
    RequestExpired,
    SignatureDoesNotMatch,
    SigV4Error,
    XAmzContentSHA256Mismatch,
)
from iamsim.sigv4._request import HttpRequest
from iamsim.sigv4._signing import (
    ALGORITHM,
    PRESIGN_MAX_SECONDS,
    Credentials,
    CredentialScope,
    SignedRequest,
    SigningTrace,
    authorization_header,
    compute_signature,
    derive_signing_key,
    format_amz_date,
    parse_amz_date,
    presign_request,
    sign_request,
    string_to_sign,
)
from iamsim.sigv4._verify import (
    MAX_CLOCK_SKEW,
    X509_ALGORITHMS,
    SecretLookup,
    VerifiedSignature,
    verify_request,
)
from iamsim.sigv4._x509 import (
    VerifiedX509Signature,
    X509PrivateKey,
    sign_x509_request,
    verify_x509_request,
)

__all__ = [
    "ALGORITHM",
    "EMPTY_SHA256",
    "MAX_CLOCK_SKEW",
    "PRESIGN_MAX_SECONDS",
    "S3_SERVICES",
    "UNSIGNED_PAYLOAD",
    "X509_ALGORITHMS",
    "AuthorizationQueryParametersError",
    "CredentialScope",
    "Credentials",
    "HttpRequest",
    "IncompleteSignature",
    "InvalidClientTokenId",
    "MissingAuthenticationToken",
    "RequestExpired",
    "SecretLookup",
    "SigV4Error",
    "SignatureDoesNotMatch",
    "SignedRequest",
    "SigningTrace",
    "VerifiedSignature",
    "VerifiedX509Signature",
    "X509PrivateKey",
    "XAmzContentSHA256Mismatch",
    "authorization_header",
    "canonical_headers",
    "canonical_query",
    "canonical_request",
    "canonical_uri",
    "compute_signature",
    "derive_signing_key",
    "format_amz_date",
    "normalize_path",
    "parse_amz_date",
    "payload_hash",
    "presign_request",
    "sign_request",
    "sign_x509_request",
    "string_to_sign",
    "uri_encode",
    "verify_request",
    "verify_x509_request",
]
