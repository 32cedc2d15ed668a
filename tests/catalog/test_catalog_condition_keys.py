"""Condition key lookups: global keys, service keys, templates and suggestions."""

from __future__ import annotations

import pytest

from iamsim.catalog import GLOBAL_CONDITION_KEYS, Catalog, default_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


@pytest.mark.parametrize("key", ["aws:SourceIp", "AWS:sourceip", "aws:SOURCEIP"])
def test_global_key_is_known_in_any_casing(catalog: Catalog, key: str) -> None:
    """Condition key names are case-insensitive."""
    assert catalog.is_known_condition_key(key)
    assert catalog.is_global_condition_key(key)


@pytest.mark.parametrize(
    ("key", "template"),
    [
        ("aws:PrincipalTag/team", "aws:PrincipalTag/${TagKey}"),
        ("aws:RequestTag/cost-center", "aws:RequestTag/${TagKey}"),
        ("aws:resourcetag/Owner", "aws:ResourceTag/${TagKey}"),
        ("s3:ExistingObjectTag/classification", "s3:ExistingObjectTag/<key>"),
        ("S3:existingobjecttag/x", "s3:ExistingObjectTag/<key>"),
    ],
)
def test_tag_key_matches_its_template(
    catalog: Catalog, key: str, template: str
) -> None:
    """A key naming a tag resolves to the reference's template for it."""
    found = catalog.condition_key(key)

    assert found is not None
    assert found.name == template


def test_tag_template_needs_a_tag_name(catalog: Catalog) -> None:
    """aws:PrincipalTag/ with nothing after the slash names no tag."""
    assert not catalog.is_known_condition_key("aws:PrincipalTag/")


@pytest.mark.parametrize(
    "key", ["aws:Bogus", "s3:Bogus", "nosuchservice:Key", "SourceIp", ""]
)
def test_unknown_key_is_not_known(catalog: Catalog, key: str) -> None:
    """Keys neither global nor defined by a service are unknown, not errors."""
    assert not catalog.is_known_condition_key(key)
    assert catalog.condition_key(key) is None


def test_service_key_carries_its_type_and_description(catalog: Catalog) -> None:
    """iam:PassedToService is a String key described by the dataset."""
    found = catalog.condition_key("iam:passedtoservice")

    assert found is not None
    assert (found.name, found.value_type, found.is_global) == (
        "iam:PassedToService",
        "String",
        False,
    )
    assert found.description


@pytest.mark.parametrize(
    ("key", "value_type"),
    [
        ("aws:SourceIp", "IPAddress"),
        ("aws:MultiFactorAuthPresent", "Bool"),
        ("aws:PrincipalOrgPaths", "ArrayOfString"),
        ("aws:CurrentTime", "Date"),
        ("aws:PrincipalArn", "ARN"),
    ],
)
def test_global_key_has_its_documented_type(
    catalog: Catalog, key: str, value_type: str
) -> None:
    """Global keys carry the data type the IAM User Guide gives them."""
    found = catalog.condition_key(key)

    assert found is not None
    assert found.value_type == value_type
    assert found.is_global


def test_cross_service_session_key_counts_as_global(catalog: Catalog) -> None:
    """ec2:SourceInstanceArn travels with an EC2 role session into any service."""
    assert catalog.is_global_condition_key("ec2:SourceInstanceARN")


def test_saml_key_is_known_through_sts(catalog: Catalog) -> None:
    """saml:aud has no service of its own; the sts data defines it."""
    assert catalog.is_known_condition_key("saml:aud")


def test_provider_key_with_a_path_matches_its_template(catalog: Catalog) -> None:
    """A GitHub key with an enterprise sub-path resolves to its template."""
    found = catalog.condition_key(
        "token.actions.githubusercontent.com/octo-org:repository"
    )

    assert found is not None
    assert found.name == "token.actions.githubusercontent.com/${SubPath}:repository"


@pytest.mark.parametrize(
    "key",
    [
        "token.actions.githubusercontent.com:sub",
        "token.actions.githubusercontent.com:aud",
        "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub",
    ],
)
def test_any_oidc_provider_exposes_its_standard_claims(
    catalog: Catalog, key: str
) -> None:
    """Every OIDC provider's sub and aud claims can be conditioned on."""
    assert catalog.is_known_condition_key(key)


def test_oidc_claim_needs_a_provider_url(catalog: Catalog) -> None:
    """sub after a prefix that is not a URL is no OIDC key."""
    assert not catalog.is_known_condition_key("example:sub")


def test_global_keys_are_listed_once_each() -> None:
    """The global key list has no duplicates, ignoring case."""
    names = [key.name.lower() for key in GLOBAL_CONDITION_KEYS]

    assert len(names) == len(set(names))


def test_pass_role_supports_passed_to_service(catalog: Catalog) -> None:
    """iam:PassedToService can constrain iam:PassRole."""
    assert catalog.action_supports_condition_key("iam:PassRole", "iam:PassedToService")


def test_action_does_not_support_another_services_key(catalog: Catalog) -> None:
    """s3:prefix cannot constrain iam:PassRole."""
    assert not catalog.action_supports_condition_key("iam:PassRole", "s3:prefix")


def test_every_action_supports_global_keys(catalog: Catalog) -> None:
    """A global key such as aws:SourceIp applies to any action."""
    assert catalog.action_supports_condition_key("s3:GetObject", "aws:SourceIp")


def test_tag_keys_apply_only_where_the_reference_lists_them(catalog: Catalog) -> None:
    """aws:RequestTag applies to iam:TagRole but not to s3:ListAllMyBuckets."""
    assert catalog.action_supports_condition_key("iam:TagRole", "aws:RequestTag/team")
    assert not catalog.action_supports_condition_key(
        "s3:ListAllMyBuckets", "aws:RequestTag/team"
    )


def test_unknown_action_supports_no_key(catalog: Catalog) -> None:
    """An action that does not exist supports no condition key."""
    assert not catalog.action_supports_condition_key("s3:Nope", "aws:SourceIp")


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("aws:SorceIp", "aws:SourceIp"),
        ("iam:PassedToServic", "iam:PassedToService"),
        ("aws:PrincipleTag/team", "aws:PrincipalTag/team"),
        ("s3:ExistingObjTag/level", "s3:ExistingObjectTag/level"),
        ("awss:SourceIp", "aws:SourceIp"),
    ],
)
def test_typo_in_condition_key_suggests_the_key(
    catalog: Catalog, typo: str, expected: str
) -> None:
    """A misspelt key gets the close match; a tag-style key keeps its tag."""
    assert catalog.suggest_condition_key(typo) == expected


@pytest.mark.parametrize("key", ["zz:qq", "aws:Zqxjvkwpl", "nocolon"])
def test_far_key_gets_no_suggestion(catalog: Catalog, key: str) -> None:
    """Nothing is suggested when no known key is close."""
    assert catalog.suggest_condition_key(key) is None
