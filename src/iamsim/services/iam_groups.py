"""IAM groups and membership: Create/Get/List/DeleteGroup, Add/RemoveUserToGroup,
ListGroupsForUser.

Rules from the IAM API Reference and "IAM object quotas": group names are
1 to 128 characters and unique without case; a user belongs to at most 10
groups; a group can be deleted only once it has no members and no policies
("DeleteGroup").

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import (
    Scope,
    group_shape,
    require_group,
    require_user,
    user_shape,
)
from iamsim.services.iam_common import GROUP_ID_PREFIX, list_arn, paginate, unique_id
from iamsim.services.iam_errors import (
    delete_conflict,
    entity_exists,
    limit_exceeded,
    no_such_entity,
)
from iamsim.services.iam_users import LOOKUP_NAME_MAX, user_context
from iamsim.services.iam_validate import LONG_NAME_MAX, name, path, path_prefix
from iamsim.world.store_iam import (
    add_member,
    delete_group,
    get_group,
    get_user,
    group_members,
    groups_of_user,
    insert_group,
    list_groups,
    remove_member,
)
from iamsim.world.store_policies import attached_arns, list_inline
from iamsim.world.store_rows import EntityKind, GroupRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM object quotas": groups an IAM user can be a member of.
GROUPS_PER_USER = 10


@OPERATIONS.operation("iam", "CreateGroup")
def create_group(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create an empty group."""
    scope = Scope.of(backend, call)
    group_name = name(params, "GroupName", LONG_NAME_MAX)
    group_path = path(params)
    with backend.transaction() as db:
        scope.authorize("iam:CreateGroup", scope.arn("group", group_path, group_name))
        if get_group(db, scope.account, group_name) is not None:
            raise entity_exists(f"Group with name {group_name} already exists.")
        row = GroupRow(
            scope.account, group_name, group_path, unique_id(GROUP_ID_PREFIX), call.now
        )
        insert_group(db, row)
    return {"Group": group_shape(scope, row)}


@OPERATIONS.operation("iam", "GetGroup")
def get_group_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Describe a group and list its members, a page at a time."""
    scope = Scope.of(backend, call)
    group_name = name(params, "GroupName", LONG_NAME_MAX)
    with backend.read() as db:
        row = get_group(db, scope.account, group_name)
        scope.authorize("iam:GetGroup", scope.group_arn(row, group_name))
        row = require_group(db, scope, group_name)
        users = group_members(db, scope.account, row.name)
    page, extra = paginate(users, params)
    return {
        "Group": group_shape(scope, row),
        "Users": [user_shape(scope, user) for user in page],
        **extra,
    }


@OPERATIONS.operation("iam", "ListGroups")
def list_groups_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List the account's groups under a path prefix."""
    scope = Scope.of(backend, call)
    prefix = path_prefix(params)
    resource = list_arn(scope.partition, scope.account, "group", prefix)
    scope.authorize("iam:ListGroups", resource)
    with backend.read() as db:
        rows = list_groups(db, scope.account, prefix)
    page, extra = paginate(rows, params)
    return {"Groups": [group_shape(scope, row) for row in page], **extra}


@OPERATIONS.operation("iam", "DeleteGroup")
def delete_group_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a group without members or policies."""
    scope = Scope.of(backend, call)
    group_name = name(params, "GroupName", LONG_NAME_MAX)
    with backend.transaction() as db:
        row = get_group(db, scope.account, group_name)
        scope.authorize("iam:DeleteGroup", scope.group_arn(row, group_name))
        row = require_group(db, scope, group_name)
        if group_members(db, scope.account, row.name):
            raise delete_conflict(
                "Cannot delete entity, must remove users from group first."
            )
        if list_inline(db, scope.account, EntityKind.GROUP, row.name):
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        if attached_arns(db, scope.account, EntityKind.GROUP, row.name):
            raise delete_conflict(
                "Cannot delete entity, must detach all policies first."
            )
        delete_group(db, scope.account, row.name)
    return {}


@OPERATIONS.operation("iam", "AddUserToGroup")
def add_user_to_group(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Make a user a member of a group (at most 10 groups per user)."""
    scope = Scope.of(backend, call)
    group_name = name(params, "GroupName", LONG_NAME_MAX)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    with backend.transaction() as db:
        group = get_group(db, scope.account, group_name)
        scope.authorize("iam:AddUserToGroup", scope.group_arn(group, group_name))
        group = require_group(db, scope, group_name)
        user = require_user(db, scope, user_name)
        current = groups_of_user(db, scope.account, user.name)
        if any(g.name.lower() == group.name.lower() for g in current):
            return {}
        if len(current) >= GROUPS_PER_USER:
            raise limit_exceeded(
                f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"
            )
        add_member(db, scope.account, group.name, user.name)
    return {}


@OPERATIONS.operation("iam", "RemoveUserFromGroup")
def remove_user_from_group(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Remove a user from a group it belongs to."""
    scope = Scope.of(backend, call)
    group_name = name(params, "GroupName", LONG_NAME_MAX)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    with backend.transaction() as db:
        group = get_group(db, scope.account, group_name)
        scope.authorize("iam:RemoveUserFromGroup", scope.group_arn(group, group_name))
        group = require_group(db, scope, group_name)
        user = require_user(db, scope, user_name)
        if not remove_member(db, scope.account, group.name, user.name):
            raise no_such_entity(f"User {user.name} is not in group {group.name}.")
    return {}


@OPERATIONS.operation("iam", "ListGroupsForUser")
def list_groups_for_user(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List the groups a user belongs to."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    with backend.read() as db:
        user = get_user(db, scope.account, user_name)
        resource = scope.user_arn(user, user_name)
        scope.authorize("iam:ListGroupsForUser", resource, user_context(user))
        user = require_user(db, scope, user_name)
        rows = groups_of_user(db, scope.account, user.name)
    page, extra = paginate(rows, params)
    return {"Groups": [group_shape(scope, row) for row in page], **extra}
