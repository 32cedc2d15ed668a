"""The IAM service: importing this module registers every IAM operation.

Each concept has its own module, and each operation is a plain function
``handler(backend, call, params) -> result`` registered in
:data:`iamsim.services.api.OPERATIONS` under service ``"iam"`` and its AWS
operation name:

- :mod:`~iamsim.services.iam_users`: users and their tags;
- :mod:`~iamsim.services.iam_groups`: groups and membership;
- :mod:`~iamsim.services.iam_roles`: roles, trust policies, tags,
  service-linked roles;
- :mod:`~iamsim.services.iam_policies`: managed policies and versions;
- :mod:`~iamsim.services.iam_attach`: attachments, inline policies and
  permissions boundaries of users, groups and roles;
- :mod:`~iamsim.services.iam_keys`: access keys;
- :mod:`~iamsim.services.iam_profiles`: instance profiles;
- :mod:`~iamsim.services.iam_providers`: SAML and OIDC providers;
- :mod:`~iamsim.services.iam_details`: GetAccountAuthorizationDetails;
- :mod:`~iamsim.services.iam_simulate`: the policy simulator.

:func:`~iamsim.services.iam_passrole.pass_role` is the ``iam:PassRole``
check other services make. Imports only iamsim.services.
"""

from __future__ import annotations

from iamsim.services import (
    iam_attach,
    iam_details,
    iam_groups,
    iam_keys,
    iam_policies,
    iam_profiles,
    iam_providers,
    iam_roles,
    iam_simulate,
    iam_users,
)
from iamsim.services.iam_passrole import pass_role

__all__ = [
    "iam_attach",
    "iam_details",
    "iam_groups",
    "iam_keys",
    "iam_policies",
    "iam_profiles",
    "iam_providers",
    "iam_roles",
    "iam_simulate",
    "iam_users",
    "pass_role",
]
