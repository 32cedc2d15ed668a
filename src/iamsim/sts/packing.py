"""The packed size of session policies and session tags (PackedPolicySize).

"Pass session tags in AWS STS" and AssumeRole's ``PackedPolicySize`` (STS
API Reference): AWS compresses the session policies, policy ARNs and
session tags into a packed binary form with its own limit; a request fails
with PackedPolicyTooLarge when it needs more than 100 percent, and a
successful response reports the percentage used. AWS does not publish the
format or the limit.

iamsim's model, chosen to be reproducible: the inline policy (minified when
it is JSON), the policy ARNs and every tag the session will carry
(inherited transitive tags included) are joined and raw-DEFLATE compressed
at level 9; the percentage is the compressed length over
``PACKED_BUDGET_BYTES``. The budget reproduces both worked examples of
"Requesting temporary security credentials" (IAM User Guide): a one-
statement policy with two tags reports 8, a policy ARN with two tags 4.
The refusal names session tags when they take more of the packed space
than the policies, as AWS's message does for tags ("Packed size of session
tags consumes N% of allotted space."). Imports only iamsim.sts.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Sequence

from iamsim.sts.errors import packed_policy_too_large

#: The packed-space budget, in compressed bytes (see the module docstring).
PACKED_BUDGET_BYTES = 1_500
_FIELD = "\x00"
_RECORD = "\x01"


def packed_percent(
    policy: str | None, policy_arns: Sequence[str], tags: Sequence[tuple[str, str]]
) -> int | None:
    """The PackedPolicySize of a session, None when nothing is packed.

    Raises PackedPolicyTooLarge above 100 percent.
    """
    policies_text = _RECORD.join(
        [*([_minified(policy)] if policy else []), *policy_arns]
    )
    tags_text = _RECORD.join(f"{key}{_FIELD}{value}" for key, value in tags)
    if not policies_text and not tags_text:
        return None
    used = _packed_length(policies_text + _RECORD + tags_text)
    if used > PACKED_BUDGET_BYTES:
        what = (
            "session tags"
            if _packed_length(tags_text) >= _packed_length(policies_text)
            else "session policies"
        )
        percent = math.ceil(100 * used / PACKED_BUDGET_BYTES)
        raise packed_policy_too_large(
            f"Packed size of {what} consumes {percent}% of allotted space."
        )
    return max(1, 100 * used // PACKED_BUDGET_BYTES)


def _minified(policy: str) -> str:
    try:
        return json.dumps(json.loads(policy), separators=(",", ":"))
    except ValueError:
        return policy.strip()


def _packed_length(text: str) -> int:
    if not text:
        return 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return len(compressor.compress(text.encode()) + compressor.flush())
