"""The global condition keys the world fills.

These keys describe the principal, the resource or the time of a request
("AWS global condition context keys", IAM User Guide: principal properties,
role session properties, resource properties, request properties). The world
derives them; a caller that states one anyway overrides it. Names are
lowercase, as the engine's context keys are. Imports nothing of iamsim.
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

TOKEN_ISSUE_TIME = "aws:tokenissuetime"

#: Keys the world fills whole, and prefixes of the tag keys it fills.
WORLD_FILLED = frozenset(
    {
        PRINCIPAL_ARN,
        PRINCIPAL_ACCOUNT,
        PRINCIPAL_ORG_ID,
        PRINCIPAL_ORG_PATHS,
        PRINCIPAL_TYPE,
        PRINCIPAL_IS_AWS_SERVICE,
        PRINCIPAL_SERVICE_NAME,
        PRINCIPAL_SERVICE_NAMES_LIST,
        USERID,
        USERNAME,
        SOURCE_IDENTITY,
        FEDERATED_PROVIDER,
        RESOURCE_ACCOUNT,
        RESOURCE_ORG_ID,
        RESOURCE_ORG_PATHS,
        CURRENT_TIME,
        EPOCH_TIME,
        TOKEN_ISSUE_TIME,
    }
)
WORLD_FILLED_PREFIXES = (PRINCIPAL_TAG, RESOURCE_TAG)


def is_world_filled(key: str) -> bool:
    """Whether the world fills ``key`` (lowercase) for every request."""
    return key in WORLD_FILLED or key.startswith(WORLD_FILLED_PREFIXES)
