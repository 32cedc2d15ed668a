"""Resource types: ARN formats and recognising an ARN's resource type."""

from __future__ import annotations

import pytest

from iamsim.catalog import Catalog, default_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


@pytest.mark.parametrize(
    ("service", "arn", "resource_type"),
    [
        ("s3", "arn:aws:s3:::amzn-s3-demo-bucket", "bucket"),
        ("s3", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv", "object"),
        ("s3", "arn:aws:s3:::amzn-s3-demo-bucket/2024/06/report.csv", "object"),
        ("s3", "arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "accesspoint"),
        (
            "s3",
            "arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/a/b",
            "accesspointobject",
        ),
        ("iam", "arn:aws:iam::111122223333:role/deploy", "role"),
        ("iam", "arn:aws:iam::111122223333:role/service/ci/deploy", "role"),
        ("iam", "arn:aws:iam::111122223333:user/alice", "user"),
        ("ec2", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc", "instance"),
        ("dynamodb", "arn:aws:dynamodb:us-east-1:1:table/t/index/by-day", "index"),
        ("S3", "arn:aws-cn:s3:::bucket", "bucket"),
    ],
)
def test_arn_resolves_to_its_resource_type(
    catalog: Catalog, service: str, arn: str, resource_type: str
) -> None:
    """An ARN is matched to the resource type whose format fits it best."""
    assert catalog.resource_type_for_arn(service, arn) == resource_type


def test_object_arn_also_fits_the_bucket_format_but_ranks_after(
    catalog: Catalog,
) -> None:
    """A bucket name may not hold a slash, so object is the better fit."""
    ranked = catalog.resource_types_for_arn("s3", "arn:aws:s3:::b/k")

    assert ranked == ["object", "bucket"]


@pytest.mark.parametrize(
    ("service", "arn"),
    [
        ("iam", "arn:aws:s3:::amzn-s3-demo-bucket"),
        ("s3", "not an arn"),
        ("nosuchservice", "arn:aws:s3:::amzn-s3-demo-bucket"),
    ],
)
def test_arn_that_fits_no_format_has_no_resource_type(
    catalog: Catalog, service: str, arn: str
) -> None:
    """An ARN of another service, or no ARN at all, has no resource type."""
    assert catalog.resource_type_for_arn(service, arn) is None
    assert catalog.resource_types_for_arn(service, arn) == []


def test_resource_type_has_its_arn_format(catalog: Catalog) -> None:
    """A resource type's ARN format is looked up by service and name."""
    assert catalog.resource_arn_format("s3", "Bucket") == (
        "arn:${Partition}:s3:::${BucketName}"
    )


def test_unknown_resource_type_has_no_arn_format(catalog: Catalog) -> None:
    """Unknown services and resource types answer None."""
    assert catalog.resource_arn_format("s3", "nosuchtype") is None
    assert catalog.resource_arn_format("nosuchservice", "bucket") is None
