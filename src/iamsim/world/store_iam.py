"""Reads and writes of accounts, users, groups, roles, keys, profiles, providers.

Every function takes the connection of an open transaction or snapshot (see
:class:`iamsim.world.store.Store`) and does no checking of AWS's rules: the
services check first, then write. Names are matched without case, as the
schema declares. Renaming a user carries its memberships, policies,
boundary and keys along.

Imports only the store's own modules.
"""

from __future__ import annotations

from sqlite3 import Connection

from iamsim.world.store_rows import (
    AccessKeyRow,
    AccountRow,
    EntityKind,
    GroupRow,
    InstanceProfileRow,
    OidcProviderRow,
    RoleRow,
    SamlProviderRow,
    TagPairs,
    UserRow,
    parse_tags,
    strings_text,
    tags_text,
    time_text,
)

# Accounts


def insert_account(db: Connection, row: AccountRow) -> None:
    db.execute(
        "INSERT INTO accounts (id, partition, name, email, created) "
        "VALUES (?, ?, ?, ?, ?)",
        (row.id, row.partition, row.name, row.email, time_text(row.created)),
    )


def get_account(db: Connection, account_id: str) -> AccountRow | None:
    row = db.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else AccountRow.of(row)


def list_accounts(db: Connection) -> list[AccountRow]:
    rows = db.execute("SELECT * FROM accounts ORDER BY created, id").fetchall()
    return [AccountRow.of(row) for row in rows]


def account_by_email(db: Connection, email: str) -> AccountRow | None:
    row = db.execute(
        "SELECT * FROM accounts WHERE lower(email) = lower(?)", (email,)
    ).fetchone()
    return None if row is None else AccountRow.of(row)


# Users


def insert_user(db: Connection, row: UserRow) -> None:
    db.execute(
        "INSERT INTO users (account, name, path, id, created, tags) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            row.account,
            row.name,
            row.path,
            row.id,
            time_text(row.created),
            tags_text(row.tags),
        ),
    )


def get_user(db: Connection, account: str, name: str) -> UserRow | None:
    row = db.execute(
        "SELECT * FROM users WHERE account = ? AND name = ?", (account, name)
    ).fetchone()
    return None if row is None else UserRow.of(row)


def list_users(db: Connection, account: str, path_prefix: str = "/") -> list[UserRow]:
    rows = db.execute(
        "SELECT * FROM users WHERE account = ? AND substr(path, 1, ?) = ? "
        "ORDER BY name COLLATE NOCASE",
        (account, len(path_prefix), path_prefix),
    ).fetchall()
    return [UserRow.of(row) for row in rows]


def rename_user(
    db: Connection, account: str, name: str, new_name: str, new_path: str
) -> None:
    """Rename or move a user, carrying everything that names it."""
    db.execute(
        "UPDATE users SET name = ?, path = ? WHERE account = ? AND name = ?",
        (new_name, new_path, account, name),
    )
    db.execute(
        "UPDATE group_members SET user_name = ? WHERE account = ? AND user_name = ?",
        (new_name, account, name),
    )
    db.execute(
        "UPDATE access_keys SET user_name = ? WHERE account = ? AND user_name = ?",
        (new_name, account, name),
    )
    for table in ("attachments", "inline_policies", "permissions_boundaries"):
        db.execute(
            f"UPDATE {table} SET entity_name = ? "
            "WHERE account = ? AND entity_kind = 'user' AND entity_name = ?",
            (new_name, account, name),
        )


def set_user_tags(db: Connection, account: str, name: str, tags: TagPairs) -> None:
    db.execute(
        "UPDATE users SET tags = ? WHERE account = ? AND name = ?",
        (tags_text(tags), account, name),
    )


def delete_user(db: Connection, account: str, name: str) -> None:
    """Delete a user and its permissions boundary (the rest must be gone)."""
    _delete_boundary(db, account, EntityKind.USER, name)
    db.execute("DELETE FROM users WHERE account = ? AND name = ?", (account, name))


# Groups


def insert_group(db: Connection, row: GroupRow) -> None:
    db.execute(
        "INSERT INTO iam_groups (account, name, path, id, created) "
        "VALUES (?, ?, ?, ?, ?)",
        (row.account, row.name, row.path, row.id, time_text(row.created)),
    )


def get_group(db: Connection, account: str, name: str) -> GroupRow | None:
    row = db.execute(
        "SELECT * FROM iam_groups WHERE account = ? AND name = ?", (account, name)
    ).fetchone()
    return None if row is None else GroupRow.of(row)


def list_groups(db: Connection, account: str, path_prefix: str = "/") -> list[GroupRow]:
    rows = db.execute(
        "SELECT * FROM iam_groups WHERE account = ? AND substr(path, 1, ?) = ? "
        "ORDER BY name COLLATE NOCASE",
        (account, len(path_prefix), path_prefix),
    ).fetchall()
    return [GroupRow.of(row) for row in rows]


def delete_group(db: Connection, account: str, name: str) -> None:
    db.execute("DELETE FROM iam_groups WHERE account = ? AND name = ?", (account, name))


def add_member(db: Connection, account: str, group: str, user: str) -> None:
    """Add ``user`` to ``group``; adding a member twice changes nothing."""
    db.execute(
        "INSERT OR IGNORE INTO group_members (account, group_name, user_name, seq) "
        "VALUES (?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM group_members))",
        (account, group, user),
    )


def remove_member(db: Connection, account: str, group: str, user: str) -> bool:
    """Remove ``user`` from ``group``; False when it was not a member."""
    cursor = db.execute(
        "DELETE FROM group_members WHERE account = ? AND group_name = ? "
        "AND user_name = ?",
        (account, group, user),
    )
    return cursor.rowcount > 0


def group_members(db: Connection, account: str, group: str) -> list[UserRow]:
    rows = db.execute(
        "SELECT u.* FROM users u JOIN group_members m "
        "ON m.account = u.account AND m.user_name = u.name "
        "WHERE m.account = ? AND m.group_name = ? ORDER BY m.seq",
        (account, group),
    ).fetchall()
    return [UserRow.of(row) for row in rows]


def groups_of_user(db: Connection, account: str, user: str) -> list[GroupRow]:
    rows = db.execute(
        "SELECT g.* FROM iam_groups g JOIN group_members m "
        "ON m.account = g.account AND m.group_name = g.name "
        "WHERE m.account = ? AND m.user_name = ? ORDER BY m.seq",
        (account, user),
    ).fetchall()
    return [GroupRow.of(row) for row in rows]


# Roles


def insert_role(db: Connection, row: RoleRow) -> None:
    db.execute(
        "INSERT INTO roles (account, name, path, id, created, trust_policy, "
        "description, max_session_duration, service_linked, tags) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.account,
            row.name,
            row.path,
            row.id,
            time_text(row.created),
            row.trust_policy,
            row.description,
            row.max_session_duration,
            int(row.service_linked),
            tags_text(row.tags),
        ),
    )


def get_role(db: Connection, account: str, name: str) -> RoleRow | None:
    row = db.execute(
        "SELECT * FROM roles WHERE account = ? AND name = ?", (account, name)
    ).fetchone()
    return None if row is None else RoleRow.of(row)


def list_roles(db: Connection, account: str, path_prefix: str = "/") -> list[RoleRow]:
    rows = db.execute(
        "SELECT * FROM roles WHERE account = ? AND substr(path, 1, ?) = ? "
        "ORDER BY name COLLATE NOCASE",
        (account, len(path_prefix), path_prefix),
    ).fetchall()
    return [RoleRow.of(row) for row in rows]


def update_role(
    db: Connection,
    account: str,
    name: str,
    *,
    description: str | None,
    max_session_duration: int,
) -> None:
    db.execute(
        "UPDATE roles SET description = ?, max_session_duration = ? "
        "WHERE account = ? AND name = ?",
        (description, max_session_duration, account, name),
    )


def set_trust_policy(db: Connection, account: str, name: str, document: str) -> None:
    db.execute(
        "UPDATE roles SET trust_policy = ? WHERE account = ? AND name = ?",
        (document, account, name),
    )


def set_role_tags(db: Connection, account: str, name: str, tags: TagPairs) -> None:
    db.execute(
        "UPDATE roles SET tags = ? WHERE account = ? AND name = ?",
        (tags_text(tags), account, name),
    )


def delete_role(db: Connection, account: str, name: str) -> None:
    """Delete a role and its permissions boundary (the rest must be gone)."""
    _delete_boundary(db, account, EntityKind.ROLE, name)
    db.execute("DELETE FROM roles WHERE account = ? AND name = ?", (account, name))


def _delete_boundary(db: Connection, account: str, kind: EntityKind, name: str) -> None:
    db.execute(
        "DELETE FROM permissions_boundaries WHERE account = ? AND entity_kind = ? "
        "AND entity_name = ?",
        (account, kind.value, name),
    )


# Access keys


def insert_access_key(db: Connection, row: AccessKeyRow) -> None:
    db.execute(
        "INSERT INTO access_keys (id, secret, account, user_name, status, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            row.id,
            row.secret,
            row.account,
            row.user_name,
            row.status,
            time_text(row.created),
        ),
    )


def get_access_key(db: Connection, key_id: str) -> AccessKeyRow | None:
    row = db.execute("SELECT * FROM access_keys WHERE id = ?", (key_id,)).fetchone()
    return None if row is None else AccessKeyRow.of(row)


def access_keys_of(
    db: Connection, account: str, user_name: str | None
) -> list[AccessKeyRow]:
    """The keys of a user, or of the account root when ``user_name`` is None."""
    if user_name is None:
        rows = db.execute(
            "SELECT * FROM access_keys WHERE account = ? AND user_name IS NULL "
            "ORDER BY created, id",
            (account,),
        ).fetchall()
    else:
        rows = db.execute(
            "SELECT * FROM access_keys WHERE account = ? AND user_name = ? "
            "ORDER BY created, id",
            (account, user_name),
        ).fetchall()
    return [AccessKeyRow.of(row) for row in rows]


def set_access_key_status(db: Connection, key_id: str, status: str) -> None:
    db.execute("UPDATE access_keys SET status = ? WHERE id = ?", (status, key_id))


def delete_access_key(db: Connection, key_id: str) -> None:
    db.execute("DELETE FROM access_keys WHERE id = ?", (key_id,))


# Instance profiles


def insert_instance_profile(db: Connection, row: InstanceProfileRow) -> None:
    db.execute(
        "INSERT INTO instance_profiles (account, name, path, id, created, tags) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            row.account,
            row.name,
            row.path,
            row.id,
            time_text(row.created),
            tags_text(row.tags),
        ),
    )


def get_instance_profile(
    db: Connection, account: str, name: str
) -> InstanceProfileRow | None:
    row = db.execute(
        "SELECT * FROM instance_profiles WHERE account = ? AND name = ?",
        (account, name),
    ).fetchone()
    return None if row is None else InstanceProfileRow.of(row)


def list_instance_profiles(
    db: Connection, account: str, path_prefix: str = "/"
) -> list[InstanceProfileRow]:
    rows = db.execute(
        "SELECT * FROM instance_profiles WHERE account = ? "
        "AND substr(path, 1, ?) = ? ORDER BY name COLLATE NOCASE",
        (account, len(path_prefix), path_prefix),
    ).fetchall()
    return [InstanceProfileRow.of(row) for row in rows]


def delete_instance_profile(db: Connection, account: str, name: str) -> None:
    db.execute(
        "DELETE FROM instance_profiles WHERE account = ? AND name = ?", (account, name)
    )


def profile_roles(db: Connection, account: str, profile: str) -> list[RoleRow]:
    rows = db.execute(
        "SELECT r.* FROM roles r JOIN instance_profile_roles p "
        "ON p.account = r.account AND p.role_name = r.name "
        "WHERE p.account = ? AND p.profile_name = ? ORDER BY r.name",
        (account, profile),
    ).fetchall()
    return [RoleRow.of(row) for row in rows]


def profiles_of_role(
    db: Connection, account: str, role: str
) -> list[InstanceProfileRow]:
    rows = db.execute(
        "SELECT i.* FROM instance_profiles i JOIN instance_profile_roles p "
        "ON p.account = i.account AND p.profile_name = i.name "
        "WHERE p.account = ? AND p.role_name = ? ORDER BY i.name",
        (account, role),
    ).fetchall()
    return [InstanceProfileRow.of(row) for row in rows]


def add_profile_role(db: Connection, account: str, profile: str, role: str) -> None:
    db.execute(
        "INSERT INTO instance_profile_roles (account, profile_name, role_name) "
        "VALUES (?, ?, ?)",
        (account, profile, role),
    )


def remove_profile_role(db: Connection, account: str, profile: str, role: str) -> bool:
    cursor = db.execute(
        "DELETE FROM instance_profile_roles WHERE account = ? AND profile_name = ? "
        "AND role_name = ?",
        (account, profile, role),
    )
    return cursor.rowcount > 0


# Identity providers


def insert_saml_provider(db: Connection, row: SamlProviderRow) -> None:
    db.execute(
        "INSERT INTO saml_providers (arn, account, name, metadata, uuid, created, "
        "valid_until, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.arn,
            row.account,
            row.name,
            row.metadata,
            row.uuid,
            time_text(row.created),
            None if row.valid_until is None else time_text(row.valid_until),
            tags_text(row.tags),
        ),
    )


def get_saml_provider(db: Connection, arn: str) -> SamlProviderRow | None:
    row = db.execute("SELECT * FROM saml_providers WHERE arn = ?", (arn,)).fetchone()
    return None if row is None else SamlProviderRow.of(row)


def list_saml_providers(db: Connection, account: str) -> list[SamlProviderRow]:
    rows = db.execute(
        "SELECT * FROM saml_providers WHERE account = ? ORDER BY arn", (account,)
    ).fetchall()
    return [SamlProviderRow.of(row) for row in rows]


def delete_saml_provider(db: Connection, arn: str) -> None:
    db.execute("DELETE FROM saml_providers WHERE arn = ?", (arn,))


def insert_oidc_provider(db: Connection, row: OidcProviderRow) -> None:
    db.execute(
        "INSERT INTO oidc_providers (arn, account, url, client_ids, thumbprints, "
        "created, tags) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            row.arn,
            row.account,
            row.url,
            strings_text(row.client_ids),
            strings_text(row.thumbprints),
            time_text(row.created),
            tags_text(row.tags),
        ),
    )


def get_oidc_provider(db: Connection, arn: str) -> OidcProviderRow | None:
    row = db.execute("SELECT * FROM oidc_providers WHERE arn = ?", (arn,)).fetchone()
    return None if row is None else OidcProviderRow.of(row)


def list_oidc_providers(db: Connection, account: str) -> list[OidcProviderRow]:
    rows = db.execute(
        "SELECT * FROM oidc_providers WHERE account = ? ORDER BY arn", (account,)
    ).fetchall()
    return [OidcProviderRow.of(row) for row in rows]


def delete_oidc_provider(db: Connection, arn: str) -> None:
    db.execute("DELETE FROM oidc_providers WHERE arn = ?", (arn,))


# Resources with resource-based policies (imported from scenarios)


def insert_resource(
    db: Connection, arn: str, account: str, policy: str | None, tags: TagPairs
) -> None:
    db.execute(
        "INSERT INTO resources (arn, account, policy, tags) VALUES (?, ?, ?, ?)",
        (arn, account, policy, tags_text(tags)),
    )


def list_resources(
    db: Connection, account: str
) -> list[tuple[str, str | None, TagPairs]]:
    """Every stored resource of ``account``: its ARN, policy text and tags."""
    rows = db.execute(
        "SELECT arn, policy, tags FROM resources WHERE account = ? ORDER BY arn",
        (account,),
    ).fetchall()
    return [(row[0], row[1], parse_tags(row[2])) for row in rows]
