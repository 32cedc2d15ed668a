"""AWS Organizations: the organization, its root and OUs, member accounts, and
service and resource control policies.

Operations follow the AWS Organizations API Reference. Only the management
account may call them, except DescribeOrganization, which any member may
call, and CreateOrganization, which a standalone account calls; a member
gets ``AccessDeniedException`` and an account outside any organization
``AWSOrganizationsNotInUseException``. Each call is also authorized by IAM
with the action and resource ARN formats of the Service Authorization
Reference ("Actions, resources, and condition keys for AWS Organizations").

CreateAccount completes at once (see
:mod:`~iamsim.services.organizations_state` for what it creates). A target
keeps at least one SCP, and ``RCPFullAWSAccess`` cannot be detached
("Attaching and detaching SCPs", "Resource control policies (RCPs)").

The store holds one organization.

Imports only iamsim.errors, iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

from sqlite3 import Connection
from typing import TYPE_CHECKING

from iamsim.errors import PolicyError, Unsupported
from iamsim.policy.parse import parse_policy
from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_common import tag_request_context
from iamsim.services.iam_validate import tags as tag_pairs
from iamsim.services.organizations_base import (
    POLICY_KINDS,
    OrgScope,
    account_shape,
    authorize,
    constraint,
    enabled_types,
    enter,
    frame,
    invalid,
    org_error,
    organization_shape,
    paginate,
    parent_exists,
    parent_not_found,
    permit,
    policy_summary,
    policy_type_param,
    require_parent,
    require_policy,
    required,
    root_not_found,
    root_shape,
    status_shape,
    target_exists,
    target_not_found,
    unit_shape,
)
from iamsim.services.organizations_state import (
    DEFAULT_ROLE,
    LOWER,
    SCP,
    attach_defaults,
    create_member_account,
    enable_type,
    found_organization,
    install_aws_managed_policies,
    random_text,
)
from iamsim.world.store_iam import account_by_email, get_account
from iamsim.world.store_org import (
    FULL_ACCESS_RCP_ID,
    CreateAccountRow,
    OrgAccountRow,
    OrgPolicyRow,
    OrgUnitRow,
    attach_org_policy,
    delete_org_policy,
    detach_all_of_type,
    detach_org_policy,
    get_create_account,
    get_member,
    get_org_policy,
    get_organization,
    get_root,
    get_unit,
    insert_create_account,
    insert_org_policy,
    insert_unit,
    list_roots,
    members,
    move_member,
    org_policies,
    policies_for_target,
    set_root_policy_types,
    targets_for_policy,
    units_under,
    update_org_policy,
)

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend


#: "Quotas for AWS Organizations": SCP and RCP documents hold 5,120 characters.
POLICY_CONTENT_MAX = 5_120
#: Policies of one type attached directly to a root, OU or account.
POLICIES_PER_TARGET = 5
#: OUs nest at most five levels below the root.
OU_DEPTH_MAX = 5


# Operations: the organization


@OPERATIONS.operation("organizations", "CreateOrganization")
def create_organization(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create an organization whose management account is the caller's."""
    feature_set = params.get("FeatureSet") or "ALL"
    if feature_set not in ("ALL", "CONSOLIDATED_BILLING"):
        raise invalid(f"FeatureSet {feature_set!r} is not ALL or CONSOLIDATED_BILLING.")
    authorize(backend, call, "CreateOrganization", "*")
    with backend.transaction() as db:
        existing = get_organization(db)
        if existing is not None and get_member(db, call.caller.account) is not None:
            raise org_error(
                "AlreadyInOrganizationException",
                "The AWS account is already a member of an organization.",
            )
        if existing is not None:
            # GAP: the store holds one organization; a second cannot be created
            raise Unsupported(
                "a second organization is not emulated",
                where="CreateOrganization",
                hint="create accounts in the existing organization with CreateAccount",
            )
        install_aws_managed_policies(db, call.now)
        row = found_organization(
            db, call.caller.account, call.now, feature_set=feature_set
        )
        org = OrgScope(backend, call, row, backend.partition(call.caller.account))
        return {"Organization": organization_shape(db, org)}


@OPERATIONS.operation("organizations", "DescribeOrganization")
def describe_organization(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The caller's organization; any member account may ask."""
    with backend.read() as db:
        org = frame(backend, call, db, "DescribeOrganization", management_only=False)
        return {"Organization": organization_shape(db, org)}


@OPERATIONS.operation("organizations", "ListRoots")
def list_roots_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The organization's root, with the policy types enabled in it."""
    with backend.read() as db:
        org = frame(backend, call, db, "ListRoots")
        page, extra = paginate(list_roots(db), params)
    return {"Roots": [root_shape(org, root) for root in page], **extra}


@OPERATIONS.operation("organizations", "EnablePolicyType")
def enable_policy_type(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Enable SCPs or RCPs in the root, attaching the full-access policy everywhere."""
    kind = policy_type_param(params, "PolicyType")
    root_id = required(params, "RootId")
    with backend.transaction() as db:
        org = enter(backend, call, db)
        context = {"organizations:PolicyType": kind}
        permit(org, "EnablePolicyType", [org.arn("root", root_id)], context)
        root = get_root(db, root_id)
        if root is None:
            raise root_not_found()
        if org.row.feature_set != "ALL":
            raise org_error(
                "PolicyTypeNotAvailableForOrganizationException",
                "You can't enable this policy type: the organization doesn't have "
                "all features enabled.",
            )
        if kind in root.policy_types:
            raise org_error(
                "PolicyTypeAlreadyEnabledException",
                "The specified policy type is already enabled.",
            )
        enable_type(db, root_id, kind)
        updated = get_root(db, root_id)
        assert updated is not None
        return {"Root": root_shape(org, updated)}


@OPERATIONS.operation("organizations", "DisablePolicyType")
def disable_policy_type(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Disable a policy type; every policy of that type is detached."""
    kind = policy_type_param(params, "PolicyType")
    root_id = required(params, "RootId")
    with backend.transaction() as db:
        org = enter(backend, call, db)
        context = {"organizations:PolicyType": kind}
        permit(org, "DisablePolicyType", [org.arn("root", root_id)], context)
        root = get_root(db, root_id)
        if root is None:
            raise root_not_found()
        if kind not in root.policy_types:
            raise org_error(
                "PolicyTypeNotEnabledException",
                "This operation can be performed only for enabled policy types.",
            )
        detach_all_of_type(db, kind)
        set_root_policy_types(
            db, root_id, tuple(t for t in root.policy_types if t != kind)
        )
        updated = get_root(db, root_id)
        assert updated is not None
        return {"Root": root_shape(org, updated)}


# Operations: organizational units


def _depth(db: Connection, parent: str) -> int:
    """How many OUs lie between the root and ``parent``, ``parent`` included."""
    depth = 0
    unit = get_unit(db, parent)
    while unit is not None:
        depth += 1
        unit = get_unit(db, unit.parent_id)
    return depth


@OPERATIONS.operation("organizations", "CreateOrganizationalUnit")
def create_organizational_unit(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Create an OU under the root or another OU (five levels at most)."""
    name = required(params, "Name")
    if len(name) > 128:
        raise invalid("The OU name must be at most 128 characters.")
    unit_tags = tag_pairs(params)
    with backend.transaction() as db:
        org = enter(backend, call, db)
        parent = required(params, "ParentId")
        context = tag_request_context(unit_tags)
        permit(org, "CreateOrganizationalUnit", [org.target_arn(parent)], context)
        parent = require_parent(db, params)
        if any(unit.name == name for unit in units_under(db, parent)):
            raise org_error(
                "DuplicateOrganizationalUnitException",
                "An OU with the same name already exists.",
            )
        if _depth(db, parent) >= OU_DEPTH_MAX:
            raise constraint(
                "OU_DEPTH_LIMIT_EXCEEDED",
                "You attempted to create an OU tree that is too many levels deep.",
            )
        root = list_roots(db)[0]
        unit_id = f"ou-{root.id[2:]}-{random_text(LOWER, 8)}"
        unit = OrgUnitRow(unit_id, parent, name, unit_tags)
        insert_unit(db, unit)
        attach_defaults(db, unit_id)
        return {"OrganizationalUnit": unit_shape(db, org, unit)}


@OPERATIONS.operation("organizations", "DescribeOrganizationalUnit")
def describe_organizational_unit(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """One OU: its id, ARN, name and path."""
    unit_id = required(params, "OrganizationalUnitId")
    with backend.read() as db:
        org = enter(backend, call, db)
        permit(org, "DescribeOrganizationalUnit", [org.arn("ou", unit_id)])
        unit = get_unit(db, unit_id)
        if unit is None:
            raise org_error(
                "OrganizationalUnitNotFoundException",
                "We can't find an OU with the OrganizationalUnitId that you specified.",
            )
        return {"OrganizationalUnit": unit_shape(db, org, unit)}


@OPERATIONS.operation("organizations", "ListOrganizationalUnitsForParent")
def list_organizational_units_for_parent(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """The OUs directly under a root or OU."""
    with backend.read() as db:
        org = enter(backend, call, db)
        parent = required(params, "ParentId")
        permit(org, "ListOrganizationalUnitsForParent", [org.target_arn(parent)])
        parent = require_parent(db, params)
        page, extra = paginate(units_under(db, parent), params)
        shapes = [unit_shape(db, org, unit) for unit in page]
    return {"OrganizationalUnits": shapes, **extra}


# Operations: accounts


@OPERATIONS.operation("organizations", "CreateAccount")
def create_account(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create a member account at once, with its administrator role."""
    email = required(params, "Email")
    name = required(params, "AccountName")
    role_name = params.get("RoleName") or DEFAULT_ROLE
    if "@" not in email or not 6 <= len(email) <= 64:
        raise invalid(
            "You provided a value that does not match the required pattern for Email."
        )
    if not 1 <= len(name) <= 50:
        raise invalid("The AccountName must be 1 to 50 characters.")
    account_tags = tag_pairs(params)
    with backend.transaction() as db:
        org = enter(backend, call, db)
        permit(org, "CreateAccount", context=tag_request_context(account_tags))
        request = f"car-{random_text(LOWER, 32)}"
        if account_by_email(db, email) is not None:
            row = CreateAccountRow(
                request,
                name,
                None,
                "FAILED",
                call.now,
                call.now,
                "EMAIL_ALREADY_EXISTS",
            )
        else:
            root = list_roots(db)[0]
            account = create_member_account(
                db,
                name=name,
                email=email,
                role_name=str(role_name),
                management=org.management,
                parent=root.id,
                now=call.now,
            )
            row = CreateAccountRow(
                request, name, account, "SUCCEEDED", call.now, call.now
            )
        insert_create_account(db, row)
    return {"CreateAccountStatus": status_shape(row)}


@OPERATIONS.operation("organizations", "DescribeCreateAccountStatus")
def describe_create_account_status(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """The status of a CreateAccount request."""
    request = required(params, "CreateAccountRequestId")
    with backend.read() as db:
        frame(backend, call, db, "DescribeCreateAccountStatus")
        row = get_create_account(db, request)
    if row is None:
        raise org_error(
            "CreateAccountStatusNotFoundException",
            "We can't find an create account request with the CreateAccountRequestId "
            "that you specified.",
        )
    return {"CreateAccountStatus": status_shape(row)}


def _require_member(db: Connection, account: str) -> OrgAccountRow:
    member = get_member(db, account)
    if member is None:
        raise org_error(
            "AccountNotFoundException",
            "We can't find an AWS account with the AccountId that you specified, or "
            "the account whose credentials you used to make this request isn't a "
            "member of an organization.",
        )
    return member


@OPERATIONS.operation("organizations", "DescribeAccount")
def describe_account(backend: StoreBackend, call: Call, params: Params) -> Result:
    """One member account."""
    account = required(params, "AccountId")
    with backend.read() as db:
        org = enter(backend, call, db)
        permit(org, "DescribeAccount", [org.account_arn(account)])
        member = _require_member(db, account)
        return {"Account": account_shape(db, org, member)}


@OPERATIONS.operation("organizations", "ListAccounts")
def list_accounts(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Every member account, in the order they joined."""
    with backend.read() as db:
        org = frame(backend, call, db, "ListAccounts")
        page, extra = paginate(members(db), params)
        return {"Accounts": [account_shape(db, org, m) for m in page], **extra}


@OPERATIONS.operation("organizations", "ListAccountsForParent")
def list_accounts_for_parent(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """The accounts directly under a root or OU."""
    with backend.read() as db:
        org = enter(backend, call, db)
        parent = required(params, "ParentId")
        permit(org, "ListAccountsForParent", [org.target_arn(parent)])
        parent = require_parent(db, params)
        page, extra = paginate(members(db, parent), params)
        return {"Accounts": [account_shape(db, org, m) for m in page], **extra}


@OPERATIONS.operation("organizations", "MoveAccount")
def move_account(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Move an account from its parent to another root or OU."""
    account = required(params, "AccountId")
    source = required(params, "SourceParentId")
    destination = required(params, "DestinationParentId")
    with backend.transaction() as db:
        org = enter(backend, call, db)
        resources = [
            org.account_arn(account),
            org.target_arn(source),
            org.target_arn(destination),
        ]
        permit(org, "MoveAccount", resources)
        member = _require_member(db, account)
        if not parent_exists(db, source):
            raise parent_not_found("SourceParentNotFoundException")
        if not parent_exists(db, destination):
            raise parent_not_found("DestinationParentNotFoundException")
        if member.parent_id == destination:
            raise org_error(
                "DuplicateAccountException",
                "That account is already present in the specified destination.",
            )
        if member.parent_id != source:
            raise parent_not_found("SourceParentNotFoundException")
        move_member(db, account, destination)
    return {}


@OPERATIONS.operation("organizations", "ListParents")
def list_parents(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The root or OU directly above an account or OU."""
    child = required(params, "ChildId")
    with backend.read() as db:
        org = enter(backend, call, db)
        permit(org, "ListParents", [org.target_arn(child)])
        parent: str | None = None
        if child.startswith("ou-"):
            unit = get_unit(db, child)
            parent = None if unit is None else unit.parent_id
        else:
            member = get_member(db, child)
            parent = None if member is None else member.parent_id
    if parent is None:
        raise org_error(
            "ChildNotFoundException",
            "We can't find an organizational unit (OU) or AWS account with the "
            "ChildId that you specified.",
        )
    kind = "ROOT" if parent.startswith("r-") else "ORGANIZATIONAL_UNIT"
    page, extra = paginate([{"Id": parent, "Type": kind}], params)
    return {"Parents": page, **extra}


@OPERATIONS.operation("organizations", "ListChildren")
def list_children(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The accounts or OUs directly under a root or OU."""
    child_type = required(params, "ChildType")
    if child_type not in ("ACCOUNT", "ORGANIZATIONAL_UNIT"):
        raise invalid("ChildType must be ACCOUNT or ORGANIZATIONAL_UNIT.")
    with backend.read() as db:
        org = enter(backend, call, db)
        parent = required(params, "ParentId")
        permit(org, "ListChildren", [org.target_arn(parent)])
        parent = require_parent(db, params)
        if child_type == "ACCOUNT":
            ids = [member.account_id for member in members(db, parent)]
        else:
            ids = [unit.id for unit in units_under(db, parent)]
    page, extra = paginate([{"Id": i, "Type": child_type} for i in ids], params)
    return {"Children": page, **extra}


# Operations: policies


def _content(kind: str, params: Params, name: str) -> str:
    content = required(params, "Content")
    if len(content) > POLICY_CONTENT_MAX:
        raise constraint(
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            "You attempted to create a policy larger than the maximum size.",
        )
    try:
        parse_policy(content, kind=POLICY_KINDS[kind], name=f"{name}:draft")
    except PolicyError as error:
        raise org_error(
            "MalformedPolicyDocumentException",
            "The provided policy document doesn't meet the requirements of the "
            f"specified policy type: {error.render()}",
        ) from None
    return content


def _duplicate_name(db: Connection, kind: str, name: str, policy_id: str = "") -> None:
    if any(row.name == name and row.id != policy_id for row in org_policies(db, kind)):
        raise org_error(
            "DuplicatePolicyException", "A policy with the same name already exists."
        )


def _refuse_aws_managed(row: OrgPolicyRow) -> None:
    if row.aws_managed:
        raise invalid(f"You can't modify or delete the AWS managed policy {row.name}.")


@OPERATIONS.operation("organizations", "CreatePolicy")
def create_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create an SCP or RCP; its content must meet the rules of its type."""
    kind = policy_type_param(params, "Type")
    name = required(params, "Name")
    description = params.get("Description")
    if not isinstance(description, str):
        raise invalid("Description is required.")
    policy_tags = tag_pairs(params)
    with backend.transaction() as db:
        org = enter(backend, call, db)
        row = OrgPolicyRow(
            f"p-{random_text(LOWER, 10)}",
            kind,
            name,
            description,
            "",
            False,
            policy_tags,
        )
        context = {"organizations:PolicyType": kind, **tag_request_context(policy_tags)}
        permit(org, "CreatePolicy", [org.policy_arn(row)], context)
        content = _content(kind, params, name)
        _duplicate_name(db, kind, name)
        row = OrgPolicyRow(row.id, kind, name, description, content, False, policy_tags)
        insert_org_policy(db, row)
        return {
            "Policy": {"PolicySummary": policy_summary(org, row), "Content": content}
        }


@OPERATIONS.operation("organizations", "DescribePolicy")
def describe_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """A policy's summary and content."""
    with backend.read() as db:
        org = enter(backend, call, db)
        row = get_org_policy(db, required(params, "PolicyId"))
        if row is not None:
            context = {"organizations:PolicyType": row.type}
            permit(org, "DescribePolicy", [org.policy_arn(row)], context)
        row = require_policy(db, params)
    return {
        "Policy": {"PolicySummary": policy_summary(org, row), "Content": row.content}
    }


def _customer_policy(
    org: OrgScope, db: Connection, params: Params, action: str
) -> OrgPolicyRow:
    """The policy ``params`` names, once ``action`` on it is allowed.

    AWS managed policies (FullAWSAccess, RCPFullAWSAccess) are refused.
    """
    row = require_policy(db, params)
    permit(org, action, [org.policy_arn(row)], {"organizations:PolicyType": row.type})
    _refuse_aws_managed(row)
    return row


@OPERATIONS.operation("organizations", "UpdatePolicy")
def update_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Change a customer managed policy's name, description or content."""
    with backend.transaction() as db:
        org = enter(backend, call, db)
        row = _customer_policy(org, db, params, "UpdatePolicy")
        name = params.get("Name") or row.name
        description = params.get("Description")
        content = row.content
        if params.get("Content") is not None:
            content = _content(row.type, params, str(name))
        _duplicate_name(db, row.type, str(name), row.id)
        updated = OrgPolicyRow(
            row.id,
            row.type,
            str(name),
            row.description if description is None else str(description),
            content,
            False,
            row.tags,
        )
        update_org_policy(db, updated)
    return {
        "Policy": {"PolicySummary": policy_summary(org, updated), "Content": content}
    }


@OPERATIONS.operation("organizations", "DeletePolicy")
def delete_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a customer managed policy that is attached nowhere."""
    with backend.transaction() as db:
        org = enter(backend, call, db)
        row = _customer_policy(org, db, params, "DeletePolicy")
        if targets_for_policy(db, row.id):
            raise org_error(
                "PolicyInUseException",
                "The policy is attached to one or more entities. You must detach it "
                "from all roots, OUs, and accounts before performing this operation.",
            )
        delete_org_policy(db, row.id)
    return {}


@OPERATIONS.operation("organizations", "ListPolicies")
def list_policies(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The organization's policies of one type."""
    kind = policy_type_param(params, "Filter")
    with backend.read() as db:
        org = enter(backend, call, db)
        permit(org, "ListPolicies", context={"organizations:PolicyType": kind})
        page, extra = paginate(org_policies(db, kind), params)
    return {"Policies": [policy_summary(org, row) for row in page], **extra}


def _attachment_frame(
    backend: StoreBackend, call: Call, db: Connection, params: Params, action: str
) -> tuple[OrgScope, OrgPolicyRow, str]:
    org = enter(backend, call, db)
    row = require_policy(db, params)
    target = required(params, "TargetId")
    context = {"organizations:PolicyType": row.type}
    permit(org, action, [org.policy_arn(row), org.target_arn(target)], context)
    if not target_exists(db, target):
        raise target_not_found()
    return org, row, target


@OPERATIONS.operation("organizations", "AttachPolicy")
def attach_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Attach a policy of an enabled type to a root, OU or account."""
    with backend.transaction() as db:
        _, row, target = _attachment_frame(backend, call, db, params, "AttachPolicy")
        if row.type not in enabled_types(db):
            raise org_error(
                "PolicyTypeNotEnabledException",
                "The specified policy type isn't currently enabled in this root. You "
                "can't attach policies of the specified type to entities in a root "
                "until you enable that type in the root.",
            )
        attached = policies_for_target(db, target, row.type)
        if any(policy.id == row.id for policy in attached):
            raise org_error(
                "DuplicatePolicyAttachmentException",
                "The selected policy is already attached to the specified target.",
            )
        counted = [p for p in attached if p.id != FULL_ACCESS_RCP_ID]
        if len(counted) >= POLICIES_PER_TARGET:
            raise constraint(
                "POLICY_NUMBER_LIMIT_EXCEEDED",
                "You attempted to exceed the number of policies of a certain type "
                "that you can attach to an entity.",
            )
        attach_org_policy(db, row.id, target)
    return {}


@OPERATIONS.operation("organizations", "DetachPolicy")
def detach_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Detach a policy; a target keeps one SCP, and RCPFullAWSAccess stays."""
    with backend.transaction() as db:
        _, row, target = _attachment_frame(backend, call, db, params, "DetachPolicy")
        attached = policies_for_target(db, target, row.type)
        if all(policy.id != row.id for policy in attached):
            raise org_error(
                "PolicyNotAttachedException",
                "The policy isn't attached to the specified target in the specified "
                "root.",
            )
        if row.id == FULL_ACCESS_RCP_ID:
            raise constraint(
                "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                "You can't detach the RCPFullAWSAccess policy.",
            )
        if row.type == SCP and len(attached) == 1:
            raise constraint(
                "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                "You attempted to detach a policy from an entity that would leave it "
                "with fewer than the minimum number of policies of that type.",
            )
        detach_org_policy(db, row.id, target)
    return {}


@OPERATIONS.operation("organizations", "ListPoliciesForTarget")
def list_policies_for_target(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """The policies of one type attached directly to a root, OU or account."""
    kind = policy_type_param(params, "Filter")
    with backend.read() as db:
        org = enter(backend, call, db)
        target = required(params, "TargetId")
        context = {"organizations:PolicyType": kind}
        permit(org, "ListPoliciesForTarget", [org.target_arn(target)], context)
        if not target_exists(db, target):
            raise target_not_found()
        page, extra = paginate(policies_for_target(db, target, kind), params)
    return {"Policies": [policy_summary(org, row) for row in page], **extra}


def _target_shape(db: Connection, org: OrgScope, target: str) -> Result:
    if target.startswith("r-"):
        root = get_root(db, target)
        kind, name = "ROOT", "Root" if root is None else root.name
    elif target.startswith("ou-"):
        unit = get_unit(db, target)
        kind, name = "ORGANIZATIONAL_UNIT", "" if unit is None else unit.name
    else:
        account = get_account(db, target)
        kind, name = "ACCOUNT", "" if account is None else account.name
    return {
        "TargetId": target,
        "Arn": org.target_arn(target),
        "Name": name,
        "Type": kind,
    }


@OPERATIONS.operation("organizations", "ListTargetsForPolicy")
def list_targets_for_policy(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """The roots, OUs and accounts a policy is attached to."""
    with backend.read() as db:
        org = enter(backend, call, db)
        row = require_policy(db, params)
        context = {"organizations:PolicyType": row.type}
        permit(org, "ListTargetsForPolicy", [org.policy_arn(row)], context)
        page, extra = paginate(targets_for_policy(db, row.id), params)
        return {"Targets": [_target_shape(db, org, t) for t in page], **extra}
