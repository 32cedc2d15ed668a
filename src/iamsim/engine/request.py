"""What the engine is asked: who, what action, on which resource, in what context.

The engine never reads a clock or a store: everything it needs arrives in a
:class:`Request` and a :class:`PolicySet`. Imports only iamsim.policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
    session. ``account`` is None for callers outside any account: services,
    anonymous callers and built-in web identity providers.
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


class NormalizedContext(dict[str, tuple[str, ...]]):
    """A request context already in the engine's form.

    Keys are lowercase condition-key names (IAM matches them
    case-insensitively) and values are tuples of strings. A :class:`Request`
    given any other mapping converts it with :func:`normalize_context`.
    """

    __slots__ = ()


ContextScalar = str | bool | int | float | datetime
ContextInput = Mapping[str, ContextScalar | Iterable[ContextScalar]]


def normalize_context(raw: ContextInput) -> NormalizedContext:
    """``raw`` in the engine's form: lowercase keys, values as tuples of text.

    A list, tuple or set is a multivalued key; booleans read ``true`` and
    ``false``; times are ISO 8601 in UTC, as AWS writes aws:CurrentTime.
    """
    context = NormalizedContext()
    for key, value in raw.items():
        if isinstance(value, str | bool | int | float | datetime):
            context[key.lower()] = (_text(value),)
        else:
            context[key.lower()] = tuple(_text(item) for item in value)
    return context


def _text(value: ContextScalar) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


@dataclass(frozen=True, slots=True)
class Request:
    """One API request to authorize.

    ``context`` is the complete request context, principal keys included;
    any mapping is accepted and converted to a :class:`NormalizedContext`.
    ``resource_account`` is the account that owns the resource, when known.
    """

    principal: Principal
    action: str
    resource: str
    context: Context = field(default_factory=NormalizedContext)
    resource_account: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.context, NormalizedContext):
            normalized = normalize_context(self.context)
            object.__setattr__(self, "context", normalized)


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
