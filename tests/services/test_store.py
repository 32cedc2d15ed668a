"""The state store: durability, atomic changes, threads, and what survives a restart."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.services.conftest import NOW, Harness, allow, policy, trust

from iamsim.services import iam_users
from iamsim.services.api import ServiceError
from iamsim.world.store import Store, StoreError
from iamsim.world.store_iam import get_user, insert_account, insert_user, list_users
from iamsim.world.store_rows import AccountRow, UserRow


def _user(name: str) -> UserRow:
    ident = "AIDA" + hashlib.sha256(name.encode()).hexdigest()[:17].upper()
    return UserRow("111122223333", name, "/", ident, NOW)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.in_directory(tmp_path)
    with opened.transaction() as db:
        insert_account(db, AccountRow("111122223333", "aws", "a", "a@example.com", NOW))
    yield opened
    opened.close()


def test_the_file_uses_wal_and_full_synchronous_writes(store: Store) -> None:
    """WAL with synchronous=FULL makes every committed transaction durable."""
    db = store.connection()

    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_an_exception_rolls_the_whole_transaction_back(store: Store) -> None:
    """A change interrupted by an error leaves nothing behind."""
    with pytest.raises(RuntimeError), store.transaction() as db:
        insert_user(db, _user("alice"))
        raise RuntimeError("boom")

    assert get_user(store.connection(), "111122223333", "alice") is None


def test_a_failed_inner_block_is_undone_alone(store: Store) -> None:
    """A nested transaction is a savepoint: its failure keeps the outer changes."""
    with store.transaction() as db:
        insert_user(db, _user("outer"))
        with pytest.raises(RuntimeError), store.transaction() as inner:
            insert_user(inner, _user("inner"))
            raise RuntimeError("boom")

    names = [row.name for row in list_users(store.connection(), "111122223333")]
    assert names == ["outer"]


def test_the_generation_counts_committed_world_changes(store: Store) -> None:
    """Readers see a new generation after each committed change, and only then."""
    before = store.generation()
    with store.transaction():
        pass
    with store.transaction() as db:
        insert_user(db, _user("alice"))

    assert store.generation() == before + 1


def test_a_file_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    """The store refuses a file written with another schema version."""
    Store.in_directory(tmp_path).close()
    with sqlite3.connect(tmp_path / "iamsim.db") as db:
        db.execute("UPDATE schema_version SET version = 999")

    with pytest.raises(StoreError) as raised:
        Store.in_directory(tmp_path)

    assert "schema version 999" in str(raised.value)


def test_threads_share_one_store(store: Store) -> None:
    """Each thread writes through its own connection; no write is lost."""

    errors: list[BaseException] = []

    def work(prefix: str) -> None:
        try:
            for index in range(20):
                with store.transaction() as db:
                    insert_user(db, _user(f"{prefix}{index}"))
        except BaseException as error:  # the test reports it below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"t{n}x",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(list_users(store.connection(), "111122223333")) == 120


def test_a_failing_operation_leaves_no_partial_change(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CreateUser that fails after inserting the user leaves no user behind."""
    harness.iam("CreatePolicy", PolicyName="b", PolicyDocument=policy(allow("s3:*")))

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(iam_users, "set_boundary", broken)
    with pytest.raises(RuntimeError):
        harness.iam(
            "CreateUser",
            UserName="alice",
            PermissionsBoundary=f"arn:aws:iam::{harness.account}:policy/b",
        )

    with pytest.raises(ServiceError) as raised:
        harness.iam("GetUser", UserName="alice")
    assert raised.value.code == "NoSuchEntity"


_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, datetime
    from pathlib import Path
    from iamsim.world.store import Store
    from iamsim.world.store_iam import insert_account, insert_user, set_user_tags
    from iamsim.world.store_policies import put_inline
    from iamsim.world.store_rows import AccountRow, EntityKind, InlinePolicyRow, UserRow

    store = Store.in_directory(Path(sys.argv[1]))
    now = datetime.now(UTC)
    with store.transaction() as db:
        insert_account(db, AccountRow("111122223333", "aws", "a", "a@example.com", now))
    print("ready", flush=True)
    index = 0
    while True:
        name = f"u{index}"
        with store.transaction() as db:
            insert_user(db, UserRow("111122223333", name, "/", f"AIDA{index:017d}", now))
            set_user_tags(db, "111122223333", name, (("n", str(index)),))
            put_inline(db, InlinePolicyRow("111122223333", EntityKind.USER, name, "p", "{}"))
        print(name, flush=True)
        index += 1
    """
)


def test_a_killed_writer_leaves_whole_changes_only(tmp_path: Path) -> None:
    """kill -9 during writes loses no acknowledged change and leaves no half change."""
    process = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    acknowledged = [process.stdout.readline().strip() for _ in range(30)]
    time.sleep(0.05)
    process.kill()
    process.wait()

    store = Store.in_directory(tmp_path)
    db = store.connection()
    users = {row.name: row for row in list_users(db, "111122223333")}
    inline = {row[0] for row in db.execute("SELECT entity_name FROM inline_policies")}
    store.close()

    assert set(acknowledged) <= set(users)
    assert all(users[name].tags for name in users)
    assert inline == set(users)


def test_everything_survives_a_restart(harness: Harness) -> None:
    """Entities, policies, keys and the organization are the same after reopening."""
    harness.iam("CreateUser", UserName="alice", Tags=[{"Key": "k", "Value": "v"}])
    harness.iam("CreateGroup", GroupName="devs")
    harness.iam("AddUserToGroup", GroupName="devs", UserName="alice")
    arn = harness.iam(
        "CreatePolicy", PolicyName="p", PolicyDocument=policy(allow("s3:*"))
    )["Policy"]["Arn"]
    harness.iam(
        "CreatePolicyVersion",
        PolicyArn=arn,
        PolicyDocument=policy(allow("sqs:*")),
        SetAsDefault=True,
    )
    harness.iam("AttachUserPolicy", UserName="alice", PolicyArn=arn)
    harness.iam(
        "CreateRole",
        RoleName="app",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    harness.iam("CreateInstanceProfile", InstanceProfileName="web")
    harness.iam("AddRoleToInstanceProfile", InstanceProfileName="web", RoleName="app")
    key = harness.iam("CreateAccessKey", UserName="alice")["AccessKey"]
    root = harness.orgs("ListRoots")["Roots"][0]["Id"]
    unit = harness.orgs("CreateOrganizationalUnit", ParentId=root, Name="Prod")[
        "OrganizationalUnit"
    ]
    before = harness.iam("GetAccountAuthorizationDetails")

    harness.reopen()

    assert harness.iam("GetAccountAuthorizationDetails") == before
    assert harness.iam("GetPolicy", PolicyArn=arn)["Policy"]["DefaultVersionId"] == "v2"
    record = harness.backend.access_key(key["AccessKeyId"])
    assert record is not None and record.secret_access_key == key["SecretAccessKey"]
    assert (
        harness.orgs("DescribeOrganizationalUnit", OrganizationalUnitId=unit["Id"])[
            "OrganizationalUnit"
        ]
        == unit
    )
    assert harness.bootstrap.created is False


def test_a_read_after_a_write_reuses_the_cached_world(harness: Harness) -> None:
    """Reads on a thread that wrote before still share the committed read model."""
    harness.iam("CreateUser", UserName="alice")

    with harness.backend.read():
        first = harness.backend.world()
        second = harness.backend.world()

    assert first is second


def test_the_state_file_is_private(tmp_path: Path) -> None:
    """The state holds secret access keys, so only its owner may read it."""
    store = Store.in_directory(tmp_path)
    with store.transaction() as db:
        insert_account(db, AccountRow("111122223333", "aws", "a", "a@example.com", NOW))

    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    store.close()

    assert modes["iamsim.db"] == 0o600
    assert all(mode == 0o600 for mode in modes.values())
