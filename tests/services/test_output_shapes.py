"""Every result uses the member names and types of the service's botocore model.

The botocore models are the machine-readable form of the API References;
a result member that the model does not know would never reach an SDK.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import pytest
from tests.services.conftest import Harness, allow, policy, trust

botocore_model = pytest.importorskip("botocore.model")
botocore_loaders = pytest.importorskip("botocore.loaders")

_TYPES = {
    "string": str,
    "integer": int,
    "long": int,
    "boolean": bool,
    "timestamp": datetime,
}


def _problems(value: Any, shape: Any, where: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: expected a structure, got {type(value).__name__}"]
        found = []
        for key, item in value.items():
            if key not in shape.members:
                found.append(f"{where}.{key}: not a member of {shape.name}")
                continue
            found += _problems(item, shape.members[key], f"{where}.{key}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        return [
            p
            for i, item in enumerate(value)
            for p in _problems(item, shape.member, f"{where}[{i}]")
        ]
    expected = _TYPES.get(kind)
    if expected is not None and not isinstance(value, expected):
        return [f"{where}: expected {kind}, got {type(value).__name__}"]
    return []


@functools.cache
def _model(service: str) -> Any:
    loader = botocore_loaders.Loader()
    return botocore_model.ServiceModel(
        loader.load_service_model(service, "service-2"), service
    )


def _check(service: str, operation: str, result: dict[str, Any]) -> list[str]:
    output = _model(service).operation_model(operation).output_shape
    if output is None:
        return (
            [] if result == {} else [f"{operation}: returns members but has no output"]
        )
    return _problems(result, output, operation)


def _exercise(harness: Harness) -> list[tuple[str, str, dict[str, Any]]]:
    calls: list[tuple[str, str, dict[str, Any]]] = []

    def iam(operation: str, **params: Any) -> dict[str, Any]:
        result = harness.iam(operation, **params)
        calls.append(("iam", operation, result))
        return result

    def orgs(operation: str, **params: Any) -> dict[str, Any]:
        result = harness.orgs(operation, **params)
        calls.append(("organizations", operation, result))
        return result

    boundary = iam(
        "CreatePolicy",
        PolicyName="b",
        PolicyDocument=policy(allow("s3:*")),
        Tags=[{"Key": "k", "Value": "v"}],
    )["Policy"]["Arn"]
    iam(
        "CreateUser",
        UserName="alice",
        PermissionsBoundary=boundary,
        Tags=[{"Key": "k", "Value": "v"}],
    )
    iam("GetUser", UserName="alice")
    iam("ListUsers")
    iam("ListUserTags", UserName="alice")
    iam("CreateGroup", GroupName="g")
    iam("AddUserToGroup", GroupName="g", UserName="alice")
    iam("GetGroup", GroupName="g")
    iam("ListGroups")
    iam("ListGroupsForUser", UserName="alice")
    iam(
        "CreateRole",
        RoleName="r",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
        Description="d",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    iam("GetRole", RoleName="r")
    iam("ListRoles")
    iam("ListRoleTags", RoleName="r")
    iam("UpdateRole", RoleName="r", Description="e")
    iam("CreateServiceLinkedRole", AWSServiceName="autoscaling.amazonaws.com")
    iam("GetPolicy", PolicyArn=boundary)
    iam("ListPolicies")
    iam(
        "CreatePolicyVersion", PolicyArn=boundary, PolicyDocument=policy(allow("sqs:*"))
    )
    iam("GetPolicyVersion", PolicyArn=boundary, VersionId="v2")
    iam("ListPolicyVersions", PolicyArn=boundary)
    iam("AttachUserPolicy", UserName="alice", PolicyArn=boundary)
    iam("ListAttachedUserPolicies", UserName="alice")
    iam(
        "PutRolePolicy",
        RoleName="r",
        PolicyName="p",
        PolicyDocument=policy(allow("s3:*")),
    )
    iam("GetRolePolicy", RoleName="r", PolicyName="p")
    iam("ListRolePolicies", RoleName="r")
    iam("CreateAccessKey", UserName="alice")
    iam("ListAccessKeys", UserName="alice")
    iam(
        "CreateInstanceProfile",
        InstanceProfileName="ip",
        Tags=[{"Key": "k", "Value": "v"}],
    )
    iam("AddRoleToInstanceProfile", InstanceProfileName="ip", RoleName="r")
    iam("GetInstanceProfile", InstanceProfileName="ip")
    iam("ListInstanceProfiles")
    metadata = (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">'
        + " " * 1000
        + "</md:EntityDescriptor>"
    )
    saml = iam("CreateSAMLProvider", Name="corp", SAMLMetadataDocument=metadata)[
        "SAMLProviderArn"
    ]
    iam("GetSAMLProvider", SAMLProviderArn=saml)
    iam("ListSAMLProviders")
    oidc = iam(
        "CreateOpenIDConnectProvider", Url="https://idp.example.com", ClientIDList=["a"]
    )["OpenIDConnectProviderArn"]
    iam("GetOpenIDConnectProvider", OpenIDConnectProviderArn=oidc)
    iam("ListOpenIDConnectProviders")
    iam("GetAccountAuthorizationDetails")
    iam(
        "SimulatePrincipalPolicy",
        PolicySourceArn=f"arn:aws:iam::{harness.account}:user/alice",
        ActionNames=["s3:GetObject"],
    )
    iam(
        "SimulateCustomPolicy",
        PolicyInputList=[policy(allow("s3:*"))],
        ActionNames=["s3:GetObject"],
    )
    orgs("DescribeOrganization")
    root = orgs("ListRoots")["Roots"][0]["Id"]
    unit = orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")[
        "OrganizationalUnit"
    ]["Id"]
    orgs("DescribeOrganizationalUnit", OrganizationalUnitId=unit)
    orgs("ListOrganizationalUnitsForParent", ParentId=root)
    status = orgs("CreateAccount", Email="d@example.com", AccountName="d")[
        "CreateAccountStatus"
    ]
    orgs("DescribeCreateAccountStatus", CreateAccountRequestId=status["Id"])
    orgs("DescribeAccount", AccountId=status["AccountId"])
    orgs("ListAccounts")
    orgs("ListAccountsForParent", ParentId=root)
    orgs("ListParents", ChildId=status["AccountId"])
    orgs("ListChildren", ParentId=root, ChildType="ACCOUNT")
    scp = orgs(
        "CreatePolicy",
        Name="s",
        Description="",
        Type="SERVICE_CONTROL_POLICY",
        Content=policy({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}),
    )["Policy"]["PolicySummary"]["Id"]
    orgs("DescribePolicy", PolicyId=scp)
    orgs("UpdatePolicy", PolicyId=scp, Description="x")
    orgs("ListPolicies", Filter="SERVICE_CONTROL_POLICY")
    orgs("AttachPolicy", PolicyId=scp, TargetId=unit)
    orgs("ListPoliciesForTarget", TargetId=unit, Filter="SERVICE_CONTROL_POLICY")
    orgs("ListTargetsForPolicy", PolicyId=scp)
    orgs("EnablePolicyType", RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
    return calls


def test_results_match_the_botocore_output_shapes(harness: Harness) -> None:
    """Result members and their types are those of the IAM and Organizations models ("IAM API Reference", "AWS Organizations API Reference")."""
    calls = _exercise(harness)

    problems = [
        p
        for service, operation, result in calls
        for p in _check(service, operation, result)
    ]

    assert problems == []
