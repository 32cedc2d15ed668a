"""Action lookups against the installed Service Authorization Reference data."""

from __future__ import annotations

import pytest

from iamsim.catalog import AccessLevel, Catalog, default_catalog
from iamsim.errors import NoSuchEntity


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


def test_get_object_exists_and_is_read(catalog: Catalog) -> None:
    """s3:GetObject is a Read action."""
    assert catalog.has_action("s3:GetObject")

    assert catalog.access_level("s3:GetObject") is AccessLevel.READ


def test_action_lookup_ignores_case(catalog: Catalog) -> None:
    """IAM matches service prefixes and action names case-insensitively."""
    assert catalog.has_action("S3:getobject")


def test_canonical_action_restores_reference_casing(catalog: Catalog) -> None:
    """Any casing of a known action maps back to the reference's spelling."""
    assert catalog.canonical_action("IAM:passrole") == "iam:PassRole"


@pytest.mark.parametrize(
    "name",
    ["s3:GetObjekt", "nosuchservice:GetObject", "GetObject", "s3:", "s3:Get*"],
)
def test_unknown_action_is_absent_not_an_error(catalog: Catalog, name: str) -> None:
    """Lookups of a name that is no action answer None or False."""
    assert not catalog.has_action(name)
    assert catalog.find_action(name) is None
    assert catalog.canonical_action(name) is None
    assert catalog.access_level(name) is None
    assert catalog.resource_types(name) is None
    assert catalog.condition_keys(name) is None


def test_require_action_raises_no_such_entity_with_a_hint(catalog: Catalog) -> None:
    """Insisting on an unknown action raises, suggesting the close match."""
    with pytest.raises(NoSuchEntity) as raised:
        catalog.require_action("s3:GetObjekt")

    assert raised.value.message == "unknown action 's3:GetObjekt'"
    assert raised.value.hint == "did you mean 's3:GetObject'?"


def test_require_action_returns_the_action(catalog: Catalog) -> None:
    """A known action is returned with its service and canonical name."""
    action = catalog.require_action("s3:getobject")

    assert (action.service, action.name, action.full_name) == (
        "s3",
        "GetObject",
        "s3:GetObject",
    )


def test_permissions_management_action_is_not_reported_as_write(
    catalog: Catalog,
) -> None:
    """The dataset's "Permissions management, Write" reads as the specific level."""
    assert catalog.access_level("iam:PutRolePolicy") is (
        AccessLevel.PERMISSIONS_MANAGEMENT
    )


def test_tagging_action_is_not_reported_as_write(catalog: Catalog) -> None:
    """The dataset's "Tagging, Write" reads as the specific level."""
    assert catalog.access_level("s3:PutObjectTagging") is AccessLevel.TAGGING


def test_list_buckets_is_a_list_action(catalog: Catalog) -> None:
    """s3:ListBucket is a List action."""
    assert catalog.access_level("s3:ListBucket") is AccessLevel.LIST


def test_pass_role_has_condition_key_passed_to_service(catalog: Catalog) -> None:
    """iam:PassRole lists iam:PassedToService among its condition keys."""
    keys = catalog.condition_keys("iam:PassRole")

    assert keys is not None
    assert "iam:PassedToService" in keys


def test_action_condition_keys_include_their_resource_types_keys(
    catalog: Catalog,
) -> None:
    """Keys of the action's resource types (here the role's tags) are included."""
    keys = catalog.condition_keys("iam:PassRole")

    assert keys is not None
    assert "iam:ResourceTag/${TagKey}" in keys


def test_pass_role_requires_a_role_resource(catalog: Catalog) -> None:
    """iam:PassRole works on exactly one resource type, role, and requires it."""
    resources = catalog.resource_types("iam:PassRole")

    assert resources is not None
    assert [(r.name, r.required) for r in resources] == [("role", True)]
    assert resources[0].arn_format == (
        "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
    )


def test_get_object_resources_carry_their_arn_formats(catalog: Catalog) -> None:
    """Each resource type of an action comes with its ARN format."""
    resources = catalog.resource_types("s3:GetObject")

    assert resources is not None
    formats = {resource.name: resource.arn_format for resource in resources}
    assert formats["object"] == "arn:${Partition}:s3:::${BucketName}/${ObjectName}"


def test_action_without_resource_types_has_none(catalog: Catalog) -> None:
    """s3:ListAllMyBuckets supports no resource type, only "Resource": "*"."""
    assert catalog.resource_types("s3:ListAllMyBuckets") == ()


def test_get_star_expands_to_the_s3_get_actions(catalog: Catalog) -> None:
    """s3:Get* covers every s3 action starting with Get and nothing else."""
    matched = catalog.actions_matching("s3:Get*")

    assert "s3:GetObject" in matched
    assert "s3:PutObject" not in matched
    assert all(name.startswith("s3:Get") for name in matched)


def test_action_glob_ignores_case(catalog: Catalog) -> None:
    """Action patterns match case-insensitively, as IAM matches actions."""
    assert catalog.actions_matching("S3:get*") == catalog.actions_matching("s3:Get*")


def test_question_mark_matches_exactly_one_character(catalog: Catalog) -> None:
    """? stands for one character, so iam:?etRole is iam:GetRole alone."""
    assert catalog.actions_matching("iam:?etRole") == ["iam:GetRole"]


def test_glob_in_service_part_spans_services(catalog: Catalog) -> None:
    """s3*:GetObject covers GetObject of every service whose prefix starts s3."""
    matched = catalog.actions_matching("s3*:GetObject")

    assert "s3:GetObject" in matched
    assert "s3-object-lambda:GetObject" in matched


def test_literal_pattern_matches_only_itself(catalog: Catalog) -> None:
    """A pattern without wildcards names one action, in canonical casing."""
    assert catalog.actions_matching("s3:getobject") == ["s3:GetObject"]


def test_glob_with_unknown_service_matches_nothing(catalog: Catalog) -> None:
    """A pattern naming no known service covers no action."""
    assert catalog.actions_matching("nosuchservice:*") == []


def test_star_covers_every_action(catalog: Catalog) -> None:
    """The bare * covers the actions of every service."""
    matched = catalog.actions_matching("*")

    assert "s3:GetObject" in matched
    assert "iam:PassRole" in matched
    assert len(matched) > 10_000


def test_typo_in_action_name_suggests_the_action(catalog: Catalog) -> None:
    """A misspelt action name gets the close match from the same service."""
    assert catalog.suggest_action("s3:GetObjekt") == "s3:GetObject"


@pytest.mark.parametrize(
    ("typo", "expected"),
    [("s4:GetObject", "s3:GetObject"), ("iamm:PassRole", "iam:PassRole")],
)
def test_typo_in_service_prefix_suggests_the_action(
    catalog: Catalog, typo: str, expected: str
) -> None:
    """A misspelt service prefix is corrected along with the action."""
    assert catalog.suggest_action(typo) == expected


def test_known_action_suggests_its_canonical_spelling(catalog: Catalog) -> None:
    """Suggesting for a known action gives the reference's spelling."""
    assert catalog.suggest_action("ec2:runinstances") == "ec2:RunInstances"


@pytest.mark.parametrize("name", ["s3:Zqxjvkw", "GetObject", "s3:Get*"])
def test_far_or_malformed_name_gets_no_suggestion(catalog: Catalog, name: str) -> None:
    """Nothing is suggested when no action is close or the name is no action."""
    assert catalog.suggest_action(name) is None


def test_service_lookup_ignores_case(catalog: Catalog) -> None:
    """Service prefixes are known in any casing and have a full name."""
    assert catalog.has_service("S3")
    assert catalog.service_name("s3") == "Amazon S3"


def test_unknown_service_is_absent(catalog: Catalog) -> None:
    """An unknown prefix is no service and has no actions."""
    assert not catalog.has_service("nosuchservice")
    assert catalog.service_name("nosuchservice") is None
    assert catalog.actions_of("nosuchservice") == []


def test_typo_in_service_prefix_suggests_the_service(catalog: Catalog) -> None:
    """A one-letter slip in a short prefix still finds the service."""
    assert catalog.suggest_service("s4") == "s3"


def test_services_are_sorted_prefixes(catalog: Catalog) -> None:
    """services() lists lower-case prefixes in alphabetical order."""
    services = catalog.services()

    assert "iam" in services
    assert list(services) == sorted(services)
