"""The X.509 variant of SigV4 that IAM Roles Anywhere's CreateSession takes.

It is SigV4 with three changes (IAM Roles Anywhere User Guide, "The IAM Roles
Anywhere authentication signing process",
https://docs.aws.amazon.com/rolesanywhere/latest/userguide/authentication-sign-process.html):

- the algorithm is ``AWS4-X509-RSA-SHA256`` or ``AWS4-X509-ECDSA-SHA256``, and
  the string to sign starts with it;
- the signature is the certificate's private key signing the string to sign
  with SHA-256 (RSA PKCS #1 v1.5, or a DER-encoded ECDSA signature), in hex;
- the signing certificate travels, base64 DER, in the signed ``X-Amz-X509``
  header, intermediates comma-separated in ``X-Amz-X509-Chain``, and the
  credential names the certificate's serial number in decimal.

Verification checks the signature against the attached certificate only;
whether that certificate chains to a trust anchor is the caller's decision.

Pure: no I/O, no clock. Imports nothing of iamsim but errors.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from iamsim.sigv4._canonical import canonical_request, payload_hash
from iamsim.sigv4._claim import Claim, read_claim
from iamsim.sigv4._errors import (
    SIGNATURE_MISMATCH_MESSAGE,
    InvalidClientTokenId,
    SignatureDoesNotMatch,
)
from iamsim.sigv4._request import HttpRequest
from iamsim.sigv4._signing import (
    SignedRequest,
    SigningTrace,
    as_utc,
    authorization_header,
    choose_signed_headers,
    format_amz_date,
    require_host,
    scope_for,
    string_to_sign,
)
from iamsim.sigv4._verify import (
    X509_ALGORITHMS,
    check_algorithm,
    check_endpoint,
    check_signed_headers,
    check_time,
    incomplete,
    read_date,
    read_scope,
)

RSA_ALGORITHM, ECDSA_ALGORITHM = X509_ALGORITHMS
ROLES_ANYWHERE = "rolesanywhere"
CERTIFICATE_HEADER = "x-amz-x509"
CHAIN_HEADER = "x-amz-x509-chain"

# AWS's description of InvalidClientTokenId (AWS STS API Reference, "Common
# Errors"); what Roles Anywhere itself answers is not documented.
_UNKNOWN_CERTIFICATE = (
    "The X.509 certificate or AWS access key ID provided does not exist in our records."
)

X509PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class VerifiedX509Signature:
    """The certificate that signed a request that verified, and its scope."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    region: str
    service: str
    signed_at: datetime
    signed_headers: tuple[str, ...]

    @property
    def serial_number(self) -> int:
        """The signing certificate's serial number, as the credential names it."""
        return self.certificate.serial_number


def sign_x509_request(
    request: HttpRequest,
    certificate: x509.Certificate,
    private_key: X509PrivateKey,
    *,
    region: str,
    now: datetime,
    chain: Sequence[x509.Certificate] = (),
    service: str = ROLES_ANYWHERE,
    signed_headers: Sequence[str] | None = None,
) -> SignedRequest:
    """Sign ``request`` with an X.509 certificate's private key.

    ``X-Amz-Date``, ``X-Amz-X509`` and, given a ``chain``, ``X-Amz-X509-Chain``
    are set and signed; the algorithm follows the key's type.
    """
    require_host(request)
    algorithm = _algorithm_for(private_key)
    amz_date = format_amz_date(now)
    prepared = _attach_certificates(
        request.with_header("X-Amz-Date", amz_date), certificate, chain
    )
    headers = choose_signed_headers(prepared, signed_headers)
    scope = scope_for(now, region, service)
    canonical = canonical_request(prepared, headers, payload_hash(prepared.body))
    to_sign = string_to_sign(amz_date, scope, canonical, algorithm=algorithm)
    signature = _sign(private_key, to_sign.encode("utf-8")).hex()
    trace = SigningTrace(canonical, to_sign, signature, tuple(headers), scope, amz_date)
    header = authorization_header(
        str(certificate.serial_number), trace, algorithm=algorithm
    )
    return SignedRequest(prepared.with_header("Authorization", header), trace)


def _algorithm_for(private_key: X509PrivateKey) -> str:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return RSA_ALGORITHM
    return ECDSA_ALGORITHM


def _attach_certificates(
    request: HttpRequest,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
) -> HttpRequest:
    attached = request.with_header("X-Amz-X509", _encode(certificate))
    if not chain:
        return attached
    encoded = ",".join(_encode(link) for link in chain)
    return attached.with_header("X-Amz-X509-Chain", encoded)


def _encode(certificate: x509.Certificate) -> str:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return base64.b64encode(der).decode("ascii")


def _sign(private_key: X509PrivateKey, data: bytes) -> bytes:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return private_key.sign(data, ec.ECDSA(hashes.SHA256()))


def verify_x509_request(
    request: HttpRequest,
    now: datetime,
    *,
    region: str | None = None,
    service: str | None = ROLES_ANYWHERE,
) -> VerifiedX509Signature:
    """Verify ``request``'s X.509 signature against the certificate it carries.

    Shape, scope and time are checked as for :func:`verify_request`. The
    certificate's validity period and trust chain are not checked here.
    """
    claim = read_claim(request)
    check_algorithm(claim, X509_ALGORITHMS)
    if claim.presigned:
        raise incomplete(
            "X.509 signatures are not accepted in the query string",
            "X.509 signatures must be sent in the Authorization header.",
            claim,
        )
    serial, scope = read_scope(claim)
    signed_at = read_date(claim, scope)
    carried = [h for h in (CERTIFICATE_HEADER, CHAIN_HEADER) if request.has_header(h)]
    check_signed_headers(claim, required=carried)
    check_endpoint(scope, region, service, claim)
    check_time(claim, signed_at, as_utc(now))
    certificate = _certificate(request, claim)
    chain = _chain(request, claim)
    _check_serial(serial, certificate, claim)
    canonical = canonical_request(
        request, claim.signed_headers, payload_hash(request.body)
    )
    to_sign = string_to_sign(
        claim.amz_date or "", scope, canonical, algorithm=claim.algorithm
    )
    _check_signature(claim, certificate, to_sign.encode("utf-8"))
    return VerifiedX509Signature(
        certificate=certificate,
        chain=chain,
        region=scope.region,
        service=scope.service,
        signed_at=signed_at,
        signed_headers=claim.signed_headers,
    )


def _certificate(request: HttpRequest, claim: Claim) -> x509.Certificate:
    values = request.header_values(CERTIFICATE_HEADER)
    if not values:
        raise incomplete(
            "no X-Amz-X509 header carries the signing certificate",
            "X.509 signatures require the 'X-Amz-X509' header.",
            claim,
            hint="send the certificate, base64 DER, in X-Amz-X509",
        )
    return _decode(values[0], claim)


def _chain(request: HttpRequest, claim: Claim) -> tuple[x509.Certificate, ...]:
    joined = ",".join(request.header_values(CHAIN_HEADER))
    return tuple(_decode(piece, claim) for piece in joined.split(",") if piece.strip())


def _decode(text: str, claim: Claim) -> x509.Certificate:
    try:
        der = base64.b64decode(text.strip(), validate=True)
        return x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as error:
        raise InvalidClientTokenId(
            "an X.509 header does not hold a base64 DER certificate",
            aws_message=_UNKNOWN_CERTIFICATE,
            where=claim.where,
            hint="encode each certificate as base64 of its DER bytes",
        ) from error


def _check_serial(serial: str, certificate: x509.Certificate, claim: Claim) -> None:
    if serial == str(certificate.serial_number):
        return
    raise InvalidClientTokenId(
        f"credential names serial {serial!r}, the certificate has "
        f"{certificate.serial_number}",
        aws_message=_UNKNOWN_CERTIFICATE,
        where=claim.where,
        hint="put the signing certificate's serial number, in decimal, in Credential",
    )


def _check_signature(claim: Claim, certificate: x509.Certificate, data: bytes) -> None:
    key = certificate.public_key()
    try:
        signature = bytes.fromhex(claim.signature)
        if claim.algorithm == RSA_ALGORITHM and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            return
        if claim.algorithm == ECDSA_ALGORITHM and isinstance(
            key, ec.EllipticCurvePublicKey
        ):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
            return
    except (InvalidSignature, ValueError):
        pass
    raise SignatureDoesNotMatch(
        "signature does not match the request and its certificate",
        aws_message=SIGNATURE_MISMATCH_MESSAGE,
        where=claim.where,
        hint=f"sign with the private key of the certificate, using {claim.algorithm}",
    )
