"""Session tokens: the whole session, sealed by the server, bound to one key.

AWS's session tokens are opaque base64 text of a few hundred to a few
thousand characters ("Requesting temporary security credentials", IAM User
Guide: the size is not fixed and is typically under 4096 bytes). iamsim's
carry the session's claims (a JSON mapping) encrypted and authenticated
with AES-256-GCM, so the server stores nothing per session and a client
can neither read nor alter what its token grants.

Layout before base64: a 3-byte header (``21 0a 01``: a marker, then the
format version), a 12-byte random nonce, then the AES-GCM ciphertext and
its 16-byte tag. The plaintext is a 4-byte length, the zlib-compressed
claims, and zero padding up to a minimum size, so that tokens have a length
like AWS's. The associated data binds the header and the access key id:
a token presented with any other key id fails to open.

Opening rejects anything altered (a flipped bit anywhere, a non-canonical
base64 spelling, a truncated token) as InvalidClientTokenId, and a token
whose ``exp`` claim has passed as ExpiredToken (both HTTP 403, "Common
Errors" in the AWS API references).

Imports only iamsim.errors and iamsim.sts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import struct
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from iamsim.sts.errors import expired_token, invalid_token

#: The first bytes of every token: a marker and the format version.
HEADER = b"\x21\x0a\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
#: Plaintext is padded to at least this many bytes, so even the smallest
#: token is about 470 characters, the size of a short AWS token.
MIN_PLAINTEXT_BYTES = 320
_PAD_MULTIPLE = 16
_LENGTH = struct.Struct(">I")
#: Key-derivation label: the token key differs from the temporary-secret key.
_KEY_LABEL = b"iamsim/session-token/v1"
_AAD_LABEL = b"iamsim-session-token"
#: The claim holding the expiration, in whole seconds since the epoch.
EXPIRES_CLAIM = "exp"


def seal_token(
    server_key: bytes,
    access_key_id: str,
    claims: Mapping[str, Any],
    expires_at: datetime,
    *,
    nonce: bytes | None = None,
) -> str:
    """A token carrying ``claims`` until ``expires_at``, usable with one key id."""
    body = dict(claims)
    body[EXPIRES_CLAIM] = int(expires_at.timestamp())
    packed = zlib.compress(json.dumps(body, separators=(",", ":")).encode(), 9)
    plaintext = _LENGTH.pack(len(packed)) + packed
    plaintext += b"\x00" * _padding(len(plaintext))
    nonce = secrets.token_bytes(NONCE_BYTES) if nonce is None else nonce
    sealed = _cipher(server_key).encrypt(nonce, plaintext, _aad(access_key_id))
    return base64.b64encode(HEADER + nonce + sealed).decode()


def open_token(
    server_key: bytes, access_key_id: str, token: str, now: datetime
) -> dict[str, Any]:
    """The claims of ``token``, checked for integrity, binding and expiry.

    Raises :class:`~iamsim.sts.errors.CredentialsRejected`: InvalidClientTokenId
    when the token was altered, made by another server or belongs to another
    access key; ExpiredToken when ``now`` is at or past its expiration.
    """
    claims = _decrypt(server_key, access_key_id, token)
    expires = claims.get(EXPIRES_CLAIM)
    if not isinstance(expires, int):
        raise invalid_token()
    if now.timestamp() >= expires:
        raise expired_token()
    return claims


def _decrypt(server_key: bytes, access_key_id: str, token: str) -> dict[str, Any]:
    raw = _canonical_base64(token)
    minimum = len(HEADER) + NONCE_BYTES + TAG_BYTES
    if len(raw) < minimum or not raw.startswith(HEADER):
        raise invalid_token()
    nonce = raw[len(HEADER) : len(HEADER) + NONCE_BYTES]
    sealed = raw[len(HEADER) + NONCE_BYTES :]
    try:
        plaintext = _cipher(server_key).decrypt(nonce, sealed, _aad(access_key_id))
    except InvalidTag:
        raise invalid_token() from None
    return _claims(plaintext)


def _claims(plaintext: bytes) -> dict[str, Any]:
    """The claims inside a plaintext that the server itself sealed."""
    (length,) = _LENGTH.unpack_from(plaintext)
    packed = plaintext[_LENGTH.size : _LENGTH.size + length]
    try:
        claims = json.loads(zlib.decompress(packed))
    except (zlib.error, ValueError):
        raise invalid_token() from None
    if not isinstance(claims, dict):
        raise invalid_token()
    return claims


def _canonical_base64(token: str) -> bytes:
    """The bytes of ``token``, which must be their one canonical base64 text.

    Several texts can decode to the same bytes (the unused low bits of the
    last character); only the canonical one is accepted, so that altering
    any character of a token is always detected.
    """
    try:
        raw = base64.b64decode(token.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise invalid_token() from None
    if base64.b64encode(raw).decode() != token:
        raise invalid_token()
    return raw


def _padding(length: int) -> int:
    target = max(MIN_PLAINTEXT_BYTES, length)
    return target - length + (-target) % _PAD_MULTIPLE


def _cipher(server_key: bytes) -> AESGCM:
    key = hmac.new(server_key, _KEY_LABEL, hashlib.sha256).digest()
    return AESGCM(key)


def _aad(access_key_id: str) -> bytes:
    return _AAD_LABEL + HEADER + access_key_id.encode()
