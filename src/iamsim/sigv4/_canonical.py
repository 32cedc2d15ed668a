"""The canonical request: the one string both signer and verifier hash.

Rules from the IAM User Guide, "Create a signed AWS API request"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):

- the URI is normalized (RFC 3986 dot segments, repeated slashes) and the path
  as sent is URI-encoded once more, so ``%20`` becomes ``%2520``; Amazon S3
  neither normalizes nor double-encodes, it encodes the decoded key once;
- query parameters are decoded, re-encoded with RFC 3986 unreserved characters
  kept, and sorted by name, then by value;
- header names are lowercased; values are trimmed, runs of whitespace (folded
  lines included) become one space, and repeated headers join with commas in
  the order they were sent.

Imports nothing of iamsim.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from urllib.parse import quote_from_bytes, unquote_to_bytes

from iamsim.sigv4._request import HttpRequest

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# Services whose canonical URI is the object key, encoded once and never
# normalized (Amazon S3 API Reference, "Signature Calculations for the
# Authorization Header", canonical URI).
S3_SERVICES = frozenset({"s3", "s3-object-lambda", "s3-outposts", "s3express"})

_WHITESPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_TRIMMED = " \t\r\n\f\v"


def is_s3(service: str) -> bool:
    """Whether ``service`` follows S3's canonical-URI and payload rules."""
    return service in S3_SERVICES


def uri_encode(data: str | bytes, *, keep_slash: bool = False) -> str:
    """Percent-encode every byte outside RFC 3986's unreserved set.

    Text is encoded as UTF-8 first; hex digits are uppercase; ``/`` is kept only
    when encoding a path.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return quote_from_bytes(raw, safe="/" if keep_slash else "")


def normalize_path(path: str) -> str:
    """Remove ``.``/``..`` segments and empty segments, as RFC 3986 §5.2.4 does.

    A trailing slash survives, and so does the directory a final dot segment
    names (``/a/b/..`` is ``/a/``); an empty result is ``/``.
    """
    segments = path.split("/")
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment not in ("", "."):
            kept.append(segment)
    if not kept:
        return "/"
    trailing = "/" if segments[-1] in ("", ".", "..") else ""
    return "/" + "/".join(kept) + trailing


def canonical_uri(path: str, *, s3: bool = False) -> str:
    """The canonical URI of ``path`` as sent on the wire."""
    if s3:
        return uri_encode(unquote_to_bytes(path), keep_slash=True) or "/"
    return uri_encode(normalize_path(path), keep_slash=True)


def parse_query(query: str) -> list[tuple[bytes, bytes]]:
    """Decode a raw query string into ``(name, value)`` byte pairs, in order.

    ``+`` is a space, as in form encoding; a parameter without ``=`` has an
    empty value; empty pieces (``a=1&&b=2``) are skipped.
    """
    pairs: list[tuple[bytes, bytes]] = []
    for piece in query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((_decode_component(name), _decode_component(value)))
    return pairs


def _decode_component(text: str) -> bytes:
    return unquote_to_bytes(text.replace("+", " "))


def canonical_query(query: str, *, exclude: Collection[str] = ()) -> str:
    """The canonical query string of a raw ``query``.

    Parameters named in ``exclude`` (such as ``X-Amz-Signature`` of a presigned
    URL) are left out.
    """
    skipped = {name.encode("utf-8") for name in exclude}
    encoded = sorted(
        (uri_encode(name), uri_encode(value))
        for name, value in parse_query(query)
        if name not in skipped
    )
    return "&".join(f"{name}={value}" for name, value in encoded)


def canonical_header_value(value: str) -> str:
    """Trim ``value`` and collapse each run of whitespace to one space."""
    return _WHITESPACE_RUN.sub(" ", value.strip(_TRIMMED))


def canonical_headers(request: HttpRequest, signed_headers: Sequence[str]) -> str:
    """The ``name:value`` lines of the signed headers, each ending in a newline.

    ``signed_headers`` are lowercase names in the order they are listed; a name
    the request lacks contributes an empty value.
    """
    lines = []
    for name in signed_headers:
        values = request.header_values(name)
        joined = ",".join(canonical_header_value(value) for value in values)
        lines.append(f"{name}:{joined}\n")
    return "".join(lines)


def payload_hash(body: bytes) -> str:
    """The lowercase hex SHA-256 of ``body``."""
    return hashlib.sha256(body).hexdigest()


def canonical_request(
    request: HttpRequest,
    signed_headers: Sequence[str],
    body_hash: str,
    *,
    s3: bool = False,
    exclude_query: Collection[str] = (),
) -> str:
    """The canonical request of ``request`` over ``signed_headers``.

    ``body_hash`` is the hex SHA-256 of the payload or ``UNSIGNED-PAYLOAD``;
    ``s3`` selects S3's canonical URI; ``exclude_query`` drops query parameters
    that are not signed (a presigned URL's ``X-Amz-Signature``).
    """
    return "\n".join(
        (
            request.method,
            canonical_uri(request.path, s3=s3),
            canonical_query(request.query, exclude=exclude_query),
            canonical_headers(request, signed_headers),
            ";".join(signed_headers),
            body_hash,
        )
    )
