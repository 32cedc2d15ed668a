"""Session policies passed to AssumeRole and GetFederationToken.

"Session policies" (IAM User Guide): a session may pass one inline policy
(``Policy``) and up to ten managed policy ARNs (``PolicyArns``); the
session's permissions are the intersection of its identity's policies and
these. A session policy document must be a valid policy
(MalformedPolicyDocument otherwise, "The request was rejected because the
policy document was malformed" in the STS API Reference).

The session keeps each document's JSON text, inline first, so a token
carries everything its evaluation needs. A managed ARN must name a policy
the world defines (by full ARN, or by name when the world gives it no
ARN); AWS does not document the error for one it does not know, and iamsim
refuses it with InvalidParameterValue. Imports only iamsim.errors,
iamsim.policy, iamsim.world and iamsim.sts.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from iamsim.errors import PolicyError
from iamsim.policy.arn import is_arn, parse_arn
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.sts.errors import invalid_parameter, malformed_policy
from iamsim.world.model import ManagedPolicy, World

INLINE_POLICY_NAME = "session-policy"


def session_policy_documents(
    world: World, inline: str | None, policy_arns: Sequence[str]
) -> tuple[str, ...]:
    """The JSON text of every session policy, each checked to parse."""
    documents: list[str] = []
    if inline is not None:
        parse_session_policy(inline, INLINE_POLICY_NAME)
        documents.append(inline)
    for arn in policy_arns:
        managed = _managed(world, arn)
        text = (
            managed.document
            if isinstance(managed.document, str)
            else json.dumps(managed.document, separators=(",", ":"))
        )
        parse_session_policy(text, managed.name)
        documents.append(text)
    return tuple(documents)


def parse_session_policy(text: str, name: str) -> Policy:
    """``text`` parsed as a session policy, or MalformedPolicyDocument."""
    try:
        return parse_policy(text, kind=PolicyKind.SESSION, name=name)
    except PolicyError as error:
        raise malformed_policy(str(error)) from None


def session_policy_names(policy_arns: Sequence[str], count: int) -> tuple[str, ...]:
    """Names for a session's ``count`` documents: inline first, then by ARN."""
    managed = [arn.rsplit("/", 1)[-1] for arn in policy_arns]
    inline = [INLINE_POLICY_NAME] * (count - len(managed))
    return tuple(inline + managed)


def _managed(world: World, arn: str) -> ManagedPolicy:
    name = arn.rsplit("/", 1)[-1]
    for policy in world.policies.values():
        if policy.arn == arn:
            return policy
    named = world.policies.get(name)
    is_policy_arn = is_arn(arn) and parse_arn(arn).resource.startswith("policy/")
    if named is not None and named.arn is None and is_policy_arn:
        return named
    raise invalid_parameter(f"Policy {arn} does not exist or is not attachable.")
