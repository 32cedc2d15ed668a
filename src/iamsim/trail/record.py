"""CloudTrail records, in AWS's schema, for each API call iamsim serves.

A record follows "CloudTrail record contents for management, data, and network
activity events" and "CloudTrail userIdentity element" (AWS CloudTrail User
Guide): who called (``userIdentity``), what (``eventSource``, ``eventName``,
``requestParameters``), with what outcome (``responseElements`` or
``errorCode``/``errorMessage``), and the ids tying it to the request.

Following AWS:

* IAM and Organizations are global; their events carry ``us-east-1``.
* ``requestParameters`` and ``responseElements`` name members in camelCase.
  Secrets never appear: passwords, secret access keys, private keys and
  identity tokens are left out. Policy documents stay, as AWS keeps them, and
  so do a new session's access key id, session token and expiration (the
  AssumeRole example of "Logging IAM and AWS STS API calls with AWS
  CloudTrail", IAM User Guide).
* Read-only calls and failed calls carry ``responseElements: null``.
* A successful AssumeRole into another account is recorded in both accounts,
  with one ``sharedEventID``; the role's account sees the caller as
  ``AWSAccount``. A refused one is recorded in the caller's account only.

Imports only the standard library (trail may import iamsim.world).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

EVENT_VERSION = "1.08"
#: Services whose events AWS records in us-east-1 whatever the endpoint.
GLOBAL_EVENT_SOURCES = frozenset({"iam.amazonaws.com", "organizations.amazonaws.com"})
GLOBAL_REGION = "us-east-1"
READ_ONLY_PREFIXES = ("Get", "List", "Describe", "Lookup", "Simulate")
#: STS Get* calls that mint credentials are writes, not reads.
CREDENTIAL_CALLS = frozenset({"GetSessionToken", "GetFederationToken"})
ASSUME_ROLE_CALLS = frozenset(
    {"AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"}
)
UNSIGNED_CALLERS = {
    "AssumeRoleWithSAML": "SAMLUser",
    "AssumeRoleWithWebIdentity": "WebIdentityUser",
}
#: Members never written into a record, at any depth (AWS member names).
SECRET_MEMBERS = frozenset(
    {
        "Password",
        "NewPassword",
        "OldPassword",
        "SecretAccessKey",
        "PrivateKey",
        "WebIdentityToken",
        "SAMLAssertion",
        "AuthenticationCode1",
        "AuthenticationCode2",
        "TokenCode",
        "ServiceSpecificCredentialSecret",
        "ServicePassword",
    }
)
#: The AssumeRole family's credentials keep these members only.
KEPT_CREDENTIAL_MEMBERS = ("AccessKeyId", "SessionToken", "Expiration")


class SessionView(Protocol):
    """What a record needs from a temporary credential's session."""

    @property
    def kind(self) -> str: ...
    @property
    def arn(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...
    @property
    def role_arn(self) -> str | None: ...
    @property
    def user_arn(self) -> str | None: ...
    @property
    def source_identity(self) -> str | None: ...
    @property
    def mfa_authenticated(self) -> bool: ...


class CallerView(Protocol):
    """What a record needs from the authenticated caller."""

    @property
    def arn(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def access_key_id(self) -> str: ...
    @property
    def session(self) -> SessionView | None: ...


@dataclass(frozen=True)
class ApiCall:
    """One finished API call, as the endpoint saw it.

    ``request_parameters`` and ``response`` use the AWS member names of the
    operation's input and output. ``principal_id_of`` maps an IAM user's ARN
    to its unique id, for a federated user's session issuer.
    """

    caller: CallerView
    event_source: str
    event_name: str
    region: str
    time: datetime
    request_id: str
    source_ip: str = "127.0.0.1"
    user_agent: str = ""
    request_parameters: Mapping[str, Any] | None = None
    response: Mapping[str, Any] | None = None
    error_code: str | None = None
    error_message: str | None = None
    principal_id_of: Callable[[str], str | None] | None = None


def records_for(call: ApiCall) -> list[dict[str, Any]]:
    """The CloudTrail records of ``call``: one, or two for cross-account."""
    record = _record(call, identity=user_identity(call), account=_home(call))
    target = _other_account(call, record["recipientAccountId"])
    if target is None:
        return [record]
    shared = str(uuid.uuid4())
    record["sharedEventID"] = shared
    copy = _record(call, identity=_as_other_account(call.caller), account=target)
    copy["sharedEventID"] = shared
    return [record, copy]


def is_read_only(event_name: str) -> bool:
    """Whether CloudTrail marks the event ``readOnly``."""
    if event_name in CREDENTIAL_CALLS:
        return False
    return event_name.startswith(READ_ONLY_PREFIXES)


def _record(call: ApiCall, *, identity: dict[str, Any], account: str) -> dict[str, Any]:
    read_only = is_read_only(call.event_name)
    record: dict[str, Any] = {
        "eventVersion": EVENT_VERSION,
        "userIdentity": identity,
        "eventTime": _event_time(call.time),
        "eventSource": call.event_source,
        "eventName": call.event_name,
        "awsRegion": _region(call),
        "sourceIPAddress": call.source_ip,
        "userAgent": call.user_agent,
    }
    if call.error_code is not None:
        record["errorCode"] = call.error_code
        record["errorMessage"] = call.error_message or ""
    record["requestParameters"] = _request_parameters(call)
    record["responseElements"] = _response_elements(call, read_only)
    record["requestID"] = call.request_id
    record["eventID"] = str(uuid.uuid4())
    record["readOnly"] = read_only
    resources = _resources(call)
    if resources:
        record["resources"] = resources
    record["eventType"] = "AwsApiCall"
    record["managementEvent"] = True
    record["recipientAccountId"] = account
    record["eventCategory"] = "Management"
    return record


def user_identity(call: ApiCall) -> dict[str, Any]:
    """The ``userIdentity`` element for the caller of ``call``."""
    caller = call.caller
    if not caller.arn:
        return {"type": UNSIGNED_CALLERS.get(call.event_name, "Unknown")}
    session = caller.session
    if session is None or session.kind == "session-token":
        identity = _long_term_identity(caller)
    else:
        kind = "AssumedRole" if session.kind == "assumed-role" else "FederatedUser"
        identity = {
            "type": kind,
            "principalId": caller.user_id,
            "arn": caller.arn,
            "accountId": caller.account,
            "accessKeyId": caller.access_key_id,
        }
    if session is not None:
        identity["sessionContext"] = _session_context(caller, session, call)
    return identity


def _long_term_identity(caller: CallerView) -> dict[str, Any]:
    if caller.arn.endswith(":root"):
        return {
            "type": "Root",
            "principalId": caller.account,
            "arn": caller.arn,
            "accountId": caller.account,
            "accessKeyId": caller.access_key_id,
        }
    return {
        "type": "IAMUser",
        "principalId": caller.user_id,
        "arn": caller.arn,
        "accountId": caller.account,
        "accessKeyId": caller.access_key_id,
        "userName": _last_name(caller.arn),
    }


def _session_context(
    caller: CallerView, session: SessionView, call: ApiCall
) -> dict[str, Any]:
    context: dict[str, Any] = {}
    issuer = _session_issuer(caller, session, call)
    if issuer:
        context["sessionIssuer"] = issuer
    if session.kind == "assumed-role":
        context["webIdFederationData"] = {}
    attributes: dict[str, Any] = {}
    # GAP: a session's creation time is recorded only when the session
    # carries one (``issued_at``); otherwise creationDate is left out.
    issued_at = getattr(session, "issued_at", None)
    if isinstance(issued_at, datetime):
        attributes["creationDate"] = _event_time(issued_at)
    attributes["mfaAuthenticated"] = "true" if session.mfa_authenticated else "false"
    context["attributes"] = attributes
    if session.source_identity:
        context["sourceIdentity"] = session.source_identity
    return context


def _session_issuer(
    caller: CallerView, session: SessionView, call: ApiCall
) -> dict[str, Any]:
    if session.kind == "assumed-role" and session.role_arn:
        return {
            "type": "Role",
            "principalId": caller.user_id.partition(":")[0],
            "arn": session.role_arn,
            "accountId": _arn_account(session.role_arn),
            "userName": _last_name(session.role_arn),
        }
    if session.kind == "federated-user" and session.user_arn:
        return _long_term_issuer(session.user_arn, call)
    return {}


def _long_term_issuer(user_arn: str, call: ApiCall) -> dict[str, Any]:
    account = _arn_account(user_arn)
    if user_arn.endswith(":root"):
        return {
            "type": "Root",
            "principalId": account,
            "arn": user_arn,
            "accountId": account,
        }
    lookup = call.principal_id_of
    principal_id = lookup(user_arn) if lookup is not None else None
    issuer: dict[str, Any] = {"type": "IAMUser"}
    if principal_id:
        issuer["principalId"] = principal_id
    issuer.update(
        {"arn": user_arn, "accountId": account, "userName": _last_name(user_arn)}
    )
    return issuer


def _as_other_account(caller: CallerView) -> dict[str, Any]:
    """How a role's account sees a caller from another account."""
    return {
        "type": "AWSAccount",
        "principalId": caller.user_id,
        "accountId": caller.account,
    }


def _home(call: ApiCall) -> str:
    if call.caller.account:
        return call.caller.account
    return _role_account(call) or ""


def _other_account(call: ApiCall, home: str) -> str | None:
    """The role's account when a cross-account AssumeRole succeeded."""
    if call.error_code is not None or not call.caller.arn:
        return None
    account = _role_account(call)
    return account if account and account != home else None


def _role_account(call: ApiCall) -> str | None:
    if call.event_name not in ASSUME_ROLE_CALLS:
        return None
    role_arn = (call.request_parameters or {}).get("RoleArn")
    return _arn_account(role_arn) if isinstance(role_arn, str) else None


def _resources(call: ApiCall) -> list[dict[str, str]]:
    role_arn = (call.request_parameters or {}).get("RoleArn")
    if call.event_name not in ASSUME_ROLE_CALLS or not isinstance(role_arn, str):
        return []
    return [
        {
            "accountId": _arn_account(role_arn),
            "type": "AWS::IAM::Role",
            "ARN": role_arn,
        }
    ]


def _region(call: ApiCall) -> str:
    if call.event_source in GLOBAL_EVENT_SOURCES:
        return GLOBAL_REGION
    return call.region or GLOBAL_REGION


def _request_parameters(call: ApiCall) -> dict[str, Any] | None:
    if not call.request_parameters:
        return None
    cleaned = _camel(call.request_parameters)
    return cleaned if isinstance(cleaned, dict) and cleaned else None


def _response_elements(call: ApiCall, read_only: bool) -> dict[str, Any] | None:
    if read_only or call.error_code is not None or not call.response:
        return None
    response = dict(call.response)
    credentials = response.get("Credentials")
    if isinstance(credentials, Mapping):
        kept = [key for key in KEPT_CREDENTIAL_MEMBERS if key in credentials]
        response["Credentials"] = {key: credentials[key] for key in kept}
    cleaned = _camel(response)
    return cleaned if isinstance(cleaned, dict) and cleaned else None


def _camel(value: Any) -> Any:
    """Member names in camelCase, secrets dropped, times as CloudTrail writes."""
    if isinstance(value, Mapping):
        return {
            _camel_name(str(key)): _camel(item)
            for key, item in value.items()
            if key not in SECRET_MEMBERS and item is not None
        }
    if isinstance(value, list | tuple):
        return [_camel(item) for item in value]
    if isinstance(value, datetime):
        return _element_time(value)
    if isinstance(value, bytes):
        return None
    return value


def _camel_name(name: str) -> str:
    return name[:1].lower() + name[1:]


def _event_time(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _element_time(moment: datetime) -> str:
    """Times inside request and response elements, e.g. "Aug 30, 2019 5:32:43 PM"."""
    utc = _utc(moment)
    hour = utc.hour % 12 or 12
    meridiem = "AM" if utc.hour < 12 else "PM"
    return f"{utc:%b} {utc.day}, {utc.year} {hour}:{utc:%M:%S} {meridiem}"


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _arn_account(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _last_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]
