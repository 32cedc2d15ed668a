"""Terse builders for the policies, principals and requests engine tests need.

Statements are plain dicts in AWS's JSON shape, so a test reads like the policy
it describes; the builders only add the boilerplate (Version, Effect, names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from iamsim.engine.request import (
    OrgGates,
    Principal,
    PrincipalType,
    Request,
)
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
BUCKET = "arn:aws:s3:::data-bucket"
OBJECT = "arn:aws:s3:::data-bucket/report.csv"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

#: The name AWS Organizations gives the RCP that is attached everywhere and is
#: the only RCP allowed to hold an Allow statement ("RCP syntax").
RCP_FULL_ACCESS_NAME = "RCPFullAWSAccess"

Values = str | Sequence[str]


def _statement(
    effect: str,
    action: Values,
    resource: Values | None,
    sid: str | None,
    extra: Mapping[str, Any],
) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect, "Action": action}
    if resource is not None:
        statement["Resource"] = resource
    if sid is not None:
        statement["Sid"] = sid
    statement.update(extra)
    return statement


def allow(
    action: Values,
    resource: Values | None = "*",
    *,
    sid: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An Allow statement; ``extra`` adds elements such as Principal or Condition."""
    return _statement("Allow", action, resource, sid, extra)


def deny(
    action: Values,
    resource: Values | None = "*",
    *,
    sid: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A Deny statement; ``extra`` adds elements such as Principal or Condition."""
    return _statement("Deny", action, resource, sid, extra)


def policy(kind: PolicyKind, *statements: Mapping[str, Any], name: str) -> Policy:
    document = {"Version": "2012-10-17", "Statement": list(statements)}
    return parse_policy(document, kind=kind, name=name)


def identity(*statements: Mapping[str, Any], name: str = "identity") -> Policy:
    return policy(PolicyKind.IDENTITY, *statements, name=name)


def boundary(*statements: Mapping[str, Any], name: str = "boundary") -> Policy:
    return policy(PolicyKind.BOUNDARY, *statements, name=name)


def session(*statements: Mapping[str, Any], name: str = "session") -> Policy:
    return policy(PolicyKind.SESSION, *statements, name=name)


def resource_policy(*statements: Mapping[str, Any], name: str = "resource") -> Policy:
    return policy(PolicyKind.RESOURCE, *statements, name=name)


def trust(*statements: Mapping[str, Any], name: str = "trust") -> Policy:
    return policy(PolicyKind.TRUST, *statements, name=name)


def scp(*statements: Mapping[str, Any], name: str = "scp") -> Policy:
    return policy(PolicyKind.SCP, *statements, name=name)


def rcp(*statements: Mapping[str, Any], name: str = "rcp") -> Policy:
    return policy(PolicyKind.RCP, *statements, name=name)


def scp_full_access() -> Policy:
    """The FullAWSAccess SCP Organizations attaches by default."""
    return scp(allow("*", sid="FullAWSAccess"), name="FullAWSAccess")


def rcp_full_access() -> Policy:
    """The RCPFullAWSAccess policy attached at every level once RCPs are enabled."""
    statement = allow("*", sid="RCPFullAWSAccess", Principal="*")
    return rcp(statement, name=RCP_FULL_ACCESS_NAME)


def org(*levels: Policy | Sequence[Policy], management: bool = False) -> OrgGates:
    """Org gates from root to account; a level is one policy or several."""
    built = tuple(
        (level,) if isinstance(level, Policy) else tuple(level) for level in levels
    )
    return OrgGates(levels=built, is_management_account=management)


def user(name: str = "alice", account: str = ACCOUNT) -> Principal:
    return Principal(f"arn:aws:iam::{account}:user/{name}", PrincipalType.USER, account)


def role_arn(role: str = "app", account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{role}"


def role_session(
    role: str = "app",
    name: str = "s1",
    account: str = ACCOUNT,
    *,
    service_linked: bool = False,
) -> Principal:
    arn = f"arn:aws:sts::{account}:assumed-role/{role}/{name}"
    return Principal(
        arn,
        PrincipalType.ASSUMED_ROLE,
        account,
        role_arn=role_arn(role, account),
        is_service_linked=service_linked,
    )


def federated_user(name: str = "bob", account: str = ACCOUNT) -> Principal:
    """A GetFederationToken session of the IAM user ``name``."""
    arn = f"arn:aws:sts::{account}:federated-user/{name}"
    return Principal(
        arn,
        PrincipalType.FEDERATED_USER,
        account,
        user_arn=f"arn:aws:iam::{account}:user/{name}",
    )


def root(account: str = ACCOUNT) -> Principal:
    return Principal(f"arn:aws:iam::{account}:root", PrincipalType.ROOT, account)


def service(name: str) -> Principal:
    return Principal(name, PrincipalType.SERVICE, None)


def anonymous() -> Principal:
    return Principal("anonymous", PrincipalType.ANONYMOUS, None)


def request(
    principal: Principal,
    action: str,
    resource: str = BUCKET,
    *,
    resource_account: str = ACCOUNT,
    context: Mapping[str, tuple[str, ...]] | None = None,
) -> Request:
    """A request; the resource is in ``ACCOUNT`` unless told otherwise."""
    return Request(principal, action, resource, dict(context or {}), resource_account)


def labels(decision: Any) -> list[str]:
    """The labels of the statements a decision reports as matched."""
    return [statement.label for statement in decision.matched]
