"""GetAccountAuthorizationDetails: every user, group, role and managed policy
of the account with their policies, in one paginated listing.

As "GetAccountAuthorizationDetails" (IAM API Reference) describes, Filter
picks among ``User``, ``Role``, ``Group``, ``LocalManagedPolicy`` and
``AWSManagedPolicy`` (all when absent); AWS managed policies appear only
when something in the account uses them. A page holds at most MaxItems
entries across the four lists.

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import (
    Scope,
    boundary_of,
    group_shape,
    policy_shape,
    profile_shape,
    role_shape,
    user_shape,
    version_shape,
)
from iamsim.services.iam_common import paginate
from iamsim.services.iam_errors import validation_error
from iamsim.services.iam_validate import string_list
from iamsim.world.store_iam import (
    groups_of_user,
    list_groups,
    list_roles,
    list_users,
    profiles_of_role,
)
from iamsim.world.store_policies import (
    attached_anywhere,
    attached_arns,
    get_policy,
    list_inline,
    list_policies,
    list_versions,
)
from iamsim.world.store_rows import EntityKind

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

FILTERS = ("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")
_LISTS = {
    "user": "UserDetailList",
    "group": "GroupDetailList",
    "role": "RoleDetailList",
    "policy": "Policies",
}


def _inline(db: Connection, scope: Scope, kind: EntityKind, name: str) -> list[Result]:
    return [
        {"PolicyName": row.policy_name, "PolicyDocument": row.document}
        for row in list_inline(db, scope.account, kind, name)
    ]


def _attached(
    db: Connection, scope: Scope, kind: EntityKind, name: str
) -> list[Result]:
    found = []
    for arn in attached_arns(db, scope.account, kind, name):
        row = get_policy(db, arn)
        if row is not None:
            found.append({"PolicyName": row.name, "PolicyArn": arn})
    return found


def _boundary(db: Connection, scope: Scope, kind: EntityKind, name: str) -> Result:
    arn = boundary_of(db, scope, kind, name)
    if arn is None:
        return {}
    return {
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": arn,
        }
    }


def _items(db: Connection, scope: Scope, wanted: set[str]) -> list[tuple[str, Result]]:
    items: list[tuple[str, Result]] = []
    if "User" in wanted:
        for user in list_users(db, scope.account):
            shape = user_shape(scope, user)
            shape["UserPolicyList"] = _inline(db, scope, EntityKind.USER, user.name)
            shape["GroupList"] = [
                g.name for g in groups_of_user(db, scope.account, user.name)
            ]
            shape["AttachedManagedPolicies"] = _attached(
                db, scope, EntityKind.USER, user.name
            )
            shape.update(_boundary(db, scope, EntityKind.USER, user.name))
            if user.tags:
                shape["Tags"] = [{"Key": k, "Value": v} for k, v in user.tags]
            items.append(("user", shape))
    if "Group" in wanted:
        for group in list_groups(db, scope.account):
            shape = group_shape(scope, group)
            shape["GroupPolicyList"] = _inline(db, scope, EntityKind.GROUP, group.name)
            shape["AttachedManagedPolicies"] = _attached(
                db, scope, EntityKind.GROUP, group.name
            )
            items.append(("group", shape))
    if "Role" in wanted:
        for role in list_roles(db, scope.account):
            shape = role_shape(scope, role, full=True)
            # RoleDetail has no Description or MaxSessionDuration member.
            shape.pop("Description", None)
            shape.pop("MaxSessionDuration", None)
            shape.update(_boundary(db, scope, EntityKind.ROLE, role.name))
            shape["InstanceProfileList"] = [
                profile_shape(db, scope, profile)
                for profile in profiles_of_role(db, scope.account, role.name)
            ]
            shape["RolePolicyList"] = _inline(db, scope, EntityKind.ROLE, role.name)
            shape["AttachedManagedPolicies"] = _attached(
                db, scope, EntityKind.ROLE, role.name
            )
            items.append(("role", shape))
    items.extend(("policy", shape) for shape in _policies(db, scope, wanted))
    return items


def _policies(db: Connection, scope: Scope, wanted: set[str]) -> list[Result]:
    owners: list[str] = []
    if "LocalManagedPolicy" in wanted:
        owners.append(scope.account)
    if "AWSManagedPolicy" in wanted:
        owners.append("aws")
    if not owners:
        return []
    used = attached_anywhere(db, scope.account)
    shapes = []
    for row in list_policies(db, tuple(owners)):
        if row.aws_managed and row.arn not in used:
            continue
        shape = policy_shape(db, row, full=True)
        shape.pop("Tags", None)
        shape["PolicyVersionList"] = [
            version_shape(version, row.default_version)
            for version in list_versions(db, row.arn)
        ]
        shapes.append(shape)
    return shapes


@OPERATIONS.operation("iam", "GetAccountAuthorizationDetails")
def get_account_authorization_details(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Users, groups, roles and managed policies with all their policies."""
    scope = Scope.of(backend, call)
    chosen = string_list(params, "Filter")
    for item in chosen:
        if item not in FILTERS:
            raise validation_error(
                f"Value '{item}' at 'filter' failed to satisfy constraint: Member "
                f"must satisfy enum value set: [{', '.join(FILTERS)}]"
            )
    wanted = set(chosen or FILTERS)
    scope.authorize("iam:GetAccountAuthorizationDetails", "*")
    with backend.read() as db:
        items = _items(db, scope, wanted)
    page, extra = paginate(items, params)
    result: dict[str, Any] = {key: [] for key in _LISTS.values()}
    for kind, shape in page:
        result[_LISTS[kind]].append(shape)
    return {**result, **extra}
