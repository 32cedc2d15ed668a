"""Glob matching with IAM's two wildcards: ``*`` (any run) and ``?`` (one char).

Patterns are compiled once to a matcher so the per-request path only calls
a bound method. Imports nothing of iamsim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

Matcher = Callable[[str], bool]

#: Marks the next character of a pattern as literal. Policy variables such as
#: ``${*}`` and substituted values use it so they never act as wildcards. It
#: is a private-use code point, which cannot occur in a valid policy.
LITERAL_MARK = "\ue000"


def has_wildcard(pattern: str) -> bool:
    """Whether ``pattern`` contains ``*``, ``?`` or a literal mark."""
    return "*" in pattern or "?" in pattern or LITERAL_MARK in pattern


def quote_glob(text: str) -> str:
    """``text`` with every ``*`` and ``?`` marked literal for :func:`compile_glob`."""
    if "*" not in text and "?" not in text and LITERAL_MARK not in text:
        return text
    marked = text.replace(LITERAL_MARK, LITERAL_MARK + LITERAL_MARK)
    return marked.replace("*", LITERAL_MARK + "*").replace("?", LITERAL_MARK + "?")


def unquote_glob(pattern: str) -> str:
    """The plain text of a pattern, literal marks removed."""
    return pattern.replace(LITERAL_MARK, "")


def glob_to_regex(pattern: str) -> str:
    """The regular-expression source equivalent to an IAM glob."""
    parts: list[str] = []
    literal_next = False
    for char in pattern:
        if literal_next:
            parts.append(re.escape(char))
            literal_next = False
        elif char == LITERAL_MARK:
            literal_next = True
        elif char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


@lru_cache(maxsize=65_536)
def compile_glob(pattern: str, *, ignore_case: bool = False) -> Matcher:
    """A predicate telling whether a whole string matches ``pattern``.

    Literal patterns compile to an equality test; ``*`` alone to a constant.
    """
    if pattern == "*":
        return _always
    if not has_wildcard(pattern):
        if ignore_case:
            folded = pattern.lower()
            return lambda text: text.lower() == folded
        return pattern.__eq__
    simple = _simple_matcher(pattern, ignore_case)
    if simple is not None:
        return simple
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    regex = re.compile(glob_to_regex(pattern), flags)
    return lambda text: regex.fullmatch(text) is not None


def matches_glob(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """Whether ``text`` matches the IAM glob ``pattern``."""
    return compile_glob(pattern, ignore_case=ignore_case)(text)


def _always(_text: str) -> bool:
    return True


def _simple_matcher(pattern: str, ignore_case: bool) -> Matcher | None:
    """A string-method matcher for ``prefix*``, ``*suffix`` and ``*middle*``.

    These shapes are most of the patterns in real policies, and a string
    method is far cheaper to build and to run than a regular expression.
    """
    if "?" in pattern or LITERAL_MARK in pattern or pattern.count("*") > 2:
        return None
    text = pattern.lower() if ignore_case else pattern
    core = text.strip("*")
    if "*" in core:
        return None
    starts, ends = text.startswith("*"), text.endswith("*")
    if ignore_case:
        if starts and ends:
            return lambda value: core in value.lower()
        if ends:
            return lambda value: value.lower().startswith(core)
        return lambda value: value.lower().endswith(core)
    if starts and ends:
        return lambda value: core in value
    if ends:
        return lambda value: value.startswith(core)
    return lambda value: value.endswith(core)
