"""Source identity: set once, then carried unchanged along a role chain.

"Monitor and control actions taken with assumed roles" (IAM User Guide):
after a source identity is set it persists when the role session assumes
another role (role chaining), and the value that is set cannot be changed
during the role session. Its shape (2 to 256 characters of ``[\\w+=,.@-]``,
so never the reserved ``aws:`` prefix) is checked with the other
parameters in :mod:`iamsim.sts.requests`.

AWS documents that the value cannot change but not the error a changed
value gets; iamsim refuses it with InvalidParameterValue, the code STS uses
for the other role-chaining conflict (transitive session tags). Passing the
value already set is accepted. Imports only iamsim.sts.
"""

from __future__ import annotations

from iamsim.sts.errors import invalid_parameter


def session_source_identity(requested: str | None, inherited: str | None) -> str | None:
    """The new session's source identity, or InvalidParameterValue."""
    if inherited is None:
        return requested
    if requested is not None and requested != inherited:
        raise invalid_parameter(
            f"SourceIdentity cannot be changed: the calling session's source "
            f"identity is {inherited}."
        )
    return inherited
