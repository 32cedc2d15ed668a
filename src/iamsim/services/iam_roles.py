"""IAM roles: Create/Get/List/Update/DeleteRole, UpdateAssumeRolePolicy, tags
and CreateServiceLinkedRole.

Rules from the IAM API Reference and "IAM and AWS STS quotas": a role's
trust policy is a resource-based policy without Resource, at most 2,048
characters other than white space; MaxSessionDuration is 3,600 to 43,200
seconds; principals the trust policy names by user or role ARN must exist
(IAM refuses "Invalid principal in policy"); a role can be deleted only when
it is in no instance profile and has no policies ("DeleteRole"); AWS owns
service-linked roles, so the ordinary operations cannot change or delete
them ("Using service-linked roles", IAM User Guide).

Imports only iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

import json
import re
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

from iamsim.policy.arn import is_arn, parse_arn
from iamsim.policy.model import Policy, PolicyKind
from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import (
    Scope,
    boundary_context,
    boundary_of,
    require_attachable,
    require_role,
    role_shape,
    tags_shape,
)
from iamsim.services.iam_common import (
    ROLE_ID_PREFIX,
    list_arn,
    merged,
    paginate,
    resource_tag_context,
    tag_keys_context,
    tag_request_context,
    unique_id,
)
from iamsim.services.iam_errors import (
    delete_conflict,
    entity_exists,
    invalid_input,
    limit_exceeded,
    malformed_policy,
    unmodifiable,
)
from iamsim.services.iam_validate import (
    DESCRIPTION_MAX,
    LONG_NAME_MAX,
    NAME_PATTERN,
    ROLE_NAME_MAX,
    TAGS_MAX,
    check_length,
    check_pattern,
    description,
    document,
    drop_tags,
    integer,
    merge_tags,
    name,
    optional_str,
    path,
    path_prefix,
    policy_size,
    required_str,
    tag_keys,
    tags,
)
from iamsim.world.store_iam import (
    delete_role,
    get_account,
    get_role,
    get_user,
    insert_role,
    list_roles,
    profiles_of_role,
    set_role_tags,
    set_trust_policy,
    update_role,
)
from iamsim.world.store_policies import attached_arns, list_inline, set_boundary
from iamsim.world.store_rows import EntityKind, RoleRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM and AWS STS quotas": role trust policy length (default quota).
TRUST_POLICY_MAX = 2_048
#: "Modify a role maximum session duration": 1 to 12 hours.
SESSION_RANGE = (3_600, 43_200)
DEFAULT_SESSION = 3_600
SERVICE_ROLE_PREFIX = "AWSServiceRoleFor"
_SERVICE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$")


def role_context(row: RoleRow | None, boundary: str | None) -> dict[str, Any]:
    if row is None:
        return {}
    return merged(resource_tag_context(row.tags), boundary_context(boundary))


def trust_document(db: Connection, params: Params, member: str) -> str:
    """The trust policy in ``member``: grammar, size and named principals."""
    text, policy = document(params, member, PolicyKind.TRUST, "trust-policy")
    if policy_size(text) > TRUST_POLICY_MAX:
        raise limit_exceeded(
            f"Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_MAX}"
        )
    check_principals(db, policy)
    return text


def check_principals(db: Connection, policy: Policy) -> None:
    """Refuse user and role ARNs that name no entity in a known account."""
    for statement in policy.statements:
        for principal_set in (statement.principal, statement.not_principal):
            if principal_set is None:
                continue
            for arn in sorted(principal_set.aws):
                if not _principal_exists(db, arn):
                    raise malformed_policy(
                        f'Invalid principal in policy: "AWS":"{arn}"'
                    )


def _principal_exists(db: Connection, arn: str) -> bool:
    if not is_arn(arn) or "*" in arn or "?" in arn:
        return True
    parsed = parse_arn(arn)
    if parsed.service != "iam" or get_account(db, parsed.account) is None:
        return True
    kind, _, rest = parsed.resource.partition("/")
    entity = rest.rsplit("/", 1)[-1]
    if kind == "user":
        return get_user(db, parsed.account, entity) is not None
    if kind == "role":
        return get_role(db, parsed.account, entity) is not None
    return True


def refuse_service_linked(row: RoleRow) -> None:
    if row.service_linked:
        raise unmodifiable(
            f"Cannot perform the operation on the protected role '{row.name}' - "
            "this role is only modifiable by AWS"
        )


@OPERATIONS.operation("iam", "CreateRole")
def create_role(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create a role with its trust policy, optionally a boundary and tags."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    role_path = path(params)
    about = description(params)
    low, high = SESSION_RANGE
    session = integer(params, "MaxSessionDuration", low, high) or DEFAULT_SESSION
    role_tags = tags(params)
    boundary = optional_str(params, "PermissionsBoundary")
    arn = scope.arn("role", role_path, role_name)
    context = merged(tag_request_context(role_tags), boundary_context(boundary))
    with backend.transaction() as db:
        scope.authorize("iam:CreateRole", arn, context)
        trust = trust_document(db, params, "AssumeRolePolicyDocument")
        if get_role(db, scope.account, role_name) is not None:
            raise entity_exists(f"Role with name {role_name} already exists.")
        if boundary is not None:
            require_attachable(db, scope, boundary)
        row = RoleRow(
            scope.account,
            role_name,
            role_path,
            unique_id(ROLE_ID_PREFIX),
            call.now,
            trust,
            about,
            session,
            False,
            role_tags,
        )
        insert_role(db, row)
        if boundary is not None:
            set_boundary(db, scope.account, EntityKind.ROLE, role_name, boundary)
    return {"Role": role_shape(scope, row, full=True, boundary=boundary)}


@OPERATIONS.operation("iam", "GetRole")
def get_role_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Describe a role, its trust policy, boundary and tags."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.read() as db:
        row = get_role(db, scope.account, role_name)
        boundary = (
            None if row is None else boundary_of(db, scope, EntityKind.ROLE, row.name)
        )
        resource = scope.role_arn(row, role_name)
        scope.authorize("iam:GetRole", resource, role_context(row, boundary))
        row = require_role(db, scope, role_name)
    return {"Role": role_shape(scope, row, full=True, boundary=boundary)}


@OPERATIONS.operation("iam", "ListRoles")
def list_roles_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List the account's roles under a path prefix."""
    scope = Scope.of(backend, call)
    prefix = path_prefix(params)
    scope.authorize(
        "iam:ListRoles", list_arn(scope.partition, scope.account, "role", prefix)
    )
    with backend.read() as db:
        rows = list_roles(db, scope.account, prefix)
    page, extra = paginate(rows, params)
    return {"Roles": [role_shape(scope, row) for row in page], **extra}


@OPERATIONS.operation("iam", "UpdateRole")
def update_role_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Change a role's description or maximum session duration."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    about = description(params)
    low, high = SESSION_RANGE
    session = integer(params, "MaxSessionDuration", low, high)
    with backend.transaction() as db:
        row = get_role(db, scope.account, role_name)
        boundary = (
            None if row is None else boundary_of(db, scope, EntityKind.ROLE, row.name)
        )
        resource = scope.role_arn(row, role_name)
        scope.authorize("iam:UpdateRole", resource, role_context(row, boundary))
        row = require_role(db, scope, role_name)
        update_role(
            db,
            scope.account,
            row.name,
            description=row.description if about is None else about,
            max_session_duration=row.max_session_duration
            if session is None
            else session,
        )
    return {}


@OPERATIONS.operation("iam", "DeleteRole")
def delete_role_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a role that is in no instance profile and has no policies."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.transaction() as db:
        row = get_role(db, scope.account, role_name)
        boundary = (
            None if row is None else boundary_of(db, scope, EntityKind.ROLE, row.name)
        )
        resource = scope.role_arn(row, role_name)
        scope.authorize("iam:DeleteRole", resource, role_context(row, boundary))
        row = require_role(db, scope, role_name)
        refuse_service_linked(row)
        if profiles_of_role(db, scope.account, row.name):
            raise delete_conflict(
                "Cannot delete entity, must remove roles from instance profile first."
            )
        if list_inline(db, scope.account, EntityKind.ROLE, row.name):
            raise delete_conflict("Cannot delete entity, must delete policies first.")
        if attached_arns(db, scope.account, EntityKind.ROLE, row.name):
            raise delete_conflict(
                "Cannot delete entity, must detach all policies first."
            )
        delete_role(db, scope.account, row.name)
    return {}


@OPERATIONS.operation("iam", "UpdateAssumeRolePolicy")
def update_assume_role_policy(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Replace a role's trust policy."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.transaction() as db:
        row = get_role(db, scope.account, role_name)
        boundary = (
            None if row is None else boundary_of(db, scope, EntityKind.ROLE, row.name)
        )
        resource = scope.role_arn(row, role_name)
        scope.authorize(
            "iam:UpdateAssumeRolePolicy", resource, role_context(row, boundary)
        )
        row = require_role(db, scope, role_name)
        refuse_service_linked(row)
        trust = trust_document(db, params, "PolicyDocument")
        set_trust_policy(db, scope.account, row.name, trust)
    return {}


@OPERATIONS.operation("iam", "TagRole")
def tag_role(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Add or overwrite tags on a role; keys compare without case."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    added = tags(params, required=True)
    with backend.transaction() as db:
        row = get_role(db, scope.account, role_name)
        context = merged(role_context(row, None), tag_request_context(added))
        scope.authorize("iam:TagRole", scope.role_arn(row, role_name), context)
        row = require_role(db, scope, role_name)
        combined = merge_tags(row.tags, added, ignore_case=True)
        if len(combined) > TAGS_MAX:
            raise limit_exceeded("The number of tags has reached the maximum limit.")
        set_role_tags(db, scope.account, row.name, combined)
    return {}


@OPERATIONS.operation("iam", "UntagRole")
def untag_role(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Remove tags from a role; absent keys are ignored."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    keys = tag_keys(params)
    with backend.transaction() as db:
        row = get_role(db, scope.account, role_name)
        context = merged(role_context(row, None), tag_keys_context(keys))
        scope.authorize("iam:UntagRole", scope.role_arn(row, role_name), context)
        row = require_role(db, scope, role_name)
        remaining = drop_tags(row.tags, keys, ignore_case=True)
        set_role_tags(db, scope.account, row.name, remaining)
    return {}


@OPERATIONS.operation("iam", "ListRoleTags")
def list_role_tags(backend: StoreBackend, call: Call, params: Params) -> Result:
    """List a role's tags in the order they were added."""
    scope = Scope.of(backend, call)
    role_name = name(params, "RoleName", ROLE_NAME_MAX)
    with backend.read() as db:
        row = get_role(db, scope.account, role_name)
        resource = scope.role_arn(row, role_name)
        scope.authorize("iam:ListRoleTags", resource, role_context(row, None))
        row = require_role(db, scope, role_name)
    page, extra = paginate(row.tags, params)
    return {"Tags": tags_shape(tuple(page)), **extra}


def service_role_name(service: str, suffix: str | None) -> str:
    """``AWSServiceRoleFor`` and the service's first label in title case.

    AWS picks each service's name itself; this derivation matches services
    whose name is one word (``AWSServiceRoleForElasticbeanstalk`` style).
    """
    # GAP: service-linked role names are derived, not AWS's per-service names
    label = service.split(".", 1)[0]
    words = re.split(r"[-_]", label)
    base = SERVICE_ROLE_PREFIX + "".join(word[:1].upper() + word[1:] for word in words)
    return base if suffix is None else f"{base}_{suffix}"


def service_trust_policy(service: str) -> str:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@OPERATIONS.operation("iam", "CreateServiceLinkedRole")
def create_service_linked_role(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Create the role a service assumes, under ``/aws-service-role/SERVICE/``."""
    scope = Scope.of(backend, call)
    service = required_str(params, "AWSServiceName")
    check_length("AWSServiceName", service, 1, LONG_NAME_MAX)
    check_pattern("AWSServiceName", service, NAME_PATTERN)
    about = description(params)
    suffix = optional_str(params, "CustomSuffix")
    if suffix is not None:
        check_length("CustomSuffix", suffix, 1, ROLE_NAME_MAX)
        check_pattern("CustomSuffix", suffix, NAME_PATTERN)
    if not _SERVICE_NAME.match(service):
        raise invalid_input(f"Invalid service name {service!r}.")
    role_name = service_role_name(service, suffix)
    role_path = f"/aws-service-role/{service}/"
    arn = scope.arn("role", role_path, role_name)
    context = {"iam:AWSServiceName": service}
    with backend.transaction() as db:
        scope.authorize("iam:CreateServiceLinkedRole", arn, context)
        if get_role(db, scope.account, role_name) is not None:
            raise invalid_input(
                f"Service role name {role_name} has been taken in this account, "
                "please try a different suffix."
            )
        row = RoleRow(
            scope.account,
            role_name[:ROLE_NAME_MAX],
            role_path,
            unique_id(ROLE_ID_PREFIX),
            call.now,
            service_trust_policy(service),
            None if about is None else about[:DESCRIPTION_MAX],
            DEFAULT_SESSION,
            True,
        )
        insert_role(db, row)
    return {"Role": role_shape(scope, row, full=True)}
