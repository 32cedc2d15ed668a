"""The world: accounts, their users, groups, roles, providers and resources.

Entities are frozen dataclasses holding parsed policies, so a request never
reparses a document. Each knows its ARN, built as "IAM identifiers" (IAM
User Guide) describes: ``arn:PARTITION:iam::ACCOUNT:user/PATH/NAME``, and
likewise for roles and groups. A :class:`World` holds every account and
looks entities up by ARN in constant time.

Imports only iamsim.errors, iamsim.policy and iamsim.engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from iamsim.engine.evaluate import Authorizer
from iamsim.errors import InputError, NoSuchEntity
from iamsim.policy.model import Policy
from iamsim.world.ids import (
    GROUP_ID_PREFIX,
    ROLE_ID_PREFIX,
    USER_ID_PREFIX,
    unique_id,
)
from iamsim.world.organization import Organization

if TYPE_CHECKING:
    from iamsim.engine.decision import Decision
    from iamsim.world.query import Query

#: A tag set: tag key to value, as IAM and resource tags are.
Tags = Mapping[str, str]

DEFAULT_PARTITION = "aws"
#: A role's default maximum session, one hour ("Modify a role maximum session
#: duration", IAM User Guide); AWS accepts 3600 to 43200 seconds.
DEFAULT_MAX_SESSION_SECONDS = 3_600


def _empty_tags() -> Tags:
    return {}


def iam_arn(partition: str, account: str, kind: str, path: str, name: str) -> str:
    """The ARN of an IAM entity of ``kind`` (user, role, group) with its path."""
    return f"arn:{partition}:iam::{account}:{kind}{path}{name}"


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A managed policy as the world names it, with its default version.

    ``document`` is the default version's JSON (text or decoded). The parsed
    forms live on the entities it is attached to, one per policy kind.
    """

    name: str
    document: Mapping[str, Any] | str
    arn: str | None = None
    default_version_id: str = "v1"


@dataclass(frozen=True, slots=True)
class Group:
    """An IAM group and the identity policies its members inherit."""

    name: str
    account: str
    path: str = "/"
    policies: tuple[Policy, ...] = ()
    partition: str = DEFAULT_PARTITION
    group_id: str = ""

    def __post_init__(self) -> None:
        if not self.group_id:
            ident = unique_id(GROUP_ID_PREFIX, self.partition, self.account, self.name)
            object.__setattr__(self, "group_id", ident)

    @property
    def arn(self) -> str:
        return iam_arn(self.partition, self.account, "group", self.path, self.name)


@dataclass(frozen=True, slots=True)
class User:
    """An IAM user: its groups (by name), policies, boundary and tags.

    ``policies`` holds inline and attached managed policies alike, in the
    order they were given; each keeps its own name for explanations.
    """

    name: str
    account: str
    path: str = "/"
    groups: tuple[str, ...] = ()
    policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    tags: Tags = field(default_factory=_empty_tags)
    partition: str = DEFAULT_PARTITION
    user_id: str = ""

    def __post_init__(self) -> None:
        if not self.user_id:
            ident = unique_id(USER_ID_PREFIX, self.partition, self.account, self.name)
            object.__setattr__(self, "user_id", ident)

    @property
    def arn(self) -> str:
        return iam_arn(self.partition, self.account, "user", self.path, self.name)


@dataclass(frozen=True, slots=True)
class Role:
    """An IAM role: its trust policy, permissions, boundary and tags."""

    name: str
    account: str
    trust_policy: Policy
    path: str = "/"
    policies: tuple[Policy, ...] = ()
    permissions_boundary: Policy | None = None
    tags: Tags = field(default_factory=_empty_tags)
    max_session_duration: int = DEFAULT_MAX_SESSION_SECONDS
    service_linked: bool = False
    partition: str = DEFAULT_PARTITION
    role_id: str = ""

    def __post_init__(self) -> None:
        if not self.role_id:
            ident = unique_id(ROLE_ID_PREFIX, self.partition, self.account, self.name)
            object.__setattr__(self, "role_id", ident)

    @property
    def arn(self) -> str:
        return iam_arn(self.partition, self.account, "role", self.path, self.name)

    def session_arn(self, session_name: str) -> str:
        """The ARN of a session of this role; it carries no path."""
        return (
            f"arn:{self.partition}:sts::{self.account}:assumed-role/"
            f"{self.name}/{session_name}"
        )


class ProviderKind(Enum):
    SAML = "saml-provider"
    OIDC = "oidc-provider"


@dataclass(frozen=True, slots=True)
class IdentityProvider:
    """A SAML or OIDC identity provider registered in IAM.

    ``name`` is the SAML provider's name or the OIDC provider's URL without
    its scheme, which is how each appears in the provider's ARN.
    """

    kind: ProviderKind
    name: str
    account: str
    tags: Tags = field(default_factory=_empty_tags)
    partition: str = DEFAULT_PARTITION

    @property
    def arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:{self.kind.value}/{self.name}"


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource with, optionally, its resource-based policy and tags.

    ``account`` owns it; for ARNs without an account field (S3 buckets) it
    is the account that lists the resource. A KMS key's key policy is its
    resource-based policy.
    """

    arn: str
    account: str
    policy: Policy | None = None
    tags: Tags = field(default_factory=_empty_tags)


@dataclass(frozen=True, slots=True)
class Account:
    """One AWS account and the IAM entities and resources it holds."""

    id: str
    partition: str = DEFAULT_PARTITION
    users: Mapping[str, User] = field(default_factory=dict)
    groups: Mapping[str, Group] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)
    providers: tuple[IdentityProvider, ...] = ()
    resources: tuple[Resource, ...] = ()

    @property
    def root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.id}:root"


@dataclass(frozen=True)
class World:
    """Every account, the organization over them and the named policies.

    Accounts that the organization lists but ``accounts`` does not are added
    empty, so every member account can be looked up.
    """

    accounts: Mapping[str, Account] = field(default_factory=dict)
    organization: Organization | None = None
    policies: Mapping[str, ManagedPolicy] = field(default_factory=dict)
    _by_arn: dict[str, User | Role | Group | IdentityProvider] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _resources: dict[str, Resource] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    #: Compiles each policy of this world once, however many requests it sees.
    _authorizer: Authorizer = field(
        init=False, repr=False, compare=False, default_factory=Authorizer
    )
    #: What the resolver learned of each principal and resource; a world never
    #: changes, so these stay true for its lifetime (see world.resolve).
    _resolved: dict[Any, Any] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        accounts = dict(self.accounts)
        if self.organization is not None:
            for account_id in self.organization.account_ids:
                accounts.setdefault(account_id, Account(account_id))
        object.__setattr__(self, "accounts", accounts)
        for account in accounts.values():
            self._index(account)

    def _index(self, account: Account) -> None:
        entities: list[User | Role | Group | IdentityProvider] = [
            *account.users.values(),
            *account.roles.values(),
            *account.groups.values(),
            *account.providers,
        ]
        for entity in entities:
            self._by_arn[entity.arn] = entity
        for resource in account.resources:
            if resource.arn in self._resources:
                raise InputError(
                    f"resource {resource.arn!r} is listed twice",
                    where=f"accounts.{account.id}.resources",
                    hint="list each resource once, under the account that owns it",
                )
            self._resources[resource.arn] = resource

    def account(self, account_id: str) -> Account | None:
        """The account with this id, or None."""
        return self.accounts.get(account_id)

    def user(self, arn: str) -> User | None:
        """The IAM user with this ARN (path included), or None."""
        found = self._by_arn.get(arn)
        return found if isinstance(found, User) else None

    def role(self, arn: str) -> Role | None:
        """The IAM role with this ARN (path included), or None."""
        found = self._by_arn.get(arn)
        return found if isinstance(found, Role) else None

    def group(self, arn: str) -> Group | None:
        """The IAM group with this ARN (path included), or None."""
        found = self._by_arn.get(arn)
        return found if isinstance(found, Group) else None

    def provider(self, arn: str) -> IdentityProvider | None:
        """The SAML or OIDC provider with this ARN, or None."""
        found = self._by_arn.get(arn)
        return found if isinstance(found, IdentityProvider) else None

    def resource(self, arn: str) -> Resource | None:
        """The listed resource with exactly this ARN, or None."""
        return self._resources.get(arn)

    def groups_of(self, user: User) -> tuple[Group, ...]:
        """The groups ``user`` belongs to, in the order it lists them."""
        account = self.accounts.get(user.account)
        groups = {} if account is None else account.groups
        missing = [name for name in user.groups if name not in groups]
        if missing:
            raise NoSuchEntity(
                f"user {user.name!r} is in group {missing[0]!r}, which does not "
                f"exist in account {user.account!r}",
                where=user.arn,
                hint="define the group under the account's groups",
            )
        return tuple(groups[name] for name in user.groups)

    @property
    def known_arns(self) -> tuple[str, ...]:
        """The ARNs of every user, role, group and provider, for hints."""
        return tuple(self._by_arn)

    def authorize(self, query: Query, *, now: datetime | None = None) -> Decision:
        """Resolve ``query`` against this world and evaluate it.

        ``now`` is the request time when the query carries none; the world
        never reads a clock itself.
        """
        from iamsim.world.resolve import authorize  # resolve imports this module

        return authorize(self, query, now=now, authorizer=self._authorizer)
