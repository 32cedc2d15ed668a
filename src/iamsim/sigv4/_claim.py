"""Reading what a request claims about its own signature, before checking it.

A claim comes from the ``Authorization`` header or from a presigned URL's
``X-Amz-*`` query parameters. Reading only checks shape: every part present,
once; nothing here looks at keys, clocks or hashes.

Sources: IAM User Guide, "Elements of an AWS API request signature" and "Add
the signature to the HTTP request"; the ``AWS query-string parameters must
include`` and ``Authorization header requires`` texts are AWS's own.

Imports nothing of iamsim but errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim.sigv4._canonical import parse_query
from iamsim.sigv4._errors import IncompleteSignature, MissingAuthenticationToken
from iamsim.sigv4._request import HttpRequest

HEADER_PARTS = ("Credential", "SignedHeaders", "Signature")
QUERY_PARTS = (
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
)
# Any of these in the query means the caller meant query (presigned) auth.
QUERY_MARKERS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature")
AUTH_HEADER = "Authorization header"
AUTH_QUERY = "query string"


@dataclass(frozen=True)
class Claim:
    """The signature a request says it carries, with the values it rests on."""

    algorithm: str
    credential: str
    signed_headers: tuple[str, ...]
    signature: str
    presigned: bool
    amz_date: str | None = None
    date_header: str = ""
    expires: str | None = None
    session_token: str | None = None

    @property
    def where(self) -> str:
        """Where the claim was read from, for error messages."""
        return AUTH_QUERY if self.presigned else AUTH_HEADER


def read_claim(request: HttpRequest) -> Claim:
    """The signature ``request`` claims, or the error AWS gives for its shape."""
    headers = request.header_values("authorization")
    params = _query_params(request.query)
    in_query = any(name in params for name in QUERY_MARKERS)
    if headers and in_query:
        raise IncompleteSignature(
            "the request is signed both in the Authorization header and in the query",
            aws_message="Only one auth mechanism allowed; only the X-Amz-Algorithm "
            "query parameter or the Authorization header should be specified",
            hint="send the signature in one place only",
        )
    if headers:
        return _header_claim(request, headers)
    if in_query:
        return _query_claim(params)
    raise MissingAuthenticationToken(
        "the request carries no signature",
        aws_message="Request is missing Authentication Token",
        hint="sign the request with SigV4 (an Authorization header or a presigned URL)",
    )


def _header_claim(request: HttpRequest, values: list[str]) -> Claim:
    if len(values) > 1:
        raise IncompleteSignature(
            f"the Authorization header is sent {len(values)} times",
            aws_message="Authorization header may only be specified once",
            where=AUTH_HEADER,
        )
    algorithm, fields = _split_authorization(values[0])
    _require(
        [part for part in HEADER_PARTS if not fields.get(part)],
        aws_sentence="Authorization header requires '{}' parameter.",
        where=AUTH_HEADER,
    )
    date_header, amz_date = _signing_date(request)
    return Claim(
        algorithm=algorithm,
        credential=fields["Credential"],
        signed_headers=tuple(fields["SignedHeaders"].split(";")),
        signature=fields["Signature"],
        presigned=False,
        amz_date=amz_date,
        date_header=date_header,
        session_token=_first(request.header_values("x-amz-security-token")),
    )


def _split_authorization(value: str) -> tuple[str, dict[str, str]]:
    algorithm, _, rest = value.strip().partition(" ")
    fields: dict[str, str] = {}
    for item in rest.split(","):
        name, equals, text = item.strip().partition("=")
        if equals:
            fields.setdefault(name.strip(), text.strip())
    return algorithm, fields


def _signing_date(request: HttpRequest) -> tuple[str, str | None]:
    """The header that dates the signature and its value, X-Amz-Date first.

    Repeated values are joined with commas, as in the canonical request, so a
    date sent twice no longer parses.
    """
    for name in ("x-amz-date", "date"):
        values = request.header_values(name)
        if values:
            return name, ",".join(value.strip() for value in values)
    return "", None


def _query_claim(params: dict[str, list[str]]) -> Claim:
    _require(
        [name for name in QUERY_PARTS if not _first(params.get(name, []))],
        aws_sentence="AWS query-string parameters must include '{}'.",
        where=AUTH_QUERY,
        aws_tail=" Re-examine the query-string parameters.",
    )
    repeated = [name for name in QUERY_PARTS if len(params[name]) > 1]
    if repeated:
        raise IncompleteSignature(
            f"query parameters repeated: {', '.join(map(repr, repeated))}",
            aws_message=f"Query parameter '{repeated[0]}' may only be specified once",
            where=AUTH_QUERY,
        )
    return Claim(
        algorithm=params["X-Amz-Algorithm"][0],
        credential=params["X-Amz-Credential"][0],
        signed_headers=tuple(params["X-Amz-SignedHeaders"][0].split(";")),
        signature=params["X-Amz-Signature"][0],
        presigned=True,
        amz_date=params["X-Amz-Date"][0],
        expires=_first(params.get("X-Amz-Expires", [])),
        session_token=_first(params.get("X-Amz-Security-Token", [])),
    )


def _query_params(query: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in parse_query(query):
        key = name.decode("utf-8", errors="replace")
        params.setdefault(key, []).append(value.decode("utf-8", errors="replace"))
    return params


def _require(
    missing: list[str], *, aws_sentence: str, where: str, aws_tail: str = ""
) -> None:
    if not missing:
        return
    raise IncompleteSignature(
        f"missing {', '.join(map(repr, missing))}",
        aws_message=" ".join(aws_sentence.format(name) for name in missing) + aws_tail,
        where=where,
        hint="a SigV4 signature needs its algorithm, credential scope, "
        "signed headers, date and signature",
    )


def _first(values: list[str]) -> str | None:
    return values[0] if values else None
