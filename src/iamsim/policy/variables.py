"""Policy variables: ``${aws:username}`` and friends, compiled once per string.

A string from a policy compiles to a :class:`Template`. Rendering it against a
request context substitutes every variable with that context key's value. The
rules come from the IAM User Guide, "IAM policy elements: Variables and tags"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):

- A variable is ``$`` then a context key name in braces. Key names are not
  case-sensitive, so they are stored lowercased, tag-key part included.
- ``${*}``, ``${?}`` and ``${$}`` stand for a literal ``*``, ``?`` and ``$``.
- A default follows the name after a comma, in single quotes:
  ``${aws:userid, 'anonymous'}``. Spaces around the comma are allowed.
- Variables exist only in policy language version 2012-10-17; under
  2008-10-17, or with no Version, ``${...}`` is literal text.
- A key with no value leaves the variable "effectively null": with no default
  the whole string has no value, and :meth:`Template.render` returns ``None``.
- A multivalued key cannot be used as a variable ("Single-valued vs.
  multivalued context keys"). What IAM does when one is used anyway is not
  documented; a key holding more than one value is treated as having no value,
  the reading under which such a variable never widens a match.

Imports nothing of iamsim but errors and the policy model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from iamsim.errors import PolicySyntaxError
from iamsim.policy.model import VERSION_2012, Context

Quote = Callable[[str], str]

#: A context with no keys, for rendering templates that reference none.
EMPTY_CONTEXT: Context = {}

#: ``${`` then either one special character, or a key name (no braces, ``$``,
#: commas, quotes or wildcards) with an optional quoted default.
_VARIABLE_SYNTAX = re.compile(
    r"\$\{(?:(?P<special>[*?$])"
    r"|\s*(?P<name>[^\s{}$,'*?][^{}$,'*?]*?)\s*"
    r"(?:,\s*'(?P<default>[^']*)'\s*)?)\}"
)
_HINT = "write a variable as ${key} or ${key, 'default'}; use ${$} for a literal '$'"


#: A piece of a template as parsed: ``(kind, text, default)``.
_Part = tuple[int, str, str | None]
_TEXT = 0  # policy text, copied as is; its wildcards stay wildcards
_SPECIAL = 1  # ${*}, ${?} or ${$}: one character that is never a wildcard
_VARIABLE = 2  # a context key's single value, or the default when it has none


class Template:
    """A policy string with its variables located, ready to render many times.

    Rendering copies the fixed pieces and fills only the variable slots, so a
    request pays for its variables and not for the surrounding text.
    """

    __slots__ = ("_pieces", "_slots", "is_literal", "keys", "text")

    def __init__(self, text: str, parts: tuple[_Part, ...]) -> None:
        self.text = text
        self._pieces = tuple(text if kind == _TEXT else "" for kind, text, _ in parts)
        self._slots = tuple(
            (index, kind == _VARIABLE, text, default)
            for index, (kind, text, default) in enumerate(parts)
            if kind != _TEXT
        )
        #: True when the string holds no ``${...}`` at all and means itself.
        self.is_literal = not self._slots
        #: The lowercased context keys the string reads.
        self.keys = frozenset(key for kind, key, _ in parts if kind == _VARIABLE)

    def render(self, ctx: Context, *, quote: Quote | None = None) -> str | None:
        """The string with each variable replaced, or ``None`` if one has no value.

        ``quote`` is applied to substituted values and special characters only,
        never to the policy's own text; pass ``wildcard.quote_glob`` when the
        result is matched as a glob so substituted text stays literal.
        """
        if self.is_literal:
            return self.text
        pieces = list(self._pieces)
        for index, is_variable, text, default in self._slots:
            value: str | None = text
            if is_variable:
                # One value resolves; none, or several, fall back to the default.
                found = ctx.get(text)
                value = found[0] if found and len(found) == 1 else default
            if value is None:
                return None
            pieces[index] = value if quote is None else quote(value)
        return "".join(pieces)

    def __repr__(self) -> str:
        return f"Template({self.text!r})"


def compile_template(text: str, *, version: str, where: str = "") -> Template:
    """Compile ``text`` from a policy written in language ``version``.

    Raises ``PolicySyntaxError`` for a ``${`` that does not open a well-formed
    variable, located at ``where``.
    """
    try:
        return _compile(text, version == VERSION_2012)
    except PolicySyntaxError as error:
        if not where:
            raise
        raise PolicySyntaxError(error.message, where=where, hint=error.hint) from None


@lru_cache(maxsize=16_384)
def _compile(text: str, variables_enabled: bool) -> Template:
    if not variables_enabled or "${" not in text:
        return Template(text, ((_TEXT, text, None),))
    return Template(text, tuple(_split(text)))


def _split(text: str) -> list[_Part]:
    parts: list[_Part] = []
    position = 0
    while (start := text.find("${", position)) != -1:
        if start > position:
            parts.append((_TEXT, text[position:start], None))
        match = _VARIABLE_SYNTAX.match(text, start)
        if match is None:
            raise PolicySyntaxError(
                f"malformed policy variable at offset {start} of {text!r}",
                hint=_HINT,
            )
        parts.append(_part_of(match))
        position = match.end()
    if position < len(text):
        parts.append((_TEXT, text[position:], None))
    return parts


def _part_of(match: re.Match[str]) -> _Part:
    special = match.group("special")
    if special is not None:
        return (_SPECIAL, special, None)
    return (_VARIABLE, match.group("name").lower(), match.group("default"))
