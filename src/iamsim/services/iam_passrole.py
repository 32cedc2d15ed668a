"""``iam:PassRole``: the check every operation that hands a role to a service makes.

PassRole is not an API operation but a permission ("Grant a user permissions
to pass a role to an AWS service", IAM User Guide): the caller must be
allowed ``iam:PassRole`` on the role's ARN, with ``iam:PassedToService``
naming the receiving service and, where the service says which resource
will use the role, ``iam:AssociatedResourceArn``. A role can only be passed
within its own account.

Other services call :func:`pass_role` before they store a role ARN.
Imports only iamsim.policy, iamsim.world and iamsim.services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iamsim.policy.arn import is_arn, parse_arn
from iamsim.services.api import Call, access_denied
from iamsim.services.iam_errors import no_such_entity
from iamsim.world.store_iam import get_role
from iamsim.world.store_rows import RoleRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend


def pass_role(
    backend: StoreBackend,
    call: Call,
    role_arn: str,
    service: str,
    *,
    associated_resource: str | None = None,
) -> RoleRow:
    """Authorize passing ``role_arn`` to ``service``; the role passed.

    Raises AccessDenied when the caller may not pass it (or it belongs to
    another account) and NoSuchEntity when no such role exists.
    """
    context: dict[str, Any] = {"iam:PassedToService": service}
    if associated_resource is not None:
        context["iam:AssociatedResourceArn"] = associated_resource
    backend.authorize(call, "iam:PassRole", role_arn, context)
    if not is_arn(role_arn):
        raise no_such_entity(f"The role with name {role_arn} cannot be found.")
    arn = parse_arn(role_arn)
    kind, _, rest = arn.resource.partition("/")
    role_name = rest.rsplit("/", 1)[-1]
    if arn.service != "iam" or kind != "role" or not role_name:
        raise no_such_entity(f"The role with name {role_arn} cannot be found.")
    if arn.account != call.caller.account:
        raise access_denied(
            f"User: {call.caller.arn} is not authorized to perform: iam:PassRole "
            f"on resource: {role_arn} because a role can only be passed within "
            "its own account"
        )
    with backend.read() as db:
        row = get_role(db, arn.account, role_name)
    if row is None:
        raise no_such_entity(f"The role with name {role_name} cannot be found.")
    return row
