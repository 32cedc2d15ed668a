"""``iamsim serve`` and ``iamsim trail export``, run in-process."""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

import iamsim.server as server
from iamsim.cli import serve, trail
from iamsim.testing import running_endpoint


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="iamsim")
    commands = parser.add_subparsers(dest="command")
    serve.register(commands)
    trail.register(commands)
    return parser.parse_args(argv)


def test_serve_prints_endpoint_key_id_and_secret_path_but_never_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Starting the server shows how to connect without printing the secret."""
    served: list[tuple[Any, str, int]] = []
    monkeypatch.setattr(
        server,
        "serve",
        lambda backend, host, port: served.append((backend, host, port)),
    )
    monkeypatch.delenv(serve.KEY_ID_VARIABLE, raising=False)
    monkeypatch.delenv(serve.SECRET_VARIABLE, raising=False)
    args = _parse("serve", "--state", str(tmp_path / "state"), "--port", "4700")

    status = args.run(args)

    output = capsys.readouterr().out
    secret_file = tmp_path / "state" / "root-credentials.json"
    saved = json.loads(secret_file.read_text())
    assert status == 0
    assert served[0][1:] == ("127.0.0.1", 4700)
    assert "iamsim endpoint: http://127.0.0.1:4700" in output
    assert saved["AccessKeyId"] in output
    assert str(secret_file) in output
    assert saved["SecretAccessKey"] not in output


def test_serve_takes_the_root_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """IAMSIM_ROOT_ACCESS_KEY_ID and its secret fix the root key."""
    monkeypatch.setattr(server, "serve", lambda backend, host, port: None)
    monkeypatch.setenv(serve.KEY_ID_VARIABLE, "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv(
        serve.SECRET_VARIABLE, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    args = _parse("serve", "--state", str(tmp_path))

    args.run(args)

    output = capsys.readouterr().out
    assert "root access key id: AKIAIOSFODNN7EXAMPLE" in output
    assert "wJalrXUtnFEMI" not in output


def test_trail_export_writes_the_served_calls_as_log_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every recorded call lands in a CloudTrail log file under AWSLogs/."""
    state = tmp_path / "state"
    with running_endpoint(state) as endpoint:
        endpoint.client("iam").create_user(UserName="erin")
        endpoint.client("sts").get_caller_identity()
    args = _parse("trail", "export", str(tmp_path / "out"), "--state", str(state))

    status = args.run(args)

    files = sorted((tmp_path / "out" / "AWSLogs").rglob("*.json.gz"))
    names = [
        record["eventName"]
        for path in files
        for record in json.loads(gzip.decompress(path.read_bytes()))["Records"]
    ]
    assert status == 0
    assert sorted(names) == ["CreateUser", "GetCallerIdentity"]
    assert "2 records" in capsys.readouterr().out


def test_trail_export_refuses_a_missing_state(tmp_path: Path) -> None:
    """Exporting from a directory that holds no state is an input error."""
    args = _parse("trail", "export", str(tmp_path / "out"), "--state", "nowhere")

    with pytest.raises(Exception, match="no iamsim state here"):
        args.run(args)
