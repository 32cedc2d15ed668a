"""What the engine is asked: who, what action, on which resource, in what context.

The engine never reads a clock or a store: everything it needs arrives in a
:class:`Request` and a :class:`PolicySet`. Imports only iamsim.policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from iamsim.policy.model import Context, Policy


class PrincipalType(Enum):
    """The kinds of caller IAM distinguishes (aws:PrincipalType values)."""

    USER = "User"
    ASSUMED_ROLE = "AssumedRole"
    FEDERATED_USER = "FederatedUser"
    ROOT = "Account"
    SERVICE = "Service"
    ANONYMOUS = "Anonymous"
    #: A SAML or OIDC identity provider asking to assume a role.
    WEB_IDENTITY = "WebIdentity"

    @property
    def message_noun(self) -> str:
        """How AWS's access-denied messages introduce the caller."""
        if self is PrincipalType.ANONYMOUS:
            return "Anonymous caller"
        return "User"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of a request.

    ``arn`` is the identity AWS reports: a user ARN, an assumed-role session
    ARN, a federated-user ARN, an account root ARN, a service principal name
    or an identity-provider ARN. ``role_arn`` (with its path) is set for
    role sessions; ``user_arn`` is the IAM user behind a federated-user
    session. ``account`` is None only for service and anonymous callers.
    """

    arn: str
    type: PrincipalType
    account: str | None
    role_arn: str | None = None
    user_arn: str | None = None
    is_service_linked: bool = False

    @property
    def root_arn(self) -> str | None:
        """The ARN of the caller's account root, when it has an account."""
        if self.account is None:
            return None
        return f"arn:{self.partition}:iam::{self.account}:root"

    @property
    def partition(self) -> str:
        if self.arn.startswith("arn:"):
            return self.arn.split(":", 2)[1]
        return "aws"


@dataclass(frozen=True, slots=True)
class Request:
    """One API request to authorize.

    ``context`` is the complete request context, keys lowercased, principal
    keys included (see :mod:`iamsim.engine.context`). ``resource_account`` is
    the account that owns the resource, when it is known.
    """

    principal: Principal
    action: str
    resource: str
    context: Context = field(default_factory=dict)
    resource_account: str | None = None


#: The policies attached at one level of the organization tree (root, an OU,
#: or the account itself). SCPs and RCPs must allow at every level.
PolicyLevel = tuple[Policy, ...]


@dataclass(frozen=True, slots=True)
class OrgGates:
    """The SCP or RCP levels that apply to one side of a request.

    ``levels`` runs from the root through each OU to the account.
    ``is_management_account`` exempts that side, as AWS documents.
    """

    levels: tuple[PolicyLevel, ...]
    is_management_account: bool = False


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every policy that applies to a request, gathered by the caller.

    ``session`` is None when the principal is not a session carrying session
    policies; an empty tuple is never used for "no session policy".
    ``resource`` is the resource-based policy (for a role, its trust policy).
    ``scps`` belong to the principal's account, ``rcps`` to the resource's.
    """

    identity: tuple[Policy, ...] = ()
    boundary: Policy | None = None
    session: tuple[Policy, ...] | None = None
    resource: Policy | None = None
    scps: OrgGates | None = None
    rcps: OrgGates | None = None
