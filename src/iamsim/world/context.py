"""Fill a request context the way AWS documents it for each kind of caller.

Sources, all in the IAM User Guide: "AWS global condition context keys"
(availability of every principal, session, resource and time key) and "IAM
policy elements: Variables and tags" (the values of ``aws:userid``,
``aws:username`` and ``aws:PrincipalType`` per principal type). In short:

=================  ===============  ================  ==================  =============
caller             PrincipalArn     userid            PrincipalType       username
=================  ===============  ================  ==================  =============
IAM user           user ARN         AIDA... id        ``User``            user name
role session       role ARN         AROA...:session   ``AssumedRole``     absent
federated user     session ARN      account:name      ``FederatedUser``   absent
account root       root ARN         account id        ``Account``         absent
anonymous          absent           ``anonymous``     ``Anonymous``       absent
=================  ===============  ================  ==================  =============

Principal tags are the user's tags, or the role's tags with session tags
overriding those of the same key ("Pass session tags in AWS STS"); a
federated user's are its IAM user's tags plus its session tags.
``aws:PrincipalIsAWSService`` is present on every signed request: ``true``
for a service principal, ``false`` otherwise. Service principals also get
``aws:PrincipalServiceName`` and ``aws:PrincipalServiceNamesList``.
``aws:FederatedProvider`` is present on sessions of roles assumed through
an OIDC provider, holding the provider's ARN (or the built-in provider's
host, such as ``cognito-identity.amazonaws.com``).

Choices where the pages are silent: a service principal gets no
``aws:PrincipalType`` or ``aws:userid`` (the documented values cover no
service), and the caller of ``AssumeRoleWithSAML``/``WithWebIdentity`` (an
identity provider) gets no principal keys at all: those calls are unsigned,
and provider claims (``saml:*``, ``HOST:aud``...) come from the query.

Imports only iamsim.engine.request, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from iamsim.engine.request import PrincipalType
from iamsim.policy.model import Policy
from iamsim.world import keys
from iamsim.world.model import ProviderKind, Tags, World
from iamsim.world.principals import BUILTIN_WEB_IDENTITY_PROVIDERS, Caller
from iamsim.world.query import format_time

MutableContext = dict[str, tuple[str, ...]]

_TYPE_VALUES = {
    PrincipalType.USER: "User",
    PrincipalType.ASSUMED_ROLE: "AssumedRole",
    PrincipalType.FEDERATED_USER: "FederatedUser",
    PrincipalType.ROOT: "Account",
    PrincipalType.ANONYMOUS: "Anonymous",
}
_SIGNED = (
    PrincipalType.USER,
    PrincipalType.ASSUMED_ROLE,
    PrincipalType.FEDERATED_USER,
    PrincipalType.ROOT,
)


def _no_tags() -> Tags:
    return {}


@dataclass(frozen=True, slots=True)
class Target:
    """The resource side of a request, as far as the world knows it."""

    arn: str
    account: str | None = None
    policy: Policy | None = None
    tags: Tags = field(default_factory=_no_tags)


def time_context(moment: datetime) -> MutableContext:
    """``aws:CurrentTime`` and ``aws:EpochTime``, present on every request."""
    return {
        keys.CURRENT_TIME: (format_time(moment),),
        keys.EPOCH_TIME: (str(int(moment.timestamp())),),
    }


def principal_context(world: World, caller: Caller) -> MutableContext:
    """Every principal and role-session key AWS fills for ``caller``."""
    principal = caller.principal
    kind = principal.type
    context: MutableContext = {}
    if kind is PrincipalType.SERVICE:
        context[keys.PRINCIPAL_IS_AWS_SERVICE] = ("true",)
        context[keys.PRINCIPAL_SERVICE_NAME] = (principal.arn,)
        context[keys.PRINCIPAL_SERVICE_NAMES_LIST] = (principal.arn,)
        return context
    type_value = _TYPE_VALUES.get(kind)
    if type_value is not None:
        context[keys.PRINCIPAL_TYPE] = (type_value,)
    userid = _userid(caller)
    if userid is not None:
        context[keys.USERID] = (userid,)
    if kind not in _SIGNED:
        return context
    context[keys.PRINCIPAL_IS_AWS_SERVICE] = ("false",)
    context[keys.PRINCIPAL_ARN] = (_principal_arn(caller),)
    if principal.account is not None:
        context[keys.PRINCIPAL_ACCOUNT] = (principal.account,)
        context.update(_org_keys(world, principal.account, principal=True))
    if kind is PrincipalType.USER and caller.user is not None:
        context[keys.USERNAME] = (caller.user.name,)
    context.update(_tag_keys(keys.PRINCIPAL_TAG, _principal_tags(caller)))
    context.update(_session_keys(caller))
    return context


# GAP: iam:ResourceTag is not filled when an IAM user or role is the resource.
def resource_context(world: World, target: Target) -> MutableContext:
    """``aws:ResourceAccount``, its organization keys and ``aws:ResourceTag/*``."""
    context: MutableContext = {}
    if target.account is not None:
        context[keys.RESOURCE_ACCOUNT] = (target.account,)
        context.update(_org_keys(world, target.account, principal=False))
    context.update(_tag_keys(keys.RESOURCE_TAG, target.tags))
    return context


def _principal_arn(caller: Caller) -> str:
    """The role's ARN for a role session, else the caller's own ARN."""
    principal = caller.principal
    if principal.role_arn is not None:
        return principal.role_arn
    return principal.arn


def _userid(caller: Caller) -> str | None:
    principal = caller.principal
    kind = principal.type
    if kind is PrincipalType.USER and caller.user is not None:
        return caller.user.user_id
    if kind is PrincipalType.ASSUMED_ROLE and caller.role is not None:
        return f"{caller.role.role_id}:{caller.session_name}"
    if kind is PrincipalType.FEDERATED_USER:
        return f"{principal.account}:{caller.session_name}"
    if kind is PrincipalType.ROOT:
        return principal.account
    if kind is PrincipalType.ANONYMOUS:
        return "anonymous"
    return None


def _principal_tags(caller: Caller) -> dict[str, str]:
    """Entity tags, then session tags overriding by case-insensitive key."""
    tags: dict[str, str] = {}
    entity = caller.role if caller.role is not None else caller.user
    if entity is not None:
        tags.update((key.lower(), value) for key, value in entity.tags.items())
    if caller.session is not None:
        tags.update((k.lower(), v) for k, v in caller.session.tags.items())
    return tags


# GAP: aws:MultiFactorAuthPresent and aws:MultiFactorAuthAge
# are not filled for sessions; callers may supply them in the query's context.
def _session_keys(caller: Caller) -> MutableContext:
    session = caller.session
    context: MutableContext = {}
    if caller.principal.type is not PrincipalType.ASSUMED_ROLE or session is None:
        return context
    if session.source_identity is not None:
        context[keys.SOURCE_IDENTITY] = (session.source_identity,)
    provider = caller.provider
    builtin = caller.federated_provider
    if provider is not None and provider.kind is ProviderKind.OIDC:
        context[keys.FEDERATED_PROVIDER] = (provider.arn,)
    elif builtin is not None and builtin in BUILTIN_WEB_IDENTITY_PROVIDERS:
        context[keys.FEDERATED_PROVIDER] = (builtin,)
    return context


def _org_keys(world: World, account: str, *, principal: bool) -> MutableContext:
    organization = world.organization
    path = None if organization is None else organization.entity_path(account)
    if organization is None or path is None:
        return {}
    if principal:
        return {
            keys.PRINCIPAL_ORG_ID: (organization.id,),
            keys.PRINCIPAL_ORG_PATHS: (path,),
        }
    return {keys.RESOURCE_ORG_ID: (organization.id,), keys.RESOURCE_ORG_PATHS: (path,)}


def _tag_keys(prefix: str, tags: Tags) -> MutableContext:
    return {f"{prefix}{key.lower()}": (value,) for key, value in tags.items()}
