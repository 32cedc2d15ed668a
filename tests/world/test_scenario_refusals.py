"""Every mistake in a scenario is refused with its file, line, column and path.

Pages cited: [names] IAM User Guide, "IAM and AWS STS quotas, name
requirements, and character limits"; [scp] AWS Organizations User Guide,
"Attaching and detaching service control policies"; [roles] IAM User Guide,
"Modify a role maximum session duration"; [sts] AWS STS API Reference,
"AssumeRole" (RoleSessionName).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from iamsim.errors import InputError
from iamsim.world.scenario import load_scenario, scenario_from_dict, scenario_from_text

BASE = """\
policies:
  S3Read:
    Version: "2012-10-17"
    Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]
accounts:
  "222222222222":
    users:
      alice: {groups: [devs], policies: [S3Read]}
    groups:
      devs: {}
    roles:
      Dev:
        trust_policy: {Version: "2012-10-17", Statement: [{Effect: Allow,
          Principal: {AWS: "222222222222"}, Action: "sts:AssumeRole"}]}
requests:
  - name: r1
    principal: arn:aws:iam::222222222222:user/alice
    action: s3:GetObject
    resource: arn:aws:s3:::b
"""

ORG = """\
organization:
  id: o-a1b2c3d4e5
  management_account: "111111111111"
  root:
    accounts: ["111111111111"]
    ous: [{name: Prod, accounts: ["222222222222"]}]
"""


def _refusal(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        scenario_from_text(text, source="q.yaml")
    return caught.value


def _edit(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        pytest.param(
            "accounts:\n",
            "acounts:\n",
            "q.yaml:5:1 at acounts",
            "unknown key 'acounts' in scenario",
            id="unknown-top-key",
        ),
        pytest.param(
            "{groups: [devs], policies",
            "{grups: [devs], policies",
            "q.yaml:8:15 at accounts.222222222222.users.alice.grups",
            "unknown key 'grups' in user alice",
            id="unknown-user-key",
        ),
        pytest.param(
            "groups: [devs]",
            "groups: devs",
            "q.yaml:8:23 at accounts.222222222222.users.alice.groups",
            "groups must be a list, not a string",
            id="wrong-type",
        ),
        pytest.param(
            "{Effect: Allow, Action",
            "{Effect: Alow, Action",
            "q.yaml:4:26 at policies.S3Read.Statement[0].Effect",
            "identity-based policy 'S3Read': Effect must be 'Allow' or 'Deny'",
            id="policy-does-not-parse",
        ),
        pytest.param(
            "policies: [S3Read]}",
            "policies: [S3Reed]}",
            "q.yaml:8:42 at accounts.222222222222.users.alice.policies[0]",
            "policy 'S3Reed' is not defined",
            id="unknown-policy",
        ),
        pytest.param(
            "policies: [S3Read]}",
            "policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]}",
            "q.yaml:8:42 at accounts.222222222222.users.alice.policies[0]",
            "AWS managed policy 'arn:aws:iam::aws:policy/ReadOnlyAccess' is not "
            "defined",
            id="undefined-aws-managed-policy",
        ),
        pytest.param(
            "groups: [devs]",
            "groups: [dev]",
            "q.yaml:8:24 at accounts.222222222222.users.alice.groups[0]",
            "group 'dev' is not defined in account 222222222222",
            id="unknown-group",
        ),
        pytest.param(
            "principal: arn:aws:iam::222222222222:user/alice",
            "principal: arn:aws:iam::222222222222:user/alicia",
            "q.yaml:17:16 at requests[0].principal",
            "principal 'arn:aws:iam::222222222222:user/alicia' is not a user",
            id="principal-not-in-world",
        ),
        pytest.param(
            "resource: arn:aws:s3:::b\n",
            "resource: arn:aws:s3:::b\n    expect: Alow\n",
            "q.yaml:20:13 at requests[0].expect",
            "expect 'Alow' is not a decision",
            id="bad-expect",
        ),
        pytest.param(
            '"222222222222":\n',
            '"22222":\n',
            "q.yaml:6:3 at accounts.22222",
            "account id '22222' is not 12 digits",
            id="short-account-id",
        ),
        pytest.param(
            '"222222222222":\n',
            "222222222222:\n",
            "q.yaml:6:3 at accounts.222222222222",
            "accounts key 222222222222 is a number",
            id="unquoted-account-id",
        ),
        pytest.param(
            "      devs: {}\n",
            "      devs: {}\n      devs: {path: /x/}\n",
            "q.yaml:11:7 at accounts.222222222222.groups.devs",
            "key 'devs' appears twice in one mapping",
            id="duplicate-key",
        ),
        pytest.param(
            "        trust_policy:",
            "        tags: {}\n        trustpolicy:",
            "q.yaml:14:9 at accounts.222222222222.roles.Dev.trustpolicy",
            "unknown key 'trustpolicy' in role Dev",
            id="misspelled-trust-policy",
        ),
        pytest.param(
            "    resource: arn:aws:s3:::b\n",
            "    resource: arn:aws:s3:::b\n    time: '2024-05-01T12:00:00'\n",
            "q.yaml:20:11 at requests[0].time",
            "time '2024-05-01T12:00:00' has no time zone",
            id="time-without-zone",
        ),
        pytest.param(
            "    principal: arn",
            "    session: {name: s1}\n    principal: arn",
            "q.yaml:17:14 at requests[0].session",
            "an IAM user does not speak through a session",
            id="session-on-a-user",
        ),
        pytest.param(
            "alice: {groups",
            "al ice: {groups",
            "q.yaml:8:7 at accounts.222222222222.users.al ice",
            "user name 'al ice' is not valid",
            id="bad-user-name",
        ),
    ],
)
def test_mistake_is_refused_at_its_place(
    old: str, new: str, where: str, message: str
) -> None:
    """The error names the file, line, column and YAML path of the mistake."""
    error = _refusal(_edit(old, new))

    assert error.where == where
    assert message in error.message


def test_unknown_key_hint_suggests_the_closest_key() -> None:
    """An unknown key comes with a did-you-mean hint."""
    error = _refusal(_edit("{groups: [devs], policies", "{grups: [devs], policies"))

    assert error.hint == "did you mean 'groups'?"


def test_unknown_principal_hint_suggests_a_known_arn() -> None:
    """An unknown principal is refused with the closest principal ARN."""
    error = _refusal(_edit("user/alice", "user/alicia"))

    assert error.hint == "did you mean 'arn:aws:iam::222222222222:user/alice'?"


def test_duplicate_request_names_are_refused() -> None:
    """Two requests may not share a name."""
    second = BASE.split("requests:\n", 1)[1]

    error = _refusal(BASE + second)

    assert error.where == "q.yaml:20:11 at requests[1].name"
    assert "request name 'r1' is used twice" in error.message


def test_role_without_trust_policy_is_refused() -> None:
    """Every IAM role has a trust policy, so a role needs one."""
    text = _edit(
        '        trust_policy: {Version: "2012-10-17", Statement: [{Effect: Allow,\n'
        '          Principal: {AWS: "222222222222"}, Action: "sts:AssumeRole"}]}\n',
        "        tags: {a: b}\n",
    )

    error = _refusal(text)

    assert error.where == "q.yaml:13:9 at accounts.222222222222.roles.Dev"
    assert "role Dev has no 'trust_policy'" in error.message


def test_trust_policy_with_resource_is_refused_at_the_element() -> None:
    """A trust policy is parsed as one, so a Resource element is refused."""
    error = _refusal(
        _edit('Action: "sts:AssumeRole"}', 'Action: "sts:AssumeRole", Resource: "*"}')
    )

    assert error.where.endswith("roles.Dev.trust_policy.Statement[0].Resource")
    assert error.message.startswith("resource-based policy 'Dev/trust-policy'")


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        pytest.param(
            "id: o-a1b2c3d4e5",
            "id: org-1",
            "q.yaml:2:7 at organization.id",
            "organization id 'org-1' is not valid",
            id="bad-org-id",
        ),
        pytest.param(
            'accounts: ["111111111111"]',
            "accounts: []",
            "q.yaml:3:23 at organization.management_account",
            "management account '111111111111' is not in the organization tree",
            id="management-account-missing",
        ),
        pytest.param(
            'accounts: ["222222222222"]',
            'accounts: ["111111111111"]',
            "q.yaml:6:35 at organization.root.ous[0].accounts[0]",
            "account '111111111111' appears twice in the organization",
            id="account-twice",
        ),
        pytest.param(
            "    ous: [{name: Prod,",
            "    scps: []\n    ous: [{name: Prod,",
            "q.yaml:6:11 at organization.root.scps",
            "scps is empty",
            id="empty-scps",
        ),
        pytest.param(
            'ous: [{name: Prod, accounts: ["222222222222"]}]',
            "ous: [{name: Prod}, {name: Prod}]",
            "q.yaml:6:32 at organization.root.ous[1].name",
            "OU 'Prod' appears twice under 'Root'",
            id="sibling-ou-names",
        ),
        pytest.param(
            "    ous: [{name: Prod,",
            "    scps: [S3Read]\n    ous: [{name: Prod,",
            "q.yaml:6:12 at organization.root.scps[0]",
            "policy 'S3Read' is not defined",
            id="scp-from-another-file-section",
        ),
    ],
)
def test_organization_mistake_is_refused(
    old: str, new: str, where: str, message: str
) -> None:
    """[scp] The organization tree is checked like the rest of the file."""
    error = _refusal(_edit(old, new, ORG))

    assert error.where == where
    assert message in error.message


@pytest.mark.parametrize(
    ("edit", "where", "message"),
    [
        pytest.param(
            {"max_session_duration": 100},
            "roles.Dev.max_session_duration",
            "max_session_duration 100 is out of range",
            id="roles-session-range",
        ),
        pytest.param(
            {"path": "eng"},
            "roles.Dev.path",
            "path 'eng' is not valid",
            id="path-shape",
        ),
        pytest.param(
            {"tags": {"Team": "a", "team": "b"}},
            "roles.Dev.tags.team",
            "tag key 'team' is given twice",
            id="tag-case",
        ),
        pytest.param(
            {"service_linked": "yes"},
            "roles.Dev.service_linked",
            "service_linked must be true or false",
            id="service-linked-type",
        ),
    ],
)
def test_role_field_mistake_is_refused(
    edit: dict[str, object], where: str, message: str
) -> None:
    """[roles] Role fields are checked against IAM's limits."""
    data = yaml.safe_load(BASE)
    data["accounts"]["222222222222"]["roles"]["Dev"].update(edit)

    with pytest.raises(InputError) as caught:
        scenario_from_dict(data, source="d")

    assert caught.value.where == f"d at accounts.222222222222.{where}"
    assert message in caught.value.message


def test_resource_of_another_account_is_refused() -> None:
    """A resource is listed under the account named in its ARN."""
    data = yaml.safe_load(BASE)
    data["accounts"]["222222222222"]["resources"] = [
        {"arn": "arn:aws:sqs:us-east-1:333333333333:q"}
    ]

    with pytest.raises(InputError) as caught:
        scenario_from_dict(data, source="d")

    assert caught.value.where == "d at accounts.222222222222.resources[0].arn"
    assert "belongs to account '333333333333'" in caught.value.message


def test_resource_listed_twice_is_refused() -> None:
    """A resource ARN appears once in a scenario."""
    data = yaml.safe_load(BASE)
    data["accounts"]["222222222222"]["resources"] = [
        {"arn": "arn:aws:s3:::b"},
        {"arn": "arn:aws:s3:::b"},
    ]

    with pytest.raises(InputError) as caught:
        scenario_from_dict(data, source="d")

    assert caught.value.where == "d at accounts.222222222222.resources[1].arn"


def test_session_name_that_contradicts_the_arn_is_refused() -> None:
    """[sts] An assumed-role ARN already names its session."""
    data = yaml.safe_load(BASE)
    data["requests"][0]["principal"] = "arn:aws:sts::222222222222:assumed-role/Dev/s1"
    data["requests"][0]["session"] = {"name": "s2"}

    with pytest.raises(InputError) as caught:
        scenario_from_dict(data, source="d")

    assert caught.value.where == "d at requests[0].session.name"


def test_invalid_session_name_is_refused() -> None:
    """[sts] A role session name is 2 to 64 characters of a small alphabet."""
    data = yaml.safe_load(BASE)
    data["requests"][0]["principal"] = "arn:aws:iam::222222222222:role/Dev"
    data["requests"][0]["session"] = {"name": "no spaces"}

    with pytest.raises(InputError) as caught:
        scenario_from_dict(data, source="d")

    assert caught.value.where == "d at requests[0].session.name"
    assert "role session name 'no spaces' is not valid" in caught.value.message


def test_missing_request_field_is_refused() -> None:
    """A request needs a principal, an action and a resource."""
    error = _refusal(_edit("    action: s3:GetObject\n", ""))

    assert error.where == "q.yaml:16:5 at requests[0]"
    assert "request has no 'action'" in error.message


def test_yaml_syntax_error_names_its_line() -> None:
    """Broken YAML is refused at the place the parser stopped."""
    error = _refusal(_edit("groups: [devs]", "groups: [devs"))

    assert error.where.startswith("q.yaml:8:")
    assert error.message.startswith("not valid YAML")


def test_json_scenario_errors_carry_line_numbers(tmp_path: Path) -> None:
    """In a JSON file the error still names the line and column."""
    data = yaml.safe_load(_edit("groups: [devs]", "groups: [dev]"))
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data, indent=2))

    with pytest.raises(InputError) as caught:
        load_scenario(path)

    lines = path.read_text().splitlines()
    line = next(i for i, text in enumerate(lines) if text.strip() == '"dev"')
    column = lines[line].index('"') + 1
    assert caught.value.where == (
        f"{path}:{line + 1}:{column} at accounts.222222222222.users.alice.groups[0]"
    )


def test_json_duplicate_key_is_refused(tmp_path: Path) -> None:
    """JSON objects with a repeated key are refused, not silently merged."""
    path = tmp_path / "q.json"
    path.write_text('{"accounts": {}, "accounts": {}}')

    with pytest.raises(InputError) as caught:
        load_scenario(path)

    assert "key 'accounts' appears twice" in caught.value.message


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    """A missing file is reported as unusable input, naming the path."""
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "absent.yaml")

    assert caught.value.where == str(tmp_path / "absent.yaml")


def test_empty_scenario_is_refused() -> None:
    """An empty file is not a scenario."""
    error = _refusal("")

    assert error.message == "scenario is empty"


def test_a_bad_last_request_refuses_the_whole_scenario() -> None:
    """Nothing half-loads: a mistake anywhere means no scenario at all."""
    text = BASE + "  - {principal: nobody, action: s3:GetObject, resource: '*'}\n"

    error = _refusal(text)

    assert error.where == "q.yaml:20:17 at requests[1].principal"


def test_unreferenced_policy_with_a_mistake_is_refused() -> None:
    """A defined policy is checked even when nothing uses it yet."""
    text = (
        "policies:\n"
        "  Unused:\n"
        "    Version: '2012-10-17'\n"
        "    Statement: [{Effect: Alow, Action: 's3:*', Resource: '*'}]\n"
        "accounts:\n"
        "  '111122223333': {}\n"
    )

    with pytest.raises(InputError) as raised:
        scenario_from_text(text, source="s.yaml")

    assert "Unused" in str(raised.value)
    assert "s.yaml:4" in str(raised.value)


def test_unreferenced_resource_policy_is_read_as_resource_based() -> None:
    """A defined policy naming a principal is valid as a resource-based policy."""
    text = (
        "policies:\n"
        "  BucketPolicy:\n"
        "    Version: '2012-10-17'\n"
        "    Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject',"
        " Resource: 'arn:aws:s3:::b/*'}]\n"
        "accounts:\n"
        "  '111122223333': {}\n"
    )

    scenario = scenario_from_text(text, source="s.yaml")

    assert "BucketPolicy" in scenario.world.policies


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("Allow", "Allow"),
        ("allowed", "Allow"),
        ("implicitDeny", "ImplicitDeny"),
        ("explicit_deny", "ExplicitDeny"),
        ("DENY", "Deny"),
    ],
)
def test_expectation_spellings_are_folded(written: str, meaning: str) -> None:
    """Expectations ignore case and separators, and accept the simulator's words."""
    text = (
        "accounts:\n"
        "  '111122223333':\n"
        "    users: {alice: {}}\n"
        "requests:\n"
        "  - name: r\n"
        "    principal: arn:aws:iam::111122223333:user/alice\n"
        "    action: s3:GetObject\n"
        "    resource: '*'\n"
        f"    expect: {written}\n"
    )

    scenario = scenario_from_text(text, source="s.yaml")

    expect = scenario.requests[0].expect
    assert expect is not None
    assert expect.value == meaning


def test_unknown_expectation_is_refused_with_a_hint() -> None:
    """An expectation that is no decision names the choices."""
    text = (
        "accounts:\n"
        "  '111122223333':\n"
        "    users: {alice: {}}\n"
        "requests:\n"
        "  - name: r\n"
        "    principal: arn:aws:iam::111122223333:user/alice\n"
        "    action: s3:GetObject\n"
        "    resource: '*'\n"
        "    expect: Alow\n"
    )

    with pytest.raises(InputError) as raised:
        scenario_from_text(text, source="s.yaml")

    assert "Allow" in str(raised.value)


def test_stated_context_overrides_a_world_filled_key() -> None:
    """A context entry the caller states wins over the world's, as in IAM's simulator."""
    from datetime import UTC, datetime

    text = (
        "accounts:\n"
        "  '111122223333':\n"
        "    users:\n"
        "      alice:\n"
        "        tags: {team: red}\n"
        "        policies:\n"
        "          - Version: '2012-10-17'\n"
        "            Statement:\n"
        "              - Effect: Allow\n"
        "                Action: s3:GetObject\n"
        "                Resource: '*'\n"
        "                Condition: {StringEquals: {aws:PrincipalTag/team: blue}}\n"
        "requests:\n"
        "  - name: r\n"
        "    principal: arn:aws:iam::111122223333:user/alice\n"
        "    action: s3:GetObject\n"
        "    resource: '*'\n"
        "    context: {aws:PrincipalTag/team: blue}\n"
    )
    scenario = scenario_from_text(text, source="s.yaml")

    decision = scenario.world.authorize(
        scenario.requests[0].query, now=datetime.now(UTC)
    )

    assert decision.allowed
