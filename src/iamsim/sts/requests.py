"""The parameters of STS requests, checked and typed.

``params`` use the member names of the STS service model (``RoleArn``,
``Tags`` as a list of ``{"Key", "Value"}``, ``PolicyArns`` as a list of
``{"arn"}``). Every shape constraint of the model is checked here and all
violations are raised together (see :mod:`iamsim.sts.validation`); the
rules that need the world or the calling session (durations, inherited
tags, source identity) live in their own modules.

Parameters iamsim does not emulate (MFA ``SerialNumber``/``TokenCode``,
``ProvidedContexts``, ``MinimumSessionTokenSize``) are refused with
``Unsupported`` naming them. Imports only iamsim.errors and iamsim.sts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from iamsim.errors import Unsupported
from iamsim.sts import validation as v

#: "durationSecondsType" (GetSessionToken, GetFederationToken): 15 min to 36 h.
TOKEN_DURATION_RANGE = (900, 129_600)
#: "roleDurationSecondsType" (AssumeRole): 15 min to the 12 h role ceiling.
ROLE_DURATION_RANGE = (900, 43_200)
#: "Pass session tags in AWS STS": at most 50 tags, keys of up to 128
#: characters, values of up to 256.
MAX_SESSION_TAGS = 50
TAG_KEY_LENGTH = (1, 128)
TAG_VALUE_LENGTH = (0, 256)
#: "Session policies" (IAM User Guide) and the AssumeRole reference: up to
#: 10 managed policy ARNs; the inline policy's plain text up to 2,048
#: characters.
MAX_POLICY_ARNS = 10
POLICY_LENGTH = (1, 2_048)
ARN_LENGTH = (20, 2_048)
SESSION_NAME_LENGTH = (2, 64)
FEDERATED_NAME_LENGTH = (2, 32)
EXTERNAL_ID_LENGTH = (2, 1_224)
SOURCE_IDENTITY_LENGTH = (2, 256)
ACCESS_KEY_ID_LENGTH = (16, 128)

_UNSUPPORTED = {
    "SerialNumber": "MFA (SerialNumber and TokenCode)",
    "TokenCode": "MFA (SerialNumber and TokenCode)",
    "ProvidedContexts": "trusted context assertions (ProvidedContexts)",
    "MinimumSessionTokenSize": "MinimumSessionTokenSize",
}

Tags = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class SessionParams:
    """What shapes a new session: its length, session policies and tags."""

    duration: int | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: Tags = ()
    transitive_tag_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AssumeRoleParams:
    role_arn: str
    session_name: str
    session: SessionParams
    external_id: str | None = None
    source_identity: str | None = None


@dataclass(frozen=True, slots=True)
class FederationParams:
    name: str
    session: SessionParams


def assume_role_params(params: Mapping[str, Any]) -> AssumeRoleParams:
    """AssumeRole's parameters, or every constraint they break at once."""
    _refuse_unsupported(params, "AssumeRole")
    checks = v.Checks()
    role_arn = _arn(checks, "roleArn", params.get("RoleArn"), required=True)
    low, high = SESSION_NAME_LENGTH
    name = checks.text(
        "roleSessionName",
        params.get("RoleSessionName"),
        low=low,
        high=high,
        pattern=v.SESSION_NAME_PATTERN,
        required=True,
    )
    session = _session(checks, params, ROLE_DURATION_RANGE, transitive=True)
    low, high = EXTERNAL_ID_LENGTH
    external_id = checks.text(
        "externalId",
        params.get("ExternalId"),
        low=low,
        high=high,
        pattern=v.EXTERNAL_ID_PATTERN,
    )
    low, high = SOURCE_IDENTITY_LENGTH
    source_identity = checks.text(
        "sourceIdentity",
        params.get("SourceIdentity"),
        low=low,
        high=high,
        pattern=v.SOURCE_IDENTITY_PATTERN,
    )
    checks.raise_if_any()
    assert role_arn is not None and name is not None
    return AssumeRoleParams(role_arn, name, session, external_id, source_identity)


def federation_params(params: Mapping[str, Any]) -> FederationParams:
    """GetFederationToken's parameters, or every constraint they break."""
    _refuse_unsupported(params, "GetFederationToken")
    checks = v.Checks()
    low, high = FEDERATED_NAME_LENGTH
    name = checks.text(
        "name",
        params.get("Name"),
        low=low,
        high=high,
        pattern=v.FEDERATED_NAME_PATTERN,
        required=True,
    )
    session = _session(checks, params, TOKEN_DURATION_RANGE, transitive=False)
    checks.raise_if_any()
    assert name is not None
    return FederationParams(name, session)


def session_token_duration(params: Mapping[str, Any]) -> int | None:
    """GetSessionToken's ``DurationSeconds``, if given and within range."""
    _refuse_unsupported(params, "GetSessionToken")
    checks = v.Checks()
    low, high = TOKEN_DURATION_RANGE
    duration = checks.integer(
        "durationSeconds", params.get("DurationSeconds"), low=low, high=high
    )
    checks.raise_if_any()
    return duration


def access_key_id_param(params: Mapping[str, Any]) -> str:
    """GetAccessKeyInfo's ``AccessKeyId``."""
    checks = v.Checks()
    low, high = ACCESS_KEY_ID_LENGTH
    key_id = checks.text(
        "accessKeyId",
        params.get("AccessKeyId"),
        low=low,
        high=high,
        pattern=v.ACCESS_KEY_ID_PATTERN,
        required=True,
    )
    checks.raise_if_any()
    assert key_id is not None
    return key_id


def _refuse_unsupported(params: Mapping[str, Any], operation: str) -> None:
    for member, feature in _UNSUPPORTED.items():
        if params.get(member) is not None:
            raise Unsupported(
                f"{operation} with {feature} is not emulated",
                where=member,
                hint=f"call {operation} without {member}",
            )


def _session(
    checks: v.Checks,
    params: Mapping[str, Any],
    durations: tuple[int, int],
    *,
    transitive: bool,
) -> SessionParams:
    low, high = durations
    duration = checks.integer(
        "durationSeconds", params.get("DurationSeconds"), low=low, high=high
    )
    low, high = POLICY_LENGTH
    policy = checks.text(
        "policy", params.get("Policy"), low=low, high=high, pattern=v.POLICY_PATTERN
    )
    keys: tuple[str, ...] = ()
    if transitive:
        keys = _tag_keys(checks, params.get("TransitiveTagKeys"))
    return SessionParams(
        duration=duration,
        policy=policy,
        policy_arns=_policy_arns(checks, params.get("PolicyArns")),
        tags=_tags(checks, params.get("Tags")),
        transitive_tag_keys=keys,
    )


def _policy_arns(checks: v.Checks, value: object) -> tuple[str, ...]:
    arns: list[str] = []
    items = checks.items("policyArns", value, high=MAX_POLICY_ARNS)
    for index, item in enumerate(items, start=1):
        raw = item.get("arn") if isinstance(item, Mapping) else None
        arn = _arn(checks, f"policyArns.{index}.member.arn", raw, required=True)
        if arn is not None:
            arns.append(arn)
    return tuple(arns)


def _tags(checks: v.Checks, value: object) -> Tags:
    tags: list[tuple[str, str]] = []
    items = checks.items("tags", value, high=MAX_SESSION_TAGS)
    for index, item in enumerate(items, start=1):
        entry = item if isinstance(item, Mapping) else {}
        key = _tag_key(checks, f"tags.{index}.member.key", entry.get("Key"))
        low, high = TAG_VALUE_LENGTH
        tag_value = checks.text(
            f"tags.{index}.member.value",
            entry.get("Value"),
            low=low,
            high=high,
            pattern=v.TAG_VALUE_PATTERN,
            required=True,
        )
        if key is not None and tag_value is not None:
            tags.append((key, tag_value))
    return tuple(tags)


def _tag_keys(checks: v.Checks, value: object) -> tuple[str, ...]:
    items = checks.items("transitiveTagKeys", value, high=MAX_SESSION_TAGS)
    keys = (
        _tag_key(checks, f"transitiveTagKeys.{index}.member", item)
        for index, item in enumerate(items, start=1)
    )
    return tuple(key for key in keys if key is not None)


def _tag_key(checks: v.Checks, member: str, value: object) -> str | None:
    low, high = TAG_KEY_LENGTH
    return checks.text(
        member, value, low=low, high=high, pattern=v.TAG_KEY_PATTERN, required=True
    )


def _arn(checks: v.Checks, member: str, value: object, *, required: bool) -> str | None:
    low, high = ARN_LENGTH
    return checks.text(
        member, value, low=low, high=high, pattern=v.ARN_PATTERN, required=required
    )
