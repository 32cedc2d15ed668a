"""The AccessDenied wording a Decision carries, as AWS words it.

Every expected string follows the formats in IAM User Guide, "Troubleshoot
access denied error messages": ``with an explicit deny in a TYPE`` for an
explicit deny and ``because no TYPE allows the ACTION action`` for an
implicit one, after ``User: ARN is not authorized to perform: ACTION on
resource: RESOURCE``.
"""

from __future__ import annotations

from tests.factories import (
    BUCKET,
    OBJECT,
    OTHER_ACCOUNT,
    allow,
    boundary,
    deny,
    identity,
    org,
    rcp,
    rcp_full_access,
    request,
    resource_policy,
    role_session,
    scp,
    session,
    user,
)

from iamsim.engine.decision import denial_message
from iamsim.engine.evaluate import evaluate
from iamsim.engine.request import PolicySet

ALICE = user("alice")
HEAD = (
    f"User: {ALICE.arn} is not authorized to perform: s3:ListBucket "
    f"on resource: {BUCKET}"
)
LIST = identity(allow("s3:ListBucket"))


def test_implicit_identity_denial_names_identity_based_policy() -> None:
    """No identity Allow reads "because no identity-based policy allows"."""
    ask = request(ALICE, "s3:ListBucket")

    decision = evaluate(ask, PolicySet())

    assert decision.reason == (
        f"{HEAD} because no identity-based policy allows the s3:ListBucket action"
    )


def test_explicit_identity_denial_names_an_identity_based_policy() -> None:
    """An identity Deny reads "with an explicit deny in an identity-based policy"."""
    policies = PolicySet(identity=(identity(deny("s3:ListBucket")),))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == (
        f"{HEAD} with an explicit deny in an identity-based policy"
    )


def test_implicit_boundary_denial_names_permissions_boundary() -> None:
    """A boundary without the action reads "because no permissions boundary"."""
    policies = PolicySet(identity=(LIST,), boundary=boundary(allow("ec2:*")))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == (
        "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: "
        "s3:ListBucket on resource: arn:aws:s3:::data-bucket because no permissions "
        "boundary allows the s3:ListBucket action"
    )


def test_explicit_boundary_denial_names_permissions_boundary() -> None:
    """A boundary Deny reads "with an explicit deny in a permissions boundary"."""
    fence = boundary(allow("*"), deny("s3:ListBucket"))
    policies = PolicySet(identity=(LIST,), boundary=fence)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == f"{HEAD} with an explicit deny in a permissions boundary"


def test_explicit_scp_denial_names_service_control_policy() -> None:
    """An SCP Deny reads "with an explicit deny in a service control policy"."""
    policies = PolicySet(
        identity=(LIST,), scps=org(scp(allow("*"), deny("s3:ListBucket")))
    )

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == (
        f"{HEAD} with an explicit deny in a service control policy"
    )


def test_explicit_rcp_denial_names_resource_control_policy() -> None:
    """An RCP Deny reads "with an explicit deny in a resource control policy"."""
    no_s3 = rcp(deny("s3:*", Principal="*"), name="no-s3")
    policies = PolicySet(identity=(LIST,), rcps=org((rcp_full_access(), no_s3)))

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == (
        f"{HEAD} with an explicit deny in a resource control policy"
    )


def test_implicit_session_denial_names_the_session_arn_and_session_policy() -> None:
    """A role session's message names its session ARN and the session policy."""
    app = role_session("app", "s1")
    policies = PolicySet(identity=(LIST,), session=(session(allow("ec2:*")),))

    decision = evaluate(request(app, "s3:ListBucket"), policies)

    assert decision.reason == (
        "User: arn:aws:sts::111122223333:assumed-role/app/s1 is not authorized to "
        f"perform: s3:ListBucket on resource: {BUCKET} because no session policy "
        "allows the s3:ListBucket action"
    )


def test_implicit_resource_denial_names_resource_based_policy() -> None:
    """A missing cross-account grant reads "because no resource-based policy"."""
    outsider = user("carol", OTHER_ACCOUNT)
    policies = PolicySet(identity=(LIST,))

    decision = evaluate(request(outsider, "s3:ListBucket"), policies)

    assert decision.reason == (
        f"User: {outsider.arn} is not authorized to perform: s3:ListBucket on "
        f"resource: {BUCKET} because no resource-based policy allows the "
        "s3:ListBucket action"
    )


def test_explicit_resource_denial_names_resource_based_policy() -> None:
    """A bucket policy Deny reads "with an explicit deny in a resource-based policy"."""
    bucket = resource_policy(deny("s3:ListBucket", BUCKET, Principal="*"))
    policies = PolicySet(identity=(LIST,), resource=bucket)

    decision = evaluate(request(ALICE, "s3:ListBucket"), policies)

    assert decision.reason == (
        f"{HEAD} with an explicit deny in a resource-based policy"
    )


def test_denial_message_names_the_requested_object() -> None:
    """The message quotes the resource ARN of the request, not a pattern."""
    policies = PolicySet(identity=(identity(allow("s3:GetObject", f"{BUCKET}/x/*")),))

    decision = evaluate(request(ALICE, "s3:GetObject", OBJECT), policies)

    assert decision.reason == (
        f"User: {ALICE.arn} is not authorized to perform: s3:GetObject on "
        f"resource: {OBJECT} because no identity-based policy allows the "
        "s3:GetObject action"
    )


def test_decision_reason_agrees_with_its_effect_and_gate() -> None:
    """A denial's reason is the AWS wording for its own effect and gate."""
    ask = request(ALICE, "s3:ListBucket")
    policies = PolicySet(identity=(LIST,), boundary=boundary(allow("ec2:*")))

    decision = evaluate(ask, policies)

    assert decision.reason == denial_message(
        ask, decision.effect, decision.deciding_gate
    )
