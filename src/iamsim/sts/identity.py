"""Who a credential speaks for: its ARN, account and unique id.

These are GetCallerIdentity's ``Arn``, ``Account`` and ``UserId``, formed
as "IAM identifiers" and "IAM policy elements: Variables and tags" (IAM
User Guide, the ``aws:userid`` table) describe:

================  =============================================  ======================
caller            Arn                                            UserId
================  =============================================  ======================
IAM user          ``arn:aws:iam::ACCOUNT:user/PATH/NAME``        ``AIDA...``
root user         ``arn:aws:iam::ACCOUNT:root``                  the account id
role session      ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/S``   ``AROA...:S``
federated user    ``arn:aws:sts::ACCOUNT:federated-user/NAME``   ``ACCOUNT:NAME``
================  =============================================  ======================

A role session's ARN carries the role's name without its path. Credentials
from GetSessionToken keep the identity of the user or root user that got
them. Imports only iamsim.policy and iamsim.world.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamsim.policy.arn import is_arn, parse_arn
from iamsim.world.model import Role, World


@dataclass(frozen=True, slots=True)
class Identity:
    """An identity as GetCallerIdentity reports it."""

    arn: str
    account: str
    user_id: str


def root_arn(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:root"


def is_root_arn(arn: str) -> bool:
    return is_arn(arn) and arn.endswith(":root") and parse_arn(arn).service == "iam"


def partition_of(arn: str) -> str:
    """The partition field of ``arn`` (``aws``, ``aws-cn``, ``aws-us-gov``...)."""
    return arn.split(":", 2)[1]


def principal_identity(world: World, arn: str) -> Identity | None:
    """The IAM user or root user that ``arn`` names, or None if unknown."""
    if not is_arn(arn):
        return None
    user = world.user(arn)
    if user is not None:
        return Identity(user.arn, user.account, user.user_id)
    account = parse_arn(arn).account
    if is_root_arn(arn) and world.account(account) is not None:
        return Identity(arn, account, account)
    return None


def role_session_identity(role: Role, session_name: str) -> Identity:
    """The identity of session ``session_name`` of ``role``."""
    return Identity(
        role.session_arn(session_name),
        role.account,
        assumed_role_id(role, session_name),
    )


def assumed_role_id(role: Role, session_name: str) -> str:
    """AssumedRoleUser's ``AssumedRoleId``: the role's id, a colon, the session."""
    return f"{role.role_id}:{session_name}"


def federated_user_arn(partition: str, account: str, name: str) -> str:
    return f"arn:{partition}:sts::{account}:federated-user/{name}"


def federated_identity(partition: str, account: str, name: str) -> Identity:
    """The identity of federated user ``name`` (GetFederationToken)."""
    return Identity(
        federated_user_arn(partition, account, name), account, f"{account}:{name}"
    )
