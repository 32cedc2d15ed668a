"""Policy variables: parsing ``${...}`` and rendering it against a request context.

Docstrings name the IAM User Guide page each rule comes from:

- (Variables and tags): "IAM policy elements: Variables and tags",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
- (Multivalued context keys): "Single-valued vs. multivalued context keys",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iamsim.errors import PolicySyntaxError
from iamsim.policy.model import VERSION_2008, VERSION_2012, Context
from iamsim.policy.variables import EMPTY_CONTEXT, compile_template
from iamsim.policy.wildcard import LITERAL_MARK, compile_glob, quote_glob

BOB: Context = {"aws:username": ("bob",)}


def render(text: str, ctx: Context = EMPTY_CONTEXT, **kwargs: object) -> str | None:
    template = compile_template(text, version=VERSION_2012)
    return template.render(ctx, **kwargs)  # type: ignore[arg-type]


# -- substitution ---------------------------------------------------------------


def test_variable_is_replaced_by_the_context_value() -> None:
    """${aws:username} becomes the requester's user name (Variables and tags)."""
    rendered = render("home/${aws:username}/", BOB)

    assert rendered == "home/bob/"


def test_variable_key_name_is_case_insensitive() -> None:
    """Key names are case-insensitive in variables (Variables and tags)."""
    rendered = render("${AWS:UserName}", BOB)

    assert rendered == "bob"


def test_tag_key_part_of_a_variable_is_case_insensitive() -> None:
    """${aws:PrincipalTag/Team} reads the lowercased tag key (Variables and tags)."""
    ctx = {"aws:principaltag/team": ("blue",)}

    rendered = render("${aws:PrincipalTag/Team}", ctx)

    assert rendered == "blue"


def test_service_specific_key_can_be_a_variable() -> None:
    """Service keys such as s3:prefix are usable as variables (Variables and tags)."""
    rendered = render("${s3:prefix}x", {"s3:prefix": ("logs/",)})

    assert rendered == "logs/x"


def test_several_variables_render_in_one_string() -> None:
    """Each variable in a string is replaced in place (Variables and tags)."""
    ctx = {"aws:username": ("bob",), "aws:principaltag/team": ("blue",)}

    rendered = render("${aws:PrincipalTag/team}/${aws:username}/*", ctx)

    assert rendered == "blue/bob/*"


def test_text_around_variables_is_kept() -> None:
    """Only the ${...} span is replaced (Variables and tags)."""
    rendered = render("a${aws:username}b${aws:username}c", BOB)

    assert rendered == "abobbbobc"


def test_dollar_without_brace_is_plain_text() -> None:
    """A '$' that does not open '${' is literal text (Variables and tags)."""
    rendered = render("cost$5 and $x", BOB)

    assert rendered == "cost$5 and $x"


# -- no value ---------------------------------------------------------------------


def test_variable_with_missing_key_has_no_value() -> None:
    """A key absent from the request leaves no value (Variables and tags)."""
    rendered = render("home/${aws:username}/", EMPTY_CONTEXT)

    assert rendered is None


def test_variable_with_empty_value_set_has_no_value() -> None:
    """A key present with no values acts as missing (Variables and tags)."""
    rendered = render("${aws:username}", {"aws:username": ()})

    assert rendered is None


def test_multivalued_key_as_variable_has_no_value() -> None:
    """Pinned reading: a multivalued key never resolves (Multivalued context keys)."""
    ctx = {"aws:tagkeys": ("a", "b")}

    rendered = render("${aws:TagKeys}", ctx)

    assert rendered is None


def test_multivalued_key_as_variable_falls_back_to_its_default() -> None:
    """Pinned reading: a multivalued key takes the default (Variables and tags)."""
    ctx = {"aws:tagkeys": ("a", "b")}

    rendered = render("${aws:TagKeys, 'none'}", ctx)

    assert rendered == "none"


# -- defaults ---------------------------------------------------------------------


def test_default_is_used_when_key_is_missing() -> None:
    """${key, 'default'} renders the default for a missing key (Variables and tags)."""
    rendered = render("${aws:userid, 'anonymous'}")

    assert rendered == "anonymous"


def test_default_is_ignored_when_key_has_a_value() -> None:
    """A default applies only when the key has no value (Variables and tags)."""
    rendered = render("${aws:username, 'nobody'}", BOB)

    assert rendered == "bob"


@pytest.mark.parametrize(
    "text", ["${aws:userid,'x'}", "${aws:userid , 'x'}", "${ aws:userid, 'x' }"]
)
def test_default_tolerates_spaces_around_the_comma(text: str) -> None:
    """Spaces around the comma and braces are allowed (Variables and tags)."""
    rendered = render(text)

    assert rendered == "x"


def test_default_may_be_empty() -> None:
    """An empty quoted default renders as empty text (Variables and tags)."""
    rendered = render("a${aws:userid, ''}b")

    assert rendered == "ab"


def test_default_keeps_its_case_and_spaces() -> None:
    """A default's text is used exactly as written (Variables and tags)."""
    rendered = render("${aws:userid, 'No One'}")

    assert rendered == "No One"


def test_default_is_quoted_like_a_substituted_value() -> None:
    """Pinned reading: a default is literal like a value (Variables and tags)."""
    rendered = render("${aws:userid, 'a*'}", quote=quote_glob)

    assert rendered == "a" + LITERAL_MARK + "*"


# -- special characters -------------------------------------------------------


@pytest.mark.parametrize("char", ["*", "?", "$"])
def test_special_variable_renders_its_character(char: str) -> None:
    """${*}, ${?} and ${$} stand for the literal character (Variables and tags)."""
    rendered = render("a${" + char + "}b")

    assert rendered == f"a{char}b"


def test_special_asterisk_is_marked_literal_for_globs() -> None:
    """${*} is an asterisk, not a wildcard, in a glob (Variables and tags)."""
    rendered = render("a${*}", quote=quote_glob)

    assert rendered == "a" + LITERAL_MARK + "*"


def test_special_asterisk_matches_only_an_asterisk() -> None:
    """A glob built with ${*} matches a literal '*' only (Variables and tags)."""
    pattern = render("file${*}", quote=quote_glob)
    assert pattern is not None

    matcher = compile_glob(pattern)

    assert matcher("file*") and not matcher("file1")


def test_policy_wildcards_are_not_quoted() -> None:
    """The policy's own '*' stays a wildcard (Variables and tags)."""
    rendered = render("${aws:username}/*", BOB, quote=quote_glob)

    assert rendered == "bob/*"


def test_substituted_wildcard_characters_are_quoted() -> None:
    """A substituted '*' is matched literally (Variables and tags)."""
    ctx = {"aws:username": ("a*",)}

    rendered = render("${aws:username}", ctx, quote=quote_glob)

    assert rendered == "a" + LITERAL_MARK + "*"


# -- template shape -------------------------------------------------------------


def test_plain_text_is_literal() -> None:
    """A string with no ${...} is literal and reads no keys (Variables and tags)."""
    template = compile_template("arn:aws:s3:::bucket/*", version=VERSION_2012)

    assert template.is_literal and template.keys == frozenset()


def test_template_lists_the_lowercased_keys_it_reads() -> None:
    """Variables expose the context keys they need (Variables and tags)."""
    template = compile_template(
        "${AWS:username}/${aws:PrincipalTag/Team, 'x'}", version=VERSION_2012
    )

    assert template.keys == {"aws:username", "aws:principaltag/team"}


def test_special_characters_are_variables_that_read_no_keys() -> None:
    """${*} is a predefined variable reading no key (Variables and tags)."""
    template = compile_template("a${*}", version=VERSION_2012)

    assert not template.is_literal and template.keys == frozenset()


@pytest.mark.parametrize("version", [VERSION_2008, ""])
def test_variables_are_literal_text_before_version_2012(version: str) -> None:
    """Without Version 2012-10-17, ${aws:username} is literal (Variables and tags)."""
    template = compile_template("home/${aws:username}", version=version)

    assert template.is_literal
    assert template.render(BOB) == "home/${aws:username}"


def test_malformed_variables_are_literal_before_version_2012() -> None:
    """Old-version text is not parsed, so a lone '${' is fine (Variables and tags)."""
    template = compile_template("price ${", version=VERSION_2008)

    assert template.render(EMPTY_CONTEXT) == "price ${"


# -- malformed variables ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "${aws:username",
        "${}",
        "${ }",
        "${aws:userid, 'x}",
        "${aws:userid, x}",
        "${aws:userid, 'x' y}",
        "${a${b}}",
        "${ * }",
        "end ${",
    ],
)
def test_malformed_variable_is_a_syntax_error(text: str) -> None:
    """A '${' that does not form a variable is rejected (Variables and tags)."""
    with pytest.raises(PolicySyntaxError, match="malformed policy variable"):
        compile_template(text, version=VERSION_2012)


def test_malformed_variable_error_names_its_place_and_a_fix() -> None:
    """The error carries the caller's location and a hint (Variables and tags)."""
    with pytest.raises(PolicySyntaxError) as caught:
        compile_template("${x", version=VERSION_2012, where="Statement[0].Resource")

    assert caught.value.where == "Statement[0].Resource"
    assert "${key, 'default'}" in caught.value.hint
    assert "'${x'" in caught.value.message


# -- properties -------------------------------------------------------------------

_PLAIN = st.text(alphabet=st.characters(blacklist_characters="$"), max_size=30)


@given(_PLAIN)
def test_text_without_dollar_renders_to_itself(text: str) -> None:
    """Text with no variables means itself (Variables and tags)."""
    assert render(text) == text


@given(prefix=_PLAIN, value=st.text(max_size=20), suffix=_PLAIN)
def test_rendering_splices_the_value_between_the_surrounding_text(
    prefix: str, value: str, suffix: str
) -> None:
    """The variable's value replaces exactly the ${...} span (Variables and tags)."""
    ctx = {"aws:username": (value,)}

    rendered = render(prefix + "${aws:username}" + suffix, ctx)

    assert rendered == prefix + value + suffix


_VALUES = st.text(
    alphabet=st.characters(blacklist_characters=LITERAL_MARK), max_size=20
)


@given(value=_VALUES, other=_VALUES)
def test_quoted_substitution_matches_only_the_value(value: str, other: str) -> None:
    """A substituted value never acts as a wildcard (Variables and tags)."""
    pattern = render("${aws:username}", {"aws:username": (value,)}, quote=quote_glob)
    assert pattern is not None

    matcher = compile_glob(pattern)

    assert matcher(value)
    assert matcher(other) == (other == value)
