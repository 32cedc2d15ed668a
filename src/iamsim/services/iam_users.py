"""IAM users: CreateUser, GetUser, ListUsers, UpdateUser, DeleteUser and tags.

Rules from the IAM API Reference pages of these operations: user names are
unique in the account without regard to case; renaming needs permission on
both the old and the new name ("UpdateUser"); a user can be deleted only
after its access keys, inline and attached policies and group memberships
are gone ("DeleteUser"); a user carries at most 50 tags ("IAM object
quotas"). GetUser without a name describes the caller.

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamsim.services.api import OPERATIONS, Call, Params, Result, ServiceError
from iamsim.services.iam_base import (
    Scope,
    boundary_context,
    boundary_of,
    require_attachable,
    require_user,
    tags_shape,
    user_shape,
)
from iamsim.services.iam_common import (
    USER_ID_PREFIX,
    caller_user_name,
    is_root_caller,
    list_arn,
    merged,
    paginate,
    resource_tag_context,
    root_arn,
    tag_keys_context,
    tag_request_context,
    unique_id,
)
from iamsim.services.iam_errors import delete_conflict, entity_exists, limit_exceeded
from iamsim.services.iam_validate import (
    TAGS_MAX,
    USER_NAME_MAX,
    drop_tags,
    merge_tags,
    name,
    optional_name,
    optional_str,
    path,
    path_prefix,
    tag_keys,
    tags,
)
from iamsim.world.store_iam import (
    access_keys_of,
    delete_user,
    get_account,
    get_user,
    groups_of_user,
    insert_user,
    list_users,
    rename_user,
    set_user_tags,
)
from iamsim.world.store_policies import attached_arns, list_inline, set_boundary
from iamsim.world.store_rows import EntityKind, UserRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: The name length GetUser and friends accept (wider than CreateUser's 64).
LOOKUP_NAME_MAX = 128


def non_user_credentials() -> ServiceError:
    """What IAM says when a user-scoped call omits UserName from a non-user."""
    return ServiceError(
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
    )


def user_context(row: UserRow | None) -> dict[str, object]:
    return {} if row is None else resource_tag_context(row.tags)


@OPERATIONS.operation("iam", "CreateUser")
def create_user(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create an IAM user, optionally with a permissions boundary and tags."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", USER_NAME_MAX)
    user_path = path(params)
    user_tags = tags(params)
    boundary = optional_str(params, "PermissionsBoundary")
    arn = scope.arn("user", user_path, user_name)
    context = merged(tag_request_context(user_tags), boundary_context(boundary))
    with backend.transaction() as db:
        scope.authorize("iam:CreateUser", arn, context)
        if get_user(db, scope.account, user_name) is not None:
            raise entity_exists(f"User with name {user_name} already exists.")
        if boundary is not None:
            require_attachable(db, scope, boundary)
        ident = unique_id(USER_ID_PREFIX)
        insert_user(
            db,
            UserRow(scope.account, user_name, user_path, ident, call.now, user_tags),
        )
        if boundary is not None:
            set_boundary(db, scope.account, EntityKind.USER, user_name, boundary)
        created = require_user(db, scope, user_name)
    return {"User": user_shape(scope, created, full=True, boundary=boundary)}


@OPERATIONS.operation("iam", "GetUser")
def get_user_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Describe a user, or the caller when no name is given."""
    scope = Scope.of(backend, call)
    user_name = optional_name(params, "UserName", LOOKUP_NAME_MAX)
    if user_name is None:
        if is_root_caller(call):
            return _root_user(backend, scope)
        user_name = caller_user_name(call)
        if user_name is None:
            raise non_user_credentials()
    with backend.read() as db:
        row = get_user(db, scope.account, user_name)
        scope.authorize(
            "iam:GetUser", scope.user_arn(row, user_name), user_context(row)
        )
        row = require_user(db, scope, user_name)
        boundary = boundary_of(db, scope, EntityKind.USER, row.name)
    return {"User": user_shape(scope, row, full=True, boundary=boundary)}


def _root_user(backend: StoreBackend, scope: Scope) -> Result:
    arn = root_arn(scope.partition, scope.account)
    scope.authorize("iam:GetUser", arn)
    account = get_account(backend.store.connection(), scope.account)
    shape: Result = {"UserId": scope.account, "Arn": arn, "Path": "/"}
    if account is not None:
        shape["CreateDate"] = account.created
    return {"User": shape}


@OPERATIONS.operation("iam", "ListUsers")
def list_users_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List the account's users under a path prefix, by name."""
    scope = Scope.of(backend, call)
    prefix = path_prefix(params)
    scope.authorize(
        "iam:ListUsers", list_arn(scope.partition, scope.account, "user", prefix)
    )
    with backend.read() as db:
        rows = list_users(db, scope.account, prefix)
    page, extra = paginate(rows, params)
    return {"Users": [user_shape(scope, row) for row in page], **extra}


@OPERATIONS.operation("iam", "UpdateUser")
def update_user(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Rename a user or change its path; both names must be allowed."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    new_name = optional_name(params, "NewUserName", USER_NAME_MAX)
    new_path = None if params.get("NewPath") is None else path(params, "NewPath")
    with backend.transaction() as db:
        row = get_user(db, scope.account, user_name)
        scope.authorize(
            "iam:UpdateUser", scope.user_arn(row, user_name), user_context(row)
        )
        row = require_user(db, scope, user_name)
        target_name = new_name or row.name
        target_path = new_path or row.path
        if new_name is not None:
            target = scope.arn("user", target_path, target_name)
            scope.authorize("iam:UpdateUser", target, user_context(row))
            clash = get_user(db, scope.account, new_name)
            if clash is not None and clash.id != row.id:
                raise entity_exists(f"User with name {new_name} already exists.")
        rename_user(db, scope.account, row.name, target_name, target_path)
    return {}


@OPERATIONS.operation("iam", "DeleteUser")
def delete_user_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a user that no longer has keys, policies or groups."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    with backend.transaction() as db:
        row = get_user(db, scope.account, user_name)
        scope.authorize(
            "iam:DeleteUser", scope.user_arn(row, user_name), user_context(row)
        )
        row = require_user(db, scope, user_name)
        if access_keys_of(db, scope.account, row.name):
            raise delete_conflict(
                "Cannot delete entity, must delete access keys first."
            )
        if list_inline(db, scope.account, EntityKind.USER, row.name):
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        if attached_arns(db, scope.account, EntityKind.USER, row.name):
            raise delete_conflict(
                "Cannot delete entity, must detach all policies first."
            )
        if groups_of_user(db, scope.account, row.name):
            raise delete_conflict(
                "Cannot delete entity, must remove users from group first."
            )
        delete_user(db, scope.account, row.name)
    return {}


@OPERATIONS.operation("iam", "TagUser")
def tag_user(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Add or overwrite tags on a user; keys compare without case."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    added = tags(params, required=True)
    with backend.transaction() as db:
        row = get_user(db, scope.account, user_name)
        context = merged(user_context(row), tag_request_context(added))
        scope.authorize("iam:TagUser", scope.user_arn(row, user_name), context)
        row = require_user(db, scope, user_name)
        combined = merge_tags(row.tags, added, ignore_case=True)
        if len(combined) > TAGS_MAX:
            raise limit_exceeded("The number of tags has reached the maximum limit.")
        set_user_tags(db, scope.account, row.name, combined)
    return {}


@OPERATIONS.operation("iam", "UntagUser")
def untag_user(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Remove tags from a user; absent keys are ignored."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    keys = tag_keys(params)
    with backend.transaction() as db:
        row = get_user(db, scope.account, user_name)
        context = merged(user_context(row), tag_keys_context(keys))
        scope.authorize("iam:UntagUser", scope.user_arn(row, user_name), context)
        row = require_user(db, scope, user_name)
        remaining = drop_tags(row.tags, keys, ignore_case=True)
        set_user_tags(db, scope.account, row.name, remaining)
    return {}


@OPERATIONS.operation("iam", "ListUserTags")
def list_user_tags(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List a user's tags in the order they were added."""
    scope = Scope.of(backend, call)
    user_name = name(params, "UserName", LOOKUP_NAME_MAX)
    with backend.read() as db:
        row = get_user(db, scope.account, user_name)
        scope.authorize(
            "iam:ListUserTags", scope.user_arn(row, user_name), user_context(row)
        )
        row = require_user(db, scope, user_name)
    page, extra = paginate(row.tags, params)
    return {"Tags": tags_shape(tuple(page)), **extra}
