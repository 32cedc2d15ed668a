"""Turn a principal string into the caller the world knows.

Accepted forms, with the ARN shapes of "IAM identifiers" (IAM User Guide):

- an IAM user ARN, path included: ``arn:aws:iam::ACCOUNT:user/PATH/NAME``;
- an IAM role ARN: a *session* of that role. Its name is the session
  spec's name or, without one, the role's own name;
- an assumed-role session ARN, ``arn:aws:sts::ACCOUNT:assumed-role/ROLE/NAME``
  (partitions aws, aws-cn, aws-us-gov and the rest of ``PARTITIONS``);
- a federated-user ARN, ``arn:aws:sts::ACCOUNT:federated-user/NAME``;
- an account root ARN, ``arn:aws:iam::ACCOUNT:root``, or a bare account id;
- a service principal such as ``lambda.amazonaws.com``;
- a SAML or OIDC provider ARN (``saml-provider/NAME``, ``oidc-provider/HOST``)
  or a built-in web identity provider (``accounts.google.com``...): the
  caller of ``AssumeRoleWithSAML`` or ``AssumeRoleWithWebIdentity``;
- ``anonymous`` or ``*``: an unauthenticated caller.

Anything else raises ``NoSuchEntity`` with the closest known principal as a
hint. Imports only iamsim.errors, iamsim.policy, iamsim.engine.request and
iamsim.world.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from iamsim.engine.request import Principal, PrincipalType
from iamsim.errors import InputError, NoSuchEntity
from iamsim.policy.arn import PARTITIONS, Arn, is_arn, parse_arn
from iamsim.world.model import Account, IdentityProvider, Role, User, World
from iamsim.world.query import SessionSpec

ANONYMOUS_NAMES = frozenset({"anonymous", "*"})
ANONYMOUS_ARN = "anonymous"
#: Web identity providers AWS knows without an IAM provider entity ("Identity
#: providers and federation", IAM User Guide: Amazon Cognito, Login with
#: Amazon, Facebook, Google).
BUILTIN_WEB_IDENTITY_PROVIDERS = frozenset(
    {
        "cognito-identity.amazonaws.com",
        "www.amazon.com",
        "graph.facebook.com",
        "accounts.google.com",
    }
)
_SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
#: RoleSessionName: 2 to 64 of these characters (AssumeRole, STS API Reference).
_SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
#: GetFederationToken Name: 2 to 32 of the same characters.
_FEDERATED_NAME = re.compile(r"^[\w+=,.@-]{2,32}$")


@dataclass(frozen=True, slots=True)
class Caller:
    """A resolved principal with the world entities behind it.

    ``user`` is the IAM user, or the one behind a federated-user session;
    ``role`` the role of a role session; ``provider`` the identity provider
    that is calling, or that minted a role session.
    """

    principal: Principal
    account: Account | None = None
    user: User | None = None
    role: Role | None = None
    session: SessionSpec | None = None
    session_name: str | None = None
    provider: IdentityProvider | None = None
    federated_provider: str | None = None


def resolve_caller(world: World, text: str, session: SessionSpec | None) -> Caller:
    """The caller that ``text`` names in ``world``, speaking through ``session``.

    Raises ``NoSuchEntity`` when the world has no such principal and
    ``InputError`` when the session does not fit the principal.
    """
    if text in ANONYMOUS_NAMES:
        _refuse_session(session, "an anonymous caller")
        return Caller(Principal(ANONYMOUS_ARN, PrincipalType.ANONYMOUS, None))
    if _ACCOUNT_ID.match(text):
        account = _require_account(world, text, text)
        return _root(account, session)
    if is_arn(text):
        return _from_arn(world, text, parse_arn(text), session)
    if text in BUILTIN_WEB_IDENTITY_PROVIDERS:
        _refuse_session(session, "an identity provider")
        return Caller(Principal(text, PrincipalType.WEB_IDENTITY, None))
    if _SERVICE_PRINCIPAL.match(text):
        _refuse_session(session, "a service principal")
        return Caller(Principal(text, PrincipalType.SERVICE, None))
    raise _unknown(world, text, "is not a principal iamsim recognizes")


def _from_arn(world: World, text: str, arn: Arn, session: SessionSpec | None) -> Caller:
    if arn.partition not in PARTITIONS:
        raise _unknown(world, text, f"has unknown partition {arn.partition!r}")
    if not _ACCOUNT_ID.match(arn.account):
        raise _unknown(world, text, "is not a principal ARN")
    account = _require_account(world, arn.account, text)
    if account.partition != arn.partition:
        raise NoSuchEntity(
            f"principal {text!r} is in partition {arn.partition!r} but account "
            f"{account.id!r} is in {account.partition!r}",
            where="principal",
            hint=f"write arn:{account.partition}:... for this account",
        )
    kind = arn.resource_type
    if arn.service == "iam" and arn.resource == "root":
        return _root(account, session)
    if arn.service == "iam" and kind == "user":
        return _user(world, account, text, session)
    if arn.service == "iam" and kind == "role":
        return _role_session(world, account, text, session)
    if arn.service == "iam" and kind in ("saml-provider", "oidc-provider"):
        return _provider(world, account, text, session)
    if arn.service == "sts" and kind == "assumed-role":
        return _assumed_role(world, account, text, arn.resource_id, session)
    if arn.service == "sts" and kind == "federated-user":
        return _federated_user(world, account, text, arn.resource_id, session)
    raise _unknown(world, text, "is not a principal ARN")


def _root(account: Account, session: SessionSpec | None) -> Caller:
    _refuse_session(session, "an account root user")
    principal = Principal(account.root_arn, PrincipalType.ROOT, account.id)
    return Caller(principal, account)


def _user(
    world: World, account: Account, text: str, session: SessionSpec | None
) -> Caller:
    user = world.user(text)
    if user is None:
        raise _unknown(world, text, "is not a user in the world")
    _refuse_session(
        session,
        "an IAM user",
        hint="for a GetFederationToken session use the federated-user ARN "
        "with session.user",
    )
    return Caller(Principal(user.arn, PrincipalType.USER, account.id), account, user)


def _role_session(
    world: World, account: Account, text: str, session: SessionSpec | None
) -> Caller:
    role = world.role(text)
    if role is None:
        raise _unknown(world, text, "is not a role in the world")
    name = session.name if session is not None and session.name else role.name
    return _session_of(world, account, role, name, session)


def _assumed_role(
    world: World, account: Account, text: str, rest: str, session: SessionSpec | None
) -> Caller:
    role_name, _, name = rest.partition("/")
    role = next((r for r in account.roles.values() if r.name == role_name), None)
    if role is None or not name:
        raise _unknown(world, text, "names no role in the world")
    if session is not None and session.name and session.name != name:
        raise InputError(
            f"session name {session.name!r} differs from {name!r} in the principal ARN",
            where="session.name",
            hint="drop session.name; the ARN already names the session",
        )
    return _session_of(world, account, role, name, session)


def _session_of(
    world: World, account: Account, role: Role, name: str, session: SessionSpec | None
) -> Caller:
    _check_name(name, _SESSION_NAME, "role session name", "2 to 64")
    if session is not None and session.user is not None:
        raise InputError(
            "session.user applies only to federated-user sessions",
            where="session.user",
            hint="a role session's identity is the role",
        )
    provider = None
    if session is not None and session.federated_provider is not None:
        provider = _session_provider(world, account, session.federated_provider)
    principal = Principal(
        role.session_arn(name),
        PrincipalType.ASSUMED_ROLE,
        account.id,
        role_arn=role.arn,
        is_service_linked=role.service_linked,
    )
    return Caller(
        principal,
        account,
        role=role,
        session=session,
        session_name=name,
        provider=provider,
        federated_provider=None if session is None else session.federated_provider,
    )


def _session_provider(
    world: World, account: Account, text: str
) -> IdentityProvider | None:
    if text in BUILTIN_WEB_IDENTITY_PROVIDERS:
        return None
    provider = world.provider(text)
    if provider is None:
        candidates = [p.arn for p in account.providers]
        raise NoSuchEntity(
            f"identity provider {text!r} is not in the world",
            where="session.federated_provider",
            hint=_closest_hint(text, [*candidates, *BUILTIN_WEB_IDENTITY_PROVIDERS]),
        )
    return provider


def _federated_user(
    world: World, account: Account, text: str, name: str, session: SessionSpec | None
) -> Caller:
    _check_name(name, _FEDERATED_NAME, "federated user name", "2 to 32")
    if session is not None and session.name and session.name != name:
        raise InputError(
            f"session name {session.name!r} differs from {name!r} in the principal ARN",
            where="session.name",
            hint="drop session.name; the ARN already names the federated user",
        )
    for attribute in ("source_identity", "federated_provider"):
        if session is not None and getattr(session, attribute) is not None:
            raise InputError(
                f"session.{attribute} does not apply to a federated-user session",
                where=f"session.{attribute}",
                hint="GetFederationToken takes a name, policies and tags only",
            )
    user = _federating_user(world, account, session)
    principal = Principal(
        text,
        PrincipalType.FEDERATED_USER,
        account.id,
        user_arn=None if user is None else user.arn,
    )
    return Caller(principal, account, user=user, session=session, session_name=name)


def _federating_user(
    world: World, account: Account, session: SessionSpec | None
) -> User | None:
    if session is None or session.user is None:
        return None
    text = session.user
    user = world.user(text) if is_arn(text) else account.users.get(text)
    if user is None or user.account != account.id:
        raise NoSuchEntity(
            f"user {text!r} is not in account {account.id!r}",
            where="session.user",
            hint=_closest_hint(
                text, [*account.users, *(u.arn for u in account.users.values())]
            ),
        )
    return user


def _provider(
    world: World, account: Account, text: str, session: SessionSpec | None
) -> Caller:
    provider = world.provider(text)
    if provider is None:
        raise _unknown(world, text, "is not an identity provider in the world")
    _refuse_session(session, "an identity provider")
    principal = Principal(provider.arn, PrincipalType.WEB_IDENTITY, account.id)
    return Caller(principal, account, provider=provider)


def _require_account(world: World, account_id: str, text: str) -> Account:
    account = world.account(account_id)
    if account is None:
        raise NoSuchEntity(
            f"principal {text!r} is in account {account_id!r}, which is not in "
            "the world",
            where="principal",
            hint=_closest_hint(account_id, list(world.accounts))
            + "; add the account under accounts (it may be empty)",
        )
    return account


def _refuse_session(session: SessionSpec | None, what: str, hint: str = "") -> None:
    if session is not None:
        raise InputError(
            f"{what} does not speak through a session",
            where="session",
            hint=hint or "remove the session, or use a role or federated-user ARN",
        )


def _check_name(name: str, pattern: re.Pattern[str], what: str, length: str) -> None:
    if not pattern.match(name):
        raise InputError(
            f"{what} {name!r} is not valid",
            where="session.name",
            hint=f"use {length} letters, digits or any of _+=,.@-",
        )


def _unknown(world: World, text: str, problem: str) -> NoSuchEntity:
    candidates = [*world.known_arns, *(a.root_arn for a in world.accounts.values())]
    return NoSuchEntity(
        f"principal {text!r} {problem}",
        where="principal",
        hint=_closest_hint(text, candidates),
    )


def _closest_hint(text: str, candidates: list[str]) -> str:
    match = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
    if match:
        return f"did you mean {match[0]!r}?"
    return "check the spelling against the world's accounts and entities"
