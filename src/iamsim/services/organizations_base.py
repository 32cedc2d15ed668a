"""The frame of an Organizations call: errors, the caller's organization,
authorization, pagination and result shapes.

Only the management account may call most operations; a member gets
``AccessDeniedException`` and an account outside any organization
``AWSOrganizationsNotInUseException`` (AWS Organizations API Reference,
"Common errors" of each operation). IAM authorizes each call with the
resource ARN formats of the Service Authorization Reference ("Actions,
resources, and condition keys for AWS Organizations"), and its refusals are
reported with Organizations' own ``AccessDeniedException``. Lists page with
``MaxResults`` (at most 20) and ``NextToken``.

Imports only iamsim.errors, iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any, TypeVar

from iamsim.errors import Unsupported
from iamsim.policy.model import PolicyKind
from iamsim.services.api import Call, Params, Result, ServiceError
from iamsim.services.organizations_state import RCP, SCP
from iamsim.world.store_iam import get_account
from iamsim.world.store_org import (
    CreateAccountRow,
    OrgAccountRow,
    OrganizationRow,
    OrgPolicyRow,
    OrgUnitRow,
    RootRow,
    get_member,
    get_org_policy,
    get_organization,
    get_root,
    get_unit,
    list_roots,
)

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend


T = TypeVar("T")

POLICY_KINDS = {SCP: PolicyKind.SCP, RCP: PolicyKind.RCP}
#: Organizations list operations return at most 20 items a page.
PAGE_MAX = 20


# Errors


def org_error(code: str, message: str) -> ServiceError:
    return ServiceError(code, message, status=400)


def not_in_use() -> ServiceError:
    return org_error(
        "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization.",
    )


def access_denied_exception(message: str) -> ServiceError:
    return org_error("AccessDeniedException", message)


def not_management() -> ServiceError:
    return access_denied_exception(
        "You don't have permissions to access this resource."
    )


def policy_not_found() -> ServiceError:
    return org_error(
        "PolicyNotFoundException",
        "We can't find a policy with the PolicyId that you specified.",
    )


def target_not_found() -> ServiceError:
    return org_error(
        "TargetNotFoundException",
        "We can't find a root, OU, account, or policy with the TargetId that you "
        "specified.",
    )


def parent_not_found(code: str = "ParentNotFoundException") -> ServiceError:
    return org_error(
        code, "We can't find a root or OU with the ParentId that you specified."
    )


def root_not_found() -> ServiceError:
    return org_error(
        "RootNotFoundException",
        "We can't find a root with the RootId that you specified.",
    )


def constraint(reason: str, message: str) -> ServiceError:
    return org_error("ConstraintViolationException", f"{message} (Reason: {reason})")


def invalid(message: str) -> ServiceError:
    return org_error("InvalidInputException", message)


# The frame of a call


@dataclass(frozen=True)
class OrgScope:
    """The organization as one call sees it."""

    backend: StoreBackend
    call: Call
    row: OrganizationRow
    partition: str

    @property
    def management(self) -> str:
        return self.row.management_account

    def arn(self, kind: str, *parts: str) -> str:
        tail = "/".join((self.row.id, *parts))
        return f"arn:{self.partition}:organizations::{self.management}:{kind}/{tail}"

    @property
    def org_arn(self) -> str:
        head = f"arn:{self.partition}:organizations::{self.management}"
        return f"{head}:organization/{self.row.id}"

    def account_arn(self, account: str) -> str:
        return self.arn("account", account)

    def policy_arn(self, row: OrgPolicyRow) -> str:
        kind = row.type.lower()
        if row.aws_managed:
            return f"arn:aws:organizations::aws:policy/{kind}/{row.id}"
        return self.arn("policy", kind, row.id)

    def target_arn(self, target: str) -> str:
        if target.startswith("r-"):
            return self.arn("root", target)
        if target.startswith("ou-"):
            return self.arn("ou", target)
        return self.account_arn(target)

    def authorize(
        self, action: str, resource: str, context: dict[str, Any] | None = None
    ) -> None:
        authorize(self.backend, self.call, action, resource, context)


def authorize(
    backend: StoreBackend,
    call: Call,
    action: str,
    resource: str,
    context: dict[str, Any] | None = None,
) -> None:
    """IAM authorization, refused with Organizations' AccessDeniedException."""
    try:
        backend.authorize(call, f"organizations:{action}", resource, context)
    except ServiceError as error:
        if error.code != "AccessDenied":
            raise
        raise access_denied_exception(str(error.message)) from None


def enter(backend: StoreBackend, call: Call, db: Connection) -> OrgScope:
    """The caller's organization, or AWSOrganizationsNotInUseException."""
    row = get_organization(db)
    if row is None or get_member(db, call.caller.account) is None:
        raise not_in_use()
    return OrgScope(backend, call, row, backend.partition(row.management_account))


def permit(
    org: OrgScope,
    action: str,
    resources: Sequence[str] = ("*",),
    context: dict[str, Any] | None = None,
    *,
    management_only: bool = True,
) -> None:
    """Authorize ``action`` on each resource, then insist on the management account."""
    for resource in resources:
        org.authorize(action, resource, context)
    if management_only and org.call.caller.account != org.management:
        raise not_management()


def frame(
    backend: StoreBackend,
    call: Call,
    db: Connection,
    action: str,
    *,
    management_only: bool = True,
) -> OrgScope:
    """Enter the organization and authorize an action on ``*``."""
    org = enter(backend, call, db)
    permit(org, action, management_only=management_only)
    return org


def paginate(items: Sequence[T], params: Params) -> tuple[list[T], Result]:
    size = params.get("MaxResults")
    if size is not None and (
        isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= PAGE_MAX
    ):
        raise invalid(f"MaxResults must be between 1 and {PAGE_MAX}.")
    limit = size or PAGE_MAX
    token = params.get("NextToken")
    start = 0
    if token is not None:
        try:
            start = int(base64.urlsafe_b64decode(str(token).encode()).decode())
        except ValueError:
            raise invalid("The NextToken is not valid.") from None
    page = list(items[start : start + limit])
    extra: Result = {}
    if start + limit < len(items):
        extra["NextToken"] = base64.urlsafe_b64encode(
            str(start + limit).encode()
        ).decode()
    return page, extra


def required(params: Params, member: str) -> str:
    value = params.get(member)
    if not isinstance(value, str) or not value:
        raise invalid(
            "You provided a value that does not match the required pattern for "
            f"{member}."
        )
    return value


# Shapes


def organization_shape(db: Connection, org: OrgScope) -> Result:
    management = get_account(db, org.management)
    return {
        "Id": org.row.id,
        "Arn": org.org_arn,
        "FeatureSet": org.row.feature_set,
        "MasterAccountArn": org.account_arn(org.management),
        "MasterAccountId": org.management,
        "MasterAccountEmail": "" if management is None else management.email,
        "AvailablePolicyTypes": [],
    }


def root_shape(org: OrgScope, root: RootRow) -> Result:
    return {
        "Id": root.id,
        "Arn": org.arn("root", root.id),
        "Name": root.name,
        "PolicyTypes": [
            {"Type": kind, "Status": "ENABLED"} for kind in root.policy_types
        ],
    }


def unit_path(db: Connection, org: OrgScope, unit_id: str) -> str:
    chain = [unit_id]
    unit = get_unit(db, unit_id)
    while unit is not None:
        chain.append(unit.parent_id)
        unit = get_unit(db, unit.parent_id)
    return "/".join((org.row.id, *reversed(chain))) + "/"


def unit_shape(db: Connection, org: OrgScope, unit: OrgUnitRow) -> Result:
    return {
        "Id": unit.id,
        "Arn": org.arn("ou", unit.id),
        "Name": unit.name,
        "Path": unit_path(db, org, unit.id),
    }


def account_shape(db: Connection, org: OrgScope, member: OrgAccountRow) -> Result:
    account = get_account(db, member.account_id)
    return {
        "Id": member.account_id,
        "Arn": org.account_arn(member.account_id),
        "Email": "" if account is None else account.email,
        "Name": "" if account is None else account.name,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": member.joined_method,
        "JoinedTimestamp": member.joined,
    }


def policy_summary(org: OrgScope, row: OrgPolicyRow) -> Result:
    return {
        "Id": row.id,
        "Arn": org.policy_arn(row),
        "Name": row.name,
        "Description": row.description,
        "Type": row.type,
        "AwsManaged": row.aws_managed,
    }


def status_shape(row: CreateAccountRow) -> Result:
    shape: Result = {
        "Id": row.id,
        "AccountName": row.account_name,
        "State": row.state,
        "RequestedTimestamp": row.requested,
    }
    if row.completed is not None:
        shape["CompletedTimestamp"] = row.completed
    if row.account_id is not None:
        shape["AccountId"] = row.account_id
    if row.failure_reason is not None:
        shape["FailureReason"] = row.failure_reason
    return shape


# Targets and parents


def parent_exists(db: Connection, parent: str) -> bool:
    if parent.startswith("r-"):
        return get_root(db, parent) is not None
    return parent.startswith("ou-") and get_unit(db, parent) is not None


def require_parent(db: Connection, params: Params, member: str = "ParentId") -> str:
    parent = required(params, member)
    if not parent_exists(db, parent):
        raise parent_not_found()
    return parent


def target_exists(db: Connection, target: str) -> bool:
    if target.startswith(("r-", "ou-")):
        return parent_exists(db, target)
    return get_member(db, target) is not None


def require_policy(db: Connection, params: Params) -> OrgPolicyRow:
    row = get_org_policy(db, required(params, "PolicyId"))
    if row is None or row.type not in POLICY_KINDS:
        raise policy_not_found()
    return row


def policy_type_param(params: Params, member: str) -> str:
    kind = required(params, member)
    if kind not in POLICY_KINDS:
        raise Unsupported(
            f"policy type {kind!r} is not emulated",
            where=member,
            hint="iamsim emulates SERVICE_CONTROL_POLICY and RESOURCE_CONTROL_POLICY",
        )
    return kind


def enabled_types(db: Connection) -> tuple[str, ...]:
    roots = list_roots(db)
    return () if not roots else roots[0].policy_types
