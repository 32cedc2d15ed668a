"""Long-term access keys: Create/List/Update/DeleteAccessKey.

Rules from the IAM API Reference pages and "IAM object quotas": a user (and
the account root) holds at most two access keys; a key's secret is shown
once, when it is created; without ``UserName`` the operations act on the
caller's own keys, which needs a user or root caller ("Must specify userName
when calling with non-User credentials").

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

from dataclasses import dataclass
from sqlite3 import Connection
from typing import TYPE_CHECKING

from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import Scope, require_user
from iamsim.services.iam_common import (
    caller_user_name,
    is_root_caller,
    new_access_key_id,
    new_secret_access_key,
    paginate,
    root_arn,
)
from iamsim.services.iam_errors import invalid_input, limit_exceeded, no_such_entity
from iamsim.services.iam_users import (
    LOOKUP_NAME_MAX,
    non_user_credentials,
    user_context,
)
from iamsim.services.iam_validate import (
    check_length,
    choice,
    optional_name,
    required_str,
)
from iamsim.world.store_iam import (
    access_keys_of,
    delete_access_key,
    get_access_key,
    get_user,
    insert_access_key,
    set_access_key_status,
)
from iamsim.world.store_rows import AccessKeyRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

#: "IAM object quotas": access keys per user (and per account root).
KEYS_PER_USER = 2
STATUSES = ("Active", "Inactive", "Expired")


@dataclass(frozen=True, slots=True)
class _Owner:
    """Whose keys an operation handles: a user, or the root when ``user`` is None."""

    user: str | None
    arn: str
    context: dict[str, object]


def _owner(db: Connection, scope: Scope, params: Params, action: str) -> _Owner:
    """The key owner named by ``UserName`` or implied by the caller, authorized."""
    call = scope.call
    user_name = optional_name(params, "UserName", LOOKUP_NAME_MAX)
    if user_name is None and is_root_caller(call):
        owner = _Owner(None, root_arn(scope.partition, scope.account), {})
        scope.authorize(action, owner.arn)
        return owner
    if user_name is None:
        user_name = caller_user_name(call)
        if user_name is None:
            raise non_user_credentials()
    row = get_user(db, scope.account, user_name)
    owner = _Owner(user_name, scope.user_arn(row, user_name), user_context(row))
    scope.authorize(action, owner.arn, owner.context)
    user = require_user(db, scope, user_name)
    return _Owner(user.name, owner.arn, owner.context)


def _key_of(db: Connection, scope: Scope, owner: _Owner, params: Params) -> str:
    key_id = required_str(params, "AccessKeyId")
    check_length("AccessKeyId", key_id, 16, 128)
    row = get_access_key(db, key_id)
    if row is None or row.account != scope.account or row.user_name != owner.user:
        raise no_such_entity(f"The Access Key with id {key_id} cannot be found.")
    return key_id


def _metadata(row: AccessKeyRow) -> Result:
    shape: Result = {
        "AccessKeyId": row.id,
        "Status": row.status,
        "CreateDate": row.created,
    }
    if row.user_name is not None:
        shape = {"UserName": row.user_name, **shape}
    return shape


@OPERATIONS.operation("iam", "CreateAccessKey")
def create_access_key(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Create an active key for a user or the root; its secret is returned once."""
    scope = Scope.of(backend, call)
    with backend.transaction() as db:
        owner = _owner(db, scope, params, "iam:CreateAccessKey")
        if len(access_keys_of(db, scope.account, owner.user)) >= KEYS_PER_USER:
            raise limit_exceeded(
                f"Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_USER}"
            )
        row = AccessKeyRow(
            new_access_key_id(),
            new_secret_access_key(),
            scope.account,
            owner.user,
            "Active",
            call.now,
        )
        insert_access_key(db, row)
    return {"AccessKey": {**_metadata(row), "SecretAccessKey": row.secret}}


@OPERATIONS.operation("iam", "ListAccessKeys")
def list_access_keys(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The keys of a user or of the root, without their secrets."""
    scope = Scope.of(backend, call)
    with backend.read() as db:
        owner = _owner(db, scope, params, "iam:ListAccessKeys")
        rows = access_keys_of(db, scope.account, owner.user)
    page, extra = paginate(rows, params)
    return {"AccessKeyMetadata": [_metadata(row) for row in page], **extra}


@OPERATIONS.operation("iam", "UpdateAccessKey")
def update_access_key(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Make a key Active or Inactive."""
    scope = Scope.of(backend, call)
    status = choice(params, "Status", STATUSES)
    if status is None:
        required_str(params, "Status")
    if status == "Expired":
        raise invalid_input("Status Expired cannot be set on an access key.")
    with backend.transaction() as db:
        owner = _owner(db, scope, params, "iam:UpdateAccessKey")
        key_id = _key_of(db, scope, owner, params)
        set_access_key_status(db, key_id, str(status))
    return {}


@OPERATIONS.operation("iam", "DeleteAccessKey")
def delete_access_key_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Delete a key of a user or of the root."""
    scope = Scope.of(backend, call)
    with backend.transaction() as db:
        owner = _owner(db, scope, params, "iam:DeleteAccessKey")
        key_id = _key_of(db, scope, owner, params)
        delete_access_key(db, key_id)
    return {}
