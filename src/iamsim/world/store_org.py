"""Reads and writes of the organization: roots, OUs, member accounts,
organization policies (SCPs, RCPs), their attachments and account requests.

The store holds at most one organization. Functions take an open connection
and check no AWS rule; the Organizations service does. Imports only
iamsim.world.references and the store's own modules.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from sqlite3 import Connection

from iamsim.world.references import (
    BUILTIN_POLICIES,
    FULL_AWS_ACCESS,
    RCP_FULL_AWS_ACCESS,
)
from iamsim.world.store_rows import (
    TagPairs,
    parse_strings,
    parse_tags,
    parse_time,
    strings_text,
    tags_text,
    time_text,
)


@dataclass(frozen=True, slots=True)
class OrganizationRow:
    id: str
    management_account: str
    feature_set: str
    created: datetime


@dataclass(frozen=True, slots=True)
class RootRow:
    """The root; ``policy_types`` lists the types enabled in it."""

    id: str
    name: str
    policy_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgUnitRow:
    id: str
    parent_id: str
    name: str
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> OrgUnitRow:
        return cls(row["id"], row["parent_id"], row["name"], parse_tags(row["tags"]))


@dataclass(frozen=True, slots=True)
class OrgAccountRow:
    """A member account's place; ``joined_method`` is CREATED or INVITED."""

    account_id: str
    parent_id: str
    joined_method: str
    joined: datetime
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> OrgAccountRow:
        return cls(
            row["account_id"],
            row["parent_id"],
            row["joined_method"],
            parse_time(row["joined"]),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class OrgPolicyRow:
    """An organization policy; ``type`` is e.g. ``SERVICE_CONTROL_POLICY``."""

    id: str
    type: str
    name: str
    description: str
    content: str
    aws_managed: bool = False
    tags: TagPairs = ()

    @classmethod
    def of(cls, row: sqlite3.Row) -> OrgPolicyRow:
        return cls(
            row["id"],
            row["type"],
            row["name"],
            row["description"],
            row["content"],
            bool(row["aws_managed"]),
            parse_tags(row["tags"]),
        )


@dataclass(frozen=True, slots=True)
class CreateAccountRow:
    id: str
    account_name: str
    account_id: str | None
    state: str
    requested: datetime
    completed: datetime | None = None
    failure_reason: str | None = None


# The organization and its root


def get_organization(db: Connection) -> OrganizationRow | None:
    row = db.execute("SELECT * FROM organization").fetchone()
    if row is None:
        return None
    return OrganizationRow(
        row["id"],
        row["management_account"],
        row["feature_set"],
        parse_time(row["created"]),
    )


def insert_organization(db: Connection, row: OrganizationRow) -> None:
    db.execute(
        "INSERT INTO organization (id, management_account, feature_set, created) "
        "VALUES (?, ?, ?, ?)",
        (row.id, row.management_account, row.feature_set, time_text(row.created)),
    )


def insert_root(db: Connection, row: RootRow) -> None:
    db.execute(
        "INSERT INTO org_roots (id, name, policy_types) VALUES (?, ?, ?)",
        (row.id, row.name, strings_text(row.policy_types)),
    )


def list_roots(db: Connection) -> list[RootRow]:
    rows = db.execute("SELECT * FROM org_roots ORDER BY id").fetchall()
    return [
        RootRow(row["id"], row["name"], parse_strings(row["policy_types"]))
        for row in rows
    ]


def get_root(db: Connection, root_id: str) -> RootRow | None:
    return next((root for root in list_roots(db) if root.id == root_id), None)


def set_root_policy_types(db: Connection, root_id: str, types: tuple[str, ...]) -> None:
    db.execute(
        "UPDATE org_roots SET policy_types = ? WHERE id = ?",
        (strings_text(types), root_id),
    )


# Organizational units


def insert_unit(db: Connection, row: OrgUnitRow) -> None:
    db.execute(
        "INSERT INTO org_units (id, parent_id, name, seq, tags) VALUES (?, ?, ?, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM org_units), ?)",
        (row.id, row.parent_id, row.name, tags_text(row.tags)),
    )


def get_unit(db: Connection, unit_id: str) -> OrgUnitRow | None:
    row = db.execute("SELECT * FROM org_units WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else OrgUnitRow.of(row)


def units_under(db: Connection, parent_id: str) -> list[OrgUnitRow]:
    rows = db.execute(
        "SELECT * FROM org_units WHERE parent_id = ? ORDER BY seq", (parent_id,)
    ).fetchall()
    return [OrgUnitRow.of(row) for row in rows]


def all_units(db: Connection) -> list[OrgUnitRow]:
    rows = db.execute("SELECT * FROM org_units ORDER BY seq").fetchall()
    return [OrgUnitRow.of(row) for row in rows]


# Member accounts


def insert_member(db: Connection, row: OrgAccountRow) -> None:
    db.execute(
        "INSERT INTO org_accounts (account_id, parent_id, joined_method, joined, "
        "seq, tags) VALUES (?, ?, ?, ?, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM org_accounts), ?)",
        (
            row.account_id,
            row.parent_id,
            row.joined_method,
            time_text(row.joined),
            tags_text(row.tags),
        ),
    )


def get_member(db: Connection, account_id: str) -> OrgAccountRow | None:
    row = db.execute(
        "SELECT * FROM org_accounts WHERE account_id = ?", (account_id,)
    ).fetchone()
    return None if row is None else OrgAccountRow.of(row)


def members(db: Connection, parent_id: str | None = None) -> list[OrgAccountRow]:
    """Member accounts under ``parent_id``, or all of them, in joining order."""
    if parent_id is None:
        rows = db.execute("SELECT * FROM org_accounts ORDER BY seq").fetchall()
    else:
        rows = db.execute(
            "SELECT * FROM org_accounts WHERE parent_id = ? ORDER BY seq",
            (parent_id,),
        ).fetchall()
    return [OrgAccountRow.of(row) for row in rows]


def move_member(db: Connection, account_id: str, parent_id: str) -> None:
    db.execute(
        "UPDATE org_accounts SET parent_id = ? WHERE account_id = ?",
        (parent_id, account_id),
    )


# Organization policies


def insert_org_policy(db: Connection, row: OrgPolicyRow) -> None:
    db.execute(
        "INSERT INTO org_policies (id, type, name, description, content, "
        "aws_managed, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            row.id,
            row.type,
            row.name,
            row.description,
            row.content,
            int(row.aws_managed),
            tags_text(row.tags),
        ),
    )


def get_org_policy(db: Connection, policy_id: str) -> OrgPolicyRow | None:
    row = db.execute("SELECT * FROM org_policies WHERE id = ?", (policy_id,)).fetchone()
    return None if row is None else OrgPolicyRow.of(row)


def org_policies(db: Connection, policy_type: str) -> list[OrgPolicyRow]:
    """Policies of ``policy_type``, AWS managed first, then by name."""
    rows = db.execute(
        "SELECT * FROM org_policies WHERE type = ? ORDER BY aws_managed DESC, name, id",
        (policy_type,),
    ).fetchall()
    return [OrgPolicyRow.of(row) for row in rows]


def update_org_policy(db: Connection, row: OrgPolicyRow) -> None:
    db.execute(
        "UPDATE org_policies SET name = ?, description = ?, content = ? WHERE id = ?",
        (row.name, row.description, row.content, row.id),
    )


def delete_org_policy(db: Connection, policy_id: str) -> None:
    db.execute("DELETE FROM org_policies WHERE id = ?", (policy_id,))


def attach_org_policy(db: Connection, policy_id: str, target_id: str) -> None:
    db.execute(
        "INSERT INTO org_attachments (policy_id, target_id, seq) VALUES (?, ?, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM org_attachments))",
        (policy_id, target_id),
    )


def detach_org_policy(db: Connection, policy_id: str, target_id: str) -> bool:
    cursor = db.execute(
        "DELETE FROM org_attachments WHERE policy_id = ? AND target_id = ?",
        (policy_id, target_id),
    )
    return cursor.rowcount > 0


def policies_for_target(
    db: Connection, target_id: str, policy_type: str | None = None
) -> list[OrgPolicyRow]:
    """Policies attached directly to ``target_id``, in attachment order."""
    sql = (
        "SELECT p.* FROM org_policies p JOIN org_attachments a "
        "ON a.policy_id = p.id WHERE a.target_id = ?"
    )
    params: tuple[str, ...] = (target_id,)
    if policy_type is not None:
        sql += " AND p.type = ?"
        params = (target_id, policy_type)
    rows = db.execute(sql + " ORDER BY a.seq", params).fetchall()
    return [OrgPolicyRow.of(row) for row in rows]


def targets_for_policy(db: Connection, policy_id: str) -> list[str]:
    rows = db.execute(
        "SELECT target_id FROM org_attachments WHERE policy_id = ? ORDER BY seq",
        (policy_id,),
    ).fetchall()
    return [str(row[0]) for row in rows]


def detach_all_of_type(db: Connection, policy_type: str) -> None:
    db.execute(
        "DELETE FROM org_attachments WHERE policy_id IN "
        "(SELECT id FROM org_policies WHERE type = ?)",
        (policy_type,),
    )


# Account creation requests


def insert_create_account(db: Connection, row: CreateAccountRow) -> None:
    db.execute(
        "INSERT INTO create_account_requests (id, account_name, account_id, state, "
        "requested, completed, failure_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            row.id,
            row.account_name,
            row.account_id,
            row.state,
            time_text(row.requested),
            None if row.completed is None else time_text(row.completed),
            row.failure_reason,
        ),
    )


def get_create_account(db: Connection, request_id: str) -> CreateAccountRow | None:
    row = db.execute(
        "SELECT * FROM create_account_requests WHERE id = ?", (request_id,)
    ).fetchone()
    if row is None:
        return None
    completed = row["completed"]
    return CreateAccountRow(
        row["id"],
        row["account_name"],
        row["account_id"],
        row["state"],
        parse_time(row["requested"]),
        None if completed is None else parse_time(completed),
        row["failure_reason"],
    )


# AWS managed policies

FULL_ACCESS_SCP_ID = "p-FullAWSAccess"
FULL_ACCESS_RCP_ID = "p-RCPFullAWSAccess"


def ensure_aws_managed_policies(db: Connection) -> None:
    """Store AWS's ``FullAWSAccess`` SCP and ``RCPFullAWSAccess`` RCP once.

    Their documents are those "AWS managed SCPs" and "AWS managed RCPs" (AWS
    Organizations User Guide) give: allow every action on every resource.
    """
    builtins = (
        (FULL_ACCESS_SCP_ID, "SERVICE_CONTROL_POLICY", FULL_AWS_ACCESS, _SCP_TEXT),
        (
            FULL_ACCESS_RCP_ID,
            "RESOURCE_CONTROL_POLICY",
            RCP_FULL_AWS_ACCESS,
            _RCP_TEXT,
        ),
    )
    for policy_id, policy_type, name, description in builtins:
        if get_org_policy(db, policy_id) is None:
            content = json.dumps(BUILTIN_POLICIES[name], indent=4)
            insert_org_policy(
                db,
                OrgPolicyRow(policy_id, policy_type, name, description, content, True),
            )


_SCP_TEXT = "Allows access to every operation"
_RCP_TEXT = "Allows access to every resource"
