"""Importing an AWS Organizations export folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from iamsim.errors import InputError
from iamsim.world.importers import import_organization

ROOT = "r-ab12"
PROD = "ou-ab12-11111111"
WORKLOADS = "ou-ab12-22222222"
SANDBOX = "ou-ab12-33333333"
FULL_ACCESS = "scp/FullAWSAccess"
RCP_FULL_ACCESS = "rcp/RCPFullAWSAccess"


def read(path: Path) -> Any:
    """A JSON file's content."""
    return json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data: object) -> None:
    """Replace a JSON file's content."""
    path.write_text(json.dumps(data), encoding="utf-8")


def set_policy_types(folder: Path, types: list[str]) -> None:
    """Make the root show exactly ``types`` as enabled."""
    roots = read(folder / "roots.json")
    roots["Roots"][0]["PolicyTypes"] = [
        {"Type": kind, "Status": "ENABLED"} for kind in types
    ]
    write(folder / "roots.json", roots)


@pytest.fixture
def scenario(exports: Path) -> dict[str, Any]:
    """The scenario imported from the sample Organizations export."""
    return import_organization(exports / "organization")


def unit(level: dict[str, Any], name: str) -> dict[str, Any]:
    """The child OU called ``name``."""
    found: list[dict[str, Any]] = [
        child for child in level["ous"] if child["name"] == name
    ]
    assert len(found) == 1
    return found[0]


class TestSampleExport:
    def test_id_and_management_account_come_from_describe_organization(
        self, scenario: dict[str, Any]
    ) -> None:
        """organization.json gives the organization id and management account."""
        organization = scenario["organization"]

        assert organization["id"] == "o-a1b2c3d4e5"
        assert organization["management_account"] == "111111111111"

    def test_ous_nest_two_levels_deep(self, scenario: dict[str, Any]) -> None:
        """Root > Prod > Workloads follows the per-parent OU listings."""
        root = scenario["organization"]["root"]

        workloads = unit(unit(root, "Prod"), "Workloads")

        assert [child["name"] for child in root["ous"]] == ["Prod", "Sandbox"]
        assert workloads["ous"] == []

    def test_root_and_ous_keep_their_ids(self, scenario: dict[str, Any]) -> None:
        """Ids are kept, since entity paths such as aws:PrincipalOrgPaths use them."""
        root = scenario["organization"]["root"]

        assert root["id"] == ROOT
        assert unit(unit(root, "Prod"), "Workloads")["id"] == WORKLOADS

    def test_accounts_sit_under_their_parent(self, scenario: dict[str, Any]) -> None:
        """Each account appears under the parent whose listing names it."""
        root = scenario["organization"]["root"]

        workloads = unit(unit(root, "Prod"), "Workloads")

        assert [a["id"] for a in root["accounts"]] == ["111111111111"]
        assert [a["id"] for a in workloads["accounts"]] == ["222222222222"]
        assert [a["id"] for a in unit(root, "Sandbox")["accounts"]] == ["333333333333"]

    def test_scps_are_attached_at_every_level(self, scenario: dict[str, Any]) -> None:
        """Root, OUs and accounts list the SCPs targeting them."""
        root = scenario["organization"]["root"]
        prod = unit(root, "Prod")

        assert root["scps"] == [FULL_ACCESS, "scp/DenyLeaveOrganization"]
        assert prod["scps"] == [FULL_ACCESS, "scp/RegionLock"]
        assert unit(prod, "Workloads")["accounts"][0]["scps"] == [FULL_ACCESS]

    def test_rcps_are_attached_at_every_level(self, scenario: dict[str, Any]) -> None:
        """An RCP attached to one OU appears there beside RCPFullAWSAccess."""
        root = scenario["organization"]["root"]

        workloads = unit(unit(root, "Prod"), "Workloads")

        assert root["rcps"] == [RCP_FULL_ACCESS]
        assert workloads["rcps"] == [RCP_FULL_ACCESS, "rcp/EnforceSecureTransport"]

    def test_policy_content_is_decoded_under_its_prefixed_name(
        self, scenario: dict[str, Any]
    ) -> None:
        """describe-policy Content, a JSON string, becomes the document."""
        document = scenario["policies"]["scp/RegionLock"]

        assert document["Statement"][0]["Sid"] == "DenyOutsideEU"
        assert set(scenario["policies"]) == {
            FULL_ACCESS,
            "scp/DenyLeaveOrganization",
            "scp/RegionLock",
            RCP_FULL_ACCESS,
            "rcp/EnforceSecureTransport",
        }


class TestPolicyTypes:
    def test_type_not_enabled_is_left_out(self, org_folder: Path) -> None:
        """Without RCPs enabled, no level has an rcps key and none are read."""
        set_policy_types(org_folder, ["SERVICE_CONTROL_POLICY"])

        scenario = import_organization(org_folder)

        root = scenario["organization"]["root"]
        assert "rcps" not in root
        assert "rcps" not in root["accounts"][0]
        assert not any(name.startswith("rcp/") for name in scenario["policies"])

    def test_no_enabled_types_gives_plain_account_ids(self, org_folder: Path) -> None:
        """With no control policies, accounts are bare ids."""
        set_policy_types(org_folder, [])

        scenario = import_organization(org_folder)

        assert scenario["organization"]["root"]["accounts"] == ["111111111111"]
        assert scenario["policies"] == {}


class TestErrors:
    def test_missing_parent_listing_names_the_file(self, org_folder: Path) -> None:
        """An OU without its accounts file is an incomplete export."""
        (org_folder / "accounts" / f"{SANDBOX}.json").unlink()

        with pytest.raises(InputError) as caught:
            import_organization(org_folder)

        assert caught.value.where == str(org_folder / "accounts" / f"{SANDBOX}.json")
        assert "export-organization.sh" in caught.value.hint

    def test_policy_target_outside_the_tree_is_an_error(self, org_folder: Path) -> None:
        """A policy attached to an OU the tree never reaches is reported."""
        path = org_folder / "policy-targets" / "p-7m2vq8zt.json"
        targets = read(path)
        targets["Targets"][0]["TargetId"] = "ou-ab12-99999999"
        write(path, targets)

        with pytest.raises(InputError) as caught:
            import_organization(org_folder)

        assert caught.value.where == f"{path}: Targets[0].TargetId"

    def test_malformed_content_names_file_and_json_path(self, org_folder: Path) -> None:
        """Content that is not JSON is located at Policy.Content."""
        path = org_folder / "policy-content" / "p-7m2vq8zt.json"
        content = read(path)
        content["Policy"]["Content"] = '{"Version": "2012-10-17",'
        write(path, content)

        with pytest.raises(InputError) as caught:
            import_organization(org_folder)

        assert caught.value.where == f"{path}: Policy.Content"

    def test_content_of_another_policy_is_rejected(self, org_folder: Path) -> None:
        """A describe-policy file must describe the policy it is named for."""
        folder = org_folder / "policy-content"
        write(folder / "p-7m2vq8zt.json", read(folder / "p-3k9dh2x1.json"))

        with pytest.raises(InputError, match="'p-3k9dh2x1', expected 'p-7m2vq8zt'"):
            import_organization(org_folder)

    def test_ou_listed_under_two_parents_is_an_error(self, org_folder: Path) -> None:
        """An OU reached twice is refused rather than duplicated."""
        ous = org_folder / "ous"
        sandbox = read(ous / f"{ROOT}.json")["OrganizationalUnits"][1]
        write(ous / f"{WORKLOADS}.json", {"OrganizationalUnits": [sandbox]})

        with pytest.raises(InputError, match="appears twice"):
            import_organization(org_folder)

    def test_account_listed_under_two_parents_is_an_error(
        self, org_folder: Path
    ) -> None:
        """An account belongs to exactly one parent."""
        accounts = org_folder / "accounts"
        write(accounts / f"{PROD}.json", read(accounts / f"{SANDBOX}.json"))

        with pytest.raises(InputError, match="'333333333333' appears twice"):
            import_organization(org_folder)

    def test_more_than_one_root_is_rejected(self, org_folder: Path) -> None:
        """An organization has exactly one root."""
        roots = read(org_folder / "roots.json")
        roots["Roots"].append(roots["Roots"][0])
        write(org_folder / "roots.json", roots)

        with pytest.raises(InputError, match="exactly one root"):
            import_organization(org_folder)

    def test_malformed_policy_id_is_refused_before_it_names_a_file(
        self, org_folder: Path
    ) -> None:
        """An id like '../x' never becomes part of a path."""
        path = org_folder / "policies" / "SERVICE_CONTROL_POLICY.json"
        listing = read(path)
        listing["Policies"][0]["Id"] = "../../etc/passwd"
        write(path, listing)

        with pytest.raises(InputError, match="malformed policy id"):
            import_organization(org_folder)

    def test_listing_of_the_wrong_type_is_rejected(self, org_folder: Path) -> None:
        """An RCP listing saved as the SCP listing is caught by its Type."""
        folder = org_folder / "policies"
        rcps = read(folder / "RESOURCE_CONTROL_POLICY.json")
        write(folder / "SERVICE_CONTROL_POLICY.json", rcps)

        with pytest.raises(InputError, match="expected policy type"):
            import_organization(org_folder)

    def test_missing_folder_is_an_input_error(self, tmp_path: Path) -> None:
        """A folder that does not exist is reported as such."""
        with pytest.raises(InputError, match="no such folder"):
            import_organization(tmp_path / "absent")
