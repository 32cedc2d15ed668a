"""The AWS STS operations, and how a request's credentials become a Caller.

Operations (STS API Reference): GetCallerIdentity, GetSessionToken,
GetFederationToken, GetAccessKeyInfo and AssumeRole.
AssumeRoleWithSAML and AssumeRoleWithWebIdentity are registered but refuse
with ``Unsupported``: they need SAML assertion and OIDC token verification.

Who may call what ("Compare AWS STS credentials", IAM User Guide):

- AssumeRole: IAM users and sessions; not the root user, and a federated
  user's credentials call no STS operation but GetCallerIdentity;
- GetSessionToken and GetFederationToken: IAM users and the root user, with
  long-term credentials only;
- credentials from GetSessionToken call, of STS, only AssumeRole and
  GetCallerIdentity;
- GetCallerIdentity needs no permission, and an explicit deny does not stop
  it; GetSessionToken cannot be controlled by policies ("Permissions for
  GetSessionToken").

The refusals use the texts STS returns: "Roles may not be assumed by root
accounts." and "Cannot call GetSessionToken with session credentials"
(the same form is used for GetFederationToken); the pages above state the
rules but not these texts.

Temporary credentials carry their session in the session token (see
:mod:`iamsim.sts.token`); :func:`resolve_caller` opens it for the server
after the SigV4 check, and :func:`secret_for` gives the verifier each key's
secret. Rules of the sts layer raise ``StsError``, turned here into the
wire's ``ServiceError`` with the same code, status and message.

Imports only iamsim.errors, iamsim.policy, iamsim.world, iamsim.sts and
iamsim.services.api.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from iamsim.errors import Unsupported
from iamsim.policy.model import Policy
from iamsim.services.api import (
    OPERATIONS,
    Backend,
    Call,
    Caller,
    Handler,
    Params,
    Result,
    ServiceError,
    SessionInfo,
    access_denied,
)
from iamsim.sts import durations, keys, packing, requests
from iamsim.sts.errors import StsError, invalid_parameter, invalid_token
from iamsim.sts.identity import (
    Identity,
    federated_identity,
    is_root_arn,
    partition_of,
    principal_identity,
    role_session_identity,
)
from iamsim.sts.policies import (
    parse_session_policy,
    session_policy_documents,
    session_policy_names,
)
from iamsim.sts.source_identity import session_source_identity
from iamsim.sts.tags import SessionTags, inherited_tags, session_tags
from iamsim.sts.token import open_token, seal_token
from iamsim.world.model import Role
from iamsim.world.query import ContextInput, SessionSpec

ASSUMED_ROLE = "assumed-role"
FEDERATED_USER = "federated-user"
SESSION_TOKEN = "session-token"
ROOT_MAY_NOT_ASSUME = "Roles may not be assumed by root accounts."


def _translated(handler: Handler) -> Handler:
    """``handler`` with sts-layer refusals raised as the wire's ServiceError."""

    @functools.wraps(handler)
    def run(backend: Any, call: Call, params: Params) -> Result:
        try:
            return handler(backend, call, params)
        except StsError as error:
            raise service_error(error) from None

    return run


def service_error(error: StsError) -> ServiceError:
    """The wire error for an sts-layer refusal: same code, status and text."""
    return ServiceError(error.code, error.message, status=error.status)


# --- credentials in, caller out -------------------------------------------


def secret_for(backend: Backend, access_key_id: str) -> str | None:
    """The secret SigV4 verification needs for ``access_key_id``, if any.

    Long-term keys come from the store; temporary ones are derived from the
    server key, so any ``ASIA`` id gets one and its session token decides.
    """
    if keys.is_long_term(access_key_id):
        record = backend.access_key(access_key_id)
        return None if record is None else record.secret_access_key
    if keys.is_temporary(access_key_id):
        return keys.temporary_secret(backend.server_key, access_key_id)
    return None


def resolve_caller(
    backend: Backend, access_key_id: str, session_token: str | None, now: datetime
) -> Caller:
    """The caller behind a request whose SigV4 signature has been verified.

    Raises ServiceError InvalidClientTokenId for an unknown or inactive
    long-term key, a long-term key sent with a session token, a temporary
    key without one, or a token that fails to open for this key; and
    ExpiredToken for a token past its expiration.
    """
    try:
        if keys.is_long_term(access_key_id) and not session_token:
            return _long_term_caller(backend, access_key_id)
        if keys.is_temporary(access_key_id) and session_token:
            return _session_caller(backend, access_key_id, session_token, now)
        raise invalid_token()
    except StsError as error:
        raise service_error(error) from None


def _long_term_caller(backend: Backend, access_key_id: str) -> Caller:
    record = backend.access_key(access_key_id)
    if record is None or record.status != "Active":
        raise invalid_token()
    identity = principal_identity(backend.world(), record.owner_arn)
    if identity is None:
        raise invalid_token()
    return Caller(identity.arn, identity.account, identity.user_id, access_key_id)


def _session_caller(
    backend: Backend, access_key_id: str, token: str, now: datetime
) -> Caller:
    claims = open_token(backend.server_key, access_key_id, token, now)
    session = session_from_claims(claims)
    identity = _session_identity(backend, session)
    if identity is None:
        raise invalid_token()
    return Caller(
        identity.arn, identity.account, identity.user_id, access_key_id, session
    )


def _session_identity(backend: Backend, session: SessionInfo) -> Identity | None:
    """The session's identity, or None once its role or user is gone."""
    world = backend.world()
    if session.kind == SESSION_TOKEN and session.user_arn is not None:
        return principal_identity(world, session.user_arn)
    if session.kind == ASSUMED_ROLE and session.role_arn and session.session_name:
        role = world.role(session.role_arn)
        if role is None:
            return None
        return role_session_identity(role, session.session_name)
    if session.kind == FEDERATED_USER and session.session_name:
        owner = session.user_arn
        if owner is None or principal_identity(world, owner) is None:
            return None
        return federated_identity(
            partition_of(session.arn), session.account, session.session_name
        )
    return None


def query_principal(caller: Caller) -> tuple[str, SessionSpec | None]:
    """The principal and session to put in a world ``Query`` for ``caller``.

    GetSessionToken credentials act as their user or root user; role and
    federated-user sessions bring their tags, source identity and session
    policies.
    """
    session = caller.session
    if session is None:
        return caller.arn, None
    if session.kind == SESSION_TOKEN:
        return session.user_arn or caller.arn, None
    names = session_policy_names(session.policy_arns, len(session.policies))
    policies = tuple(
        _session_policy(text, name)
        for text, name in zip(session.policies, names, strict=True)
    )
    if session.kind == FEDERATED_USER:
        owner = session.user_arn
        # GAP: a root user's federated session gets no identity-side
        # permissions; the world's SessionSpec can name only an IAM user.
        user = None if owner is None or is_root_arn(owner) else owner
        return caller.arn, SessionSpec(
            policies=policies, tags=dict(session.tags), user=user
        )
    return caller.arn, SessionSpec(
        name=session.session_name,
        policies=policies,
        tags=dict(session.tags),
        source_identity=session.source_identity,
    )


@functools.lru_cache(maxsize=512)
def _session_policy(text: str, name: str) -> Policy:
    return parse_session_policy(text, name)


# --- sessions in tokens ----------------------------------------------------


def session_claims(session: SessionInfo) -> dict[str, Any]:
    """The token claims standing for ``session`` (short keys, no defaults)."""
    claims: dict[str, Any] = {
        "k": session.kind,
        "a": session.arn,
        "c": session.account,
    }
    optional: dict[str, Any] = {
        "r": session.role_arn,
        "n": session.session_name,
        "u": session.user_arn,
        "t": [list(pair) for pair in session.tags.items()],
        "x": list(session.transitive_tag_keys),
        "s": session.source_identity,
        "p": list(session.policies),
        "pa": list(session.policy_arns),
        "ch": session.chained,
        "m": session.mfa_authenticated,
        "iat": int(session.issued_at.timestamp()) if session.issued_at else None,
    }
    claims.update((key, value) for key, value in optional.items() if value)
    return claims


def session_from_claims(claims: Mapping[str, Any]) -> SessionInfo:
    """The session a token's claims stand for; InvalidClientTokenId if bad."""
    try:
        return SessionInfo(
            kind=str(claims["k"]),
            arn=str(claims["a"]),
            account=str(claims["c"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
            role_arn=claims.get("r"),
            session_name=claims.get("n"),
            user_arn=claims.get("u"),
            tags={str(key): str(value) for key, value in claims.get("t", [])},
            transitive_tag_keys=tuple(claims.get("x", [])),
            source_identity=claims.get("s"),
            policies=tuple(claims.get("p", [])),
            policy_arns=tuple(claims.get("pa", [])),
            chained=bool(claims.get("ch", False)),
            mfa_authenticated=bool(claims.get("m", False)),
            issued_at=(
                datetime.fromtimestamp(int(claims["iat"]), UTC)
                if "iat" in claims
                else None
            ),
        )
    except (KeyError, TypeError, ValueError):
        raise invalid_token() from None


def issue_credentials(backend: Backend, session: SessionInfo) -> dict[str, Any]:
    """A ``Credentials`` structure for a new temporary key of ``session``."""
    access_key_id = keys.temporary_key_id(session.account)
    token = seal_token(
        backend.server_key, access_key_id, session_claims(session), session.expires_at
    )
    return {
        "AccessKeyId": access_key_id,
        "SecretAccessKey": keys.temporary_secret(backend.server_key, access_key_id),
        "SessionToken": token,
        "Expiration": session.expires_at,
    }


def _expiration(now: datetime, seconds: int) -> datetime:
    return now.replace(microsecond=0) + timedelta(seconds=seconds)


# --- who may call what -----------------------------------------------------


def _kind(caller: Caller) -> str | None:
    return None if caller.session is None else caller.session.kind


def _is_root(caller: Caller) -> bool:
    return is_root_arn(caller.arn)


def _not_authorized(caller: Caller, action: str, resource: str) -> ServiceError:
    return access_denied(
        f"User: {caller.arn} is not authorized to perform: {action} on resource: "
        f"{resource}"
    )


def _require_long_term(caller: Caller, operation: str) -> None:
    if caller.session is not None:
        raise access_denied(f"Cannot call {operation} with session credentials")


def _refuse_sts_from(caller: Caller, kinds: tuple[str, ...], action: str) -> None:
    """Refuse ``action`` to the session kinds whose credentials cannot call it."""
    if _kind(caller) in kinds:
        raise _not_authorized(caller, action, "*")


# --- operations ------------------------------------------------------------


@OPERATIONS.operation("sts", "GetCallerIdentity")
@_translated
def get_caller_identity(backend: Backend, call: Call, params: Params) -> Result:
    """The caller's UserId, Account and Arn; no permission is needed."""
    caller = call.caller
    return {"UserId": caller.user_id, "Account": caller.account, "Arn": caller.arn}


@OPERATIONS.operation("sts", "GetAccessKeyInfo")
@_translated
def get_access_key_info(backend: Backend, call: Call, params: Params) -> Result:
    """The account an access key id belongs to, known to the store or not."""
    access_key_id = requests.access_key_id_param(params)
    _refuse_sts_from(
        call.caller, (SESSION_TOKEN, FEDERATED_USER), "sts:GetAccessKeyInfo"
    )
    backend.authorize(call, "sts:GetAccessKeyInfo", "*")
    record = backend.access_key(access_key_id)
    account = keys.account_from_access_key_id(access_key_id)
    if record is not None and record.account:
        account = record.account
    if account is None:
        raise invalid_parameter(
            f"The access key ID {access_key_id} does not identify an account."
        )
    return {"Account": account}


@OPERATIONS.operation("sts", "GetSessionToken")
@_translated
def get_session_token(backend: Backend, call: Call, params: Params) -> Result:
    """Temporary credentials keeping the caller's own identity and policies."""
    requested = requests.session_token_duration(params)
    caller = call.caller
    _require_long_term(caller, "GetSessionToken")
    seconds = durations.token_duration(requested, is_root=_is_root(caller))
    session = SessionInfo(
        issued_at=call.now.replace(microsecond=0),
        kind=SESSION_TOKEN,
        arn=caller.arn,
        account=caller.account,
        expires_at=_expiration(call.now, seconds),
        user_arn=caller.arn,
    )
    return {"Credentials": issue_credentials(backend, session)}


@OPERATIONS.operation("sts", "GetFederationToken")
@_translated
def get_federation_token(backend: Backend, call: Call, params: Params) -> Result:
    """Credentials for a federated user limited by the passed session policies."""
    request = requests.federation_params(params)
    caller = call.caller
    _require_long_term(caller, "GetFederationToken")
    shape = request.session
    tags = session_tags(shape.tags, (), SessionTags())
    identity = federated_identity(
        partition_of(caller.arn), caller.account, request.name
    )
    context = _tag_context(shape)
    backend.authorize(call, "sts:GetFederationToken", identity.arn, context)
    if shape.tags:
        # Passing session tags needs sts:TagSession ("Passing session tags in
        # AWS STS"); outside a role, the caller's identity policy decides it.
        backend.authorize(call, "sts:TagSession", identity.arn, context)
    seconds = durations.token_duration(shape.duration, is_root=_is_root(caller))
    documents = session_policy_documents(
        backend.world(), shape.policy, shape.policy_arns
    )
    packed = packing.packed_percent(shape.policy, shape.policy_arns, tags.tags)
    session = SessionInfo(
        issued_at=call.now.replace(microsecond=0),
        kind=FEDERATED_USER,
        arn=identity.arn,
        account=identity.account,
        expires_at=_expiration(call.now, seconds),
        session_name=request.name,
        user_arn=caller.arn,
        tags=tags.as_dict(),
        policies=documents,
        policy_arns=shape.policy_arns,
    )
    result: Result = {
        "Credentials": issue_credentials(backend, session),
        "FederatedUser": {"FederatedUserId": identity.user_id, "Arn": identity.arn},
    }
    if packed is not None:
        result["PackedPolicySize"] = packed
    return result


@OPERATIONS.operation("sts", "AssumeRole")
@_translated
def assume_role(backend: Backend, call: Call, params: Params) -> Result:
    """Credentials for a session of a role that trusts the caller."""
    request = requests.assume_role_params(params)
    caller = call.caller
    if _is_root(caller):
        raise access_denied(ROOT_MAY_NOT_ASSUME)
    _refuse_sts_from(caller, (FEDERATED_USER,), "sts:AssumeRole")
    role = backend.world().role(request.role_arn)
    if role is None:
        raise _not_authorized(caller, "sts:AssumeRole", request.role_arn)
    parent = caller.session if _kind(caller) == ASSUMED_ROLE else None
    shape = request.session
    inherited = (
        SessionTags()
        if parent is None
        else inherited_tags(parent.tags, parent.transitive_tag_keys)
    )
    tags = session_tags(shape.tags, shape.transitive_tag_keys, inherited)
    _authorize_assume_role(backend, call, role, request)
    seconds = durations.role_duration(
        shape.duration,
        max_session=role.max_session_duration,
        chained=parent is not None,
    )
    source_identity = session_source_identity(
        request.source_identity, None if parent is None else parent.source_identity
    )
    documents = session_policy_documents(
        backend.world(), shape.policy, shape.policy_arns
    )
    packed = packing.packed_percent(shape.policy, shape.policy_arns, tags.tags)
    identity = role_session_identity(role, request.session_name)
    session = SessionInfo(
        issued_at=call.now.replace(microsecond=0),
        kind=ASSUMED_ROLE,
        arn=identity.arn,
        account=identity.account,
        expires_at=_expiration(call.now, seconds),
        role_arn=role.arn,
        session_name=request.session_name,
        tags=tags.as_dict(),
        transitive_tag_keys=tags.transitive_keys,
        source_identity=source_identity,
        policies=documents,
        policy_arns=shape.policy_arns,
        chained=parent is not None,
    )
    result: Result = {
        "Credentials": issue_credentials(backend, session),
        "AssumedRoleUser": {"AssumedRoleId": identity.user_id, "Arn": identity.arn},
    }
    if packed is not None:
        result["PackedPolicySize"] = packed
    if source_identity is not None:
        result["SourceIdentity"] = source_identity
    return result


def _authorize_assume_role(
    backend: Backend, call: Call, role: Role, request: requests.AssumeRoleParams
) -> None:
    """sts:AssumeRole, and sts:TagSession or sts:SetSourceIdentity if used.

    The trust policy must allow each ("Pass session tags in AWS STS",
    "Monitor and control actions taken with assumed roles"); whether the
    caller's identity policies must too is the engine's rule.
    """
    shape = request.session
    context: dict[str, ContextInput] = {"sts:RoleSessionName": request.session_name}
    if request.external_id is not None:
        context["sts:ExternalId"] = request.external_id
    if request.source_identity is not None:
        context["sts:SourceIdentity"] = request.source_identity
    context.update(_tag_context(shape))
    backend.authorize(call, "sts:AssumeRole", role.arn, context)
    if shape.tags or shape.transitive_tag_keys:
        backend.authorize(call, "sts:TagSession", role.arn, context)
    if request.source_identity is not None:
        backend.authorize(call, "sts:SetSourceIdentity", role.arn, context)


def _tag_context(shape: requests.SessionParams) -> dict[str, ContextInput]:
    """``aws:RequestTag/*``, ``aws:TagKeys`` and ``sts:TransitiveTagKeys``."""
    context: dict[str, ContextInput] = {
        f"aws:RequestTag/{key}": value for key, value in shape.tags
    }
    if shape.tags:
        context["aws:TagKeys"] = [key for key, _ in shape.tags]
    if shape.transitive_tag_keys:
        context["sts:TransitiveTagKeys"] = list(shape.transitive_tag_keys)
    return context


@OPERATIONS.operation("sts", "AssumeRoleWithSAML")
def assume_role_with_saml(backend: Backend, call: Call, params: Params) -> Result:
    """Refused: SAML assertions are not verified by iamsim yet."""
    raise Unsupported(
        "AssumeRoleWithSAML is not emulated: SAML assertion verification is missing",
        hint="use AssumeRole, or query the world with the provider as principal",
    )


@OPERATIONS.operation("sts", "AssumeRoleWithWebIdentity")
def assume_role_with_web_identity(
    backend: Backend, call: Call, params: Params
) -> Result:
    """Refused: OIDC web identity tokens are not verified by iamsim yet."""
    raise Unsupported(
        "AssumeRoleWithWebIdentity is not emulated: web identity token "
        "verification is missing",
        hint="use AssumeRole, or query the world with the provider as principal",
    )
