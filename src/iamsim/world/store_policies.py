"""Reads and writes of managed policies, their versions, attachments, inline
policies and permissions boundaries.

Like :mod:`iamsim.world.store_iam`, these functions take an open connection
and check no AWS rule; the services do. Imports only the store's own modules.
"""

from __future__ import annotations

from sqlite3 import Connection

from iamsim.world.store_rows import (
    EntityKind,
    InlinePolicyRow,
    ManagedPolicyRow,
    PolicyVersionRow,
    tags_text,
    time_text,
)

# Managed policies


def insert_policy(db: Connection, row: ManagedPolicyRow) -> None:
    db.execute(
        "INSERT INTO managed_policies (arn, account, name, path, id, created, "
        "updated, description, default_version, next_version, tags) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.arn,
            row.account,
            row.name,
            row.path,
            row.id,
            time_text(row.created),
            time_text(row.updated),
            row.description,
            row.default_version,
            row.next_version,
            tags_text(row.tags),
        ),
    )


def get_policy(db: Connection, arn: str) -> ManagedPolicyRow | None:
    row = db.execute("SELECT * FROM managed_policies WHERE arn = ?", (arn,)).fetchone()
    return None if row is None else ManagedPolicyRow.of(row)


def policy_named(db: Connection, account: str, name: str) -> ManagedPolicyRow | None:
    row = db.execute(
        "SELECT * FROM managed_policies WHERE account = ? AND name = ?",
        (account, name),
    ).fetchone()
    return None if row is None else ManagedPolicyRow.of(row)


def list_policies(
    db: Connection, owners: tuple[str, ...], path_prefix: str = "/"
) -> list[ManagedPolicyRow]:
    """Policies owned by any of ``owners`` (account ids or ``"aws"``), by name."""
    marks = ", ".join("?" for _ in owners)
    rows = db.execute(
        f"SELECT * FROM managed_policies WHERE account IN ({marks}) "
        "AND substr(path, 1, ?) = ? ORDER BY name COLLATE NOCASE, arn",
        (*owners, len(path_prefix), path_prefix),
    ).fetchall()
    return [ManagedPolicyRow.of(row) for row in rows]


def set_policy_versioning(
    db: Connection,
    arn: str,
    *,
    default_version: str,
    next_version: int,
    updated: str,
) -> None:
    db.execute(
        "UPDATE managed_policies SET default_version = ?, next_version = ?, "
        "updated = ? WHERE arn = ?",
        (default_version, next_version, updated, arn),
    )


def delete_policy(db: Connection, arn: str) -> None:
    """Delete a policy and all its versions."""
    db.execute("DELETE FROM policy_versions WHERE policy_arn = ?", (arn,))
    db.execute("DELETE FROM managed_policies WHERE arn = ?", (arn,))


def insert_version(db: Connection, row: PolicyVersionRow) -> None:
    db.execute(
        "INSERT INTO policy_versions (policy_arn, version_id, document, created) "
        "VALUES (?, ?, ?, ?)",
        (row.policy_arn, row.version_id, row.document, time_text(row.created)),
    )


def get_version(db: Connection, arn: str, version_id: str) -> PolicyVersionRow | None:
    row = db.execute(
        "SELECT * FROM policy_versions WHERE policy_arn = ? AND version_id = ?",
        (arn, version_id),
    ).fetchone()
    return None if row is None else PolicyVersionRow.of(row)


def list_versions(db: Connection, arn: str) -> list[PolicyVersionRow]:
    """Versions newest first, as ListPolicyVersions returns them."""
    rows = db.execute(
        "SELECT * FROM policy_versions WHERE policy_arn = ? "
        "ORDER BY CAST(substr(version_id, 2) AS INTEGER) DESC",
        (arn,),
    ).fetchall()
    return [PolicyVersionRow.of(row) for row in rows]


def delete_version(db: Connection, arn: str, version_id: str) -> None:
    db.execute(
        "DELETE FROM policy_versions WHERE policy_arn = ? AND version_id = ?",
        (arn, version_id),
    )


def default_document(db: Connection, arn: str) -> str | None:
    """The default version's document of the policy ``arn``, if it exists."""
    row = db.execute(
        "SELECT v.document FROM policy_versions v JOIN managed_policies p "
        "ON p.arn = v.policy_arn AND p.default_version = v.version_id "
        "WHERE p.arn = ?",
        (arn,),
    ).fetchone()
    return None if row is None else str(row[0])


# Attachments


def attach(db: Connection, account: str, kind: EntityKind, name: str, arn: str) -> None:
    """Attach ``arn`` to the entity; attaching twice changes nothing."""
    db.execute(
        "INSERT OR IGNORE INTO attachments "
        "(account, entity_kind, entity_name, policy_arn, seq) VALUES (?, ?, ?, ?, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM attachments))",
        (account, kind.value, name, arn),
    )


def detach(db: Connection, account: str, kind: EntityKind, name: str, arn: str) -> bool:
    """Detach ``arn``; False when it was not attached."""
    cursor = db.execute(
        "DELETE FROM attachments WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ? AND policy_arn = ?",
        (account, kind.value, name, arn),
    )
    return cursor.rowcount > 0


def attached_arns(
    db: Connection, account: str, kind: EntityKind, name: str
) -> list[str]:
    rows = db.execute(
        "SELECT policy_arn FROM attachments WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ? ORDER BY seq",
        (account, kind.value, name),
    ).fetchall()
    return [str(row[0]) for row in rows]


def attachment_count(db: Connection, arn: str) -> int:
    row = db.execute(
        "SELECT count(*) FROM attachments WHERE policy_arn = ?", (arn,)
    ).fetchone()
    return int(row[0])


def attached_anywhere(db: Connection, account: str) -> set[str]:
    """The ARNs of every policy attached to some entity of ``account``."""
    rows = db.execute(
        "SELECT DISTINCT policy_arn FROM attachments WHERE account = ?", (account,)
    ).fetchall()
    return {str(row[0]) for row in rows}


# Inline policies


def put_inline(db: Connection, row: InlinePolicyRow) -> None:
    """Create or replace an inline policy, keeping its place when replaced."""
    db.execute(
        "INSERT INTO inline_policies "
        "(account, entity_kind, entity_name, policy_name, document, seq) "
        "VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 "
        "FROM inline_policies)) "
        "ON CONFLICT (account, entity_kind, entity_name, policy_name) "
        "DO UPDATE SET document = excluded.document",
        (
            row.account,
            row.entity_kind.value,
            row.entity_name,
            row.policy_name,
            row.document,
        ),
    )


def get_inline(
    db: Connection, account: str, kind: EntityKind, entity: str, name: str
) -> InlinePolicyRow | None:
    row = db.execute(
        "SELECT * FROM inline_policies WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ? AND policy_name = ?",
        (account, kind.value, entity, name),
    ).fetchone()
    return None if row is None else InlinePolicyRow.of(row)


def list_inline(
    db: Connection, account: str, kind: EntityKind, entity: str
) -> list[InlinePolicyRow]:
    rows = db.execute(
        "SELECT * FROM inline_policies WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ? ORDER BY seq",
        (account, kind.value, entity),
    ).fetchall()
    return [InlinePolicyRow.of(row) for row in rows]


def delete_inline(
    db: Connection, account: str, kind: EntityKind, entity: str, name: str
) -> bool:
    cursor = db.execute(
        "DELETE FROM inline_policies WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ? AND policy_name = ?",
        (account, kind.value, entity, name),
    )
    return cursor.rowcount > 0


# Permissions boundaries


def set_boundary(
    db: Connection, account: str, kind: EntityKind, name: str, arn: str
) -> None:
    db.execute(
        "INSERT INTO permissions_boundaries "
        "(account, entity_kind, entity_name, policy_arn) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (account, entity_kind, entity_name) "
        "DO UPDATE SET policy_arn = excluded.policy_arn",
        (account, kind.value, name, arn),
    )


def get_boundary(
    db: Connection, account: str, kind: EntityKind, name: str
) -> str | None:
    row = db.execute(
        "SELECT policy_arn FROM permissions_boundaries WHERE account = ? "
        "AND entity_kind = ? AND entity_name = ?",
        (account, kind.value, name),
    ).fetchone()
    return None if row is None else str(row[0])


def delete_boundary(db: Connection, account: str, kind: EntityKind, name: str) -> bool:
    cursor = db.execute(
        "DELETE FROM permissions_boundaries WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ?",
        (account, kind.value, name),
    )
    return cursor.rowcount > 0


def boundary_usage_count(db: Connection, arn: str) -> int:
    row = db.execute(
        "SELECT count(*) FROM permissions_boundaries WHERE policy_arn = ?", (arn,)
    ).fetchone()
    return int(row[0])
