"""Matching names against the reference's templates.

Two kinds of template appear in the reference. Condition keys with a
variable part, such as ``aws:PrincipalTag/${TagKey}`` or
``s3:ExistingObjectTag/<key>``, stand for every key that fills the variable
in. Resource ARN formats, such as ``arn:${Partition}:s3:::${BucketName}``,
stand for every ARN of that resource type.

Imports nothing of iamsim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: A variable part of a template: ``${Name}`` or ``<name>``.
_VARIABLE = re.compile(r"\$\{[^}]*\}|<[^>]*>")

#: A variable part of an ARN format, or the ``*`` some formats end with.
_ARN_VARIABLE = re.compile(r"\$\{([^}]*)\}|\*")

#: ARN parts that are empty in the ARNs of global resources.
_MAY_BE_EMPTY = frozenset({"region", "account"})

#: What a variable may span, loosest last: one path segment, any text
#: without a colon, then any text. An ARN is tried against the tiers in
#: turn, so ``bucket/key`` is an object and not a bucket whose name has a
#: slash in it.
_TIERS = (r"[^:/]", r"[^:]", r".")


def has_variable(template: str) -> bool:
    """Whether ``template`` has a ``${...}`` or ``<...>`` part."""
    return _VARIABLE.search(template) is not None


def head_of(template: str) -> str:
    """The text of ``template`` before its first variable part."""
    found = _VARIABLE.search(template)
    return template if found is None else template[: found.start()]


def compile_key_template(template: str) -> re.Pattern[str]:
    """A case-insensitive pattern for the keys ``template`` stands for.

    Each variable part stands for one or more characters of any kind.
    """
    pieces = [re.escape(text) for text in _VARIABLE.split(template)]
    return re.compile(".+".join(pieces), re.IGNORECASE | re.DOTALL)


class KeyIndex:
    """Resolves a condition key to the name that defines it, ignoring case.

    Exact names are found by dictionary; template names by trying each
    template in the order given.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._exact: dict[str, str] = {}
        self._templates: list[tuple[re.Pattern[str], str]] = []
        for name in names:
            if has_variable(name):
                self._templates.append((compile_key_template(name), name))
            else:
                self._exact.setdefault(name.casefold(), name)

    def resolve(self, key: str) -> str | None:
        """The defining name ``key`` is an instance of, or None."""
        exact = self._exact.get(key.casefold())
        if exact is not None:
            return exact
        for pattern, name in self._templates:
            if pattern.fullmatch(key):
                return name
        return None

    def names(self) -> list[str]:
        """Every defining name, exact names first."""
        return [*self._exact.values(), *(name for _, name in self._templates)]


@dataclass(frozen=True, slots=True)
class ArnFormat:
    """A resource type's ARN format, compiled once per matching tier."""

    resource_type: str
    text: str
    tiers: tuple[re.Pattern[str], ...]
    specificity: int

    def tier_matching(self, arn: str) -> int | None:
        """The first tier under which ``arn`` fits this format, or None."""
        for index, pattern in enumerate(self.tiers):
            if pattern.fullmatch(arn):
                return index
        return None


def compile_arn_format(resource_type: str, text: str) -> ArnFormat:
    """The format ``text`` of ``resource_type`` ready for matching."""
    tiers = tuple(re.compile(_arn_regex(text, tier)) for tier in _TIERS)
    literal = len(_ARN_VARIABLE.sub("", text))
    return ArnFormat(resource_type, text, tiers, literal)


def rank_arn_formats(formats: Iterable[ArnFormat], arn: str) -> list[str]:
    """The resource types whose format ``arn`` fits, best fit first.

    A fit under a stricter tier beats a looser one; within a tier the
    format with more fixed text wins, then the resource type's name.
    """
    ranked: list[tuple[int, int, str]] = []
    for arn_format in formats:
        tier = arn_format.tier_matching(arn)
        if tier is not None:
            ranked.append((tier, -arn_format.specificity, arn_format.resource_type))
    return [name for _, _, name in sorted(ranked)]


def _arn_regex(text: str, tier: str) -> str:
    parts: list[str] = []
    position = 0
    for found in _ARN_VARIABLE.finditer(text):
        parts.append(re.escape(text[position : found.start()]))
        parts.append(_variable_regex(found.group(1), tier))
        position = found.end()
    parts.append(re.escape(text[position:]))
    return "".join(parts)


def _variable_regex(name: str | None, tier: str) -> str:
    if name is None:
        return ".*"
    repeat = "*" if name.casefold() in _MAY_BE_EMPTY else "+"
    return tier + repeat
