"""What iamsim's STS does not emulate is refused by name, never faked.

Pages cited: [saml] STS API Reference, "AssumeRoleWithSAML"; [web] STS API
Reference, "AssumeRoleWithWebIdentity"; [ar] STS API Reference,
"AssumeRole" (SerialNumber, TokenCode, ProvidedContexts).
"""

from __future__ import annotations

import pytest
from tests.sts.shared import DEV, FakeBackend, invoke

from iamsim.errors import Unsupported
from iamsim.services.api import Caller


@pytest.mark.parametrize(
    "operation", ["AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"]
)
def test_federated_role_assumption_is_refused_by_name(
    backend: FakeBackend, alice: Caller, operation: str
) -> None:
    """Assertion and token verification are missing, so these refuse [saml][web]."""
    with pytest.raises(Unsupported, match=operation):
        invoke(backend, alice, operation, {"RoleArn": DEV})


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("SerialNumber", "arn:aws:iam::111111111111:mfa/alice"),
        ("ProvidedContexts", [{"ProviderArn": "arn:aws:iam::aws:contextProvider/x"}]),
    ],
)
def test_assume_role_refuses_parameters_it_cannot_honour(
    backend: FakeBackend, alice: Caller, member: str, value: object
) -> None:
    """MFA and trusted-context parameters are refused, not ignored [ar]."""
    params = {"RoleArn": DEV, "RoleSessionName": "s1", member: value}

    with pytest.raises(Unsupported, match=member):
        invoke(backend, alice, "AssumeRole", params)
