"""Close-match suggestions for mistyped names ("did you mean ...?").

Imports nothing of iamsim but the catalog's template helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from iamsim.catalog._templates import has_variable, head_of

#: The least similarity, as difflib's ratio, worth suggesting. It is
#: difflib's own default and lets through a typo or two in a short name.
SIMILARITY_CUTOFF = 0.6

#: The same for service prefixes, which are short: one wrong character in
#: a two-letter prefix such as ``s3`` scores exactly 0.5.
PREFIX_CUTOFF = 0.5


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``word``, ignoring case, or None."""
    subject = word.lower()
    best: tuple[float, str] | None = None
    for candidate in candidates:
        ratio = _similarity(subject, candidate.lower())
        if ratio >= SIMILARITY_CUTOFF and (best is None or ratio > best[0]):
            best = (ratio, candidate)
    return None if best is None else best[1]


def close_matches(prefix: str, prefixes: Iterable[str], limit: int) -> list[str]:
    """Up to ``limit`` of ``prefixes`` most like ``prefix``, best first."""
    subject = prefix.lower()
    scored: list[tuple[float, int, str]] = []
    for candidate in prefixes:
        ratio = _similarity(subject, candidate.lower(), PREFIX_CUTOFF)
        if ratio >= PREFIX_CUTOFF:
            shared = _shared_start(subject, candidate.lower())
            scored.append((-ratio, -shared, candidate))
    return [candidate for _, _, candidate in sorted(scored)[:limit]]


def closest_key(key: str, names: Iterable[str]) -> str | None:
    """The condition key, spelled as a usable key, most like ``key``.

    A tag-style template such as ``aws:PrincipalTag/${TagKey}`` is compared
    on its fixed head only, and the suggestion keeps the caller's own tag
    key: ``aws:PrincipleTag/team`` gives ``aws:PrincipalTag/team``.
    """
    head, slash, tail = key.partition("/")
    best: tuple[float, str] | None = None
    for name in names:
        subject, target, suggestion = key, name, name
        if slash and _is_tag_style(name):
            target = head_of(name)
            subject, suggestion = head + slash, target + tail
        ratio = _similarity(subject.lower(), target.lower())
        if ratio >= SIMILARITY_CUTOFF and (best is None or ratio > best[0]):
            best = (ratio, suggestion)
    return None if best is None else best[1]


def _is_tag_style(name: str) -> bool:
    """Whether ``name`` is fixed text up to a ``/``, then a variable part."""
    head = head_of(name)
    return head.endswith("/") and has_variable(name) and "/" not in name[len(head) :]


def _shared_start(first: str, second: str) -> int:
    """How many leading characters two strings share; breaks ratio ties."""
    count = 0
    for left, right in zip(first, second, strict=False):
        if left != right:
            break
        count += 1
    return count


def _similarity(subject: str, target: str, cutoff: float = SIMILARITY_CUTOFF) -> float:
    """difflib's ratio, or 0.0 as soon as it is sure to fall below ``cutoff``."""
    matcher = SequenceMatcher(None, subject, target)
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
        return 0.0
    return matcher.ratio()
