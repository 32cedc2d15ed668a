"""The global condition keys the world fills, and what to change instead.

These keys describe the principal, the resource or the time of a request
("AWS global condition context keys", IAM User Guide: principal properties,
role session properties, resource properties, request properties). The world
derives them, so a caller may not supply them. Names are lowercase, as the
engine's context keys are. Imports nothing of iamsim.
"""

from __future__ import annotations

PRINCIPAL_ARN = "aws:principalarn"
PRINCIPAL_ACCOUNT = "aws:principalaccount"
PRINCIPAL_ORG_ID = "aws:principalorgid"
PRINCIPAL_ORG_PATHS = "aws:principalorgpaths"
PRINCIPAL_TAG = "aws:principaltag/"
PRINCIPAL_TYPE = "aws:principaltype"
PRINCIPAL_IS_AWS_SERVICE = "aws:principalisawsservice"
PRINCIPAL_SERVICE_NAME = "aws:principalservicename"
PRINCIPAL_SERVICE_NAMES_LIST = "aws:principalservicenameslist"
USERID = "aws:userid"
USERNAME = "aws:username"
SOURCE_IDENTITY = "aws:sourceidentity"
FEDERATED_PROVIDER = "aws:federatedprovider"
RESOURCE_ACCOUNT = "aws:resourceaccount"
RESOURCE_ORG_ID = "aws:resourceorgid"
RESOURCE_ORG_PATHS = "aws:resourceorgpaths"
RESOURCE_TAG = "aws:resourcetag/"
CURRENT_TIME = "aws:currenttime"
EPOCH_TIME = "aws:epochtime"

_PRINCIPAL_HINT = "choose another principal or change it in the world"
_HINTS = {
    PRINCIPAL_ARN: _PRINCIPAL_HINT,
    PRINCIPAL_ACCOUNT: _PRINCIPAL_HINT,
    PRINCIPAL_ORG_ID: "move the principal's account in the organization",
    PRINCIPAL_ORG_PATHS: "move the principal's account in the organization",
    PRINCIPAL_TYPE: _PRINCIPAL_HINT,
    PRINCIPAL_IS_AWS_SERVICE: "use a service principal such as 'lambda.amazonaws.com'",
    PRINCIPAL_SERVICE_NAME: "use a service principal such as 'lambda.amazonaws.com'",
    PRINCIPAL_SERVICE_NAMES_LIST: "use a service principal such as "
    "'lambda.amazonaws.com'",
    USERID: _PRINCIPAL_HINT,
    USERNAME: _PRINCIPAL_HINT,
    SOURCE_IDENTITY: "set session.source_identity",
    FEDERATED_PROVIDER: "set session.federated_provider to an OIDC provider ARN",
    RESOURCE_ACCOUNT: "list the resource under the account that owns it",
    RESOURCE_ORG_ID: "move the resource's account in the organization",
    RESOURCE_ORG_PATHS: "move the resource's account in the organization",
    CURRENT_TIME: "set the request's time",
    EPOCH_TIME: "set the request's time",
}
_PREFIX_HINTS = {
    PRINCIPAL_TAG: "tag the user or role, or pass session.tags",
    RESOURCE_TAG: "list the resource under resources: with its tags",
}


def world_key_hint(key: str) -> str | None:
    """How to set ``key`` (lowercase) through the world, or None if callers may."""
    hint = _HINTS.get(key)
    if hint is not None:
        return hint
    for prefix, prefix_hint in _PREFIX_HINTS.items():
        if key.startswith(prefix):
            return prefix_hint
    return None
