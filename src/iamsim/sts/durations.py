"""How long a new session lasts, per operation and caller.

- GetSessionToken and GetFederationToken ("Compare AWS STS credentials",
  IAM User Guide; both operations in the STS API Reference): an IAM user's
  session lasts 900 to 129,600 seconds, 43,200 by default; the root user's
  lasts at most 3,600 seconds, also its default, and a longer request is cut
  to one hour rather than refused.
- AssumeRole ("Use IAM roles", "Role chaining", and AssumeRole's
  ``DurationSeconds``): 900 seconds up to the role's maximum session
  duration, 3,600 by default. A request above the maximum fails. A role
  session assuming a role (role chaining) is limited to one hour, and a
  request above one hour fails.

The range checks shared with every other parameter live in
:mod:`iamsim.sts.requests`; this module holds the rules that depend on who
is asking. Imports only iamsim.sts.
"""

from __future__ import annotations

from iamsim.sts.errors import validation_error

#: Default of GetSessionToken and GetFederationToken for IAM users: 12 h.
USER_TOKEN_DEFAULT_SECONDS = 43_200
#: The root user's ceiling and default for those two operations: 1 h.
ROOT_TOKEN_MAX_SECONDS = 3_600
#: AssumeRole's default when DurationSeconds is absent: 1 h.
ROLE_DEFAULT_SECONDS = 3_600
#: The ceiling of a chained role session: 1 h, whatever the role allows.
ROLE_CHAINING_MAX_SECONDS = 3_600

#: AWS's messages for the two AssumeRole ceilings (ValidationError).
ROLE_CHAINING_MESSAGE = (
    "The requested DurationSeconds exceeds the 1 hour session limit for roles "
    "assumed by role chaining."
)
MAX_SESSION_MESSAGE = (
    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
)


def token_duration(requested: int | None, *, is_root: bool) -> int:
    """The length of a GetSessionToken or GetFederationToken session."""
    if is_root:
        if requested is None:
            return ROOT_TOKEN_MAX_SECONDS
        return min(requested, ROOT_TOKEN_MAX_SECONDS)
    return USER_TOKEN_DEFAULT_SECONDS if requested is None else requested


def role_duration(requested: int | None, *, max_session: int, chained: bool) -> int:
    """The length of an AssumeRole session, or ValidationError."""
    if requested is None:
        return ROLE_DEFAULT_SECONDS
    if chained and requested > ROLE_CHAINING_MAX_SECONDS:
        raise validation_error(ROLE_CHAINING_MESSAGE)
    if requested > max_session:
        raise validation_error(MAX_SESSION_MESSAGE)
    return requested
