"""Talking to a running endpoint: boto3 clients, raw signed requests, the AWS CLI.

Every request goes to 127.0.0.1 and nowhere else.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

import boto3
from botocore.config import Config

from iamsim.sigv4 import Credentials, HttpRequest, sign_request

REGION = "us-east-1"
#: No retries: a refusal must reach the test as it was sent.
NO_RETRY = Config(retries={"max_attempts": 1, "mode": "standard"})
CLI_TIMEOUT_SECONDS = 60


def client(
    endpoint_url: str,
    service: str,
    access_key_id: str,
    secret: str,
    token: str | None = None,
) -> Any:
    """A boto3 client signing with the given credentials."""
    return boto3.session.Session().client(
        service,
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=NO_RETRY,
    )


@dataclass(frozen=True)
class RawReply:
    status: int
    body: bytes

    @property
    def code(self) -> str:
        """The AWS error code of an XML or JSON error reply."""
        if self.body.startswith(b"{"):
            return str(json.loads(self.body)["__type"])
        root = ElementTree.fromstring(self.body)
        found = root.find(".//{*}Code")
        if found is None:
            found = root.find(".//Code")
        return "" if found is None or found.text is None else found.text

    @property
    def message(self) -> str:
        if self.body.startswith(b"{"):
            return str(json.loads(self.body)["message"])
        root = ElementTree.fromstring(self.body)
        found = root.find(".//{*}Message")
        return "" if found is None or found.text is None else found.text


def raw_call(
    endpoint_url: str,
    service: str,
    *,
    body: bytes,
    credentials: Credentials | None = None,
    now: datetime | None = None,
    target: str | None = None,
) -> RawReply:
    """POST ``body``, signed with ``credentials`` at ``now`` unless None."""
    host = urlsplit(endpoint_url).netloc
    content_type = (
        "application/x-amz-json-1.1"
        if target
        else "application/x-www-form-urlencoded; charset=utf-8"
    )
    headers = [("Host", host), ("Content-Type", content_type)]
    if target:
        headers.append(("X-Amz-Target", target))
    request = HttpRequest("POST", "/", "", headers, body)
    if credentials is not None:
        request = sign_request(
            request,
            credentials,
            region=REGION,
            service=service,
            now=now or datetime.now(UTC),
        ).request
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("POST", "/", body=body, headers=dict(request.headers))
        response = connection.getresponse()
        return RawReply(response.status, response.read())
    finally:
        connection.close()


def form(action: str, version: str, **params: str) -> bytes:
    return urlencode({"Action": action, "Version": version, **params}).encode()


def aws_cli(
    endpoint_url: str, access_key_id: str, secret: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run the AWS CLI against the endpoint with only these credentials."""
    executable = shutil.which("aws", path=str(Path(sys.executable).parent))
    assert executable is not None, "the aws CLI is not installed in this venv"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ACCESS_KEY_ID": access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "1",
    }
    return subprocess.run(
        [executable, "--endpoint-url", endpoint_url, "--output", "json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
        check=False,
    )
