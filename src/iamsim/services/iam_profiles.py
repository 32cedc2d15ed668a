"""Instance profiles: Create/Get/List/DeleteInstanceProfile and
Add/RemoveRoleFromInstanceProfile.

Rules from the IAM API Reference and "IAM object quotas": an instance
profile holds at most one role; adding a role requires ``iam:PassRole`` on
it ("AddRoleToInstanceProfile"), since instances will act as the role; a
profile can be deleted only once it holds no role.

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import Scope, profile_shape, require_profile, require_role
from iamsim.services.iam_common import (
    PROFILE_ID_PREFIX,
    list_arn,
    paginate,
    tag_request_context,
    unique_id,
)
from iamsim.services.iam_errors import (
    delete_conflict,
    entity_exists,
    limit_exceeded,
    no_such_entity,
)
from iamsim.services.iam_passrole import pass_role
from iamsim.services.iam_validate import (
    LONG_NAME_MAX,
    ROLE_NAME_MAX,
    name,
    path,
    path_prefix,
    tags,
)
from iamsim.world.store_iam import (
    add_profile_role,
    delete_instance_profile,
    get_instance_profile,
    insert_instance_profile,
    list_instance_profiles,
    profile_roles,
    remove_profile_role,
)
from iamsim.world.store_rows import InstanceProfileRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM object quotas": roles in an instance profile.
ROLES_PER_PROFILE = 1
#: The service that receives a role through an instance profile.
EC2_SERVICE = "ec2.amazonaws.com"


@OPERATIONS.operation("iam", "CreateInstanceProfile")
def create_instance_profile(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Create an empty instance profile."""
    scope = Scope.of(backend, call)
    profile_name = name(params, "InstanceProfileName", LONG_NAME_MAX)
    profile_path = path(params)
    profile_tags = tags(params)
    arn = scope.arn("instance-profile", profile_path, profile_name)
    with backend.transaction() as db:
        scope.authorize(
            "iam:CreateInstanceProfile", arn, tag_request_context(profile_tags)
        )
        if get_instance_profile(db, scope.account, profile_name) is not None:
            raise entity_exists(f"Instance Profile {profile_name} already exists.")
        row = InstanceProfileRow(
            scope.account,
            profile_name,
            profile_path,
            unique_id(PROFILE_ID_PREFIX),
            call.now,
            profile_tags,
        )
        insert_instance_profile(db, row)
        return {"InstanceProfile": profile_shape(db, scope, row)}


@OPERATIONS.operation("iam", "GetInstanceProfile")
def get_instance_profile_op(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Describe an instance profile and its role."""
    scope = Scope.of(backend, call)
    profile_name = name(params, "InstanceProfileName", LONG_NAME_MAX)
    with backend.read() as db:
        row = get_instance_profile(db, scope.account, profile_name)
        scope.authorize("iam:GetInstanceProfile", scope.profile_arn(row, profile_name))
        row = require_profile(db, scope, profile_name)
        return {"InstanceProfile": profile_shape(db, scope, row)}


@OPERATIONS.operation("iam", "ListInstanceProfiles")
def list_instance_profiles_op(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """List the account's instance profiles under a path prefix."""
    scope = Scope.of(backend, call)
    prefix = path_prefix(params)
    resource = list_arn(scope.partition, scope.account, "instance-profile", prefix)
    scope.authorize("iam:ListInstanceProfiles", resource)
    with backend.read() as db:
        rows = list_instance_profiles(db, scope.account, prefix)
        page, extra = paginate(rows, params)
        shapes = [profile_shape(db, scope, row) for row in page]
    return {"InstanceProfiles": shapes, **extra}


@OPERATIONS.operation("iam", "DeleteInstanceProfile")
def delete_instance_profile_op(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Delete an instance profile that holds no role."""
    scope = Scope.of(backend, call)
    profile_name = name(params, "InstanceProfileName", LONG_NAME_MAX)
    with backend.transaction() as db:
        row = get_instance_profile(db, scope.account, profile_name)
        scope.authorize(
            "iam:DeleteInstanceProfile", scope.profile_arn(row, profile_name)
        )
        row = require_profile(db, scope, profile_name)
        if profile_roles(db, scope.account, row.name):
            raise delete_conflict(
                "Cannot delete entity, must remove roles from instance profile first."
            )
        delete_instance_profile(db, scope.account, row.name)
    return {}


@OPERATIONS.operation("iam", "AddRoleToInstanceProfile")
def add_role_to_instance_profile(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Put a role in an empty instance profile; the caller must pass the role."""
    scope = Scope.of(backend, call)
    profile_name = name(params, "InstanceProfileName", LONG_NAME_MAX)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.transaction() as db:
        row = get_instance_profile(db, scope.account, profile_name)
        resource = scope.profile_arn(row, profile_name)
        scope.authorize("iam:AddRoleToInstanceProfile", resource)
        row = require_profile(db, scope, profile_name)
        role = require_role(db, scope, role_name)
        pass_role(backend, call, scope.role_arn(role, role.name), EC2_SERVICE)
        if len(profile_roles(db, scope.account, row.name)) >= ROLES_PER_PROFILE:
            raise limit_exceeded(
                "Cannot exceed quota for InstanceSessionsPerInstanceProfile: "
                f"{ROLES_PER_PROFILE}"
            )
        add_profile_role(db, scope.account, row.name, role.name)
    return {}


@OPERATIONS.operation("iam", "RemoveRoleFromInstanceProfile")
def remove_role_from_instance_profile(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Take a role out of an instance profile."""
    scope = Scope.of(backend, call)
    profile_name = name(params, "InstanceProfileName", LONG_NAME_MAX)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.transaction() as db:
        row = get_instance_profile(db, scope.account, profile_name)
        resource = scope.profile_arn(row, profile_name)
        scope.authorize("iam:RemoveRoleFromInstanceProfile", resource)
        row = require_profile(db, scope, profile_name)
        role = require_role(db, scope, role_name)
        if not remove_profile_role(db, scope.account, row.name, role.name):
            raise no_such_entity(
                f"Role {role.name} is not in instance profile {row.name}."
            )
    return {}
