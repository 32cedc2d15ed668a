"""How exported policies are named in a scenario, and how their ARNs are read.

A scenario refers to every managed policy by one name, so names from
different accounts and from Organizations must not collide:

* an AWS managed policy keeps its name (``ReadOnlyAccess``);
* a customer managed policy keeps its name (``DevAccess``) unless another
  account in the same import defines a customer managed policy of that name,
  or an AWS managed policy has it; then it becomes ``<account>/<name>``
  (``222222222222/DevAccess``);
* a service control policy is ``scp/<name>``, a resource control policy
  ``rcp/<name>`` (``scp/FullAWSAccess``).

IAM policy names cannot contain ``/``, so qualified and prefixed names never
meet an IAM policy name, and ``scp``/``rcp`` are never account ids.

Imports nothing of iamsim but errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iamsim.world.importers._source import Node

AWS_MANAGED = "aws"  # the account field of an AWS managed policy ARN
SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
RESOURCE_CONTROL_POLICY = "RESOURCE_CONTROL_POLICY"
ORG_POLICY_PREFIX = {SERVICE_CONTROL_POLICY: "scp", RESOURCE_CONTROL_POLICY: "rcp"}

_ACCOUNT_ID = re.compile(r"\d{12}")
_ARN_FIELDS = 6  # arn:partition:service:region:account:resource


@dataclass(frozen=True)
class IamArn:
    """The parts of an IAM ARN that an import needs."""

    account: str
    resource: str


def qualified_name(account: str, name: str) -> str:
    """The scenario name of a customer managed policy that needs its account."""
    return f"{account}/{name}"


def org_policy_name(policy_type: str, name: str) -> str:
    """The scenario name of a service or resource control policy."""
    return f"{ORG_POLICY_PREFIX[policy_type]}/{name}"


def is_account_id(text: str) -> bool:
    """Whether ``text`` is a twelve-digit AWS account id."""
    return _ACCOUNT_ID.fullmatch(text) is not None


def parse_iam_arn(node: Node, *, aws_managed: bool = False) -> IamArn:
    """Read an IAM ARN; ``aws_managed`` also admits ``aws`` as the account."""
    arn = node.text()
    fields = arn.split(":", _ARN_FIELDS - 1)
    if len(fields) != _ARN_FIELDS or fields[0] != "arn" or fields[2] != "iam":
        raise node.error(f"expected an IAM ARN, got {arn!r}")
    account = fields[4]
    if not (is_account_id(account) or (aws_managed and account == AWS_MANAGED)):
        raise node.error(f"ARN {arn!r} does not name a twelve-digit account")
    return IamArn(account=account, resource=fields[5])
