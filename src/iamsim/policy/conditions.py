"""Condition operators: a Condition block compiled once into one predicate.

Every policy value is parsed, every glob compiled and every operator resolved
when the block is compiled; a request only looks up its context values and
calls closures. The rules follow the IAM User Guide:

- "IAM JSON policy elements: Condition operators"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
  the operators, their value formats, ``...IfExists``, ``Null``, and the rule
  that a key missing from the request fails an operator but satisfies a
  negated one.
- "Conditions with multiple context keys or values"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):
  operators and keys combine with AND, the values of one key with OR, and
  the values of a negated operator with NOR.
- "Single-valued vs. multivalued context keys"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
  ``ForAllValues`` is true when every request value matches and when the key
  is missing; ``ForAnyValue`` needs one matching value and is false when the
  key is missing.
- "IAM JSON policy elements: Condition"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html):
  key names are not case-sensitive; values are, unless the operator says so.
- "IAM policy elements: Variables and tags"
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
  variables may appear in String, Bool and ARN values only, and a variable
  with no value matches nothing, so a negated operator does match it.

Readings where the guide is silent:

- A key present with no values (an empty tuple) is treated exactly as a
  missing key, by ``Null`` and ``...IfExists`` too; the guide's ``Null``
  advice covers "context keys with empty values" the same way.
- An operator without a set qualifier meeting a key with several values does
  not match, and its negated form does. Multivalued keys "require a condition
  set operator" and the guide does not say what happens without one; this is
  the reading under which the bare form never grants more than
  ``ForAnyValue`` would.
- A purely numeric date is epoch seconds, never a bare ISO 8601 year.
- ``Null`` rejects a set qualifier, as it rejects ``IfExists``.

Imports nothing of iamsim but errors and the policy package.
"""

from __future__ import annotations

import base64
import binascii
import difflib
import ipaddress
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from typing import TypeVar

from iamsim.errors import PolicySyntaxError
from iamsim.policy.arn import compile_arn_pattern
from iamsim.policy.model import ConditionClause, ConditionMatcher, Context
from iamsim.policy.variables import EMPTY_CONTEXT, Template, compile_template
from iamsim.policy.wildcard import (
    LITERAL_MARK,
    glob_to_regex,
    has_wildcard,
    quote_glob,
)

#: Whether one request value matches any of a clause's policy values.
Predicate = Callable[[str], bool]
Check = Callable[[Context], bool]
_T = TypeVar("_T")

FOR_ALL_VALUES = "ForAllValues"
FOR_ANY_VALUE = "ForAnyValue"
IF_EXISTS = "IfExists"
NULL = "Null"
#: Distinct renderings of one clause's variables kept compiled at a time.
_RENDERED_PER_CLAUSE = 256
_OPERATORS_PAGE = "'IAM JSON policy elements: Condition operators'"


@dataclass(frozen=True, slots=True)
class _Test:
    """How request values are matched against one clause's policy values.

    ``static`` is set when no policy value holds a variable, so the predicate
    is the same for every request; ``prepare`` renders variables first.
    """

    prepare: Callable[[Context], Predicate]
    static: Predicate | None = None
    keys: frozenset[str] = frozenset()


Builder = Callable[[ConditionClause, str], _Test]


@dataclass(frozen=True, slots=True)
class _Operator:
    """An operator name taken apart: qualifier, base operator and suffix."""

    base: str
    negated: bool
    if_exists: bool
    qualifier: str | None


def compile_condition(
    clauses: tuple[ConditionClause, ...], *, version: str
) -> ConditionMatcher:
    """Compile a Condition block; every clause must hold for it to match.

    Raises ``PolicySyntaxError``, located at the clause's ``where``, for an
    unknown operator or a policy value the operator cannot parse.
    """
    checks: list[Check] = []
    keys: set[str] = set()
    for clause in clauses:
        check, clause_keys = _compile_clause(clause, version)
        checks.append(check)
        keys |= clause_keys
    return ConditionMatcher(clauses, frozenset(keys), _all_of(tuple(checks)))


def check_operator(operator: str, *, where: str = "") -> None:
    """Raise ``PolicySyntaxError`` unless ``operator`` is a valid operator name.

    Operator names are case-sensitive; the hint suggests the closest valid one.
    """
    _operator(operator, where)


def _compile_clause(
    clause: ConditionClause, version: str
) -> tuple[Check, frozenset[str]]:
    spec = _operator(clause.operator, clause.where)
    key = clause.key.lower()
    if not key:
        raise PolicySyntaxError(
            f"empty condition key under {clause.operator!r}",
            where=clause.where,
            hint="name a context key such as 'aws:SourceIp'",
        )
    if spec.base == NULL:
        return _null_check(key, clause), frozenset({key})
    builder, _ = _BASE_OPERATORS[spec.base]
    test = builder(clause, version)
    check = _CHECK_FACTORIES[spec.qualifier](key, test, spec)
    return check, test.keys | {key}


def _all_of(checks: tuple[Check, ...]) -> Check:
    if not checks:
        return _always_true
    if len(checks) == 1:
        return checks[0]

    def matches(ctx: Context) -> bool:
        # A plain loop: all() over a generator costs an allocation per request.
        for check in checks:  # noqa: SIM110
            if not check(ctx):
                return False
        return True

    return matches


def _always_true(_ctx: Context) -> bool:
    return True


def _never(_text: str) -> bool:
    return False


# -- the three ways a clause reads its key --------------------------------------


def _single_check(key: str, test: _Test, spec: _Operator) -> Check:
    """No qualifier: the key's one value is tested; several values never match."""
    negated = spec.negated
    on_missing = True if spec.if_exists else negated
    static = test.static
    if static is not None:

        def check(ctx: Context) -> bool:
            values = ctx.get(key)
            if not values:
                return on_missing
            if len(values) != 1:
                return negated
            return static(values[0]) is not negated

        return check
    prepare = test.prepare

    def check_rendered(ctx: Context) -> bool:
        values = ctx.get(key)
        if not values:
            return on_missing
        if len(values) != 1:
            return negated
        return prepare(ctx)(values[0]) is not negated

    return check_rendered


def _any_value_check(key: str, test: _Test, spec: _Operator) -> Check:
    """``ForAnyValue``: one request value must match; a missing key fails."""
    negated = spec.negated
    on_missing = spec.if_exists
    prepare = test.prepare

    def check(ctx: Context) -> bool:
        values = ctx.get(key)
        if not values:
            return on_missing
        matches = prepare(ctx)
        for value in values:  # noqa: SIM110 (a loop, as in _all_of)
            if matches(value) is not negated:
                return True
        return False

    return check


def _all_values_check(key: str, test: _Test, spec: _Operator) -> Check:
    """``ForAllValues``: every request value must match; a missing key passes."""
    negated = spec.negated
    prepare = test.prepare

    def check(ctx: Context) -> bool:
        values = ctx.get(key)
        if not values:
            return True
        matches = prepare(ctx)
        for value in values:  # noqa: SIM110 (a loop, as in _all_of)
            if matches(value) is negated:
                return False
        return True

    return check


_CHECK_FACTORIES: dict[str | None, Callable[[str, _Test, _Operator], Check]] = {
    None: _single_check,
    FOR_ANY_VALUE: _any_value_check,
    FOR_ALL_VALUES: _all_values_check,
}


def _null_check(key: str, clause: ConditionClause) -> Check:
    """``Null``: ``true`` wants the key absent, ``false`` wants it present."""
    wanted = frozenset(_parse_null_value(clause, value) for value in clause.values)

    def check(ctx: Context) -> bool:
        return (not ctx.get(key)) in wanted

    return check


def _parse_null_value(clause: ConditionClause, value: str) -> bool:
    folded = value.lower()
    if folded not in ("true", "false"):
        raise _bad_value(
            clause,
            value,
            "'true' or 'false'",
            "'true' tests that the key is absent, 'false' present",
        )
    return folded == "true"


# -- values that may hold policy variables: String, ARN and Bool ----------------


def _rendered_test(
    clause: ConditionClause,
    version: str,
    matching: _TextMatching,
) -> _Test:
    """A test over templates: fixed values compile now, variables per request.

    A variable with no value leaves its policy value matching nothing.
    """
    templates = [
        compile_template(value, version=version, where=clause.where)
        for value in clause.values
    ]
    fixed = _fixed_texts(templates, matching.quote)
    if matching.validate is not None:
        for text in fixed:
            matching.validate(clause, text)
    base = matching.combine(fixed)
    dynamic = tuple(template for template in templates if template.keys)
    if not dynamic:
        return _Test(lambda _ctx: base, base)
    combine, quote = matching.combine, matching.quote

    # Requests from one principal render the same texts, so the predicate
    # built from them is kept rather than rebuilt on every request.
    @lru_cache(maxsize=_RENDERED_PER_CLAUSE)
    def predicate_for(texts: tuple[str, ...]) -> Predicate:
        return combine(fixed + texts)

    def prepare(ctx: Context) -> Predicate:
        texts = []
        for template in dynamic:
            text = template.render(ctx, quote=quote)
            if text is not None:
                texts.append(text)
        return predicate_for(tuple(texts))

    keys = frozenset().union(*(template.keys for template in dynamic))
    return _Test(prepare, None, keys)


@dataclass(frozen=True, slots=True)
class _TextMatching:
    """How a textual operator compiles its values, and how they are quoted."""

    combine: Callable[[tuple[str, ...]], Predicate]
    quote: Callable[[str], str] | None = None
    validate: Callable[[ConditionClause, str], None] | None = None


def _fixed_texts(
    templates: Sequence[Template], quote: Callable[[str], str] | None
) -> tuple[str, ...]:
    texts: list[str] = []
    for template in templates:
        if not template.keys:
            text = template.render(EMPTY_CONTEXT, quote=quote)
            assert text is not None  # INVARIANT: no keys, so nothing is unresolved
            texts.append(text)
    return tuple(texts)


def _any_of(matchers: Sequence[Predicate]) -> Predicate:
    if not matchers:
        return _never
    if len(matchers) == 1:
        return matchers[0]
    items = tuple(matchers)

    def matches(value: str) -> bool:
        # A plain loop: any() over a generator costs an allocation per call.
        for match in items:  # noqa: SIM110
            if match(value):
                return True
        return False

    return matches


def _quote_literal(text: str) -> str:
    """``text`` made literal for a glob, its own literal marks included."""
    if LITERAL_MARK in text:
        text = text.replace(LITERAL_MARK, LITERAL_MARK + LITERAL_MARK)
    elif "*" not in text and "?" not in text:
        return text
    return quote_glob(text)


def _equals_any(texts: tuple[str, ...]) -> Predicate:
    return frozenset(texts).__contains__ if texts else _never


def _equals_any_ignoring_case(texts: tuple[str, ...]) -> Predicate:
    folded = frozenset(text.lower() for text in texts)
    return lambda value: value.lower() in folded


@lru_cache(maxsize=8_192)
def _like_any(patterns: tuple[str, ...]) -> Predicate:
    """One predicate for several globs: a set, a prefix test and one regex."""
    exact = frozenset(p for p in patterns if not has_wildcard(p))
    prefixes = tuple(p[:-1] for p in patterns if _is_prefix_glob(p))
    others = [p for p in patterns if has_wildcard(p) and not _is_prefix_glob(p)]
    matchers: list[Predicate] = []
    if exact:
        matchers.append(exact.__contains__)
    if prefixes:
        matchers.append(lambda value: value.startswith(prefixes))
    if others:
        source = "|".join(f"(?:{glob_to_regex(glob)})" for glob in others)
        regex = re.compile(source, re.DOTALL)
        matchers.append(lambda value: regex.fullmatch(value) is not None)
    return _any_of(matchers)


def _is_prefix_glob(pattern: str) -> bool:
    """Whether ``pattern`` is literal text followed by one trailing ``*``."""
    return pattern.endswith("*") and not has_wildcard(pattern[:-1])


@lru_cache(maxsize=8_192)
def _arn_like_any(patterns: tuple[str, ...]) -> Predicate:
    return _any_of([compile_arn_pattern(pattern) for pattern in patterns])


_STRING_EQUALS = _TextMatching(_equals_any)
_STRING_EQUALS_IGNORE_CASE = _TextMatching(_equals_any_ignoring_case)
_STRING_LIKE = _TextMatching(_like_any, _quote_literal)
_ARN_LIKE = _TextMatching(_arn_like_any, _quote_literal)


def _text_test(matching: _TextMatching) -> Builder:
    return lambda clause, version: _rendered_test(clause, version, matching)


def _check_bool_value(clause: ConditionClause, text: str) -> None:
    if text.lower() not in ("true", "false"):
        raise _bad_value(clause, text, "'true' or 'false'", "Bool compares booleans")


_BOOL = _TextMatching(_equals_any_ignoring_case, validate=_check_bool_value)


# -- values parsed once: Numeric, Date, IP address and Binary -------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")
_ISO_8601 = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2})"
    r"(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?)?)?"
)
_ORDERINGS: dict[str, tuple[Callable[[float, float], bool], Callable[..., float]]] = {
    "LessThan": (operator.lt, max),
    "LessThanEquals": (operator.le, max),
    "GreaterThan": (operator.gt, min),
    "GreaterThanEquals": (operator.ge, min),
}


def parse_number(text: str) -> float | None:
    """An integer or decimal such as ``10`` or ``-2.5``, or ``None``.

    Integers stay exact ints, which Python compares exactly with floats.
    """
    if not _NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def parse_date(text: str) -> float | None:
    """Epoch seconds for a W3C ISO 8601 date or an epoch number, or ``None``.

    A date without a time zone is read as UTC.
    """
    if _EPOCH.fullmatch(text):
        return float(text)
    match = _ISO_8601.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month or 1),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=_zone(zone),
        )
    except ValueError:
        return None
    return moment.timestamp() + (float(fraction) if fraction else 0.0)


def _zone(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(-offset if text[0] == "-" else offset)


_context_date = lru_cache(maxsize=4_096)(parse_date)


def _ordered_test(
    clause: ConditionClause,
    comparison: str,
    parse: Callable[[str], float | None],
    parse_request: Callable[[str], float | None],
    expected: str,
) -> _Test:
    bounds = tuple(_parsed(clause, value, parse, expected) for value in clause.values)
    predicate = _ordering_predicate(comparison, bounds, parse_request)
    return _Test(lambda _ctx: predicate, predicate)


def _ordering_predicate(
    comparison: str,
    bounds: tuple[float, ...],
    parse: Callable[[str], float | None],
) -> Predicate:
    if not bounds:
        return _never
    if comparison == "Equals":
        wanted = frozenset(bounds)
        return lambda text: parse(text) in wanted
    compare, pick = _ORDERINGS[comparison]
    bound = pick(bounds)

    def predicate(text: str) -> bool:
        number = parse(text)
        return number is not None and compare(number, bound)

    return predicate


def _numeric_test(comparison: str) -> Builder:
    return lambda clause, _version: _ordered_test(
        clause,
        comparison,
        parse_number,
        parse_number,
        "a number such as '10' or '2.5'",
    )


def _date_test(comparison: str) -> Builder:
    return lambda clause, _version: _ordered_test(
        clause,
        comparison,
        parse_date,
        _context_date,
        "an ISO 8601 date such as '2024-01-31T12:00:00Z' or epoch seconds",
    )


def _ip_test(clause: ConditionClause, _version: str) -> _Test:
    """IPv4 or IPv6 ranges in CIDR form; a bare address is a one-address range."""
    expected = "an IP address or CIDR range such as '203.0.113.0/24'"
    ranges = [_parsed(clause, v, _parse_network, expected) for v in clause.values]
    by_version = {
        version: tuple((low, high) for v, low, high in ranges if v == version)
        for version in (4, 6)
    }

    def predicate(text: str) -> bool:
        address = _parse_address(text)
        if address is None:
            return False
        version, number = address
        for low, high in by_version[version]:  # noqa: SIM110 (a loop, as in _all_of)
            if low <= number <= high:
                return True
        return False

    return _Test(lambda _ctx: predicate, predicate)


def _parse_network(text: str) -> tuple[int, int, int] | None:
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    low, high = network.network_address, network.broadcast_address
    return network.version, int(low), int(high)


@lru_cache(maxsize=4_096)
def _parse_address(text: str) -> tuple[int, int] | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.version, int(address)


def _binary_test(clause: ConditionClause, _version: str) -> _Test:
    """Byte-for-byte equality of base64-decoded values."""
    expected = "base64-encoded binary"
    wanted = frozenset(
        _parsed(clause, v, _decode_base64, expected) for v in clause.values
    )

    def predicate(text: str) -> bool:
        return _decode_base64(text) in wanted

    return _Test(lambda _ctx: predicate, predicate)


def _decode_base64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _parsed(
    clause: ConditionClause,
    value: str,
    parse: Callable[[str], _T | None],
    expected: str,
) -> _T:
    parsed = parse(value)
    if parsed is None:
        hint = f"write {expected}"
        if "${" in value:
            hint = f"policy variables cannot be used with {clause.operator!r}"
        raise _bad_value(clause, value, expected, hint)
    return parsed


def _bad_value(
    clause: ConditionClause, value: str, expected: str, hint: str
) -> PolicySyntaxError:
    return PolicySyntaxError(
        f"condition value {value!r} for key {clause.key!r} under "
        f"{clause.operator!r} is not {expected}",
        where=clause.where,
        hint=hint,
    )


# -- operator names -------------------------------------------------------------

#: Each base operator: how it tests values, and whether it is the negation.
_BASE_OPERATORS: dict[str, tuple[Builder, bool]] = {
    "StringEquals": (_text_test(_STRING_EQUALS), False),
    "StringNotEquals": (_text_test(_STRING_EQUALS), True),
    "StringEqualsIgnoreCase": (_text_test(_STRING_EQUALS_IGNORE_CASE), False),
    "StringNotEqualsIgnoreCase": (_text_test(_STRING_EQUALS_IGNORE_CASE), True),
    "StringLike": (_text_test(_STRING_LIKE), False),
    "StringNotLike": (_text_test(_STRING_LIKE), True),
    "NumericEquals": (_numeric_test("Equals"), False),
    "NumericNotEquals": (_numeric_test("Equals"), True),
    "NumericLessThan": (_numeric_test("LessThan"), False),
    "NumericLessThanEquals": (_numeric_test("LessThanEquals"), False),
    "NumericGreaterThan": (_numeric_test("GreaterThan"), False),
    "NumericGreaterThanEquals": (_numeric_test("GreaterThanEquals"), False),
    "DateEquals": (_date_test("Equals"), False),
    "DateNotEquals": (_date_test("Equals"), True),
    "DateLessThan": (_date_test("LessThan"), False),
    "DateLessThanEquals": (_date_test("LessThanEquals"), False),
    "DateGreaterThan": (_date_test("GreaterThan"), False),
    "DateGreaterThanEquals": (_date_test("GreaterThanEquals"), False),
    "Bool": (_text_test(_BOOL), False),
    "BinaryEquals": (_binary_test, False),
    "IpAddress": (_ip_test, False),
    "NotIpAddress": (_ip_test, True),
    "ArnEquals": (_text_test(_ARN_LIKE), False),
    "ArnLike": (_text_test(_ARN_LIKE), False),
    "ArnNotEquals": (_text_test(_ARN_LIKE), True),
    "ArnNotLike": (_text_test(_ARN_LIKE), True),
}


def _all_operator_names() -> tuple[str, ...]:
    names = [NULL]
    for base in _BASE_OPERATORS:
        for qualifier in ("", f"{FOR_ALL_VALUES}:", f"{FOR_ANY_VALUE}:"):
            names += [f"{qualifier}{base}", f"{qualifier}{base}{IF_EXISTS}"]
    return tuple(names)


_OPERATOR_NAMES = _all_operator_names()
_NAMES_BY_FOLDED = {name.lower(): name for name in _OPERATOR_NAMES}


def _operator(name: str, where: str) -> _Operator:
    try:
        return _parse_operator(name)
    except PolicySyntaxError as error:
        raise PolicySyntaxError(error.message, where=where, hint=error.hint) from None


@lru_cache(maxsize=1_024)
def _parse_operator(name: str) -> _Operator:
    qualifier, rest = _split_qualifier(name)
    if_exists = rest.endswith(IF_EXISTS) and rest != IF_EXISTS
    base = rest.removesuffix(IF_EXISTS) if if_exists else rest
    if base == NULL:
        _check_null_form(name, qualifier, if_exists)
        return _Operator(NULL, False, False, None)
    if base not in _BASE_OPERATORS:
        raise PolicySyntaxError(
            f"unknown condition operator {name!r}", hint=_suggestion(name)
        )
    return _Operator(base, _BASE_OPERATORS[base][1], if_exists, qualifier)


def _split_qualifier(name: str) -> tuple[str | None, str]:
    for qualifier in (FOR_ALL_VALUES, FOR_ANY_VALUE):
        prefix = f"{qualifier}:"
        if name.startswith(prefix):
            return qualifier, name[len(prefix) :]
    return None, name


def _check_null_form(name: str, qualifier: str | None, if_exists: bool) -> None:
    if if_exists:
        raise PolicySyntaxError(
            f"condition operator {name!r} is not allowed: 'Null' takes no IfExists",
            hint="'Null' already tests whether the key exists",
        )
    if qualifier is not None:
        raise PolicySyntaxError(
            f"condition operator {name!r} is not allowed: 'Null' takes no "
            f"{qualifier!r}",
            hint="write 'Null' alone",
        )


def _suggestion(name: str) -> str:
    folded = _NAMES_BY_FOLDED.get(name.lower())
    close = [folded] if folded else difflib.get_close_matches(name, _OPERATOR_NAMES, 1)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"the operators are listed in {_OPERATORS_PAGE}"
