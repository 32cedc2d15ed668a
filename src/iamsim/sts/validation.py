"""Parameter constraints of the STS API, refused in AWS's own words.

Each member's limits come from the STS service model (the botocore model
``sts/2011-06-15/service-2.json``, which the STS API Reference renders as
"Length Constraints" and "Pattern"). AWS checks every member and reports all
violations at once as a ``ValidationError``::

    2 validation errors detected: Value 'x' at 'roleSessionName' failed to
    satisfy constraint: Member must have length greater than or equal to 2;
    Value '60' at 'durationSeconds' failed to satisfy constraint: Member must
    have value greater than or equal to 900

Members are named in lower camel case, list elements as ``tags.1.member.key``.
Patterns are matched as AWS's service does: ``\\w`` means ASCII letters,
digits and underscore, and ``\\p{L}``, ``\\p{Z}``, ``\\p{N}`` mean Unicode
letters, separators and numbers. Imports only iamsim.errors and iamsim.sts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iamsim.sts.errors import RequestRejected, validation_error

#: Patterns as the service model writes them, for messages and matching.
SESSION_NAME_PATTERN = r"[\w+=,.@-]*"
FEDERATED_NAME_PATTERN = r"[\w+=,.@-]*"
SOURCE_IDENTITY_PATTERN = r"[\w+=,.@-]*"
EXTERNAL_ID_PATTERN = r"[\w+=,.@:\/-]*"
ACCESS_KEY_ID_PATTERN = r"[\w]*"
POLICY_PATTERN = r"[\u0009\u000A\u000D\u0020-\u00FF]+"
TAG_KEY_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]+"
TAG_VALUE_PATTERN = r"[\p{L}\p{Z}\p{N}_.:/=+\-@]*"
ARN_PATTERN = (
    r"[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD"
    r"\u10000-\u10FFFF]+"
)

_TAG_SYMBOLS = frozenset("_.:/=+-@")
_POLICY_CHARS = re.compile(r"^[\t\n\r\x20-\xff]+$")
_ARN_CHARS = re.compile(
    "^[\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+$"
)

Matcher = Callable[[str], bool]


def _regex(pattern: str) -> Matcher:
    compiled = re.compile(pattern, re.ASCII)
    return lambda text: compiled.fullmatch(text) is not None


def _is_tag_text(text: str) -> bool:
    return all(
        char in _TAG_SYMBOLS or unicodedata.category(char)[0] in "LZN" for char in text
    )


#: Display pattern to matcher, for every pattern this module checks.
MATCHERS: dict[str, Matcher] = {
    SESSION_NAME_PATTERN: _regex(SESSION_NAME_PATTERN),
    EXTERNAL_ID_PATTERN: _regex(r"[\w+=,.@:/-]*"),
    ACCESS_KEY_ID_PATTERN: _regex(ACCESS_KEY_ID_PATTERN),
    POLICY_PATTERN: lambda text: _POLICY_CHARS.match(text) is not None,
    TAG_KEY_PATTERN: lambda text: bool(text) and _is_tag_text(text),
    TAG_VALUE_PATTERN: _is_tag_text,
    ARN_PATTERN: lambda text: _ARN_CHARS.match(text) is not None,
}


@dataclass(frozen=True, slots=True)
class Violation:
    """One failed constraint: the member, its value and the rule it broke."""

    member: str
    value: object
    constraint: str

    def render(self) -> str:
        shown = "null" if self.value is None else f"'{_show(self.value)}'"
        return (
            f"Value {shown} at '{self.member}' failed to satisfy constraint: "
            f"{self.constraint}"
        )


def _show(value: object) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return str(value)


class Checks:
    """Collects violations, then raises them together as AWS does."""

    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def fail(self, member: str, value: object, constraint: str) -> None:
        self.violations.append(Violation(member, value, constraint))

    def text(
        self,
        member: str,
        value: object,
        *,
        low: int,
        high: int | None,
        pattern: str | None = None,
        required: bool = False,
    ) -> str | None:
        """``value`` as a string within its limits, or None after a violation."""
        if value is None:
            if required:
                self.fail(member, None, "Member must not be null")
            return None
        if not isinstance(value, str):
            self.fail(member, value, "Member must be a string")
            return None
        before = len(self.violations)
        self.size(member, value, value, low, high)
        if pattern is not None and not MATCHERS[pattern](value):
            self.fail(
                member,
                value,
                f"Member must satisfy regular expression pattern: {pattern}",
            )
        return value if len(self.violations) == before else None

    def size(
        self,
        member: str,
        value: object,
        sized: Sequence[object],
        low: int,
        high: int | None,
    ) -> None:
        if len(sized) < low:
            self.fail(
                member, value, f"Member must have length greater than or equal to {low}"
            )
        if high is not None and len(sized) > high:
            self.fail(
                member, value, f"Member must have length less than or equal to {high}"
            )

    def integer(self, member: str, value: object, *, low: int, high: int) -> int | None:
        """``value`` as an integer within ``low``..``high``, or None."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(member, value, "Member must be an integer")
            return None
        if value < low:
            self.fail(
                member, value, f"Member must have value greater than or equal to {low}"
            )
            return None
        if value > high:
            self.fail(
                member, value, f"Member must have value less than or equal to {high}"
            )
            return None
        return value

    def items(self, member: str, value: object, *, high: int | None) -> list[object]:
        """``value`` as a list of at most ``high`` items (absent is empty)."""
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            self.fail(member, value, "Member must be a list")
            return []
        self.size(member, value, value, 0, high)
        return list(value)

    def raise_if_any(self) -> None:
        if self.violations:
            raise self.error()

    def error(self) -> RequestRejected:
        count = len(self.violations)
        noun = "error" if count == 1 else "errors"
        details = "; ".join(violation.render() for violation in self.violations)
        return validation_error(f"{count} validation {noun} detected: {details}")
