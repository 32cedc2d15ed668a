"""The SQLite schema of the state store, one statement per table or index.

Names of users, groups, roles and instance profiles compare without case,
as IAM requires ("IAM and AWS STS quotas, name requirements, and character
limits", IAM User Guide: names are unique within the account and "aren't
distinguished by case"), so those columns are ``COLLATE NOCASE``. Times are
ISO 8601 text in UTC with microseconds, so they sort as text. Tags are JSON
lists of ``{"Key", "Value"}`` in the order they were given.

Imports nothing of iamsim.
"""

from __future__ import annotations

#: Bump when a table changes; :mod:`iamsim.world.store` refuses other versions.
SCHEMA_VERSION = 1

SCHEMA: tuple[str, ...] = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    """CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        partition TEXT NOT NULL,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE users (
        account TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL COLLATE NOCASE,
        path TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, name)
    )""",
    """CREATE TABLE iam_groups (
        account TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL COLLATE NOCASE,
        path TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        PRIMARY KEY (account, name)
    )""",
    """CREATE TABLE group_members (
        account TEXT NOT NULL,
        group_name TEXT NOT NULL COLLATE NOCASE,
        user_name TEXT NOT NULL COLLATE NOCASE,
        seq INTEGER NOT NULL,
        PRIMARY KEY (account, group_name, user_name)
    )""",
    """CREATE TABLE roles (
        account TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL COLLATE NOCASE,
        path TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        trust_policy TEXT NOT NULL,
        description TEXT,
        max_session_duration INTEGER NOT NULL,
        service_linked INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, name)
    )""",
    """CREATE TABLE managed_policies (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE,
        path TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        description TEXT,
        default_version TEXT NOT NULL,
        next_version INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        UNIQUE (account, name)
    )""",
    """CREATE TABLE policy_versions (
        policy_arn TEXT NOT NULL REFERENCES managed_policies(arn),
        version_id TEXT NOT NULL,
        document TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (policy_arn, version_id)
    )""",
    """CREATE TABLE attachments (
        account TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_name TEXT NOT NULL COLLATE NOCASE,
        policy_arn TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (account, entity_kind, entity_name, policy_arn)
    )""",
    "CREATE INDEX attachments_by_policy ON attachments (policy_arn)",
    """CREATE TABLE inline_policies (
        account TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_name TEXT NOT NULL COLLATE NOCASE,
        policy_name TEXT NOT NULL,
        document TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (account, entity_kind, entity_name, policy_name)
    )""",
    """CREATE TABLE permissions_boundaries (
        account TEXT NOT NULL,
        entity_kind TEXT NOT NULL,
        entity_name TEXT NOT NULL COLLATE NOCASE,
        policy_arn TEXT NOT NULL,
        PRIMARY KEY (account, entity_kind, entity_name)
    )""",
    "CREATE INDEX boundaries_by_policy ON permissions_boundaries (policy_arn)",
    """CREATE TABLE access_keys (
        id TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        account TEXT NOT NULL,
        user_name TEXT COLLATE NOCASE,
        status TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    "CREATE INDEX access_keys_by_owner ON access_keys (account, user_name)",
    """CREATE TABLE instance_profiles (
        account TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL COLLATE NOCASE,
        path TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, name)
    )""",
    """CREATE TABLE instance_profile_roles (
        account TEXT NOT NULL,
        profile_name TEXT NOT NULL COLLATE NOCASE,
        role_name TEXT NOT NULL COLLATE NOCASE,
        PRIMARY KEY (account, profile_name, role_name)
    )""",
    """CREATE TABLE saml_providers (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        metadata TEXT NOT NULL,
        uuid TEXT NOT NULL,
        created TEXT NOT NULL,
        valid_until TEXT,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE oidc_providers (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        url TEXT NOT NULL,
        client_ids TEXT NOT NULL DEFAULT '[]',
        thumbprints TEXT NOT NULL DEFAULT '[]',
        created TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE resources (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL REFERENCES accounts(id),
        policy TEXT,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE organization (
        id TEXT PRIMARY KEY,
        management_account TEXT NOT NULL,
        feature_set TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE org_roots (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        policy_types TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE org_units (
        id TEXT PRIMARY KEY,
        parent_id TEXT NOT NULL,
        name TEXT NOT NULL,
        seq INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE org_accounts (
        account_id TEXT PRIMARY KEY REFERENCES accounts(id),
        parent_id TEXT NOT NULL,
        joined_method TEXT NOT NULL,
        joined TEXT NOT NULL,
        seq INTEGER NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE org_policies (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL,
        content TEXT NOT NULL,
        aws_managed INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]'
    )""",
    """CREATE TABLE org_attachments (
        policy_id TEXT NOT NULL REFERENCES org_policies(id),
        target_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (policy_id, target_id)
    )""",
    "CREATE INDEX org_attachments_by_target ON org_attachments (target_id)",
    """CREATE TABLE create_account_requests (
        id TEXT PRIMARY KEY,
        account_name TEXT NOT NULL,
        account_id TEXT,
        state TEXT NOT NULL,
        requested TEXT NOT NULL,
        completed TEXT,
        failure_reason TEXT
    )""",
    """CREATE TABLE trail_events (
        event_id TEXT PRIMARY KEY,
        event_time TEXT NOT NULL,
        account TEXT,
        event_name TEXT,
        username TEXT,
        event_source TEXT,
        access_key_id TEXT,
        read_only INTEGER,
        record TEXT NOT NULL
    )""",
    "CREATE INDEX trail_by_time ON trail_events (event_time)",
    "CREATE INDEX trail_by_name ON trail_events (event_name, event_time)",
    "CREATE INDEX trail_by_user ON trail_events (username, event_time)",
    "CREATE INDEX trail_by_source ON trail_events (event_source, event_time)",
    "CREATE INDEX trail_by_key ON trail_events (access_key_id, event_time)",
    "CREATE INDEX trail_by_account ON trail_events (account, event_time)",
    """CREATE TABLE trail_resources (
        event_id TEXT NOT NULL REFERENCES trail_events(event_id),
        resource_name TEXT NOT NULL,
        resource_type TEXT
    )""",
    "CREATE INDEX trail_resources_by_name ON trail_resources (resource_name)",
    "CREATE INDEX trail_resources_by_event ON trail_resources (event_id)",
)
