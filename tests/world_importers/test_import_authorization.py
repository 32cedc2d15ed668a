"""Importing ``aws iam get-account-authorization-details`` output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from iamsim.errors import InputError
from iamsim.world.importers import (
    import_authorization_details,
    read_authorization_details,
)

ACCOUNT = "222222222222"
OTHER = "333333333333"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
TRUST_EC2 = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def managed(
    account: str, name: str, document: object = ALLOW_ALL, version: str = "v1"
) -> dict[str, Any]:
    """A ``Policies`` entry with one version."""
    return {
        "PolicyName": name,
        "Arn": f"arn:aws:iam::{account}:policy/{name}",
        "Path": "/",
        "DefaultVersionId": version,
        "PolicyVersionList": [
            {"Document": document, "VersionId": version, "IsDefaultVersion": True}
        ],
    }


def user(account: str, name: str, **extra: Any) -> dict[str, Any]:
    """A ``UserDetailList`` entry."""
    return {
        "Path": "/",
        "UserName": name,
        "Arn": f"arn:aws:iam::{account}:user/{name}",
        **extra,
    }


def role(account: str, name: str, **extra: Any) -> dict[str, Any]:
    """A ``RoleDetailList`` entry trusting EC2."""
    return {
        "Path": "/",
        "RoleName": name,
        "Arn": f"arn:aws:iam::{account}:role/{name}",
        "AssumeRolePolicyDocument": TRUST_EC2,
        **extra,
    }


def attached(account: str, name: str) -> list[dict[str, str]]:
    """An ``AttachedManagedPolicies`` list of one customer managed policy."""
    arn = f"arn:aws:iam::{account}:policy/{name}"
    return [{"PolicyName": name, "PolicyArn": arn}]


def write_json(path: Path, data: object) -> Path:
    """Write ``data`` as JSON and return the path."""
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def sample(exports: Path) -> dict[str, Any]:
    """The scenario imported from both sample accounts together."""
    folder = exports / "authorization-details"
    files = [folder / f"{ACCOUNT}.json", folder / f"{OTHER}-pages.json"]
    return import_authorization_details(files)


class TestSampleExports:
    def test_principals_are_filed_under_the_account_in_their_arn(
        self, sample: dict[str, Any]
    ) -> None:
        """Each user, group and role lands in the account its ARN names."""
        accounts = sample["accounts"]

        assert list(accounts) == [ACCOUNT, OTHER]
        assert set(accounts[ACCOUNT]["users"]) == {"alice", "bob"}
        assert set(accounts[OTHER]["users"]) == {"carol"}
        assert set(accounts[OTHER]["roles"]) == {"Auditor"}

    def test_url_encoded_documents_are_decoded(self, sample: dict[str, Any]) -> None:
        """A trust policy exported as URL-encoded JSON becomes an object."""
        deployer = sample["accounts"][ACCOUNT]["roles"]["Deployer"]

        statement = deployer["trust_policy"]["Statement"][0]

        assert statement["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}

    def test_managed_policy_takes_its_default_version(
        self, sample: dict[str, Any]
    ) -> None:
        """The default version v3 is used, not the first version listed last."""
        document = sample["policies"][f"{ACCOUNT}/DevAccess"]

        assert [s["Sid"] for s in document["Statement"]] == ["Artifacts", "Deploy"]

    def test_permissions_boundary_is_named(self, sample: dict[str, Any]) -> None:
        """A boundary refers to its managed policy by scenario name."""
        alice = sample["accounts"][ACCOUNT]["users"]["alice"]

        assert alice["permissions_boundary"] == "DeveloperBoundary"
        assert "DeveloperBoundary" in sample["policies"]

    def test_user_carries_path_groups_and_tags(self, sample: dict[str, Any]) -> None:
        """Path, group names and tags are taken as exported."""
        alice = sample["accounts"][ACCOUNT]["users"]["alice"]

        assert alice["path"] == "/engineering/"
        assert alice["groups"] == ["developers"]
        assert alice["tags"] == {"team": "payments", "cost-center": "4521"}

    def test_attached_names_come_before_inline_documents(
        self, sample: dict[str, Any]
    ) -> None:
        """A policy list holds managed names first, then inline documents."""
        group = sample["accounts"][ACCOUNT]["groups"]["developers"]

        names, inline = group["policies"]

        assert names == f"{ACCOUNT}/DevAccess"
        assert inline["Statement"][0]["Action"] == "s3:DeleteBucket"

    def test_service_linked_role_is_recognised_by_its_path(
        self, sample: dict[str, Any]
    ) -> None:
        """A role under /aws-service-role/ is service-linked; others are not."""
        roles = sample["accounts"][ACCOUNT]["roles"]

        assert roles["AWSServiceRoleForSupport"]["service_linked"] is True
        assert roles["Deployer"]["service_linked"] is False

    def test_max_session_duration_is_kept_when_exported(
        self, sample: dict[str, Any]
    ) -> None:
        """MaxSessionDuration is copied when present and left out otherwise."""
        roles = sample["accounts"]

        assert roles[OTHER]["roles"]["Auditor"]["max_session_duration"] == 7200
        assert "max_session_duration" not in roles[ACCOUNT]["roles"]["Deployer"]

    def test_aws_managed_policy_keeps_its_name(self, sample: dict[str, Any]) -> None:
        """AWS managed policies are named as AWS names them, paths dropped."""
        support = sample["accounts"][ACCOUNT]["roles"]["AWSServiceRoleForSupport"]

        assert support["policies"] == ["AWSSupportServiceRolePolicy"]
        assert "ReadOnlyAccess" in sample["policies"]

    def test_name_defined_by_two_accounts_is_qualified_by_account(
        self, sample: dict[str, Any]
    ) -> None:
        """Two accounts' DevAccess policies stay apart as ACCOUNT/DevAccess."""
        carol = sample["accounts"][OTHER]["users"]["carol"]

        assert carol["policies"] == [f"{OTHER}/DevAccess"]
        assert "DevAccess" not in sample["policies"]

    def test_customer_name_unique_in_the_import_is_kept(self, exports: Path) -> None:
        """With one account imported, its DevAccess keeps its plain name."""
        path = exports / "authorization-details" / f"{ACCOUNT}.json"

        scenario = import_authorization_details(path)

        assert "DevAccess" in scenario["policies"]

    def test_every_version_is_kept_beside_the_scenario(self, exports: Path) -> None:
        """read_authorization_details keeps all versions and the default id."""
        path = exports / "authorization-details" / f"{ACCOUNT}.json"

        policy = read_authorization_details(path).managed_policies["DevAccess"]

        assert policy.default_version == "v3"
        assert sorted(policy.versions) == ["v1", "v2", "v3"]
        assert policy.arn == f"arn:aws:iam::{ACCOUNT}:policy/DevAccess"


class TestNaming:
    def test_customer_policy_named_like_an_aws_managed_one_is_qualified(
        self,
    ) -> None:
        """A customer ReadOnlyAccess cannot take the AWS managed policy's name."""
        aws = dict(managed("aws", "ReadOnlyAccess"))
        page = {"Policies": [aws, managed(ACCOUNT, "ReadOnlyAccess")]}

        scenario = import_authorization_details(page)

        assert set(scenario["policies"]) == {
            "ReadOnlyAccess",
            f"{ACCOUNT}/ReadOnlyAccess",
        }


class TestPagination:
    def test_pages_in_a_json_array_are_joined(self, tmp_path: Path) -> None:
        """A file holding an array of pages reads as one export."""
        pages = [
            {"UserDetailList": [user(ACCOUNT, "a")], "IsTruncated": True},
            {"UserDetailList": [user(ACCOUNT, "b")], "IsTruncated": False},
        ]

        scenario = import_authorization_details(write_json(tmp_path / "p.json", pages))

        assert set(scenario["accounts"][ACCOUNT]["users"]) == {"a", "b"}

    def test_pages_written_back_to_back_are_joined(self, tmp_path: Path) -> None:
        """Pages concatenated by ``cat`` into one file read as one export."""
        pages = [{"UserDetailList": [user(ACCOUNT, name)]} for name in "ab"]
        text = "\n".join(json.dumps(page) for page in pages)
        path = tmp_path / "p.json"
        path.write_text(text, encoding="utf-8")

        scenario = import_authorization_details(path)

        assert set(scenario["accounts"][ACCOUNT]["users"]) == {"a", "b"}

    def test_a_list_of_page_objects_is_accepted(self) -> None:
        """Pages already parsed can be given as a list of mappings."""
        pages = [
            {"RoleDetailList": [role(ACCOUNT, "r")]},
            {"Policies": [managed(ACCOUNT, "P")]},
        ]

        scenario = import_authorization_details(pages)

        assert scenario["policies"] == {"P": ALLOW_ALL}

    def test_a_repeated_identical_page_is_harmless(self) -> None:
        """The same records twice import once."""
        page = {"UserDetailList": [user(ACCOUNT, "a")]}

        scenario = import_authorization_details([page, page])

        assert list(scenario["accounts"][ACCOUNT]["users"]) == ["a"]


class TestAwsManagedAcrossExports:
    def test_same_policy_from_two_exports_is_kept_once(self) -> None:
        """An AWS managed policy listed by every account is one policy."""
        policy = managed("aws", "ReadOnlyAccess")

        scenario = import_authorization_details([{"Policies": [policy]}] * 2)

        assert list(scenario["policies"]) == ["ReadOnlyAccess"]

    def test_newer_default_version_wins_between_exports(self) -> None:
        """Exports taken at different times keep the later AWS version."""
        old = managed("aws", "ReadOnlyAccess", {"Version": "old"}, version="v9")
        new = managed("aws", "ReadOnlyAccess", {"Version": "new"}, version="v10")

        details = read_authorization_details([{"Policies": [new]}, {"Policies": [old]}])

        policy = details.managed_policies["ReadOnlyAccess"]
        assert policy.document == {"Version": "new"}
        assert sorted(policy.versions) == ["v10", "v9"]


class TestErrors:
    def test_malformed_trust_policy_names_file_and_json_path(
        self, tmp_path: Path
    ) -> None:
        """A bad document is reported at auth.json: RoleDetailList[1]...."""
        broken = role(ACCOUNT, "b", AssumeRolePolicyDocument=quote('{"Version":'))
        page = {"RoleDetailList": [role(ACCOUNT, "a"), broken]}
        path = write_json(tmp_path / "auth.json", page)

        with pytest.raises(InputError) as caught:
            import_authorization_details(path)

        assert caught.value.where == (
            f"{path}: RoleDetailList[1].AssumeRolePolicyDocument"
        )
        assert "not valid JSON" in caught.value.message

    def test_invalid_json_names_line_and_column(self, tmp_path: Path) -> None:
        """A syntax error in the file is located by line and column."""
        path = tmp_path / "auth.json"
        path.write_text('{\n  "UserDetailList": [,]\n}', encoding="utf-8")

        with pytest.raises(InputError) as caught:
            import_authorization_details(path)

        assert caught.value.where == f"{path}:2:22"

    def test_missing_file_is_an_input_error(self, tmp_path: Path) -> None:
        """A path that does not exist is reported, not raised as OSError."""
        with pytest.raises(InputError, match="no such file"):
            import_authorization_details(tmp_path / "absent.json")

    def test_missing_required_key_is_reported(self) -> None:
        """A user without UserName is named by its place."""
        record = user(ACCOUNT, "a")
        del record["UserName"]

        with pytest.raises(InputError) as caught:
            import_authorization_details({"UserDetailList": [record]})

        assert caught.value.render() == (
            "<input>: UserDetailList[0]: missing required key 'UserName'"
        )

    def test_wrong_type_is_reported_with_the_value(self) -> None:
        """A list given as an object says what was expected and what came."""
        with pytest.raises(InputError, match=r"expected a list, got dict"):
            import_authorization_details({"UserDetailList": {"a": 1}})

    def test_attached_policy_absent_from_policies_is_an_error(self) -> None:
        """A filtered export that omits an attached policy is refused."""
        record = user(ACCOUNT, "a", AttachedManagedPolicies=attached(ACCOUNT, "Gone"))

        with pytest.raises(InputError) as caught:
            import_authorization_details({"UserDetailList": [record]})

        assert caught.value.where.endswith("AttachedManagedPolicies[0].PolicyArn")
        assert "--filter" in caught.value.hint

    def test_unlisted_group_is_an_error(self) -> None:
        """A user's group must be listed in the same account's export."""
        record = user(ACCOUNT, "a", GroupList=["ghosts"])

        with pytest.raises(InputError, match="'ghosts'"):
            import_authorization_details({"UserDetailList": [record]})

    def test_default_version_must_be_exported(self) -> None:
        """A DefaultVersionId with no matching version document is refused."""
        policy = managed(ACCOUNT, "P")
        policy["DefaultVersionId"] = "v4"

        with pytest.raises(InputError, match="'v4'"):
            import_authorization_details({"Policies": [policy]})

    def test_default_flag_stands_in_for_a_missing_default_id(self) -> None:
        """Without DefaultVersionId, the version marked default is used."""
        policy = managed(ACCOUNT, "P")
        del policy["DefaultVersionId"]

        details = read_authorization_details({"Policies": [policy]})

        assert details.managed_policies["P"].default_version == "v1"

    def test_non_iam_arn_is_an_error(self) -> None:
        """A principal ARN of another service is refused."""
        record = user(ACCOUNT, "a")
        record["Arn"] = "arn:aws:s3:::bucket"

        with pytest.raises(InputError, match="expected an IAM ARN"):
            import_authorization_details({"UserDetailList": [record]})

    def test_other_json_is_not_taken_for_an_export(self, exports: Path) -> None:
        """An Organizations file is not mistaken for authorization details."""
        path = exports / "organization" / "roots.json"

        with pytest.raises(InputError, match="not a get-account-authorization"):
            import_authorization_details(path)

    def test_customer_policy_differing_between_pages_is_an_error(self) -> None:
        """One customer policy ARN with two contents cannot be reconciled."""
        first = managed(ACCOUNT, "P")
        second = managed(ACCOUNT, "P", {"Version": "2012-10-17", "Statement": []})

        with pytest.raises(InputError, match="appears twice"):
            import_authorization_details({"Policies": [first, second]})

    def test_document_must_be_a_json_object(self) -> None:
        """An encoded JSON array is not a policy document."""
        record = role(ACCOUNT, "a", AssumeRolePolicyDocument=quote("[1, 2]"))

        with pytest.raises(InputError, match="must be a JSON object"):
            import_authorization_details({"RoleDetailList": [record]})

    def test_list_items_must_be_exports_or_paths(self) -> None:
        """Something that is neither a mapping nor a path is refused."""
        with pytest.raises(InputError) as caught:
            import_authorization_details([42])  # type: ignore[list-item]

        assert caught.value.where == "<input>[0]"
