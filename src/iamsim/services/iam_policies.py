"""Managed policies and their versions: Create/Get/List/DeletePolicy and
Create/Get/List/DeletePolicyVersion, SetDefaultPolicyVersion.

Rules from the IAM API Reference and "Versioning IAM policies" (IAM User
Guide): a managed policy keeps at most five versions, numbered ``v1``,
``v2``... without reuse; the default version cannot be deleted; a policy can
be deleted only when it is attached to nothing, is no one's permissions
boundary and has no version but its default. Documents are at most 6,144
characters other than white space ("IAM and AWS STS quotas"). Policy names
are unique in the account whatever their path. AWS managed policies can be
read and attached but not changed.

Imports only iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

import re
from sqlite3 import Connection
from typing import TYPE_CHECKING

from iamsim.policy.model import PolicyKind
from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import (
    Scope,
    policy_shape,
    require_policy,
    version_shape,
    visible_policy,
)
from iamsim.services.iam_common import (
    POLICY_ID_PREFIX,
    list_arn,
    paginate,
    tag_request_context,
    unique_id,
)
from iamsim.services.iam_errors import (
    delete_conflict,
    entity_exists,
    invalid_input,
    limit_exceeded,
    no_such_entity,
)
from iamsim.services.iam_validate import (
    LONG_NAME_MAX,
    boolean,
    check_pattern,
    choice,
    description,
    document,
    name,
    path,
    policy_size,
    required_str,
    tags,
)
from iamsim.world.store_policies import (
    attached_anywhere,
    attachment_count,
    boundary_usage_count,
    delete_policy,
    delete_version,
    get_version,
    insert_policy,
    insert_version,
    list_policies,
    list_versions,
    policy_named,
    set_policy_versioning,
)
from iamsim.world.store_rows import ManagedPolicyRow, PolicyVersionRow, time_text

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM and AWS STS quotas": managed policy length, white space not counted.
MANAGED_POLICY_MAX = 6_144
#: "IAM object quotas": versions a managed policy can keep.
VERSIONS_MAX = 5
SCOPES = ("All", "AWS", "Local")
USAGE_FILTERS = ("PermissionsPolicy", "PermissionsBoundary")
VERSION_PATTERN = re.compile(r"v[1-9][0-9]*(\.[A-Za-z0-9-]*)?")


def managed_document(params: Params, member: str = "PolicyDocument") -> str:
    """A permissions policy document, within the managed policy size quota."""
    text, _ = document(params, member, PolicyKind.IDENTITY)
    if policy_size(text) > MANAGED_POLICY_MAX:
        raise limit_exceeded(
            f"Cannot exceed quota for PolicySize: {MANAGED_POLICY_MAX}"
        )
    return text


def _version_id(params: Params) -> str:
    version = required_str(params, "VersionId")
    check_pattern("VersionId", version, VERSION_PATTERN)
    return version


def _policy_arn(params: Params) -> str:
    return required_str(params, "PolicyArn")


def _refuse_aws_managed(row: ManagedPolicyRow) -> None:
    if row.aws_managed:
        raise invalid_input(
            f"Policy {row.arn} is an AWS managed policy; it cannot be changed."
        )


@OPERATIONS.operation("iam", "CreatePolicy")
def create_policy(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create a customer managed policy whose first version is the default."""
    scope = Scope.of(backend, call)
    policy_name = name(params, "PolicyName", LONG_NAME_MAX)
    policy_path = path(params, policy=True)
    about = description(params)
    policy_tags = tags(params)
    arn = scope.arn("policy", policy_path, policy_name)
    with backend.transaction() as db:
        scope.authorize("iam:CreatePolicy", arn, tag_request_context(policy_tags))
        text = managed_document(params)
        if policy_named(db, scope.account, policy_name) is not None:
            raise entity_exists(
                f"A policy called {policy_name} already exists. "
                "Duplicate names are not allowed."
            )
        row = ManagedPolicyRow(
            arn,
            scope.account,
            policy_name,
            policy_path,
            unique_id(POLICY_ID_PREFIX),
            call.now,
            call.now,
            about,
            "v1",
            2,
            policy_tags,
        )
        insert_policy(db, row)
        insert_version(db, PolicyVersionRow(arn, "v1", text, call.now))
        return {"Policy": policy_shape(db, row, full=True)}


@OPERATIONS.operation("iam", "GetPolicy")
def get_policy_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Describe a managed policy (not its document; see GetPolicyVersion)."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    with backend.read() as db:
        scope.authorize("iam:GetPolicy", arn)
        row = require_policy(db, scope, arn)
        return {"Policy": policy_shape(db, row, full=True)}


@OPERATIONS.operation("iam", "ListPolicies")
def list_policies_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List managed policies by scope, path prefix and attachment."""
    scope = Scope.of(backend, call)
    which = choice(params, "Scope", SCOPES) or "All"
    only_attached = boolean(params, "OnlyAttached")
    usage = choice(params, "PolicyUsageFilter", USAGE_FILTERS)
    prefix = path(params, "PathPrefix", policy=True)
    scope.authorize(
        "iam:ListPolicies", list_arn(scope.partition, scope.account, "policy")
    )
    owners = {"All": (scope.account, "aws"), "AWS": ("aws",), "Local": (scope.account,)}
    with backend.read() as db:
        rows = list_policies(db, owners[which], prefix)
        if only_attached:
            used = attached_anywhere(db, scope.account)
            rows = [row for row in rows if row.arn in used or _is_boundary(db, row)]
        if usage == "PermissionsBoundary":
            rows = [row for row in rows if _is_boundary(db, row)]
        elif usage == "PermissionsPolicy":
            rows = [row for row in rows if attachment_count(db, row.arn)]
        page, extra = paginate(rows, params)
        return {"Policies": [policy_shape(db, row) for row in page], **extra}


def _is_boundary(db: Connection, row: ManagedPolicyRow) -> bool:
    return boundary_usage_count(db, row.arn) > 0


@OPERATIONS.operation("iam", "DeletePolicy")
def delete_policy_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete an unattached customer managed policy with only its default version."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    with backend.transaction() as db:
        scope.authorize("iam:DeletePolicy", arn)
        row = require_policy(db, scope, arn)
        _refuse_aws_managed(row)
        if attachment_count(db, arn) or boundary_usage_count(db, arn):
            raise delete_conflict("Cannot delete a policy attached to entities.")
        if len(list_versions(db, arn)) > 1:
            raise delete_conflict(
                "This policy has more than one version. Before you delete a policy, "
                "you must delete the policy's versions. The default version is "
                "deleted with the policy."
            )
        delete_policy(db, arn)
    return {}


@OPERATIONS.operation("iam", "CreatePolicyVersion")
def create_policy_version(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Add a version (at most five are kept), optionally as the default."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    make_default = boolean(params, "SetAsDefault")
    with backend.transaction() as db:
        scope.authorize("iam:CreatePolicyVersion", arn)
        row = require_policy(db, scope, arn)
        _refuse_aws_managed(row)
        text = managed_document(params)
        if len(list_versions(db, arn)) >= VERSIONS_MAX:
            raise limit_exceeded(
                f"A managed policy can have up to {VERSIONS_MAX} versions. Before "
                "you create a new version, you must delete an existing version."
            )
        version = f"v{row.next_version}"
        insert_version(db, PolicyVersionRow(arn, version, text, call.now))
        set_policy_versioning(
            db,
            arn,
            default_version=version if make_default else row.default_version,
            next_version=row.next_version + 1,
            updated=time_text(call.now),
        )
        default = version if make_default else row.default_version
    created = PolicyVersionRow(arn, version, text, call.now)
    return {"PolicyVersion": version_shape(created, default, document=False)}


@OPERATIONS.operation("iam", "GetPolicyVersion")
def get_policy_version(backend: StoreBackend, call: Call, params: Params) -> Result:
    """One version of a managed policy, with its document."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    version = _version_id(params)
    with backend.read() as db:
        scope.authorize("iam:GetPolicyVersion", arn)
        row = require_policy(db, scope, arn)
        found = get_version(db, arn, version)
    if found is None:
        raise no_such_entity(f"Policy {arn} version {version} does not exist.")
    return {"PolicyVersion": version_shape(found, row.default_version)}


@OPERATIONS.operation("iam", "ListPolicyVersions")
def list_policy_versions(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The versions of a managed policy, newest first."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    with backend.read() as db:
        scope.authorize("iam:ListPolicyVersions", arn)
        row = require_policy(db, scope, arn)
        versions = list_versions(db, arn)
    page, extra = paginate(versions, params)
    shapes = [version_shape(item, row.default_version, document=False) for item in page]
    return {"Versions": shapes, **extra}


@OPERATIONS.operation("iam", "DeletePolicyVersion")
def delete_policy_version(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a version other than the default."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    version = _version_id(params)
    with backend.transaction() as db:
        scope.authorize("iam:DeletePolicyVersion", arn)
        row = require_policy(db, scope, arn)
        _refuse_aws_managed(row)
        if get_version(db, arn, version) is None:
            raise no_such_entity(f"Policy {arn} version {version} does not exist.")
        if version == row.default_version:
            raise delete_conflict("Cannot delete the default version of a policy.")
        delete_version(db, arn, version)
    return {}


@OPERATIONS.operation("iam", "SetDefaultPolicyVersion")
def set_default_policy_version(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Make an existing version the one that applies."""
    scope = Scope.of(backend, call)
    arn = _policy_arn(params)
    version = _version_id(params)
    with backend.transaction() as db:
        scope.authorize("iam:SetDefaultPolicyVersion", arn)
        row = visible_policy(db, scope, arn)
        if row is None:
            raise no_such_entity(f"Policy {arn} was not found.")
        _refuse_aws_managed(row)
        if get_version(db, arn, version) is None:
            raise no_such_entity(f"Policy {arn} version {version} does not exist.")
        set_policy_versioning(
            db,
            arn,
            default_version=version,
            next_version=row.next_version,
            updated=time_text(call.now),
        )
    return {}
