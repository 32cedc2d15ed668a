"""The frame of an IAM operation: the caller's account, lookups and result shapes.

IAM is account-scoped: every operation works in the caller's account
("IAM identifiers", IAM User Guide), and names the resources there by ARN.
A lookup that finds nothing raises ``NoSuchEntity`` worded as IAM words it.
Shapes use the member names of the IAM API Reference's data types (``User``,
``Role``, ``Group``, ``Policy``, ``PolicyVersion``, ``InstanceProfile``);
list operations return fewer members than Get operations, as AWS's do
(ListUsers and ListRoles omit tags and permissions boundaries).

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

from iamsim.services.api import Call, Result
from iamsim.services.iam_common import entity_arn
from iamsim.services.iam_errors import no_such_entity
from iamsim.world.store_iam import (
    get_group,
    get_instance_profile,
    get_role,
    get_user,
    profile_roles,
)
from iamsim.world.store_policies import (
    attachment_count,
    boundary_usage_count,
    get_boundary,
    get_policy,
)
from iamsim.world.store_rows import (
    EntityKind,
    GroupRow,
    InstanceProfileRow,
    ManagedPolicyRow,
    PolicyVersionRow,
    RoleRow,
    TagPairs,
    UserRow,
)

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend


@dataclass(frozen=True)
class Scope:
    """One IAM call: its backend, caller, account and partition."""

    backend: StoreBackend
    call: Call
    account: str
    partition: str

    @classmethod
    def of(cls, backend: StoreBackend, call: Call) -> Scope:
        account = call.caller.account
        return cls(backend, call, account, backend.partition(account))

    def arn(self, kind: str, path: str, name: str) -> str:
        return entity_arn(self.partition, self.account, kind, path, name)

    def authorize(
        self, action: str, resource: str, context: Mapping[str, Any] | None = None
    ) -> None:
        self.backend.authorize(self.call, action, resource, context)

    def user_arn(self, row: UserRow | None, name: str) -> str:
        if row is None:
            return self.arn("user", "/", name)
        return self.arn("user", row.path, row.name)

    def role_arn(self, row: RoleRow | None, name: str) -> str:
        if row is None:
            return self.arn("role", "/", name)
        return self.arn("role", row.path, row.name)

    def group_arn(self, row: GroupRow | None, name: str) -> str:
        if row is None:
            return self.arn("group", "/", name)
        return self.arn("group", row.path, row.name)

    def profile_arn(self, row: InstanceProfileRow | None, name: str) -> str:
        if row is None:
            return self.arn("instance-profile", "/", name)
        return self.arn("instance-profile", row.path, row.name)


# Lookups that must find something


def require_user(db: Connection, scope: Scope, name: str) -> UserRow:
    row = get_user(db, scope.account, name)
    if row is None:
        raise no_such_entity(f"The user with name {name} cannot be found.")
    return row


def require_group(db: Connection, scope: Scope, name: str) -> GroupRow:
    row = get_group(db, scope.account, name)
    if row is None:
        raise no_such_entity(f"The group with name {name} cannot be found.")
    return row


def require_role(db: Connection, scope: Scope, name: str) -> RoleRow:
    row = get_role(db, scope.account, name)
    if row is None:
        raise no_such_entity(f"The role with name {name} cannot be found.")
    return row


def require_profile(db: Connection, scope: Scope, name: str) -> InstanceProfileRow:
    row = get_instance_profile(db, scope.account, name)
    if row is None:
        raise no_such_entity(f"Instance Profile {name} cannot be found.")
    return row


def visible_policy(db: Connection, scope: Scope, arn: str) -> ManagedPolicyRow | None:
    """The managed policy ``arn`` if the caller's account can see it.

    An account sees its own customer managed policies and AWS managed ones.
    """
    row = get_policy(db, arn)
    if row is None or row.account not in (scope.account, "aws"):
        return None
    return row


def require_policy(db: Connection, scope: Scope, arn: str) -> ManagedPolicyRow:
    row = visible_policy(db, scope, arn)
    if row is None:
        raise no_such_entity(f"Policy {arn} was not found.")
    return row


def require_attachable(db: Connection, scope: Scope, arn: str) -> ManagedPolicyRow:
    row = visible_policy(db, scope, arn)
    if row is None:
        raise no_such_entity(f"Policy {arn} does not exist or is not attachable.")
    return row


def boundary_of(
    db: Connection, scope: Scope, kind: EntityKind, name: str
) -> str | None:
    return get_boundary(db, scope.account, kind, name)


def boundary_context(arn: str | None) -> dict[str, Any]:
    """``iam:PermissionsBoundary`` when an entity has (or gets) a boundary."""
    return {} if arn is None else {"iam:PermissionsBoundary": arn}


# Shapes


def _tags(tags: TagPairs) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags]


def _boundary(arn: str | None) -> Result:
    if arn is None:
        return {}
    return {
        "PermissionsBoundary": {
            "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
            "PermissionsBoundaryArn": arn,
        }
    }


def user_shape(
    scope: Scope, row: UserRow, *, full: bool = False, boundary: str | None = None
) -> Result:
    shape: Result = {
        "Path": row.path,
        "UserName": row.name,
        "UserId": row.id,
        "Arn": scope.arn("user", row.path, row.name),
        "CreateDate": row.created,
    }
    if full:
        shape.update(_boundary(boundary))
        if row.tags:
            shape["Tags"] = _tags(row.tags)
    return shape


def group_shape(scope: Scope, row: GroupRow) -> Result:
    return {
        "Path": row.path,
        "GroupName": row.name,
        "GroupId": row.id,
        "Arn": scope.arn("group", row.path, row.name),
        "CreateDate": row.created,
    }


def role_shape(
    scope: Scope, row: RoleRow, *, full: bool = False, boundary: str | None = None
) -> Result:
    shape: Result = {
        "Path": row.path,
        "RoleName": row.name,
        "RoleId": row.id,
        "Arn": scope.arn("role", row.path, row.name),
        "CreateDate": row.created,
        "AssumeRolePolicyDocument": row.trust_policy,
        "MaxSessionDuration": row.max_session_duration,
    }
    if row.description is not None:
        shape["Description"] = row.description
    if full:
        shape.update(_boundary(boundary))
        if row.tags:
            shape["Tags"] = _tags(row.tags)
        shape["RoleLastUsed"] = {}
    return shape


def policy_shape(
    db: Connection, row: ManagedPolicyRow, *, full: bool = False
) -> Result:
    shape: Result = {
        "PolicyName": row.name,
        "PolicyId": row.id,
        "Arn": row.arn,
        "Path": row.path,
        "DefaultVersionId": row.default_version,
        "AttachmentCount": attachment_count(db, row.arn),
        "PermissionsBoundaryUsageCount": boundary_usage_count(db, row.arn),
        "IsAttachable": True,
        "CreateDate": row.created,
        "UpdateDate": row.updated,
    }
    if full:
        if row.description is not None:
            shape["Description"] = row.description
        if row.tags:
            shape["Tags"] = _tags(row.tags)
    return shape


def version_shape(
    row: PolicyVersionRow, default_version: str, *, document: bool = True
) -> Result:
    shape: Result = {
        "VersionId": row.version_id,
        "IsDefaultVersion": row.version_id == default_version,
        "CreateDate": row.created,
    }
    if document:
        shape["Document"] = row.document
    return shape


def profile_shape(db: Connection, scope: Scope, row: InstanceProfileRow) -> Result:
    shape: Result = {
        "Path": row.path,
        "InstanceProfileName": row.name,
        "InstanceProfileId": row.id,
        "Arn": scope.arn("instance-profile", row.path, row.name),
        "CreateDate": row.created,
        "Roles": [
            role_shape(scope, role) for role in profile_roles(db, row.account, row.name)
        ],
    }
    if row.tags:
        shape["Tags"] = _tags(row.tags)
    return shape


def tags_shape(tags: TagPairs) -> list[dict[str, str]]:
    return _tags(tags)
