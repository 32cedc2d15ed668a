"""Fixtures for the service tests: a fresh state in tmp_path and callers of it.

:class:`Harness` calls operations the way the server would, through the
:data:`~iamsim.services.api.OPERATIONS` registry, as the management account
root unless another caller is given. IAM users made by :meth:`Harness.user`
get an access key and the inline policies they are given, so a test can
call as them and see exactly what those policies allow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from iamsim.services.api import OPERATIONS, Call, Caller, Result, SessionInfo
from iamsim.services.backend import Bootstrap, StoreBackend, open_backend

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def policy(*statements: Mapping[str, Any]) -> str:
    """A policy document as JSON text, with the current version."""
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(
    action: str | list[str], resource: str | list[str] = "*", **extra: Any
) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(
    action: str | list[str], resource: str | list[str] = "*", **extra: Any
) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def trust(principal: Mapping[str, Any]) -> str:
    """A role trust policy letting ``principal`` call sts:AssumeRole."""
    return policy(
        {"Effect": "Allow", "Principal": dict(principal), "Action": "sts:AssumeRole"}
    )


@dataclass
class Harness:
    """A backend in a state directory, and ways to call it."""

    state_dir: Path
    backend: StoreBackend
    bootstrap: Bootstrap

    @property
    def account(self) -> str:
        return self.bootstrap.account_id

    @property
    def root(self) -> Caller:
        return self.root_of(self.account)

    def root_of(self, account: str) -> Caller:
        arn = f"arn:aws:iam::{account}:root"
        return Caller(arn, account, account, self.bootstrap.access_key_id)

    def call(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        caller: Caller | None = None,
        **call_fields: Any,
    ) -> Result:
        found = OPERATIONS.find(service, operation)
        assert found is not None, f"{service}:{operation} is not registered"
        fields = {
            "region": "us-east-1",
            "now": NOW,
            "request_id": "req-1",
            **call_fields,
        }
        request = Call(caller or self.root, service, operation, **fields)
        return found.handler(self.backend, request, dict(params or {}))

    def iam(
        self, operation: str, caller: Caller | None = None, **params: Any
    ) -> Result:
        return self.call("iam", operation, params, caller=caller)

    def orgs(
        self, operation: str, caller: Caller | None = None, **params: Any
    ) -> Result:
        return self.call("organizations", operation, params, caller=caller)

    def user(
        self,
        name: str,
        *documents: str,
        account: str | None = None,
        boundary: str | None = None,
    ) -> Caller:
        """Create user ``name`` with inline ``documents`` and a key; call as it."""
        root = self.root_of(account or self.account)
        params: dict[str, Any] = {"UserName": name}
        if boundary is not None:
            params["PermissionsBoundary"] = boundary
        created = self.iam("CreateUser", caller=root, **params)["User"]
        for index, document in enumerate(documents):
            self.iam(
                "PutUserPolicy",
                caller=root,
                UserName=name,
                PolicyName=f"p{index}",
                PolicyDocument=document,
            )
        key = self.iam("CreateAccessKey", caller=root, UserName=name)["AccessKey"]
        return Caller(
            created["Arn"], root.account, created["UserId"], key["AccessKeyId"]
        )

    def role_session(
        self,
        role_name: str,
        *,
        account: str | None = None,
        session_name: str = "session",
        policies: Sequence[str] = (),
        tags: Mapping[str, str] | None = None,
    ) -> Caller:
        """A caller speaking through a session of an existing role."""
        account = account or self.account
        role = self.iam("GetRole", caller=self.root_of(account), RoleName=role_name)[
            "Role"
        ]
        arn = f"arn:aws:sts::{account}:assumed-role/{role_name}/{session_name}"
        session = SessionInfo(
            kind="assumed-role",
            arn=arn,
            account=account,
            expires_at=NOW + timedelta(hours=1),
            role_arn=role["Arn"],
            session_name=session_name,
            tags=dict(tags or {}),
            policies=tuple(policies),
        )
        return Caller(
            arn, account, f"{role['RoleId']}:{session_name}", "ASIAEXAMPLE", session
        )

    def reopen(self) -> None:
        """Close this backend and open the same state again, as a restart does."""
        self.backend.close()
        self.backend, self.bootstrap = open_backend(self.state_dir)


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    """A new state: an organization with SCPs enabled and its management account."""
    backend, bootstrap = open_backend(tmp_path / "state")
    opened = Harness(tmp_path / "state", backend, bootstrap)
    yield opened
    opened.backend.close()
