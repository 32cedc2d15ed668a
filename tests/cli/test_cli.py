"""The ``iamsim`` command, run in-process: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from iamsim.cli.main import main

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"

PASSING = """
policies:
  ReadAll: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
accounts:
  "222222222222":
    users:
      alice: {policies: [ReadAll]}
requests:
  - name: alice reads
    principal: arn:aws:iam::222222222222:user/alice
    action: s3:GetObject
    resource: arn:aws:s3:::data/x
    expect: Allow
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_passes_on_the_bundled_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Every example's expectations hold, so check exits 0."""
    code = main(["check", str(EXAMPLES)])

    assert code == 0
    assert " 0 failed" in capsys.readouterr().out


def test_check_exits_1_when_an_expectation_differs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A request whose decision differs from expect fails the run."""
    path = write(tmp_path, PASSING.replace("expect: Allow", "expect: Deny"))

    code = main(["check", str(path)])

    output = capsys.readouterr().out
    assert code == 1
    assert "FAIL alice reads" in output
    assert "expected Deny" in output


def test_check_exits_2_on_unusable_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A scenario with a mistake is refused with its place, not a traceback."""
    path = write(tmp_path, PASSING.replace("policies: [ReadAll]", "policies: [ReadAl]"))

    code = main(["check", str(path)])

    error = capsys.readouterr().err
    assert code == 2
    assert "s.yaml" in error
    assert "ReadAl" in error
    assert "Traceback" not in error


def test_check_json_reports_each_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format json gives every request with its decision and trace."""
    path = write(tmp_path, PASSING)

    code = main(["check", str(path), "--format", "json"])

    document = json.loads(capsys.readouterr().out)
    assert code == 0
    record = document["requests"][0]
    assert record["decision"]["effect"] == "Allow"
    assert record["passed"] is True


def test_check_junit_marks_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--format junit writes a failure element for a differing request."""
    path = write(tmp_path, PASSING.replace("expect: Allow", "expect: ExplicitDeny"))

    code = main(["check", str(path), "--format", "junit"])

    tree = ElementTree.fromstring(capsys.readouterr().out.split("\n", 1)[1])
    assert code == 1
    assert tree.find("testsuite/testcase/failure") is not None


def test_explain_prints_every_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """explain names each gate and the statements that matched."""
    path = write(tmp_path, PASSING)

    code = main(["explain", str(path)])

    output = capsys.readouterr().out
    assert code == 0
    assert "identity-based policy allows" in output
    assert "ReadAll/statement 0" in output


def test_explain_ad_hoc_request_is_denied_with_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An ad hoc request outside the grant exits 1 with AWS's wording."""
    path = write(tmp_path, PASSING)

    code = main(
        [
            "explain",
            str(path),
            "--principal",
            "arn:aws:iam::222222222222:user/alice",
            "--action",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::data/x",
        ]
    )

    output = capsys.readouterr().out
    assert code == 1
    assert "because no identity-based policy allows the s3:PutObject action" in output


def test_explain_unknown_request_name_suggests_a_close_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped request name gets a did-you-mean hint."""
    path = write(tmp_path, PASSING)

    code = main(["explain", str(path), "--request", "alice read"])

    assert code == 2
    assert "did you mean 'alice reads'?" in capsys.readouterr().err


def test_validate_reports_bad_policy_with_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate exits 1 and names the statement and line of the mistake."""
    path = write(
        tmp_path,
        '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Allow", '
        '"Action": "s3:GetObject"}]}',
        "p.json",
    )

    code = main(["validate", str(path)])

    output = capsys.readouterr().out
    assert code == 1
    assert "Statement[0]" in output
    assert "no Resource or NotResource" in output


def test_import_writes_a_scenario_that_check_can_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Imported exports become a scenario file the other commands accept."""
    auth = sorted((EXPORTS / "authorization-details").glob("*.json"))
    out = tmp_path / "world.yaml"

    code = main(
        [
            "import",
            *[a for f in auth for a in ("--authorization-details", str(f))],
            "--organization",
            str(EXPORTS / "organization"),
            "-o",
            str(out),
        ]
    )

    assert code == 0
    assert out.exists()
    assert main(["check", str(out)]) == 0


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Running iamsim without a command shows usage."""
    code = main([])

    assert code == 2
    assert "usage" in capsys.readouterr().out
