"""The HTTP request as SigV4 sees it: method, raw target, headers and body.

Nothing here interprets the request beyond what signing needs; the path and
query stay exactly as they were sent, and headers keep their order, their case
and any duplicates, because all three change the canonical request.

Imports nothing of iamsim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request, unparsed.

    ``path`` is the request target before ``?`` as sent (percent-encoded or
    not); ``query`` is what follows ``?``, without it. ``headers`` are
    ``(name, value)`` pairs in wire order; a folded (multi-line) value keeps its
    line breaks. Any sequence of pairs is accepted and stored as a tuple.
    """

    method: str
    path: str
    query: str = ""
    headers: Sequence[tuple[str, str]] = ()
    body: bytes = b""

    def __post_init__(self) -> None:
        pairs = tuple((str(name), str(value)) for name, value in self.headers)
        object.__setattr__(self, "headers", pairs)

    def header_values(self, name: str) -> list[str]:
        """Every value sent under ``name`` (any case), in wire order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def has_header(self, name: str) -> bool:
        """Whether ``name`` (any case) was sent at least once."""
        return bool(self.header_values(name))

    def with_header(self, name: str, value: str) -> HttpRequest:
        """A copy where ``name`` holds only ``value``.

        The first occurrence keeps its place and spelling; later duplicates go.
        A header not yet present is appended.
        """
        wanted = name.lower()
        kept: list[tuple[str, str]] = []
        placed = False
        for key, old in self.headers:
            if key.lower() != wanted:
                kept.append((key, old))
            elif not placed:
                kept.append((key, value))
                placed = True
        if not placed:
            kept.append((name, value))
        return replace(self, headers=kept)

    def with_query(self, query: str) -> HttpRequest:
        """A copy with ``query`` as its raw query string."""
        return replace(self, query=query)
