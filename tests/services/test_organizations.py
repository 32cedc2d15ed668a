"""AWS Organizations: the tree, accounts, SCPs and RCPs, and who may call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.services.conftest import Harness, allow, deny, policy

from iamsim.errors import Unsupported
from iamsim.services.api import ServiceError
from iamsim.services.backend import open_backend

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"


def _root(harness: Harness) -> str:
    return str(harness.orgs("ListRoots")["Roots"][0]["Id"])


def _member(harness: Harness, name: str = "dev") -> str:
    status = harness.orgs(
        "CreateAccount", Email=f"{name}@example.com", AccountName=name
    )
    return str(status["CreateAccountStatus"]["AccountId"])


def _scp(harness: Harness, name: str, *statements: dict[str, object]) -> str:
    created = harness.orgs(
        "CreatePolicy",
        Name=name,
        Description=name,
        Type=SCP,
        Content=policy(*statements),
    )
    return str(created["Policy"]["PolicySummary"]["Id"])


def test_a_new_state_has_an_organization_with_scps_enabled(harness: Harness) -> None:
    """The organization's root has SCPs enabled and FullAWSAccess attached ("Managing SCPs")."""
    organization = harness.orgs("DescribeOrganization")["Organization"]
    root = harness.orgs("ListRoots")["Roots"][0]
    attached = harness.orgs("ListPoliciesForTarget", TargetId=root["Id"], Filter=SCP)[
        "Policies"
    ]

    assert organization["MasterAccountId"] == harness.account
    assert organization["Id"].startswith("o-")
    assert root["PolicyTypes"] == [{"Type": SCP, "Status": "ENABLED"}]
    assert [p["Name"] for p in attached] == ["FullAWSAccess"]
    assert (
        attached[0]["Arn"]
        == "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess"
    )


def test_create_account_succeeds_at_once_with_an_admin_role(harness: Harness) -> None:
    """CreateAccount makes OrganizationAccountAccessRole, trusting the management account ("Accessing member accounts")."""
    status = harness.orgs("CreateAccount", Email="dev@example.com", AccountName="dev")[
        "CreateAccountStatus"
    ]
    account = status["AccountId"]

    role = harness.iam(
        "GetRole",
        caller=harness.root_of(account),
        RoleName="OrganizationAccountAccessRole",
    )["Role"]
    inline = harness.iam(
        "ListRolePolicies",
        caller=harness.root_of(account),
        RoleName="OrganizationAccountAccessRole",
    )

    assert status["State"] == "SUCCEEDED"
    trusted = json.loads(role["AssumeRolePolicyDocument"])["Statement"][0]["Principal"]
    assert trusted == {"AWS": f"arn:aws:iam::{harness.account}:root"}
    assert inline["PolicyNames"] == ["AdministratorAccess"]


def test_describe_create_account_status(harness: Harness) -> None:
    """DescribeCreateAccountStatus returns the request's state ("DescribeCreateAccountStatus")."""
    status = harness.orgs("CreateAccount", Email="dev@example.com", AccountName="dev")[
        "CreateAccountStatus"
    ]

    again = harness.orgs(
        "DescribeCreateAccountStatus", CreateAccountRequestId=status["Id"]
    )

    assert again["CreateAccountStatus"] == status


def test_an_email_in_use_fails_the_request(harness: Harness) -> None:
    """A used email makes the request FAILED with EMAIL_ALREADY_EXISTS ("CreateAccountStatus")."""
    _member(harness, "dev")

    status = harness.orgs(
        "CreateAccount", Email="dev@example.com", AccountName="again"
    )["CreateAccountStatus"]

    assert (status["State"], status["FailureReason"]) == (
        "FAILED",
        "EMAIL_ALREADY_EXISTS",
    )


def test_new_accounts_get_full_aws_access(harness: Harness) -> None:
    """FullAWSAccess is attached to each new account while SCPs are enabled ("Attaching and detaching SCPs")."""
    account = _member(harness)

    attached = harness.orgs("ListPoliciesForTarget", TargetId=account, Filter=SCP)[
        "Policies"
    ]

    assert [p["Id"] for p in attached] == ["p-FullAWSAccess"]


def test_ou_tree_and_moving_accounts(harness: Harness) -> None:
    """OUs nest under the root; MoveAccount changes an account's parent ("MoveAccount", "ListParents")."""
    root = _root(harness)
    prod = harness.orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")[
        "OrganizationalUnit"
    ]
    account = _member(harness)

    harness.orgs(
        "MoveAccount",
        AccountId=account,
        SourceParentId=root,
        DestinationParentId=prod["Id"],
    )

    assert (
        prod["Path"]
        == f"{harness.orgs('DescribeOrganization')['Organization']['Id']}/{root}/{prod['Id']}/"
    )
    assert harness.orgs("ListParents", ChildId=account)["Parents"] == [
        {"Id": prod["Id"], "Type": "ORGANIZATIONAL_UNIT"}
    ]
    in_prod = harness.orgs("ListAccountsForParent", ParentId=prod["Id"])["Accounts"]
    assert [a["Id"] for a in in_prod] == [account]
    children = harness.orgs(
        "ListChildren", ParentId=root, ChildType="ORGANIZATIONAL_UNIT"
    )["Children"]
    assert children == [{"Id": prod["Id"], "Type": "ORGANIZATIONAL_UNIT"}]
    assert (
        harness.orgs("ListOrganizationalUnitsForParent", ParentId=root)[
            "OrganizationalUnits"
        ][0]["Name"]
        == "Prod"
    )


def test_moving_to_the_current_parent_is_a_duplicate(harness: Harness) -> None:
    """MoveAccount into the parent it is in is DuplicateAccountException ("MoveAccount", Errors)."""
    root = _root(harness)
    account = _member(harness)

    with pytest.raises(ServiceError) as raised:
        harness.orgs(
            "MoveAccount",
            AccountId=account,
            SourceParentId=root,
            DestinationParentId=root,
        )

    assert raised.value.code == "DuplicateAccountException"


def test_duplicate_ou_names_under_one_parent(harness: Harness) -> None:
    """Sibling OUs need distinct names ("CreateOrganizationalUnit", Errors)."""
    root = _root(harness)
    harness.orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")

    with pytest.raises(ServiceError) as raised:
        harness.orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")

    assert raised.value.code == "DuplicateOrganizationalUnitException"


def test_ous_nest_five_levels_at_most(harness: Harness) -> None:
    """An OU tree is at most five levels deep under the root ("Quotas for AWS Organizations")."""
    parent = _root(harness)
    for level in range(5):
        parent = harness.orgs(
            "CreateOrganizationalUnit", ParentId=parent, Name=f"L{level}"
        )["OrganizationalUnit"]["Id"]

    with pytest.raises(ServiceError) as raised:
        harness.orgs("CreateOrganizationalUnit", ParentId=parent, Name="L5")

    assert raised.value.code == "ConstraintViolationException"


def test_an_scp_denies_in_a_member_account(harness: Harness) -> None:
    """An SCP's deny applies to every principal of the member account, root included ("Service control policies")."""
    account = _member(harness)
    scp = _scp(harness, "no-users", deny("iam:CreateUser"))

    harness.orgs("AttachPolicy", PolicyId=scp, TargetId=account)

    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", caller=harness.root_of(account), UserName="x")
    assert "with an explicit deny in a service control policy" in raised.value.message


def test_scps_do_not_apply_to_the_management_account(harness: Harness) -> None:
    """SCPs never restrict the management account ("SCP effects on permissions")."""
    scp = _scp(harness, "no-users", deny("iam:CreateUser"))

    harness.orgs("AttachPolicy", PolicyId=scp, TargetId=harness.account)

    assert harness.iam("CreateUser", UserName="still-fine")["User"]


def test_detaching_full_aws_access_leaves_only_what_other_scps_allow(
    harness: Harness,
) -> None:
    """Every level must allow: without FullAWSAccess, only the remaining SCP's actions pass ("SCP evaluation")."""
    account = _member(harness)
    scp = _scp(harness, "only-iam-read", allow("iam:List*"))
    harness.orgs("AttachPolicy", PolicyId=scp, TargetId=account)

    harness.orgs("DetachPolicy", PolicyId="p-FullAWSAccess", TargetId=account)

    member_root = harness.root_of(account)
    assert "Users" in harness.iam("ListUsers", caller=member_root)
    with pytest.raises(ServiceError) as raised:
        harness.iam("CreateUser", caller=member_root, UserName="x")
    assert "because no service control policy allows" in raised.value.message


def test_the_last_scp_cannot_be_detached(harness: Harness) -> None:
    """A target keeps at least one SCP ("Attaching and detaching SCPs")."""
    account = _member(harness)

    with pytest.raises(ServiceError) as raised:
        harness.orgs("DetachPolicy", PolicyId="p-FullAWSAccess", TargetId=account)

    assert raised.value.code == "ConstraintViolationException"


def test_attaching_twice_is_a_duplicate_attachment(harness: Harness) -> None:
    """AttachPolicy of an attached policy is DuplicatePolicyAttachmentException ("AttachPolicy", Errors)."""
    account = _member(harness)

    with pytest.raises(ServiceError) as raised:
        harness.orgs("AttachPolicy", PolicyId="p-FullAWSAccess", TargetId=account)

    assert raised.value.code == "DuplicatePolicyAttachmentException"


def test_unknown_policy_and_target(harness: Harness) -> None:
    """Unknown ids are PolicyNotFoundException and TargetNotFoundException ("AttachPolicy", Errors)."""
    scp = _scp(harness, "s", deny("s3:*"))

    with pytest.raises(ServiceError) as no_policy:
        harness.orgs("AttachPolicy", PolicyId="p-0000000000", TargetId=harness.account)
    with pytest.raises(ServiceError) as no_target:
        harness.orgs("AttachPolicy", PolicyId=scp, TargetId="999999999999")

    assert no_policy.value.code == "PolicyNotFoundException"
    assert no_target.value.code == "TargetNotFoundException"


def test_scp_content_is_checked_as_an_scp(harness: Harness) -> None:
    """An SCP names no Principal; bad content is MalformedPolicyDocumentException ("SCP syntax")."""
    with pytest.raises(ServiceError) as raised:
        harness.orgs(
            "CreatePolicy",
            Name="bad",
            Description="",
            Type=SCP,
            Content=policy(allow("*", Principal="*")),
        )

    assert raised.value.code == "MalformedPolicyDocumentException"


def test_rcps_allow_only_in_rcp_full_aws_access(harness: Harness) -> None:
    """A customer RCP may only deny ("RCP syntax")."""
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}

    with pytest.raises(ServiceError) as raised:
        harness.orgs(
            "CreatePolicy",
            Name="bad",
            Description="",
            Type=RCP,
            Content=policy(statement),
        )

    assert raised.value.code == "MalformedPolicyDocumentException"


def test_rcps_need_the_type_enabled(harness: Harness) -> None:
    """Policies of a type can be attached only once it is enabled ("EnablePolicyType")."""
    statement = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    rcp = harness.orgs(
        "CreatePolicy",
        Name="no-s3",
        Description="",
        Type=RCP,
        Content=policy(statement),
    )["Policy"]["PolicySummary"]["Id"]

    with pytest.raises(ServiceError) as raised:
        harness.orgs("AttachPolicy", PolicyId=rcp, TargetId=harness.account)
    root = harness.orgs("EnablePolicyType", RootId=_root(harness), PolicyType=RCP)[
        "Root"
    ]
    harness.orgs("AttachPolicy", PolicyId=rcp, TargetId=harness.account)

    assert raised.value.code == "PolicyTypeNotEnabledException"
    assert {"Type": RCP, "Status": "ENABLED"} in root["PolicyTypes"]
    attached = harness.orgs(
        "ListPoliciesForTarget", TargetId=harness.account, Filter=RCP
    )["Policies"]
    assert [p["Name"] for p in attached] == ["RCPFullAWSAccess", "no-s3"]


def test_rcp_full_aws_access_cannot_be_detached(harness: Harness) -> None:
    """RCPFullAWSAccess stays attached ("Resource control policies (RCPs)")."""
    harness.orgs("EnablePolicyType", RootId=_root(harness), PolicyType=RCP)

    with pytest.raises(ServiceError) as raised:
        harness.orgs(
            "DetachPolicy", PolicyId="p-RCPFullAWSAccess", TargetId=harness.account
        )

    assert raised.value.code == "ConstraintViolationException"


def test_disable_policy_type_detaches_its_policies(harness: Harness) -> None:
    """Disabling a type detaches all its policies ("DisablePolicyType")."""
    root = _root(harness)
    account = _member(harness)
    harness.orgs(
        "AttachPolicy",
        PolicyId=_scp(harness, "no-iam", deny("iam:*")),
        TargetId=account,
    )

    harness.orgs("DisablePolicyType", RootId=root, PolicyType=SCP)

    assert (
        harness.orgs("ListTargetsForPolicy", PolicyId="p-FullAWSAccess")["Targets"]
        == []
    )
    assert harness.iam("CreateUser", caller=harness.root_of(account), UserName="free")[
        "User"
    ]
    with pytest.raises(ServiceError) as raised:
        harness.orgs("DisablePolicyType", RootId=root, PolicyType=SCP)
    assert raised.value.code == "PolicyTypeNotEnabledException"


def test_policy_lifecycle(harness: Harness) -> None:
    """Describe, update, list targets and delete a policy ("UpdatePolicy", "DeletePolicy")."""
    scp = _scp(harness, "s", deny("s3:*"))
    harness.orgs("AttachPolicy", PolicyId=scp, TargetId=harness.account)

    updated = harness.orgs(
        "UpdatePolicy", PolicyId=scp, Name="renamed", Content=policy(deny("sqs:*"))
    )
    targets = harness.orgs("ListTargetsForPolicy", PolicyId=scp)["Targets"]
    with pytest.raises(ServiceError) as in_use:
        harness.orgs("DeletePolicy", PolicyId=scp)
    harness.orgs("DetachPolicy", PolicyId=scp, TargetId=harness.account)
    harness.orgs("DeletePolicy", PolicyId=scp)

    assert updated["Policy"]["PolicySummary"]["Name"] == "renamed"
    assert targets == [
        {
            "TargetId": harness.account,
            "Arn": targets[0]["Arn"],
            "Name": "management",
            "Type": "ACCOUNT",
        }
    ]
    assert in_use.value.code == "PolicyInUseException"
    names = [p["Name"] for p in harness.orgs("ListPolicies", Filter=SCP)["Policies"]]
    assert names == ["FullAWSAccess"]


def test_aws_managed_policies_cannot_be_changed(harness: Harness) -> None:
    """FullAWSAccess is AWS managed and cannot be edited ("AWS managed SCPs")."""
    with pytest.raises(ServiceError) as raised:
        harness.orgs("UpdatePolicy", PolicyId="p-FullAWSAccess", Name="mine")

    assert raised.value.code == "InvalidInputException"


def test_duplicate_policy_names(harness: Harness) -> None:
    """Policy names are unique per type ("CreatePolicy", DuplicatePolicyException)."""
    _scp(harness, "s", deny("s3:*"))

    with pytest.raises(ServiceError) as raised:
        _scp(harness, "s", deny("sqs:*"))

    assert raised.value.code == "DuplicatePolicyException"


def test_members_may_describe_the_organization_only(harness: Harness) -> None:
    """Member accounts can call DescribeOrganization; the rest needs the management account ("DescribeOrganization", "ListAccounts")."""
    member = harness.root_of(_member(harness))

    described = harness.orgs("DescribeOrganization", caller=member)["Organization"]
    with pytest.raises(ServiceError) as raised:
        harness.orgs("ListAccounts", caller=member)

    assert described["MasterAccountId"] == harness.account
    assert raised.value.code == "AccessDeniedException"


def test_iam_policies_govern_organizations_calls(harness: Harness) -> None:
    """Organizations actions need IAM permission too; refusals are AccessDeniedException ("Identity-based policies for AWS Organizations")."""
    alice = harness.user("alice", policy(allow("organizations:Describe*")))

    assert harness.orgs("DescribeOrganization", caller=alice)["Organization"]
    with pytest.raises(ServiceError) as raised:
        harness.orgs("ListAccounts", caller=alice)

    assert raised.value.code == "AccessDeniedException"
    assert "organizations:ListAccounts" in raised.value.message


def test_describe_account_is_authorized_on_the_account_arn(harness: Harness) -> None:
    """DescribeAccount's resource is arn:aws:organizations::MGMT:account/o-ID/ACCOUNT ("Actions, resources, and condition keys for AWS Organizations")."""
    account = _member(harness)
    org_id = harness.orgs("DescribeOrganization")["Organization"]["Id"]
    arn = f"arn:aws:organizations::{harness.account}:account/{org_id}/{account}"
    alice = harness.user("alice", policy(allow("organizations:DescribeAccount", arn)))

    described = harness.orgs("DescribeAccount", caller=alice, AccountId=account)[
        "Account"
    ]
    with pytest.raises(ServiceError):
        harness.orgs("DescribeAccount", caller=alice, AccountId=harness.account)

    assert described["Arn"] == arn
    assert described["JoinedMethod"] == "CREATED"


def test_unknown_account_is_account_not_found(harness: Harness) -> None:
    """DescribeAccount of an account outside the organization is AccountNotFoundException ("DescribeAccount")."""
    with pytest.raises(ServiceError) as raised:
        harness.orgs("DescribeAccount", AccountId="999999999999")

    assert raised.value.code == "AccountNotFoundException"


def test_create_organization_when_already_a_member(harness: Harness) -> None:
    """A member account cannot create an organization ("CreateOrganization", AlreadyInOrganizationException)."""
    with pytest.raises(ServiceError) as raised:
        harness.orgs("CreateOrganization")

    assert raised.value.code == "AlreadyInOrganizationException"


def test_list_accounts_pages_with_next_token(harness: Harness) -> None:
    """ListAccounts pages with MaxResults and NextToken ("ListAccounts")."""
    for index in range(3):
        _member(harness, f"a{index}")

    first = harness.orgs("ListAccounts", MaxResults=2)
    rest = harness.orgs("ListAccounts", NextToken=first["NextToken"])

    assert len(first["Accounts"]) == 2 and len(rest["Accounts"]) == 2
    assert "NextToken" not in rest


def test_other_policy_types_are_refused_as_unsupported(harness: Harness) -> None:
    """Tag and backup policies are not emulated; iamsim says so instead of pretending."""
    with pytest.raises(Unsupported):
        harness.orgs(
            "CreatePolicy", Name="t", Description="", Type="TAG_POLICY", Content="{}"
        )


def test_a_standalone_account_creates_an_organization(tmp_path: Path) -> None:
    """The caller's account becomes the management account, with no policy type enabled ("CreateOrganization")."""
    seed = tmp_path / "seed.yaml"
    seed.write_text("accounts:\n  '111111111111': {}\n")
    backend, bootstrap = open_backend(tmp_path / "state", seed_scenario=seed)
    standalone = Harness(tmp_path / "state", backend, bootstrap)
    try:
        with pytest.raises(ServiceError) as not_yet:
            standalone.orgs("DescribeOrganization")
        created = standalone.orgs("CreateOrganization")["Organization"]
        roots = standalone.orgs("ListRoots")["Roots"]
        accounts = standalone.orgs("ListAccounts")["Accounts"]
    finally:
        backend.close()

    assert not_yet.value.code == "AWSOrganizationsNotInUseException"
    assert created["MasterAccountId"] == "111111111111"
    assert created["FeatureSet"] == "ALL"
    assert roots[0]["PolicyTypes"] == []
    assert [a["Id"] for a in accounts] == ["111111111111"]
