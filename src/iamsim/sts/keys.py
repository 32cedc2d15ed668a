"""Access key ids and secret access keys shaped like AWS's.

"Manage access keys for IAM users" (IAM User Guide) shows the shapes: an
access key id such as ``AKIAIOSFODNN7EXAMPLE`` and a 40-character secret
such as ``wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY``. GetAccessKeyInfo (STS
API Reference) says ids beginning ``AKIA`` are long-term keys of an IAM user
or root user and ids beginning ``ASIA`` are temporary credentials.

How the account sits inside a key id: AWS does not document it, so iamsim
uses this layout, which is also the one public analyses of current AWS key
ids report, so that ids imported from a real account decode to their real
account. After the four-letter prefix come 16 characters of RFC 4648 base32
(``A``-``Z``, ``2``-``7``) holding 10 bytes. Read the first 6 bytes as a
48-bit big-endian number ``n``: its top bit is 1, bits 7 to 46 hold the
account number (``(n >> 7) & (2**40 - 1)``), and its 7 low bits and the last
4 bytes are random. Older AWS ids (top bit 0, such as the documentation's
``AKIAIOSFODNN7EXAMPLE``) carry no account and decode to None.

Temporary secrets are derived from the server key with HMAC-SHA256, so the
server keeps nothing per session. Imports nothing of iamsim.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable

LONG_TERM_PREFIX = "AKIA"
TEMPORARY_PREFIX = "ASIA"
ACCESS_KEY_ID_LENGTH = 20
SECRET_LENGTH = 40
_TAIL_BYTES = 10
_FLAG_BIT = 1 << 47
_ACCOUNT_SHIFT = 7
_ACCOUNT_MASK = (1 << 40) - 1
_RANDOM_LOW_BITS = (1 << _ACCOUNT_SHIFT) - 1
_KEY_ID = re.compile(r"^(AKIA|ASIA)[A-Z2-7]{16}$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
#: Separates the derivation of temporary secrets from every other use of
#: the server key (session tokens use their own label).
_SECRET_LABEL = b"iamsim/temporary-secret/v1\x00"

RandomBytes = Callable[[int], bytes]


def long_term_key_id(
    account: str, random_bytes: RandomBytes = secrets.token_bytes
) -> str:
    """A new ``AKIA`` id for a key of an IAM user or root user of ``account``."""
    return _key_id(LONG_TERM_PREFIX, account, random_bytes)


def temporary_key_id(
    account: str, random_bytes: RandomBytes = secrets.token_bytes
) -> str:
    """A new ``ASIA`` id for temporary credentials belonging to ``account``."""
    return _key_id(TEMPORARY_PREFIX, account, random_bytes)


def _key_id(prefix: str, account: str, random_bytes: RandomBytes) -> str:
    if not _ACCOUNT_ID.match(account):
        raise ValueError(f"account {account!r} is not 12 digits")
    noise = random_bytes(5)
    head = _FLAG_BIT | (int(account) << _ACCOUNT_SHIFT) | (noise[0] & _RANDOM_LOW_BITS)
    raw = head.to_bytes(6, "big") + noise[1:]
    return prefix + base64.b32encode(raw).decode()


def account_from_access_key_id(access_key_id: str) -> str | None:
    """The account encoded in a current-format key id, or None.

    None means the id is not an ``AKIA``/``ASIA`` id of 20 characters or
    uses the older layout that carries no account.
    """
    if not _KEY_ID.match(access_key_id):
        return None
    try:
        raw = base64.b32decode(access_key_id[4:])
    except binascii.Error:
        return None
    head = int.from_bytes(raw[:6], "big")
    if not head & _FLAG_BIT:
        return None
    return f"{(head >> _ACCOUNT_SHIFT) & _ACCOUNT_MASK:012d}"


def is_long_term(access_key_id: str) -> bool:
    return access_key_id.startswith(LONG_TERM_PREFIX)


def is_temporary(access_key_id: str) -> bool:
    return access_key_id.startswith(TEMPORARY_PREFIX)


def secret_access_key(random_bytes: RandomBytes = secrets.token_bytes) -> str:
    """A new 40-character secret in the base64 alphabet, as AWS issues."""
    return base64.b64encode(random_bytes(30)).decode()


def temporary_secret(server_key: bytes, access_key_id: str) -> str:
    """The secret of temporary key ``access_key_id``, derived, never stored.

    Anyone holding the server key can recompute it; nobody else can, since
    HMAC-SHA256 does not reveal its key.
    """
    digest = hmac.new(
        server_key, _SECRET_LABEL + access_key_id.encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()[:SECRET_LENGTH]
