"""Policies on users, groups and roles: managed attachments, inline policies
and permissions boundaries.

The same rules hold for the three entity kinds, so each operation is built
once per kind: Attach/Detach{User,Group,Role}Policy,
ListAttached{User,Group,Role}Policies, Put/Get/Delete{User,Group,Role}Policy,
List{User,Group,Role}Policies and Put/Delete{User,Role}PermissionsBoundary.

Quotas ("IAM and AWS STS quotas"): at most 10 managed policies per entity;
the inline policies of one entity together hold at most 2,048 (user),
5,120 (group) or 10,240 (role) characters other than white space. The
condition keys are those the Service Authorization Reference lists:
``iam:PolicyARN`` on attachments and ``iam:PermissionsBoundary`` (the
entity's boundary, or the one being set) on users and roles.

Imports only iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from sqlite3 import Connection
from typing import TYPE_CHECKING, Any

from iamsim.policy.model import PolicyKind
from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import (
    Scope,
    boundary_context,
    boundary_of,
    require_attachable,
    require_group,
    require_role,
    require_user,
)
from iamsim.services.iam_common import merged, paginate, resource_tag_context
from iamsim.services.iam_errors import limit_exceeded, no_such_entity, unmodifiable
from iamsim.services.iam_validate import (
    LONG_NAME_MAX,
    ROLE_NAME_MAX,
    USER_NAME_MAX,
    document,
    name,
    path,
    policy_size,
    required_str,
)
from iamsim.world.store_iam import get_group, get_role, get_user
from iamsim.world.store_policies import (
    attach,
    attached_arns,
    delete_boundary,
    delete_inline,
    detach,
    get_inline,
    get_policy,
    list_inline,
    put_inline,
    set_boundary,
)
from iamsim.world.store_rows import EntityKind, InlinePolicyRow, TagPairs

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM object quotas": managed policies attached to one user, group or role.
ATTACHED_MAX = 10


@dataclass(frozen=True, slots=True)
class _Entity:
    """An existing (or missing) user, group or role, as the operation sees it."""

    name: str
    arn: str
    tags: TagPairs
    boundary: str | None
    service_linked: bool
    exists: bool


@dataclass(frozen=True)
class _Kind:
    kind: EntityKind
    noun: str
    name_max: int
    inline_max: int
    quota_name: str

    @property
    def member(self) -> str:
        return f"{self.noun}Name"

    def find(self, db: Connection, scope: Scope, entity: str) -> _Entity:
        if self.kind is EntityKind.USER:
            user = get_user(db, scope.account, entity)
            if user is not None:
                arn = scope.user_arn(user, entity)
                return self._found(db, scope, user.name, arn, user.tags)
        elif self.kind is EntityKind.ROLE:
            role = get_role(db, scope.account, entity)
            if role is not None:
                arn = scope.role_arn(role, entity)
                found = self._found(db, scope, role.name, arn, role.tags)
                return replace(found, service_linked=role.service_linked)
        else:
            group = get_group(db, scope.account, entity)
            if group is not None:
                arn = scope.group_arn(group, entity)
                return self._found(db, scope, group.name, arn, ())
        arn = scope.arn(self.kind.value, "/", entity)
        return _Entity(entity, arn, (), None, False, False)

    def _found(
        self, db: Connection, scope: Scope, entity: str, arn: str, tags: TagPairs
    ) -> _Entity:
        boundary = None
        if self.kind is not EntityKind.GROUP:
            boundary = boundary_of(db, scope, self.kind, entity)
        return _Entity(entity, arn, tags, boundary, False, True)

    def require(self, db: Connection, scope: Scope, entity: str) -> None:
        if self.kind is EntityKind.USER:
            require_user(db, scope, entity)
        elif self.kind is EntityKind.ROLE:
            require_role(db, scope, entity)
        else:
            require_group(db, scope, entity)


USER = _Kind(EntityKind.USER, "User", USER_NAME_MAX, 2_048, "PoliciesPerUser")
GROUP = _Kind(EntityKind.GROUP, "Group", LONG_NAME_MAX, 5_120, "PoliciesPerGroup")
ROLE = _Kind(EntityKind.ROLE, "Role", ROLE_NAME_MAX, 10_240, "PoliciesPerRole")

Handler = Callable[[Any, Call, Params], Result]


def _context(entity: _Entity, **extra: Any) -> dict[str, Any]:
    return merged(
        resource_tag_context(entity.tags), boundary_context(entity.boundary), extra
    )


def _locate(
    db: Connection, scope: Scope, spec: _Kind, params: Params, action: str, **extra: Any
) -> _Entity:
    """Find the entity, authorize ``action`` on it, then insist that it exists."""
    entity_name = name(params, spec.member, spec.name_max)
    entity = spec.find(db, scope, entity_name)
    scope.authorize(f"iam:{action}", entity.arn, _context(entity, **extra))
    if not entity.exists:
        spec.require(db, scope, entity_name)
    return entity


def _refuse_service_linked(entity: _Entity) -> None:
    if entity.service_linked:
        raise unmodifiable(
            f"Cannot perform the operation on the protected role '{entity.name}' - "
            "this role is only modifiable by AWS"
        )


# Managed policy attachments


def _attach(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        arn = required_str(params, "PolicyArn")
        action = f"Attach{spec.noun}Policy"
        with backend.transaction() as db:
            entity = _locate(db, scope, spec, params, action, **{"iam:PolicyARN": arn})
            _refuse_service_linked(entity)
            require_attachable(db, scope, arn)
            current = attached_arns(db, scope.account, spec.kind, entity.name)
            if arn in current:
                return {}
            if len(current) >= ATTACHED_MAX:
                raise limit_exceeded(
                    f"Cannot exceed quota for {spec.quota_name}: {ATTACHED_MAX}"
                )
            attach(db, scope.account, spec.kind, entity.name, arn)
        return {}

    handler.__doc__ = f"Attach a managed policy to a {spec.kind.value}."
    return handler


def _detach(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        arn = required_str(params, "PolicyArn")
        action = f"Detach{spec.noun}Policy"
        with backend.transaction() as db:
            entity = _locate(db, scope, spec, params, action, **{"iam:PolicyARN": arn})
            _refuse_service_linked(entity)
            if not detach(db, scope.account, spec.kind, entity.name, arn):
                raise no_such_entity(f"Policy {arn} was not found.")
        return {}

    handler.__doc__ = f"Detach a managed policy from a {spec.kind.value}."
    return handler


def _list_attached(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        prefix = path(params, "PathPrefix", policy=True)
        action = f"ListAttached{spec.noun}Policies"
        with backend.read() as db:
            entity = _locate(db, scope, spec, params, action)
            found = []
            for arn in attached_arns(db, scope.account, spec.kind, entity.name):
                row = get_policy(db, arn)
                if row is not None and row.path.startswith(prefix):
                    found.append({"PolicyName": row.name, "PolicyArn": row.arn})
        page, extra = paginate(found, params)
        return {"AttachedPolicies": page, **extra}

    handler.__doc__ = f"List the managed policies attached to a {spec.kind.value}."
    return handler


# Inline policies


def _put_inline(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        policy_name = name(params, "PolicyName", LONG_NAME_MAX)
        with backend.transaction() as db:
            entity = _locate(db, scope, spec, params, f"Put{spec.noun}Policy")
            _refuse_service_linked(entity)
            text, _ = document(
                params, "PolicyDocument", PolicyKind.IDENTITY, policy_name
            )
            others = [
                row.document
                for row in list_inline(db, scope.account, spec.kind, entity.name)
                if row.policy_name != policy_name
            ]
            total = sum(policy_size(item) for item in [*others, text])
            if total > spec.inline_max:
                raise limit_exceeded(
                    f"Maximum policy size of {spec.inline_max} bytes exceeded for "
                    f"{spec.kind.value} {entity.name}"
                )
            row = InlinePolicyRow(
                scope.account, spec.kind, entity.name, policy_name, text
            )
            put_inline(db, row)
        return {}

    handler.__doc__ = f"Create or replace an inline policy of a {spec.kind.value}."
    return handler


def _missing_inline(spec: _Kind, policy_name: str) -> Exception:
    return no_such_entity(
        f"The {spec.kind.value} policy with name {policy_name} cannot be found."
    )


def _get_inline(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        policy_name = name(params, "PolicyName", LONG_NAME_MAX)
        with backend.read() as db:
            entity = _locate(db, scope, spec, params, f"Get{spec.noun}Policy")
            row = get_inline(db, scope.account, spec.kind, entity.name, policy_name)
        if row is None:
            raise _missing_inline(spec, policy_name)
        return {
            spec.member: entity.name,
            "PolicyName": row.policy_name,
            "PolicyDocument": row.document,
        }

    handler.__doc__ = f"One inline policy of a {spec.kind.value}, with its document."
    return handler


def _delete_inline(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        policy_name = name(params, "PolicyName", LONG_NAME_MAX)
        with backend.transaction() as db:
            entity = _locate(db, scope, spec, params, f"Delete{spec.noun}Policy")
            _refuse_service_linked(entity)
            if not delete_inline(
                db, scope.account, spec.kind, entity.name, policy_name
            ):
                raise _missing_inline(spec, policy_name)
        return {}

    handler.__doc__ = f"Delete an inline policy of a {spec.kind.value}."
    return handler


def _list_inline(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        with backend.read() as db:
            entity = _locate(db, scope, spec, params, f"List{spec.noun}Policies")
            rows = list_inline(db, scope.account, spec.kind, entity.name)
        names = sorted((row.policy_name for row in rows), key=str.lower)
        page, extra = paginate(names, params)
        return {"PolicyNames": page, **extra}

    handler.__doc__ = f"The names of a {spec.kind.value}'s inline policies."
    return handler


# Permissions boundaries


def _put_boundary(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        arn = required_str(params, "PermissionsBoundary")
        action = f"Put{spec.noun}PermissionsBoundary"
        with backend.transaction() as db:
            entity = _locate(
                db, scope, spec, params, action, **{"iam:PermissionsBoundary": arn}
            )
            _refuse_service_linked(entity)
            require_attachable(db, scope, arn)
            set_boundary(db, scope.account, spec.kind, entity.name, arn)
        return {}

    handler.__doc__ = f"Set the permissions boundary of a {spec.kind.value}."
    return handler


def _delete_boundary(spec: _Kind) -> Handler:
    def handler(backend: StoreBackend, call: Call, params: Params) -> Result:
        scope = Scope.of(backend, call)
        action = f"Delete{spec.noun}PermissionsBoundary"
        with backend.transaction() as db:
            entity = _locate(db, scope, spec, params, action)
            _refuse_service_linked(entity)
            delete_boundary(db, scope.account, spec.kind, entity.name)
        return {}

    handler.__doc__ = f"Remove the permissions boundary of a {spec.kind.value}."
    return handler


def _register() -> None:
    for spec in (USER, GROUP, ROLE):
        noun = spec.noun
        operations: dict[str, Handler] = {
            f"Attach{noun}Policy": _attach(spec),
            f"Detach{noun}Policy": _detach(spec),
            f"ListAttached{noun}Policies": _list_attached(spec),
            f"Put{noun}Policy": _put_inline(spec),
            f"Get{noun}Policy": _get_inline(spec),
            f"Delete{noun}Policy": _delete_inline(spec),
            f"List{noun}Policies": _list_inline(spec),
        }
        if spec.kind is not EntityKind.GROUP:
            operations[f"Put{noun}PermissionsBoundary"] = _put_boundary(spec)
            operations[f"Delete{noun}PermissionsBoundary"] = _delete_boundary(spec)
        for operation, handler in operations.items():
            OPERATIONS.operation("iam", operation)(handler)


_register()
