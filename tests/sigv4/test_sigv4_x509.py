"""The X.509 variant of SigV4 used by IAM Roles Anywhere's CreateSession.

Pages cited in test docstrings:

- [ra-sign] IAM Roles Anywhere User Guide, "The IAM Roles Anywhere
  authentication signing process",
  https://docs.aws.amazon.com/rolesanywhere/latest/userguide/authentication-sign-process.html
- [sts-errors] AWS STS API Reference, "Common Errors",
  https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html

Keys come from the operating system's randomness; no assertion depends on
their values.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from iamsim.sigv4 import (
    HttpRequest,
    IncompleteSignature,
    InvalidClientTokenId,
    SignatureDoesNotMatch,
    X509PrivateKey,
    sign_x509_request,
    verify_request,
    verify_x509_request,
)

NOW = datetime(2024, 7, 6, 14, 30, 4, tzinfo=UTC)
CREATE_SESSION = HttpRequest(
    "POST",
    "/sessions",
    headers=[
        ("Host", "rolesanywhere.us-east-2.amazonaws.com"),
        ("Content-Type", "application/json"),
    ],
    body=b'{"durationSeconds": 3600, "roleArn": "arn:aws:iam::111122223333:role/r"}',
)


def certificate(
    subject: str,
    key: X509PrivateKey,
    issuer_key: X509PrivateKey,
    serial: int,
    issuer: str | None = None,
) -> x509.Certificate:
    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    return (
        x509.CertificateBuilder()
        .subject_name(name(subject))
        .issuer_name(name(issuer or subject))
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
        .sign(issuer_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def ca_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


@pytest.fixture(scope="module")
def ca_cert(ca_key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return certificate("Example Root CA", ca_key, ca_key, 1)


@pytest.fixture(scope="module")
def rsa_cert(
    rsa_key: rsa.RSAPrivateKey, ca_key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    return certificate("workload-rsa", rsa_key, ca_key, 2**70 + 3, "Example Root CA")


@pytest.fixture(scope="module")
def ec_cert(
    ec_key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey
) -> x509.Certificate:
    return certificate("workload-ec", ec_key, ca_key, 4242, "Example Root CA")


def authorization(request: HttpRequest) -> str:
    return request.header_values("authorization")[0]


def with_body(request: HttpRequest, body: bytes) -> HttpRequest:
    return HttpRequest(
        request.method, request.path, request.query, request.headers, body
    )


def encoded(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def test_rsa_signed_request_verifies_to_its_certificate(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """An RSA key signs as AWS4-X509-RSA-SHA256 and verifies [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    verified = verify_x509_request(signed.request, NOW, region="us-east-2")

    assert authorization(signed.request).startswith("AWS4-X509-RSA-SHA256 ")
    assert verified.certificate == rsa_cert
    assert verified.serial_number == 2**70 + 3
    assert verified.signed_at == NOW


def test_ecdsa_signed_request_verifies_with_its_chain(
    ec_cert: x509.Certificate,
    ec_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
) -> None:
    """An EC key signs as AWS4-X509-ECDSA-SHA256; the chain travels along [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, ec_cert, ec_key, region="us-east-2", now=NOW, chain=[ca_cert]
    )

    verified = verify_x509_request(signed.request, NOW)

    assert authorization(signed.request).startswith("AWS4-X509-ECDSA-SHA256 ")
    assert verified.chain == (ca_cert,)
    assert "x-amz-x509-chain" in verified.signed_headers


def test_credential_names_the_decimal_serial_number(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """The credential is the certificate serial in decimal, then the scope [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    assert (
        f"Credential={2**70 + 3}/20240706/us-east-2/rolesanywhere/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-x509, Signature="
    ) in authorization(signed.request)
    assert signed.request.header_values("x-amz-x509") == [encoded(rsa_cert)]


def test_string_to_sign_starts_with_the_x509_algorithm(
    ec_cert: x509.Certificate, ec_key: ec.EllipticCurvePrivateKey
) -> None:
    """The string to sign names the X.509 algorithm, not AWS4-HMAC-SHA256 [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, ec_cert, ec_key, region="us-east-2", now=NOW
    )

    lines = signed.trace.string_to_sign.split("\n")

    assert lines[:3] == [
        "AWS4-X509-ECDSA-SHA256",
        "20240706T143004Z",
        "20240706/us-east-2/rolesanywhere/aws4_request",
    ]


def test_changed_body_does_not_verify(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """The payload hash is signed, as in SigV4 [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    with pytest.raises(SignatureDoesNotMatch):
        verify_x509_request(with_body(signed.request, b"{}"), NOW)


def test_certificate_of_another_key_does_not_verify(
    ec_cert: x509.Certificate,
    rsa_key: rsa.RSAPrivateKey,
    ca_key: ec.EllipticCurvePrivateKey,
) -> None:
    """The signature must come from the attached certificate's key [ra-sign]."""
    impostor = certificate("workload-ec", rsa_key, ca_key, ec_cert.serial_number)
    signed = sign_x509_request(
        CREATE_SESSION, impostor, rsa_key, region="us-east-2", now=NOW
    )
    swapped = authorization(signed.request).replace(
        "AWS4-X509-RSA-SHA256", "AWS4-X509-ECDSA-SHA256"
    )
    request = signed.request.with_header("X-Amz-X509", encoded(ec_cert))

    with pytest.raises(SignatureDoesNotMatch):
        verify_x509_request(request.with_header("Authorization", swapped), NOW)


def test_serial_other_than_the_certificates_is_invalid_client_token_id(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """A credential naming another certificate is InvalidClientTokenId [sts-errors]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )
    header = authorization(signed.request).replace(f"={2**70 + 3}/", "=7/")

    with pytest.raises(InvalidClientTokenId):
        verify_x509_request(signed.request.with_header("Authorization", header), NOW)


def test_unparseable_certificate_is_invalid_client_token_id(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """An X-Amz-X509 that is no DER certificate is InvalidClientTokenId [sts-errors]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    with pytest.raises(InvalidClientTokenId):
        verify_x509_request(
            signed.request.with_header("X-Amz-X509", "bm90LWEtY2VydA=="), NOW
        )


def test_unsigned_certificate_header_is_incomplete(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """X-Amz-X509 must be among the signed headers [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )
    header = authorization(signed.request).replace(";x-amz-x509", "")

    with pytest.raises(IncompleteSignature):
        verify_x509_request(signed.request.with_header("Authorization", header), NOW)


def test_stale_x509_request_has_expired_signature(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """The 15-minute clock window applies to X.509 signatures too [sts-errors]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    with pytest.raises(SignatureDoesNotMatch, match="signature expired"):
        verify_x509_request(signed.request, NOW + timedelta(minutes=16))


def test_hmac_verifier_points_x509_signatures_elsewhere(
    rsa_cert: x509.Certificate, rsa_key: rsa.RSAPrivateKey
) -> None:
    """verify_request refuses X.509 algorithms, naming verify_x509_request [ra-sign]."""
    signed = sign_x509_request(
        CREATE_SESSION, rsa_cert, rsa_key, region="us-east-2", now=NOW
    )

    with pytest.raises(IncompleteSignature) as caught:
        verify_request(signed.request, lambda _: None, NOW)

    assert "verify_x509_request" in caught.value.hint
