"""Principal strings resolve to the caller they name, or are refused.

Pages cited: [ids] IAM User Guide, "IAM identifiers" (ARN forms of users,
roles, sessions, federated users, roots and providers); [principal] IAM
User Guide, "AWS JSON policy elements: Principal" (service principals,
anonymous callers); [sts] AWS STS API Reference, "AssumeRole" and
"GetFederationToken".
"""

from __future__ import annotations

import pytest
from tests.world.shared import ALICE, DEV

from iamsim.engine.request import PrincipalType
from iamsim.errors import InputError, NoSuchEntity
from iamsim.policy.model import PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.world.model import Account, Role, World
from iamsim.world.principals import resolve_caller
from iamsim.world.query import SessionSpec

TRUST = parse_policy(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
        ],
    },
    kind=PolicyKind.TRUST,
    name="trust",
)


@pytest.mark.parametrize(
    ("text", "kind", "arn", "account"),
    [
        (ALICE, PrincipalType.USER, ALICE, "222222222222"),
        (
            DEV,
            PrincipalType.ASSUMED_ROLE,
            "arn:aws:sts::222222222222:assumed-role/Dev/Dev",
            "222222222222",
        ),
        (
            "arn:aws:sts::222222222222:assumed-role/Dev/s1",
            PrincipalType.ASSUMED_ROLE,
            "arn:aws:sts::222222222222:assumed-role/Dev/s1",
            "222222222222",
        ),
        (
            "arn:aws:sts::222222222222:federated-user/fed",
            PrincipalType.FEDERATED_USER,
            "arn:aws:sts::222222222222:federated-user/fed",
            "222222222222",
        ),
        (
            "arn:aws:iam::222222222222:root",
            PrincipalType.ROOT,
            "arn:aws:iam::222222222222:root",
            "222222222222",
        ),
        (
            "222222222222",
            PrincipalType.ROOT,
            "arn:aws:iam::222222222222:root",
            "222222222222",
        ),
        (
            "lambda.amazonaws.com",
            PrincipalType.SERVICE,
            "lambda.amazonaws.com",
            None,
        ),
        (
            "arn:aws:iam::222222222222:saml-provider/Corp",
            PrincipalType.WEB_IDENTITY,
            "arn:aws:iam::222222222222:saml-provider/Corp",
            "222222222222",
        ),
        (
            "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
            PrincipalType.WEB_IDENTITY,
            "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com",
            "222222222222",
        ),
        (
            "accounts.google.com",
            PrincipalType.WEB_IDENTITY,
            "accounts.google.com",
            None,
        ),
        ("anonymous", PrincipalType.ANONYMOUS, "anonymous", None),
        ("*", PrincipalType.ANONYMOUS, "anonymous", None),
    ],
)
def test_principal_forms_resolve(
    world: World, text: str, kind: PrincipalType, arn: str, account: str | None
) -> None:
    """[ids][principal] Each accepted form gives its type, ARN and account."""
    principal = resolve_caller(world, text, None).principal

    assert (principal.type, principal.arn, principal.account) == (kind, arn, account)


def test_role_session_keeps_the_role_arn(world: World) -> None:
    """[ids] A session's principal records the role it belongs to."""
    principal = resolve_caller(world, DEV, SessionSpec(name="s1")).principal

    assert principal.arn == "arn:aws:sts::222222222222:assumed-role/Dev/s1"
    assert principal.role_arn == DEV


def test_unknown_user_is_no_such_entity_with_a_hint(world: World) -> None:
    """An unknown principal names the closest known one."""
    with pytest.raises(NoSuchEntity) as caught:
        resolve_caller(world, "arn:aws:iam::222222222222:user/alice", None)

    assert caught.value.hint == f"did you mean {ALICE!r}?"


def test_unknown_account_is_no_such_entity(world: World) -> None:
    """A principal of an account the world lacks is refused."""
    with pytest.raises(NoSuchEntity) as caught:
        resolve_caller(world, "999999999999", None)

    assert "account '999999999999'" in caught.value.message


def test_session_of_an_unknown_role_is_refused(world: World) -> None:
    """An assumed-role ARN must name a role of its account."""
    with pytest.raises(NoSuchEntity):
        resolve_caller(world, "arn:aws:sts::222222222222:assumed-role/Ops/s1", None)


def test_unrecognized_text_is_refused(world: World) -> None:
    """Text that is no principal form is refused, not guessed."""
    with pytest.raises(NoSuchEntity):
        resolve_caller(world, "alice", None)


def test_non_principal_arn_is_refused(world: World) -> None:
    """A group ARN is not a principal."""
    with pytest.raises(NoSuchEntity):
        resolve_caller(world, "arn:aws:iam::222222222222:group/devs", None)


def test_wrong_partition_is_refused(world: World) -> None:
    """[ids] An account lives in one partition; another one does not match."""
    with pytest.raises(NoSuchEntity) as caught:
        resolve_caller(world, "arn:aws-cn:iam::222222222222:user/eng/alice", None)

    assert "partition 'aws-cn'" in caught.value.message


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
def test_sessions_resolve_in_other_partitions(partition: str) -> None:
    """[ids] Assumed-role ARNs of aws-cn and aws-us-gov accounts resolve."""
    role = Role("Dev", "222222222222", TRUST, partition=partition)
    world = World(
        {"222222222222": Account("222222222222", partition, roles={"Dev": role})}
    )
    text = f"arn:{partition}:sts::222222222222:assumed-role/Dev/s1"

    principal = resolve_caller(world, text, None).principal

    assert principal.arn == text
    assert principal.role_arn == f"arn:{partition}:iam::222222222222:role/Dev"


@pytest.mark.parametrize(
    "text", [ALICE, "222222222222", "lambda.amazonaws.com", "anonymous"]
)
def test_non_session_principals_refuse_a_session(world: World, text: str) -> None:
    """Only role and federated-user principals speak through a session."""
    with pytest.raises(InputError):
        resolve_caller(world, text, SessionSpec(name="s1"))


def test_federated_user_name_is_checked(world: World) -> None:
    """[sts] A federated user's name is 2 to 32 characters."""
    with pytest.raises(InputError):
        resolve_caller(world, "arn:aws:sts::222222222222:federated-user/x", None)


def test_federated_user_refuses_source_identity(world: World) -> None:
    """[sts] GetFederationToken takes no source identity."""
    session = SessionSpec(source_identity="alice")

    with pytest.raises(InputError):
        resolve_caller(world, "arn:aws:sts::222222222222:federated-user/fed", session)


def test_role_session_refuses_a_federating_user(world: World) -> None:
    """session.user belongs to federated-user sessions only."""
    with pytest.raises(InputError):
        resolve_caller(world, DEV, SessionSpec(user="alice"))


def test_federating_user_must_exist(world: World) -> None:
    """The user behind a federated session must be in the session's account."""
    session = SessionSpec(user="carol")

    with pytest.raises(NoSuchEntity):
        resolve_caller(world, "arn:aws:sts::222222222222:federated-user/fed", session)


def test_session_provider_must_exist(world: World) -> None:
    """A session's identity provider must be registered in the world."""
    session = SessionSpec(
        name="s1", federated_provider="arn:aws:iam::222222222222:saml-provider/Nope"
    )

    with pytest.raises(NoSuchEntity) as caught:
        resolve_caller(world, DEV, session)

    assert caught.value.hint == (
        "did you mean 'arn:aws:iam::222222222222:saml-provider/Corp'?"
    )
