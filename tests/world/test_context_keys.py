"""The request context is filled as AWS documents it for each kind of caller.

Pages cited: [keys] IAM User Guide, "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html);
[vars] IAM User Guide, "IAM policy elements: Variables and tags", principal
key values; [tags] IAM User Guide, "Pass session tags in AWS STS";
[paths] IAM User Guide, "Understand the AWS Organizations entity path".
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tests.world.shared import ALICE, BUCKET, DEV, NOW, ORG_ID, PROD_PATH, ask

from iamsim.errors import InputError
from iamsim.policy.model import Context
from iamsim.world.model import World
from iamsim.world.query import Query, SessionSpec
from iamsim.world.resolve import resolve

PRINCIPAL_KEYS = (
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:userid",
    "aws:username",
)


def _context(
    world: World,
    principal: str,
    session: SessionSpec | None = None,
    resource: str = BUCKET,
) -> Context:
    return ask(world, principal, resource=resource, session=session).request.context


def test_user_principal_keys(world: World) -> None:
    """[keys][vars] An IAM user has its ARN, account, org, type, id and name."""
    user = world.user(ALICE)
    assert user is not None

    context = _context(world, ALICE)

    assert {key: context.get(key) for key in PRINCIPAL_KEYS} == {
        "aws:principalarn": (ALICE,),
        "aws:principalaccount": ("222222222222",),
        "aws:principalorgid": (ORG_ID,),
        "aws:principalorgpaths": (PROD_PATH,),
        "aws:principaltype": ("User",),
        "aws:principalisawsservice": ("false",),
        "aws:userid": (user.user_id,),
        "aws:username": ("alice",),
    }


def test_user_tags_become_principal_tags(world: World) -> None:
    """[keys] aws:PrincipalTag/KEY holds each tag of the user."""
    context = _context(world, ALICE)

    assert context["aws:principaltag/team"] == ("blue",)
    assert context["aws:principaltag/cost"] == ("42",)


def test_role_session_principal_arn_is_the_role_arn(world: World) -> None:
    """[keys] For a role session aws:PrincipalArn is the role's ARN."""
    context = _context(world, DEV, SessionSpec(name="s1"))

    assert context["aws:principalarn"] == (DEV,)
    assert context["aws:principaltype"] == ("AssumedRole",)
    assert "aws:username" not in context


def test_role_session_userid_is_role_id_and_session_name(world: World) -> None:
    """[vars] aws:userid of a role session is role-id:session-name."""
    role = world.role(DEV)
    assert role is not None

    context = _context(world, DEV, SessionSpec(name="s1"))

    assert context["aws:userid"] == (f"{role.role_id}:s1",)


def test_bare_role_arn_is_a_session_named_after_the_role(world: World) -> None:
    """A role ARN without a session speaks as a session named like the role."""
    resolution = ask(world, DEV)

    assert resolution.request.principal.arn == (
        "arn:aws:sts::222222222222:assumed-role/Dev/Dev"
    )
    assert resolution.request.context["aws:userid"][0].endswith(":Dev")


def test_assumed_role_arn_names_its_session(world: World) -> None:
    """An assumed-role session ARN finds its role and keeps its session name."""
    session_arn = "arn:aws:sts::222222222222:assumed-role/Dev/build-42"

    resolution = ask(world, session_arn)

    assert resolution.request.principal.role_arn == DEV
    assert resolution.request.context["aws:userid"][0].endswith(":build-42")


def test_session_tags_override_role_tags_of_the_same_key(world: World) -> None:
    """[tags] A session tag replaces a role tag with the same key, in any case."""
    context = _context(world, DEV, SessionSpec(name="s1", tags={"TEAM": "green"}))

    assert context["aws:principaltag/team"] == ("green",)
    assert context["aws:principaltag/env"] == ("dev",)


def test_source_identity_is_present_on_a_session(world: World) -> None:
    """[keys] aws:SourceIdentity is present when the session set one."""
    context = _context(world, DEV, SessionSpec(name="s1", source_identity="alice"))

    assert context["aws:sourceidentity"] == ("alice",)


def test_source_identity_is_absent_otherwise(world: World) -> None:
    """[keys] Without a source identity the key is not in the context."""
    assert "aws:sourceidentity" not in _context(world, DEV)


def test_oidc_session_carries_its_federated_provider(world: World) -> None:
    """[keys] A role session from an OIDC provider has aws:FederatedProvider."""
    provider = (
        "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"
    )
    session = SessionSpec(name="gh", federated_provider=provider)

    context = _context(world, "arn:aws:iam::222222222222:role/Web", session)

    assert context["aws:federatedprovider"] == (provider,)


def test_cognito_session_carries_the_cognito_host(world: World) -> None:
    """[keys] A built-in web identity provider is named by its host."""
    session = SessionSpec(
        name="app", federated_provider="cognito-identity.amazonaws.com"
    )

    context = _context(world, DEV, session)

    assert context["aws:federatedprovider"] == ("cognito-identity.amazonaws.com",)


def test_saml_session_has_no_federated_provider(world: World) -> None:
    """[keys] aws:FederatedProvider is documented for OIDC sessions only."""
    session = SessionSpec(
        name="corp", federated_provider="arn:aws:iam::222222222222:saml-provider/Corp"
    )

    assert "aws:federatedprovider" not in _context(world, DEV, session)


def test_federated_user_keys(world: World) -> None:
    """[keys][vars] A federated user: its session ARN, account:name and type."""
    arn = "arn:aws:sts::222222222222:federated-user/fed-bob"

    context = _context(world, arn, SessionSpec(tags={"project": "x"}))

    assert context["aws:principalarn"] == (arn,)
    assert context["aws:userid"] == ("222222222222:fed-bob",)
    assert context["aws:principaltype"] == ("FederatedUser",)
    assert context["aws:principaltag/project"] == ("x",)
    assert "aws:username" not in context


def test_federated_user_has_its_users_tags_and_session_tags(world: World) -> None:
    """[tags] A GetFederationToken session has the user's tags and its own."""
    arn = "arn:aws:sts::222222222222:federated-user/fed-alice"
    session = SessionSpec(user="alice", tags={"team": "gold"})

    context = _context(world, arn, session)

    assert context["aws:principaltag/team"] == ("gold",)
    assert context["aws:principaltag/cost"] == ("42",)


def test_account_root_keys(world: World) -> None:
    """[vars] The root user's aws:userid is the account id; its type is Account."""
    context = _context(world, "222222222222")

    assert context["aws:principalarn"] == ("arn:aws:iam::222222222222:root",)
    assert context["aws:userid"] == ("222222222222",)
    assert context["aws:principaltype"] == ("Account",)
    assert "aws:username" not in context


def test_service_principal_keys(world: World) -> None:
    """[keys] A service principal is an AWS service and names itself."""
    context = _context(world, "lambda.amazonaws.com")

    assert context["aws:principalisawsservice"] == ("true",)
    assert context["aws:principalservicename"] == ("lambda.amazonaws.com",)
    assert context["aws:principalservicenameslist"] == ("lambda.amazonaws.com",)
    assert not {"aws:principalarn", "aws:principalaccount", "aws:userid"} & set(context)


def test_anonymous_caller_keys(world: World) -> None:
    """[vars] An anonymous caller has type Anonymous and userid anonymous only."""
    context = _context(world, "anonymous")

    assert context["aws:principaltype"] == ("Anonymous",)
    assert context["aws:userid"] == ("anonymous",)
    assert not {"aws:principalarn", "aws:principalisawsservice"} & set(context)


def test_identity_provider_caller_has_no_principal_keys(world: World) -> None:
    """The unsigned caller of AssumeRoleWithWebIdentity brings no principal keys."""
    provider = (
        "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com"
    )

    context = _context(world, provider, resource="arn:aws:iam::222222222222:role/Web")

    assert not [key for key in context if key.startswith("aws:principal")]


def test_principal_outside_the_organization_has_no_org_keys(world: World) -> None:
    """[keys] aws:PrincipalOrgID is present only for members of an organization."""
    context = _context(world, "arn:aws:iam::444444444444:user/carol")

    assert "aws:principalorgid" not in context
    assert "aws:principalorgpaths" not in context


def test_management_account_path_ends_at_the_root(world: World) -> None:
    """[paths] An account under the root has the path o-ID/r-ID/."""
    context = _context(world, "111111111111")

    assert context["aws:principalorgpaths"] == ("o-a1b2c3d4e5/r-ab12/",)


def test_resource_keys_of_a_listed_bucket(world: World) -> None:
    """[keys] A bucket listed under an account has that account and its tags."""
    context = _context(world, ALICE)

    assert context["aws:resourceaccount"] == ("222222222222",)
    assert context["aws:resourceorgid"] == (ORG_ID,)
    assert context["aws:resourceorgpaths"] == (PROD_PATH,)
    assert context["aws:resourcetag/env"] == ("prod",)


def test_role_as_resource_gives_its_tags(world: World) -> None:
    """[keys] A role that is the resource supplies aws:ResourceTag."""
    context = _context(world, ALICE, resource=DEV)

    assert context["aws:resourcetag/team"] == ("red",)


def test_unlisted_resource_takes_the_account_in_its_arn(world: World) -> None:
    """[keys] aws:ResourceAccount comes from the ARN when the world lists nothing."""
    arn = "arn:aws:sqs:us-east-1:333333333333:jobs"

    context = _context(world, ALICE, resource=arn)

    assert context["aws:resourceaccount"] == ("333333333333",)
    assert not [key for key in context if key.startswith("aws:resourcetag/")]


def test_unlisted_bucket_has_no_resource_account(world: World) -> None:
    """A bucket ARN has no account field, so an unlisted bucket has none."""
    context = _context(world, ALICE, resource="arn:aws:s3:::elsewhere")

    assert "aws:resourceaccount" not in context


def test_time_keys_come_from_the_request_time(world: World) -> None:
    """[keys] aws:CurrentTime and aws:EpochTime are always present."""
    context = _context(world, ALICE)

    assert context["aws:currenttime"] == ("2024-05-01T12:00:00Z",)
    assert context["aws:epochtime"] == (str(int(NOW.timestamp())),)


def test_query_time_wins_over_the_default(world: World) -> None:
    """A query's own time is used rather than the caller's now."""
    moment = datetime(2030, 1, 1, 9, tzinfo=timezone(timedelta(hours=2)))
    query = Query(ALICE, "s3:GetObject", BUCKET, time=moment)

    context = resolve(world, query, now=NOW).request.context

    assert context["aws:currenttime"] == ("2030-01-01T07:00:00Z",)


def test_a_request_needs_a_time(world: World) -> None:
    """The world never reads a clock, so a time must be given."""
    with pytest.raises(InputError):
        resolve(world, Query(ALICE, "s3:GetObject", BUCKET))


def test_supplied_keys_are_kept_in_engine_form(world: World) -> None:
    """Caller keys are lowercased; booleans and numbers become text."""
    supplied = {
        "aws:SecureTransport": True,
        "s3:max-keys": 10,
        "aws:SourceIp": "1.2.3.4",
    }
    query = Query(ALICE, "s3:ListBucket", BUCKET, context=supplied)

    context = resolve(world, query, now=NOW).request.context

    assert context["aws:securetransport"] == ("true",)
    assert context["s3:max-keys"] == ("10",)
    assert context["aws:sourceip"] == ("1.2.3.4",)


def test_list_values_are_multivalued_keys(world: World) -> None:
    """A list gives a multivalued key; an empty list a key with no members."""
    supplied = {"aws:TagKeys": ["a", "b"], "aws:CalledVia": []}

    query = Query(ALICE, "s3:PutObject", BUCKET, context=supplied)

    assert query.normalized_context == {
        "aws:tagkeys": ("a", "b"),
        "aws:calledvia": (),
    }


@pytest.mark.parametrize(
    "key",
    ["aws:PrincipalArn", "aws:ResourceTag/env", "aws:username", "aws:CurrentTime"],
)
def test_world_filled_keys_may_be_stated_by_the_caller(key: str) -> None:
    """A stated value for a world-filled key is kept, as IAM's simulator keeps it."""
    query = Query(ALICE, "s3:GetObject", BUCKET, context={key: "x"})

    assert query.normalized_context == {key.lower(): ("x",)}


def test_key_given_twice_in_two_cases_is_refused() -> None:
    """Condition key names are case-insensitive, so two spellings collide."""
    with pytest.raises(InputError):
        Query(
            ALICE,
            "s3:GetObject",
            BUCKET,
            context={"aws:SourceIp": "a", "AWS:sourceip": "b"},
        )
