"""Condition blocks: every operator, qualifier and suffix against a request context.

Docstrings name the IAM User Guide page each rule comes from:

- (Condition operators): "IAM JSON policy elements: Condition operators",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
- (Condition element): "IAM JSON policy elements: Condition",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
- (Multiple keys or values): "Conditions with multiple context keys or values",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
- (Multivalued keys): "Single-valued vs. multivalued context keys",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
- (Variables and tags): "IAM policy elements: Variables and tags",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

"Pinned reading" marks behaviour the guide leaves open; the module docstring of
``iamsim.policy.conditions`` explains each choice.
"""

from __future__ import annotations

import base64
import ipaddress
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim.errors import PolicySyntaxError
from iamsim.policy.conditions import check_operator, compile_condition
from iamsim.policy.model import (
    VERSION_2008,
    VERSION_2012,
    ConditionClause,
    ConditionMatcher,
    Context,
)

WHERE = "Statement[0].Condition"


def compile_one(
    operator: str, key: str, values: list[str], version: str = VERSION_2012
) -> ConditionMatcher:
    clause = ConditionClause(operator, key, tuple(values), WHERE)
    return compile_condition((clause,), version=version)


def holds(
    operator: str,
    key: str,
    values: list[str],
    ctx: Context,
    version: str = VERSION_2012,
) -> bool:
    return compile_one(operator, key, values, version).matches(ctx)


def one(key: str, *values: str) -> Context:
    return {key: tuple(values)}


# -- string operators ----------------------------------------------------------


def test_string_equals_matches_the_exact_value() -> None:
    """StringEquals is exact matching (Condition operators)."""
    result = holds(
        "StringEquals", "aws:username", ["john"], one("aws:username", "john")
    )

    assert result is True


def test_string_equals_is_case_sensitive() -> None:
    """Only 'john' matches; 'John' is denied (Condition element)."""
    result = holds(
        "StringEquals", "aws:username", ["john"], one("aws:username", "John")
    )

    assert result is False


def test_string_equals_with_several_values_matches_any_of_them() -> None:
    """Values of one key combine with OR (Multiple keys or values)."""
    values = ["audit", "security"]

    result = holds(
        "StringEquals",
        "aws:PrincipalTag/role",
        values,
        one("aws:principaltag/role", "security"),
    )

    assert result is True


def test_string_equals_treats_wildcards_as_text() -> None:
    """StringEquals has no wildcards; '*' matches only '*' (Condition operators)."""
    matcher = compile_one("StringEquals", "s3:prefix", ["home/*"])

    assert not matcher.matches(one("s3:prefix", "home/bob"))
    assert matcher.matches(one("s3:prefix", "home/*"))


def test_string_not_equals_matches_a_value_equal_to_none_of_the_list() -> None:
    """A negated operator's values combine with NOR (Multiple keys or values)."""
    result = holds(
        "StringNotEquals",
        "aws:PrincipalTag/role",
        ["audit", "security"],
        one("aws:principaltag/role", "dev"),
    )

    assert result is True


def test_string_not_equals_fails_when_the_value_is_in_the_list() -> None:
    """Two values under StringNotEquals act as an AND (Multiple keys or values)."""
    result = holds(
        "StringNotEquals",
        "aws:PrincipalTag/role",
        ["audit", "security"],
        one("aws:principaltag/role", "audit"),
    )

    assert result is False


def test_string_equals_ignore_case_matches_any_case() -> None:
    """StringEqualsIgnoreCase ignores case (Condition operators)."""
    result = holds(
        "StringEqualsIgnoreCase", "aws:username", ["JOHN"], one("aws:username", "john")
    )

    assert result is True


def test_string_not_equals_ignore_case_rejects_a_case_variant() -> None:
    """StringNotEqualsIgnoreCase is negated, caseless (Condition operators)."""
    result = holds(
        "StringNotEqualsIgnoreCase",
        "aws:username",
        ["JOHN"],
        one("aws:username", "John"),
    )

    assert result is False


def test_string_like_star_matches_any_run_of_characters() -> None:
    """StringLike '*' matches any characters (Condition operators)."""
    result = holds("StringLike", "s3:prefix", ["home/*"], one("s3:prefix", "home/a/b"))

    assert result is True


def test_string_like_question_mark_matches_exactly_one_character() -> None:
    """StringLike '?' matches a single character (Condition operators)."""
    matcher = compile_one("StringLike", "ec2:InstanceType", ["t?.micro"])

    assert matcher.matches(one("ec2:instancetype", "t3.micro"))
    assert not matcher.matches(one("ec2:instancetype", "t3a.micro"))


def test_string_like_is_case_sensitive() -> None:
    """StringLike is case-sensitive matching (Condition operators)."""
    result = holds("StringLike", "s3:prefix", ["Home/*"], one("s3:prefix", "home/x"))

    assert result is False


def test_string_like_without_wildcards_is_exact() -> None:
    """Partial matches need wildcards in StringLike (Condition operators)."""
    matcher = compile_one("StringLike", "s3:prefix", ["home"])

    assert matcher.matches(one("s3:prefix", "home"))
    assert not matcher.matches(one("s3:prefix", "home/"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", True), ("home/", True), ("home/bob/x", True), ("homes/", False)],
)
def test_string_like_with_mixed_patterns_matches_any(
    value: str, expected: bool
) -> None:
    """Exact and wildcard values combine with OR (Multiple keys or values)."""
    matcher = compile_one("StringLike", "s3:prefix", ["", "home/", "home/bob/*"])

    assert matcher.matches(one("s3:prefix", value)) is expected


def test_string_not_like_fails_for_a_matching_value() -> None:
    """StringNotLike is negated wildcard matching (Condition operators)."""
    matcher = compile_one("StringNotLike", "s3:prefix", ["tmp/*"])

    assert not matcher.matches(one("s3:prefix", "tmp/x"))
    assert matcher.matches(one("s3:prefix", "home/x"))


# -- a key missing from the request --------------------------------------------

POSITIVE_OPERATORS = [
    ("StringEquals", "x"), ("StringEqualsIgnoreCase", "x"), ("StringLike", "*"),
    ("NumericEquals", "1"), ("NumericLessThan", "1"), ("NumericGreaterThan", "1"),
    ("DateEquals", "2024-01-01"), ("DateLessThan", "2024-01-01"),
    ("Bool", "true"), ("BinaryEquals", "QQ=="), ("IpAddress", "0.0.0.0/0"),
    ("ArnEquals", "*"), ("ArnLike", "arn:*"),
]  # fmt: skip
NEGATED_OPERATORS = [
    ("StringNotEquals", "x"), ("StringNotEqualsIgnoreCase", "x"),
    ("StringNotLike", "*"), ("NumericNotEquals", "1"), ("DateNotEquals", "2024"),
    ("NotIpAddress", "0.0.0.0/0"), ("ArnNotEquals", "*"), ("ArnNotLike", "arn:*"),
]  # fmt: skip


@pytest.mark.parametrize(("operator", "value"), POSITIVE_OPERATORS)
def test_missing_key_fails_a_positive_operator(operator: str, value: str) -> None:
    """A key absent from the request context is false (Condition operators)."""
    result = holds(operator, "aws:SomeKey", [value], {})

    assert result is False


@pytest.mark.parametrize(("operator", "value"), NEGATED_OPERATORS)
def test_missing_key_satisfies_a_negated_operator(operator: str, value: str) -> None:
    """StringNotLike or ArnNotLike with the key absent is true (Condition operators)."""
    result = holds(operator, "aws:SomeKey", [value], {})

    assert result is True


@pytest.mark.parametrize(("operator", "value"), POSITIVE_OPERATORS + NEGATED_OPERATORS)
def test_if_exists_is_true_when_the_key_is_missing(operator: str, value: str) -> None:
    """...IfExists evaluates a missing key as true (Condition operators)."""
    result = holds(operator + "IfExists", "aws:SomeKey", [value], {})

    assert result is True


def test_if_exists_checks_a_present_key_as_usual() -> None:
    """...IfExists processes a present key as usual (Condition operators)."""
    matcher = compile_one("StringLikeIfExists", "ec2:InstanceType", ["t1.*", "t2.*"])

    assert matcher.matches(one("ec2:instancetype", "t2.micro"))
    assert not matcher.matches(one("ec2:instancetype", "m5.large"))


def test_negated_if_exists_fails_for_a_present_matching_value() -> None:
    """StringNotEqualsIfExists on an equal value is false (Condition operators)."""
    result = holds(
        "StringNotEqualsIfExists",
        "aws:PrincipalTag/team",
        ["blue"],
        one("aws:principaltag/team", "blue"),
    )

    assert result is False


def test_empty_value_set_counts_as_a_missing_key() -> None:
    """Pinned reading: a key with no values acts as absent (Condition operators)."""
    assert not holds("StringEquals", "aws:TagKeys", ["a"], {"aws:tagkeys": ()})
    assert holds("StringNotEquals", "aws:TagKeys", ["a"], {"aws:tagkeys": ()})
    assert holds("StringEqualsIfExists", "aws:TagKeys", ["a"], {"aws:tagkeys": ()})


# -- Null ----------------------------------------------------------------------


def test_null_true_matches_an_absent_key() -> None:
    """Null 'true' means the key does not exist (Condition operators)."""
    result = holds("Null", "aws:TokenIssueTime", ["true"], {})

    assert result is True


def test_null_true_fails_for_a_present_key() -> None:
    """Null 'true' is false when the key has a value (Condition operators)."""
    ctx = one("aws:tokenissuetime", "2024-01-01T00:00:00Z")

    result = holds("Null", "aws:TokenIssueTime", ["true"], ctx)

    assert result is False


def test_null_false_matches_a_present_key() -> None:
    """Null 'false' means the key exists and is not null (Condition operators)."""
    result = holds("Null", "aws:TagKeys", ["false"], one("aws:tagkeys", "env"))

    assert result is True


def test_null_false_fails_for_an_absent_key() -> None:
    """Null 'false' is false when the key is missing (Condition operators)."""
    result = holds("Null", "aws:TagKeys", ["false"], {})

    assert result is False


def test_null_false_fails_for_a_key_with_no_values() -> None:
    """Null 'false' guards against keys with empty values (Multivalued keys)."""
    result = holds("Null", "aws:TagKeys", ["false"], {"aws:tagkeys": ()})

    assert result is False


def test_null_accepts_booleans_in_any_case() -> None:
    """A JSON true or the string 'True' both mean true (Condition operators)."""
    result = holds("Null", "aws:TokenIssueTime", ["True"], {})

    assert result is True


def test_null_rejects_a_non_boolean_value() -> None:
    """Null takes 'true' or 'false' only (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="'maybe'"):
        compile_one("Null", "aws:TokenIssueTime", ["maybe"])


def test_null_does_not_take_if_exists() -> None:
    """IfExists may end any operator except Null (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="NullIfExists"):
        check_operator("NullIfExists")


def test_null_does_not_take_a_set_qualifier() -> None:
    """Pinned reading: Null refuses a set qualifier (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="ForAnyValue:Null"):
        check_operator("ForAnyValue:Null")


# -- numeric operators ---------------------------------------------------------


def test_numeric_equals_compares_numbers_not_text() -> None:
    """Numeric operators compare integer or decimal values (Condition operators)."""
    result = holds("NumericEquals", "s3:max-keys", ["10"], one("s3:max-keys", "10.0"))

    assert result is True


def test_numeric_not_equals_fails_for_an_equal_number() -> None:
    """NumericNotEquals is negated matching (Condition operators)."""
    result = holds("NumericNotEquals", "s3:max-keys", ["10"], one("s3:max-keys", "10"))

    assert result is False


@pytest.mark.parametrize(
    ("operator", "below", "equal", "above"),
    [
        ("NumericLessThan", True, False, False),
        ("NumericLessThanEquals", True, True, False),
        ("NumericGreaterThan", False, False, True),
        ("NumericGreaterThanEquals", False, True, True),
    ],
)
def test_numeric_orderings_at_their_boundary(
    operator: str, below: bool, equal: bool, above: bool
) -> None:
    """Less/greater than, with or without equals (Condition operators)."""
    matcher = compile_one(operator, "s3:max-keys", ["10"])

    results = [matcher.matches(one("s3:max-keys", v)) for v in ("9.5", "10", "11")]

    assert results == [below, equal, above]


def test_numeric_less_than_with_several_values_matches_any() -> None:
    """Values of one key combine with OR (Multiple keys or values)."""
    matcher = compile_one("NumericLessThan", "s3:max-keys", ["5", "100"])

    assert matcher.matches(one("s3:max-keys", "50"))


def test_numeric_equals_is_exact_for_large_integers() -> None:
    """Integers compare exactly, beyond float precision (Condition operators)."""
    result = holds(
        "NumericEquals",
        "svc:Id",
        ["9007199254740993"],
        one("svc:id", "9007199254740992"),
    )

    assert result is False


def test_numeric_accepts_negative_and_decimal_values() -> None:
    """Numeric values may be integers or decimals (Condition operators)."""
    matcher = compile_one("NumericGreaterThan", "aws:MultiFactorAuthAge", ["-1.5"])

    assert matcher.matches(one("aws:multifactorauthage", "-1"))


def test_numeric_request_value_that_is_not_a_number_does_not_match() -> None:
    """Pinned reading: a non-number request value fails (Condition operators)."""
    matcher = compile_one("NumericEquals", "s3:max-keys", ["10"])

    assert not matcher.matches(one("s3:max-keys", "ten"))


def test_numeric_not_equals_holds_for_a_request_value_that_is_not_a_number() -> None:
    """Pinned reading: a non-number satisfies NotEquals (Condition operators)."""
    result = holds("NumericNotEquals", "s3:max-keys", ["10"], one("s3:max-keys", "x"))

    assert result is True


@pytest.mark.parametrize("value", ["ten", "1e3", "0x10", "1_000", "nan", "", " 5"])
def test_numeric_policy_value_must_be_a_plain_number(value: str) -> None:
    """Numeric values are integers or decimals (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="is not a number") as caught:
        compile_one("NumericLessThan", "s3:max-keys", [value])

    assert caught.value.where == WHERE


def test_numeric_policy_value_cannot_hold_a_variable() -> None:
    """You can't use a policy variable with Numeric operators (Variables and tags)."""
    with pytest.raises(PolicySyntaxError) as caught:
        compile_one("NumericEquals", "s3:max-keys", ["${aws:username}"])

    assert "policy variables cannot be used" in caught.value.hint


# -- date operators ------------------------------------------------------------


def test_date_less_than_compares_iso_8601_instants() -> None:
    """Date operators compare date/time values (Condition operators)."""
    matcher = compile_one("DateLessThan", "aws:CurrentTime", ["2024-06-01T00:00:00Z"])

    assert matcher.matches(one("aws:currenttime", "2024-05-31T23:59:59Z"))
    assert not matcher.matches(one("aws:currenttime", "2024-06-01T00:00:00Z"))


def test_date_greater_than_accepts_epoch_seconds_in_the_policy() -> None:
    """Dates may be given in epoch (UNIX) time (Condition operators)."""
    epoch = str(int(datetime(2024, 1, 1, tzinfo=UTC).timestamp()))

    result = holds(
        "DateGreaterThan",
        "aws:CurrentTime",
        [epoch],
        one("aws:currenttime", "2024-01-01T00:00:01Z"),
    )

    assert result is True


def test_date_compares_epoch_request_values_with_iso_policy_values() -> None:
    """aws:EpochTime values compare with ISO 8601 dates (Condition operators)."""
    ctx = one("aws:epochtime", "1704067200")  # 2024-01-01T00:00:00Z

    result = holds("DateEquals", "aws:EpochTime", ["2024-01-01T00:00:00Z"], ctx)

    assert result is True


def test_date_equals_compares_instants_across_time_zones() -> None:
    """W3C ISO 8601 offsets denote the same instant (Condition operators)."""
    result = holds(
        "DateEquals",
        "aws:CurrentTime",
        ["2024-01-01T02:00:00+02:00"],
        one("aws:currenttime", "2024-01-01T00:00:00Z"),
    )

    assert result is True


@pytest.mark.parametrize(
    ("policy", "request_time"),
    [
        ("2024-03-05", "2024-03-05T00:00:00Z"),
        ("2024-03", "2024-03-01T00:00:00Z"),
        ("2024-03-05T10:20Z", "2024-03-05T10:20:00Z"),
        ("2024-03-05T10:20:30.5Z", "2024-03-05T10:20:30.500Z"),
    ],
)
def test_date_accepts_each_w3c_iso_8601_form(policy: str, request_time: str) -> None:
    """Dates use the W3C implementations of ISO 8601 (Condition operators)."""
    result = holds(
        "DateEquals", "aws:CurrentTime", [policy], one("aws:currenttime", request_time)
    )

    assert result is True


def test_date_less_than_equals_includes_its_boundary() -> None:
    """DateLessThanEquals matches at or before the date (Condition operators)."""
    matcher = compile_one("DateLessThanEquals", "aws:CurrentTime", ["2024-06-01"])

    assert matcher.matches(one("aws:currenttime", "2024-06-01T00:00:00Z"))
    assert not matcher.matches(one("aws:currenttime", "2024-06-01T00:00:01Z"))


def test_date_not_equals_fails_for_the_same_instant() -> None:
    """DateNotEquals is negated matching (Condition operators)."""
    result = holds(
        "DateNotEquals",
        "aws:CurrentTime",
        ["2024-01-01"],
        one("aws:currenttime", "2024-01-01T00:00:00Z"),
    )

    assert result is False


@pytest.mark.parametrize(
    "value", ["yesterday", "2024-13-01", "2024-02-30", "2024-01-01T25:00Z", "*"]
)
def test_date_policy_value_must_be_a_date(value: str) -> None:
    """Wildcards and non-dates are not dates (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="is not an ISO 8601 date"):
        compile_one("DateLessThan", "aws:CurrentTime", [value])


def test_date_request_value_that_is_not_a_date_does_not_match() -> None:
    """Pinned reading: a non-date request value fails (Condition operators)."""
    result = holds(
        "DateLessThan",
        "aws:CurrentTime",
        ["2030-01-01"],
        one("aws:currenttime", "soon"),
    )

    assert result is False


# -- Bool and Binary -----------------------------------------------------------


def test_bool_matches_the_same_boolean() -> None:
    """Bool compares a key to 'true' or 'false' (Condition operators)."""
    matcher = compile_one("Bool", "aws:SecureTransport", ["false"])

    assert matcher.matches(one("aws:securetransport", "false"))
    assert not matcher.matches(one("aws:securetransport", "true"))


def test_bool_ignores_the_case_of_the_boolean() -> None:
    """Pinned reading: 'True' and 'true' are the same boolean (Condition operators)."""
    result = holds(
        "Bool", "aws:SecureTransport", ["TRUE"], one("aws:securetransport", "true")
    )

    assert result is True


def test_bool_policy_value_must_be_a_boolean() -> None:
    """Bool values are 'true' or 'false' (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="'yes'"):
        compile_one("Bool", "aws:SecureTransport", ["yes"])


def test_bool_value_may_be_a_policy_variable() -> None:
    """A policy variable may be used with Boolean operators (Condition operators)."""
    matcher = compile_one("Bool", "aws:SecureTransport", ["${aws:ViaAWSService}"])
    ctx = {"aws:securetransport": ("true",), "aws:viaawsservice": ("true",)}

    assert matcher.matches(ctx)


def test_binary_equals_compares_decoded_bytes() -> None:
    """BinaryEquals compares bytes with a base-64 policy value (Condition operators)."""
    encoded = base64.b64encode(b"BinaryValueInBase64").decode()

    result = holds("BinaryEquals", "svc:Blob", [encoded], one("svc:blob", encoded))

    assert result is True


def test_binary_equals_fails_for_different_bytes() -> None:
    """BinaryEquals compares byte for byte (Condition operators)."""
    result = holds("BinaryEquals", "svc:Blob", ["QUJD"], one("svc:blob", "QUJE"))

    assert result is False


def test_binary_policy_value_must_be_base64() -> None:
    """BinaryEquals values are base-64 encoded (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="base64"):
        compile_one("BinaryEquals", "svc:Blob", ["not base64!"])


def test_binary_request_value_that_is_not_base64_does_not_match() -> None:
    """Pinned reading: undecodable request bytes match nothing (Condition operators)."""
    result = holds("BinaryEquals", "svc:Blob", ["QUJD"], one("svc:blob", "%%%"))

    assert result is False


# -- IP address operators ------------------------------------------------------


def test_ip_address_matches_an_address_inside_the_cidr_range() -> None:
    """203.0.113.0/24 covers 203.0.113.0 to 203.0.113.255 (Condition operators)."""
    matcher = compile_one("IpAddress", "aws:SourceIp", ["203.0.113.0/24"])

    assert matcher.matches(one("aws:sourceip", "203.0.113.255"))
    assert not matcher.matches(one("aws:sourceip", "203.0.114.0"))


def test_ip_address_without_prefix_is_a_single_address() -> None:
    """An address without a routing prefix is a /32 (Condition operators)."""
    matcher = compile_one("IpAddress", "aws:SourceIp", ["203.0.113.7"])

    assert matcher.matches(one("aws:sourceip", "203.0.113.7"))
    assert not matcher.matches(one("aws:sourceip", "203.0.113.8"))


def test_ip_address_matches_ipv6_ranges_written_in_upper_case() -> None:
    """IPv6 ranges like 2001:DB8:1234:5678::/64 work (Condition operators)."""
    matcher = compile_one("IpAddress", "aws:SourceIp", ["2001:DB8:1234:5678::/64"])

    assert matcher.matches(one("aws:sourceip", "2001:db8:1234:5678::abcd"))
    assert not matcher.matches(one("aws:sourceip", "2001:db8:1234:5679::1"))


def test_ip_address_mixes_ipv4_and_ipv6_ranges() -> None:
    """IPv4 and IPv6 values of one key combine with OR (Condition operators)."""
    matcher = compile_one(
        "IpAddress", "aws:SourceIp", ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]
    )

    assert matcher.matches(one("aws:sourceip", "203.0.113.9"))
    assert matcher.matches(one("aws:sourceip", "2001:db8:1234:5678::1"))


def test_ipv4_address_is_not_inside_an_ipv6_range() -> None:
    """An IPv4 address never falls in an IPv6 range (Condition operators)."""
    result = holds(
        "IpAddress", "aws:SourceIp", ["::/0"], one("aws:sourceip", "1.2.3.4")
    )

    assert result is False


def test_not_ip_address_matches_addresses_outside_the_range() -> None:
    """NotIpAddress is every address except the range (Condition operators)."""
    matcher = compile_one("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"])

    assert matcher.matches(one("aws:sourceip", "11.0.0.1"))
    assert not matcher.matches(one("aws:sourceip", "10.9.9.9"))


def test_ip_range_with_host_bits_set_covers_its_network() -> None:
    """Pinned reading: 10.1.2.3/8 is read as 10.0.0.0/8 (Condition operators)."""
    result = holds(
        "IpAddress", "aws:SourceIp", ["10.1.2.3/8"], one("aws:sourceip", "10.200.0.1")
    )

    assert result is True


@pytest.mark.parametrize("value", ["10.0.0.0/33", "300.1.1.1", "office", "10.0.0.*"])
def test_ip_policy_value_must_be_an_address_or_range(value: str) -> None:
    """Values must be in standard CIDR format (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="is not an IP address"):
        compile_one("IpAddress", "aws:SourceIp", [value])


def test_ip_request_value_that_is_not_an_address_does_not_match() -> None:
    """Pinned reading: a malformed request address fails (Condition operators)."""
    result = holds("IpAddress", "aws:SourceIp", ["0.0.0.0/0"], one("aws:sourceip", "x"))

    assert result is False


# -- ARN operators -------------------------------------------------------------


def test_arn_like_matches_each_component_with_wildcards() -> None:
    """Each colon-delimited component may hold wildcards (Condition operators)."""
    pattern = "arn:aws:sns:*:123456789012:topic-*"

    result = holds(
        "ArnLike",
        "aws:SourceArn",
        [pattern],
        one("aws:sourcearn", "arn:aws:sns:us-east-1:123456789012:topic-a"),
    )

    assert result is True


def test_arn_like_wildcard_does_not_cross_a_colon() -> None:
    """ArnLike fails where StringLike's '*' would span colons (Condition operators)."""
    pattern = "arn:aws:someservice:*:111122223333:finance/*"
    value = (
        "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/d"
    )
    ctx = one("aws:sourcearn", value)

    assert holds("StringLike", "aws:SourceArn", [pattern], ctx)
    assert not holds("ArnLike", "aws:SourceArn", [pattern], ctx)


def test_arn_equals_and_arn_like_behave_identically() -> None:
    """ArnEquals and ArnLike behave identically (Condition operators)."""
    ctx = one("aws:sourcearn", "arn:aws:s3:::bucket-a")

    assert holds("ArnEquals", "aws:SourceArn", ["arn:aws:s3:::bucket-*"], ctx)
    assert holds("ArnLike", "aws:SourceArn", ["arn:aws:s3:::bucket-*"], ctx)


def test_arn_matching_is_case_sensitive() -> None:
    """ARN matching is case-sensitive (Condition operators)."""
    result = holds(
        "ArnEquals",
        "aws:SourceArn",
        ["arn:aws:sns:us-east-1:1:Topic"],
        one("aws:sourcearn", "arn:aws:sns:us-east-1:1:topic"),
    )

    assert result is False


@pytest.mark.parametrize("operator", ["ArnNotEquals", "ArnNotLike"])
def test_arn_negated_operators_fail_for_a_matching_arn(operator: str) -> None:
    """ArnNotEquals and ArnNotLike are negated ARN matching (Condition operators)."""
    matcher = compile_one(operator, "aws:SourceArn", ["arn:aws:sns:*:1:t"])

    assert not matcher.matches(one("aws:sourcearn", "arn:aws:sns:eu-west-1:1:t"))
    assert matcher.matches(one("aws:sourcearn", "arn:aws:sns:eu-west-1:2:t"))


# -- set qualifiers ------------------------------------------------------------

TAG_KEYS = ["environment", "cost-center"]


def tag_keys(*keys: str) -> Context:
    return {"aws:tagkeys": keys}


@pytest.mark.parametrize(
    ("request_keys", "expected"),
    [
        (("environment",), True),
        (("cost-center",), True),
        (("environment", "cost-center"), True),
        (("environment", "dept"), False),
    ],
)
def test_for_all_values_needs_every_request_value_in_the_policy(
    request_keys: tuple[str, ...], expected: bool
) -> None:
    """ForAllValues is true if every request value matches (Multivalued keys)."""
    matcher = compile_one("ForAllValues:StringEquals", "aws:TagKeys", TAG_KEYS)

    assert matcher.matches(tag_keys(*request_keys)) is expected


def test_for_all_values_is_true_when_the_key_is_missing() -> None:
    """ForAllValues returns true if there are no context keys (Multivalued keys)."""
    result = holds("ForAllValues:StringEquals", "aws:TagKeys", TAG_KEYS, {})

    assert result is True


def test_for_all_values_is_true_for_an_empty_value_set() -> None:
    """An empty data set makes ForAllValues true (Multivalued keys)."""
    result = holds("ForAllValues:StringEquals", "aws:TagKeys", TAG_KEYS, tag_keys())

    assert result is True


def test_null_false_stops_for_all_values_matching_a_missing_key() -> None:
    """Null 'false' makes a missing key no match (Multivalued keys)."""
    clauses = (
        ConditionClause("ForAllValues:StringEquals", "aws:TagKeys", tuple(TAG_KEYS)),
        ConditionClause("Null", "aws:TagKeys", ("false",)),
    )
    matcher = compile_condition(clauses, version=VERSION_2012)

    assert not matcher.matches({})
    assert matcher.matches(tag_keys("environment"))


@pytest.mark.parametrize(
    ("request_keys", "expected"),
    [
        (("environment",), True),
        (("environment", "dept"), True),
        (("dept",), False),
    ],
)
def test_for_any_value_needs_one_request_value_in_the_policy(
    request_keys: tuple[str, ...], expected: bool
) -> None:
    """ForAnyValue is true if any request value matches (Multivalued keys)."""
    matcher = compile_one("ForAnyValue:StringEquals", "aws:TagKeys", TAG_KEYS)

    assert matcher.matches(tag_keys(*request_keys)) is expected


def test_for_any_value_is_false_when_the_key_is_missing() -> None:
    """If the key does not exist, ForAnyValue returns false (Multivalued keys)."""
    result = holds("ForAnyValue:StringEquals", "aws:TagKeys", TAG_KEYS, {})

    assert result is False


def test_for_any_value_is_false_for_an_empty_value_set() -> None:
    """An empty data set makes ForAnyValue false (Multivalued keys)."""
    result = holds("ForAnyValue:StringEquals", "aws:TagKeys", TAG_KEYS, tag_keys())

    assert result is False


def test_for_any_value_if_exists_is_true_when_the_key_is_missing() -> None:
    """IfExists makes a missing key true under a qualifier too (Condition operators)."""
    result = holds("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", TAG_KEYS, {})

    assert result is True


def test_for_all_values_string_not_like_needs_every_value_outside_the_patterns() -> (
    None
):
    """ForAllValues:StringNotLike tests each value (Multivalued keys)."""
    matcher = compile_one("ForAllValues:StringNotLike", "aws:TagKeys", ["key1*"])

    assert matcher.matches(tag_keys("key2", "key3"))
    assert not matcher.matches(tag_keys("key2", "key1a"))


def test_for_any_value_string_not_equals_needs_one_value_outside_the_list() -> None:
    """ForAnyValue:StringNotEquals wants an unlisted value (Multivalued keys)."""
    matcher = compile_one("ForAnyValue:StringNotEquals", "aws:TagKeys", TAG_KEYS)

    assert matcher.matches(tag_keys("environment", "dept"))
    assert not matcher.matches(tag_keys("environment", "cost-center"))


def test_for_any_value_negated_is_false_when_the_key_is_missing() -> None:
    """ForAnyValue stays false for a missing key when negated (Multivalued keys)."""
    result = holds("ForAnyValue:StringNotEquals", "aws:TagKeys", TAG_KEYS, {})

    assert result is False


def test_for_all_values_string_like_matches_wildcards_per_value() -> None:
    """Set qualifiers apply StringLike to each value (Multivalued keys)."""
    matcher = compile_one(
        "ForAllValues:StringLike", "dynamodb:Attributes", ["Post*", "Message"]
    )

    assert matcher.matches({"dynamodb:attributes": ("PostDateTime", "Message")})
    assert not matcher.matches({"dynamodb:attributes": ("PostDateTime", "ID")})


def test_for_any_value_works_with_numeric_operators() -> None:
    """Qualifiers combine with any operator (Multivalued keys)."""
    matcher = compile_one("ForAnyValue:NumericGreaterThan", "svc:Sizes", ["100"])

    assert matcher.matches({"svc:sizes": ("5", "500")})
    assert not matcher.matches({"svc:sizes": ("5", "50")})


def test_bare_operator_does_not_match_a_key_with_several_values() -> None:
    """Pinned reading: several values need a set operator (Multivalued keys)."""
    result = holds(
        "StringEquals",
        "aws:CalledVia",
        ["athena.amazonaws.com"],
        {"aws:calledvia": ("athena.amazonaws.com", "glue.amazonaws.com")},
    )

    assert result is False


def test_bare_negated_operator_matches_a_key_with_several_values() -> None:
    """Pinned reading: the negated bare form is the complement (Multivalued keys)."""
    result = holds(
        "StringNotEquals",
        "aws:CalledVia",
        ["athena.amazonaws.com"],
        {"aws:calledvia": ("athena.amazonaws.com", "glue.amazonaws.com")},
    )

    assert result is True


def test_bare_operator_reads_a_single_value_tuple_as_that_value() -> None:
    """A key with one value is single-valued in the request (Multivalued keys)."""
    result = holds(
        "StringEquals",
        "aws:CalledVia",
        ["athena.amazonaws.com"],
        {"aws:calledvia": ("athena.amazonaws.com",)},
    )

    assert result is True


# -- combining clauses ---------------------------------------------------------


def test_several_keys_under_one_operator_must_all_match() -> None:
    """Context keys under one operator combine with AND (Multiple keys or values)."""
    clauses = (
        ConditionClause("StringEquals", "aws:PrincipalTag/department", ("finance",)),
        ConditionClause("StringEquals", "aws:PrincipalTag/role", ("audit",)),
    )
    matcher = compile_condition(clauses, version=VERSION_2012)
    ctx = {"aws:principaltag/department": ("finance",)}

    assert not matcher.matches(ctx)
    assert matcher.matches({**ctx, "aws:principaltag/role": ("audit",)})


def test_several_operators_must_all_match() -> None:
    """Condition operators combine with AND (Multiple keys or values)."""
    clauses = (
        ConditionClause("StringLike", "sns:endpoint", ("https://example.com/*",)),
        ConditionClause("StringEquals", "sns:Protocol", ("https",)),
    )
    matcher = compile_condition(clauses, version=VERSION_2012)
    ctx = {"sns:endpoint": ("https://example.com/a",), "sns:protocol": ("http",)}

    assert not matcher.matches(ctx)
    assert matcher.matches({**ctx, "sns:protocol": ("https",)})


def test_empty_condition_block_always_matches() -> None:
    """A statement without conditions is not restricted by them (Condition element)."""
    matcher = compile_condition((), version=VERSION_2012)

    assert matcher.matches({})


def test_condition_key_names_are_case_insensitive() -> None:
    """aws:SourceIP is equivalent to AWS:SourceIp (Condition element)."""
    result = holds(
        "IpAddress", "AWS:SourceIP", ["10.0.0.0/8"], one("aws:sourceip", "10.0.0.1")
    )

    assert result is True


def test_tag_key_part_of_a_condition_key_is_case_insensitive() -> None:
    """The whole key name, tag key included, ignores case (Condition element)."""
    result = holds(
        "StringEquals",
        "aws:PrincipalTag/Job-Category",
        ["admin"],
        one("aws:principaltag/job-category", "admin"),
    )

    assert result is True


def test_matcher_lists_the_lowercased_keys_it_reads() -> None:
    """Keys are reported lowercased, variable keys included (Variables and tags)."""
    clauses = (
        ConditionClause("StringLike", "S3:Prefix", ("home/${AWS:UserName}/*",)),
        ConditionClause("Null", "aws:TokenIssueTime", ("true",)),
    )

    matcher = compile_condition(clauses, version=VERSION_2012)

    assert matcher.keys == {"s3:prefix", "aws:username", "aws:tokenissuetime"}
    assert matcher.clauses == clauses


# -- policy variables in condition values --------------------------------------


def test_string_like_renders_a_variable_before_matching() -> None:
    """${aws:username} is replaced by the requester's name (Variables and tags)."""
    matcher = compile_one("StringLike", "s3:prefix", ["home/${aws:username}/*"])
    ctx = {"aws:username": ("bob",)}

    assert matcher.matches({**ctx, "s3:prefix": ("home/bob/notes",)})
    assert not matcher.matches({**ctx, "s3:prefix": ("home/alice/notes",)})


def test_substituted_value_is_literal_under_string_like() -> None:
    """A '*' in a user's name is not a wildcard (Variables and tags)."""
    matcher = compile_one("StringLike", "s3:prefix", ["${aws:username}"])
    ctx = {"aws:username": ("a*",)}

    assert matcher.matches({**ctx, "s3:prefix": ("a*",)})
    assert not matcher.matches({**ctx, "s3:prefix": ("abc",)})


def test_each_request_renders_its_own_variable_values() -> None:
    """Variables are replaced from the current request (Variables and tags)."""
    matcher = compile_one("StringLike", "s3:prefix", ["home/${aws:username}/*"])

    for user in ("bob", "eve", "bob"):
        ctx = {"aws:username": (user,), "s3:prefix": ("home/bob/x",)}
        assert matcher.matches(ctx) is (user == "bob")


@given(user=st.text(max_size=12), prefix=st.text(max_size=12))
def test_string_like_with_only_a_variable_is_exact_for_any_value(
    user: str, prefix: str
) -> None:
    """Substituted text, wildcards too, matches only itself (Variables and tags)."""
    matcher = compile_one("StringLike", "s3:prefix", ["${aws:username}"])
    ctx = {"aws:username": (user,), "s3:prefix": (prefix,)}

    assert matcher.matches(ctx) is (user == prefix)


def test_special_asterisk_variable_is_literal_under_string_like() -> None:
    """${*} stands for an asterisk, not a wildcard (Variables and tags)."""
    matcher = compile_one("StringLike", "s3:prefix", ["note${*}"])

    assert matcher.matches(one("s3:prefix", "note*"))
    assert not matcher.matches(one("s3:prefix", "notes"))


def test_string_equals_compares_with_a_variable_value() -> None:
    """Variables work in string comparisons (Variables and tags)."""
    matcher = compile_one("StringEquals", "aws:ResourceTag/owner", ["${aws:username}"])
    ctx = {"aws:username": ("bob",)}

    assert matcher.matches({**ctx, "aws:resourcetag/owner": ("bob",)})
    assert not matcher.matches({**ctx, "aws:resourcetag/owner": ("eve",)})


def test_variable_without_value_matches_nothing() -> None:
    """A variable with no value makes StringEquals not match (Variables and tags)."""
    result = holds(
        "StringEquals",
        "aws:ResourceTag/project",
        ["${aws:PrincipalTag/project}"],
        one("aws:resourcetag/project", "x"),
    )

    assert result is False


def test_negated_operator_matches_a_variable_without_value() -> None:
    """Inverted operators match against a null value (Variables and tags)."""
    result = holds(
        "StringNotEquals",
        "aws:ResourceTag/project",
        ["${aws:PrincipalTag/project}"],
        one("aws:resourcetag/project", "x"),
    )

    assert result is True


def test_unresolved_variable_leaves_other_values_in_play() -> None:
    """Values still OR together around a null one (Multiple keys or values)."""
    matcher = compile_one(
        "StringEquals",
        "aws:ResourceTag/project",
        ["${aws:PrincipalTag/project}", "shared"],
    )

    assert matcher.matches(one("aws:resourcetag/project", "shared"))


def test_variable_default_is_used_in_a_condition() -> None:
    """A default value stands in for a missing key (Variables and tags)."""
    matcher = compile_one(
        "StringEquals", "aws:ResourceTag/owner", ["${aws:username, 'anonymous'}"]
    )

    assert matcher.matches(one("aws:resourcetag/owner", "anonymous"))


def test_arn_like_renders_a_variable() -> None:
    """Policy variables may be used with ARN operators (Condition operators)."""
    matcher = compile_one(
        "ArnLike", "aws:SourceArn", ["arn:aws:iam::*:user/${aws:username}"]
    )
    ctx = {"aws:username": ("bob",)}

    assert matcher.matches({**ctx, "aws:sourcearn": ("arn:aws:iam::1:user/bob",)})
    assert not matcher.matches({**ctx, "aws:sourcearn": ("arn:aws:iam::1:user/eve",)})


def test_for_all_values_renders_variables_once_per_request() -> None:
    """Variables apply under set qualifiers too (Variables and tags)."""
    matcher = compile_one(
        "ForAllValues:StringEquals",
        "aws:TagKeys",
        ["${aws:PrincipalTag/allowed}", "env"],
    )
    ctx = {"aws:principaltag/allowed": ("team",), "aws:tagkeys": ("team", "env")}

    assert matcher.matches(ctx)


def test_variables_are_literal_text_in_version_2008() -> None:
    """Older versions treat ${aws:username} as literal (Variables and tags)."""
    matcher = compile_one(
        "StringEquals", "s3:prefix", ["${aws:username}"], VERSION_2008
    )

    assert matcher.matches(one("s3:prefix", "${aws:username}"))
    assert matcher.keys == {"s3:prefix"}


def test_malformed_variable_in_a_condition_is_located() -> None:
    """A broken ${ is reported at its clause (Variables and tags)."""
    with pytest.raises(PolicySyntaxError, match="malformed policy variable") as caught:
        compile_one("StringEquals", "aws:username", ["${aws:username"])

    assert caught.value.where == WHERE


# -- operator names ------------------------------------------------------------

DOCUMENTED_OPERATORS = [
    "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
    "NumericEquals", "NumericNotEquals", "NumericLessThan",
    "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
    "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
    "DateGreaterThan", "DateGreaterThanEquals", "Bool", "BinaryEquals",
    "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
    "ArnNotLike",
]  # fmt: skip


@pytest.mark.parametrize("base", DOCUMENTED_OPERATORS)
@pytest.mark.parametrize("prefix", ["", "ForAllValues:", "ForAnyValue:"])
@pytest.mark.parametrize("suffix", ["", "IfExists"])
def test_every_documented_operator_form_is_accepted(
    base: str, prefix: str, suffix: str
) -> None:
    """Each operator takes IfExists and the set qualifiers (Condition operators)."""
    check_operator(prefix + base + suffix)


def test_null_alone_is_accepted() -> None:
    """Null is a condition operator of its own (Condition operators)."""
    check_operator("Null")


def test_unknown_operator_suggests_the_closest_name() -> None:
    """An unknown operator is refused with a likely fix (Condition operators)."""
    with pytest.raises(PolicySyntaxError) as caught:
        check_operator("StringEqualsIgnorCase", where="Statement[2].Condition")

    assert caught.value.message == "unknown condition operator 'StringEqualsIgnorCase'"
    assert caught.value.hint == "did you mean 'StringEqualsIgnoreCase'?"
    assert caught.value.where == "Statement[2].Condition"


def test_operator_names_are_case_sensitive() -> None:
    """Operator names must be spelled as documented (Condition operators)."""
    with pytest.raises(PolicySyntaxError) as caught:
        check_operator("stringequals")

    assert caught.value.hint == "did you mean 'StringEquals'?"


def test_misspelled_qualifier_suggests_the_documented_one() -> None:
    """The qualifiers are ForAllValues and ForAnyValue (Multivalued keys)."""
    with pytest.raises(PolicySyntaxError) as caught:
        check_operator("ForAllValue:StringLike")

    assert caught.value.hint == "did you mean 'ForAllValues:StringLike'?"


def test_operator_with_no_close_match_points_to_the_operator_list() -> None:
    """Unrecognisable names get a pointer to the reference (Condition operators)."""
    with pytest.raises(PolicySyntaxError) as caught:
        check_operator("Xyzzy")

    assert "Condition operators" in caught.value.hint


def test_if_exists_alone_is_not_an_operator() -> None:
    """IfExists is a suffix, not an operator (Condition operators)."""
    with pytest.raises(PolicySyntaxError, match="unknown condition operator"):
        check_operator("IfExists")


def test_compiling_an_unknown_operator_reports_the_clause_place() -> None:
    """Errors name the clause they come from (Condition operators)."""
    with pytest.raises(PolicySyntaxError) as caught:
        compile_one("StringEqual", "aws:username", ["bob"])

    assert caught.value.where == WHERE
    assert str(caught.value).startswith(f"{WHERE}: unknown condition operator")


def test_bad_value_error_is_one_lowercase_line_quoting_the_input() -> None:
    """Errors quote the offending value and key (Condition operators)."""
    with pytest.raises(PolicySyntaxError) as caught:
        compile_one("NumericLessThan", "s3:max-keys", ["ten"])

    assert caught.value.message == (
        "condition value 'ten' for key 's3:max-keys' under 'NumericLessThan' "
        "is not a number such as '10' or '2.5'"
    )


# -- properties ----------------------------------------------------------------

_TEXT = st.text(max_size=12)


@given(policy=st.lists(_TEXT, min_size=1, max_size=4), value=_TEXT)
def test_string_equals_agrees_with_membership(policy: list[str], value: str) -> None:
    """StringEquals is exact matching against any listed value (Condition operators)."""
    result = holds("StringEquals", "k:k", policy, one("k:k", value))

    assert result == (value in policy)


@given(policy=st.lists(_TEXT, min_size=1, max_size=4), value=_TEXT)
def test_negated_operator_is_the_complement_for_a_present_value(
    policy: list[str], value: str
) -> None:
    """StringNotLike is the negation of StringLike (Condition operators)."""
    ctx = one("k:k", value)

    positive = holds("StringLike", "k:k", policy, ctx)
    negative = holds("StringNotLike", "k:k", policy, ctx)

    assert positive != negative


@given(policy=st.lists(_TEXT, min_size=1, max_size=3), value=_TEXT)
def test_if_exists_equals_the_base_operator_when_the_key_is_present(
    policy: list[str], value: str
) -> None:
    """IfExists only changes the missing-key case (Condition operators)."""
    ctx = one("k:k", value)

    assert holds("StringLikeIfExists", "k:k", policy, ctx) == holds(
        "StringLike", "k:k", policy, ctx
    )


@given(
    policy=st.lists(_TEXT, min_size=1, max_size=3),
    values=st.lists(_TEXT, min_size=1, max_size=4),
)
def test_set_qualifiers_quantify_the_single_value_test(
    policy: list[str], values: list[str]
) -> None:
    """ForAllValues is 'every', ForAnyValue is 'some' (Multivalued keys)."""
    each = [holds("StringLike", "k:k", policy, one("k:k", v)) for v in values]
    ctx = one("k:k", *values)

    assert holds("ForAllValues:StringLike", "k:k", policy, ctx) == all(each)
    assert holds("ForAnyValue:StringLike", "k:k", policy, ctx) == any(each)


@given(
    bound=st.integers(-(10**9), 10**9),
    value=st.integers(-(10**9), 10**9),
)
def test_numeric_less_than_agrees_with_integer_order(bound: int, value: int) -> None:
    """NumericLessThan is 'less than' matching (Condition operators)."""
    result = holds("NumericLessThan", "k:k", [str(bound)], one("k:k", str(value)))

    assert result == (value < bound)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)))
def test_iso_and_epoch_forms_of_one_instant_are_equal(moment: datetime) -> None:
    """ISO 8601 and epoch time denote the same instants (Condition operators)."""
    instant = moment.replace(microsecond=0, tzinfo=UTC)
    epoch = str(int(instant.timestamp()))
    iso = instant.strftime("%Y-%m-%dT%H:%M:%SZ")

    assert holds("DateEquals", "aws:CurrentTime", [iso], one("aws:currenttime", epoch))


@given(
    network=st.ip_addresses(v=4).flatmap(
        lambda a: st.integers(0, 32).map(
            lambda p: ipaddress.ip_network(f"{a}/{p}", False)
        )
    ),
    address=st.ip_addresses(v=4),
)
def test_ip_address_agrees_with_network_membership(
    network: ipaddress.IPv4Network, address: ipaddress.IPv4Address
) -> None:
    """IpAddress matches exactly the addresses in the range (Condition operators)."""
    result = holds(
        "IpAddress", "aws:SourceIp", [str(network)], one("aws:sourceip", str(address))
    )

    assert result == (address in network)


@given(value=_TEXT, other=_TEXT)
def test_bare_operator_never_matches_two_request_values(value: str, other: str) -> None:
    """Pinned reading: a bare operator needs one request value (Multivalued keys)."""
    result = holds("StringLike", "k:k", ["*"], one("k:k", value, other))

    assert result is False
