"""Wildcards and ARNs as IAM matches them.

"IAM JSON policy elements: Resource" and the ARN operators of "IAM JSON policy
elements: Condition operators" (IAM User Guide,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
say that ``*`` and ``?`` work within each colon-delimited part of an ARN and
that resource matching is case-sensitive.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim.errors import PolicySyntaxError
from iamsim.policy.arn import matches_arn, parse_arn
from iamsim.policy.wildcard import matches_glob, quote_glob

TEXT = st.text(alphabet=string.ascii_letters + string.digits + "/-_.", max_size=20)


def test_star_matches_any_run_including_slashes() -> None:
    """``*`` in an S3 object ARN spans nested key prefixes."""
    assert matches_arn("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt")


def test_question_mark_matches_exactly_one_character() -> None:
    """``?`` stands for a single character."""
    assert matches_arn("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-1")
    assert not matches_arn("arn:aws:s3:::bucket-?", "arn:aws:s3:::bucket-12")


def test_wildcard_does_not_cross_arn_components() -> None:
    """Each of the six ARN components is matched on its own."""
    assert not matches_arn("arn:aws:iam::*:role/x", "arn:aws:iam::1:2:role/x")
    assert matches_arn("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a/b")


def test_resource_matching_is_case_sensitive() -> None:
    """ARN matching distinguishes case."""
    assert not matches_arn("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x")


def test_resource_part_may_contain_colons() -> None:
    """The resource component is everything after the fifth colon."""
    arn = parse_arn("arn:aws:logs:us-east-1:111122223333:log-group:app:*")

    assert arn.resource == "log-group:app:*"
    assert arn.resource_type == "log-group"


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
def test_arns_of_every_partition_parse(partition: str) -> None:
    """ARNs exist in the commercial, China and GovCloud partitions."""
    arn = parse_arn(f"arn:{partition}:iam::111122223333:user/alice")

    assert arn.partition == partition
    assert arn.account == "111122223333"


def test_text_that_is_not_an_arn_is_refused() -> None:
    """An ARN has six colon-separated components."""
    with pytest.raises(PolicySyntaxError, match="is not an ARN"):
        parse_arn("arn:aws:s3")


def test_quoted_wildcards_match_only_themselves() -> None:
    """A value substituted for ``${*}`` is a literal asterisk, not a wildcard."""
    assert matches_glob(quote_glob("a*"), "a*")
    assert not matches_glob(quote_glob("a*"), "abc")


@given(TEXT)
def test_every_text_matches_itself(text: str) -> None:
    """A pattern without wildcards matches exactly its own text."""
    assert matches_glob(text, text)
    assert matches_arn(f"arn:aws:s3:::{text}", f"arn:aws:s3:::{text}")


@given(TEXT, TEXT)
def test_prefix_star_matches_every_extension(prefix: str, rest: str) -> None:
    """``prefix*`` matches the prefix followed by anything."""
    assert matches_glob(prefix + "*", prefix + rest)


@given(TEXT)
def test_glob_ignoring_case_matches_other_casing(text: str) -> None:
    """Action names match regardless of case ("IAM JSON policy elements: Action")."""
    assert matches_glob(text.upper() + "*", text.lower(), ignore_case=True)
