"""Parsing policy documents: the grammar and the rules of each policy kind.

Rules come from "IAM JSON policy element reference" (IAM User Guide,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html)
and "RCP syntax" (AWS Organizations User Guide,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
"""

from __future__ import annotations

import json

import pytest

from iamsim.errors import PolicySyntaxError, PolicyValidationError
from iamsim.policy.model import VERSION_2008, Effect, PolicyKind
from iamsim.policy.parse import parse_policy

IDENTITY = PolicyKind.IDENTITY


def doc(*statements: dict[str, object], version: str = "2012-10-17") -> str:
    return json.dumps({"Version": version, "Statement": list(statements)})


ALLOW_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}


def test_single_statement_object_is_accepted() -> None:
    """Statement may be one object instead of a list ("IAM JSON policy elements: Statement")."""
    text = json.dumps({"Version": "2012-10-17", "Statement": ALLOW_GET})

    policy = parse_policy(text, kind=IDENTITY)

    assert len(policy.statements) == 1
    assert policy.statements[0].effect is Effect.ALLOW


def test_missing_version_means_2008_10_17() -> None:
    """Without Version, IAM applies the 2008-10-17 language ("IAM JSON policy elements: Version")."""
    policy = parse_policy({"Statement": [ALLOW_GET]}, kind=IDENTITY)

    assert policy.version == VERSION_2008


def test_unknown_version_is_refused() -> None:
    """Only 2012-10-17 and 2008-10-17 exist ("IAM JSON policy elements: Version")."""
    with pytest.raises(PolicySyntaxError, match="unsupported policy Version"):
        parse_policy({"Version": "2012-10-18", "Statement": [ALLOW_GET]}, kind=IDENTITY)


def test_invalid_json_reports_line_and_column() -> None:
    """Malformed JSON names the place of the mistake."""
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n}'

    with pytest.raises(PolicySyntaxError) as caught:
        parse_policy(text, kind=IDENTITY)

    assert "line 4:1" in str(caught.value)


def test_element_error_names_json_path_and_line() -> None:
    """A wrong element is located by JSON path and by line:column."""
    text = '{"Version": "2012-10-17",\n "Statement": [\n  {"Effect": "Alow", "Action": "s3:*", "Resource": "*"}]}'

    with pytest.raises(PolicySyntaxError) as caught:
        parse_policy(text, kind=IDENTITY)

    message = str(caught.value)
    assert "Statement[0].Effect" in message
    assert "line 3:14" in message
    assert "did you mean 'Allow'?" in message


def test_unknown_statement_element_suggests_the_right_one() -> None:
    """Statement elements are a closed set ("IAM JSON policy element reference")."""
    bad = {"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}

    with pytest.raises(PolicySyntaxError, match="did you mean 'Action'"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_action_and_not_action_together_are_refused() -> None:
    """A statement has Action or NotAction, never both ("IAM JSON policy elements: NotAction")."""
    bad = {"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}

    with pytest.raises(PolicySyntaxError, match="both Action and NotAction"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_statement_without_action_is_refused() -> None:
    """Every statement needs Action or NotAction ("IAM JSON policy elements: Action")."""
    with pytest.raises(PolicySyntaxError, match="no Action or NotAction"):
        parse_policy(doc({"Effect": "Allow", "Resource": "*"}), kind=IDENTITY)


def test_action_without_service_prefix_is_refused() -> None:
    """Actions read service:action ("IAM JSON policy elements: Action")."""
    bad = {"Effect": "Allow", "Action": "GetObject", "Resource": "*"}

    with pytest.raises(PolicySyntaxError, match="invalid action 'GetObject'"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_resource_that_is_not_an_arn_is_refused() -> None:
    """Resource is '*' or an ARN ("IAM JSON policy elements: Resource")."""
    bad = {"Effect": "Allow", "Action": "s3:*", "Resource": "my-bucket"}

    with pytest.raises(PolicySyntaxError, match="neither '\\*' nor an ARN"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_identity_policy_cannot_name_a_principal() -> None:
    """Identity-based policies have no Principal ("IAM JSON policy elements: Principal")."""
    bad = {**ALLOW_GET, "Principal": "*"}

    with pytest.raises(PolicyValidationError, match="cannot name a Principal"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_resource_policy_needs_a_principal() -> None:
    """Resource-based policies must say whom they grant ("IAM JSON policy elements: Principal")."""
    with pytest.raises(PolicyValidationError, match="needs a Principal"):
        parse_policy(doc(ALLOW_GET), kind=PolicyKind.RESOURCE)


def test_trust_policy_cannot_have_a_resource() -> None:
    """A role trust policy's resource is the role itself ("IAM JSON policy elements: Resource")."""
    bad = {
        "Effect": "Allow",
        "Principal": {"AWS": "111122223333"},
        "Action": "sts:AssumeRole",
        "Resource": "*",
    }

    with pytest.raises(PolicyValidationError, match="cannot have Resource"):
        parse_policy(doc(bad), kind=PolicyKind.TRUST)


def test_bare_account_id_principal_means_the_account_root() -> None:
    """IAM rewrites an account id to its root ARN ("IAM JSON policy elements: Principal")."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "111122223333"},
        "Action": "sts:AssumeRole",
    }

    policy = parse_policy(doc(statement), kind=PolicyKind.TRUST)

    principal = policy.statements[0].principal
    assert principal is not None
    assert principal.aws == frozenset({"arn:aws:iam::111122223333:root"})


def test_aws_wildcard_principal_means_everyone() -> None:
    """{"AWS": "*"} is the same as "*" ("IAM JSON policy elements: Principal")."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
    }

    policy = parse_policy(doc(statement), kind=PolicyKind.RESOURCE)

    principal = policy.statements[0].principal
    assert principal is not None and principal.everyone


def test_not_principal_with_allow_is_refused() -> None:
    """NotPrincipal is supported only with Deny ("AWS JSON policy elements: NotPrincipal")."""
    bad = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "111122223333"},
        "Action": "s3:*",
        "Resource": "*",
    }

    with pytest.raises(PolicyValidationError, match="only with Deny"):
        parse_policy(doc(bad), kind=PolicyKind.RESOURCE)


def test_scp_cannot_name_a_principal() -> None:
    """SCPs apply to the account's principals and name none ("SCP syntax")."""
    bad = {**ALLOW_GET, "Principal": "*"}

    with pytest.raises(PolicyValidationError):
        parse_policy(doc(bad), kind=PolicyKind.SCP)


def test_rcp_must_use_wildcard_principal() -> None:
    """An RCP statement's Principal is always "*" ("RCP syntax")."""
    bad = {
        "Effect": "Deny",
        "Principal": {"AWS": "111122223333"},
        "Action": "s3:*",
        "Resource": "*",
    }

    with pytest.raises(PolicyValidationError, match='"Principal": "\\*"'):
        parse_policy(doc(bad), kind=PolicyKind.RCP)


def test_rcp_allow_is_reserved_to_rcp_full_aws_access() -> None:
    """Allow is supported only in RCPFullAWSAccess ("RCP syntax")."""
    allow = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}

    parse_policy(doc(allow), kind=PolicyKind.RCP, name="RCPFullAWSAccess")
    with pytest.raises(PolicyValidationError, match="may only Deny"):
        parse_policy(doc(allow), kind=PolicyKind.RCP, name="MyRcp")


def test_rcp_cannot_use_not_action() -> None:
    """RCPs support Action but not NotAction ("RCP syntax")."""
    bad = {"Effect": "Deny", "Principal": "*", "NotAction": "s3:*", "Resource": "*"}

    with pytest.raises(PolicyValidationError, match="NotAction"):
        parse_policy(doc(bad), kind=PolicyKind.RCP)


def test_duplicate_sids_are_refused() -> None:
    """Sid values must be unique within a policy ("IAM JSON policy elements: Sid")."""
    first = {**ALLOW_GET, "Sid": "Read"}

    with pytest.raises(PolicyValidationError, match="duplicate Sid 'Read'"):
        parse_policy(doc(first, first), kind=IDENTITY)


def test_unknown_condition_operator_suggests_the_right_one() -> None:
    """Condition operators are a closed set ("IAM JSON policy elements: Condition operators")."""
    bad = {**ALLOW_GET, "Condition": {"StringEqualsIgnorCase": {"aws:username": "x"}}}

    with pytest.raises(PolicySyntaxError) as caught:
        parse_policy(doc(bad), kind=IDENTITY)

    assert "StringEqualsIgnoreCase" in str(caught.value)
    assert "Statement[0].Condition" in str(caught.value)


def test_condition_values_keep_json_scalars_as_strings() -> None:
    """Booleans and numbers compare as their text ("Condition operators")."""
    statement = {**ALLOW_GET, "Condition": {"Bool": {"aws:SecureTransport": True}}}

    policy = parse_policy(doc(statement), kind=IDENTITY)

    condition = policy.statements[0].condition
    assert condition is not None
    assert condition.clauses[0].values == ("true",)
    assert condition.matches({"aws:securetransport": ("true",)})


def test_empty_action_list_is_refused() -> None:
    """An element list must name at least one value."""
    bad = {"Effect": "Allow", "Action": [], "Resource": "*"}

    with pytest.raises(PolicySyntaxError, match="empty list"):
        parse_policy(doc(bad), kind=IDENTITY)


def test_policy_that_is_not_an_object_is_refused() -> None:
    """A policy document is a JSON object."""
    with pytest.raises(PolicySyntaxError, match="JSON object, not a list"):
        parse_policy("[]", kind=IDENTITY)
