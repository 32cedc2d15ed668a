"""The durable state: every account, entity, policy and event in one SQLite file.

The file (``<state_dir>/iamsim.db`` by default) runs in WAL mode with
``synchronous=FULL``, and every change happens inside :meth:`Store.transaction`
(``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception). A commit
that returned is on disk, and a process killed at any moment leaves either
the whole change or none of it.

Each thread gets its own connection, so a threaded server can share one
:class:`Store`. Nested transactions become savepoints: an inner block that
fails is undone on its own, and only the outermost block commits.

A ``generation`` counter in the key-value table grows with each committed
change to the world (users, policies, the organization...), so readers can
tell when a cached read model is stale; recording trail events does not
count as such a change.

Imports only iamsim.errors and the store's own modules.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from iamsim.errors import IamsimError
from iamsim.world.store_schema import SCHEMA, SCHEMA_VERSION

DEFAULT_FILE_NAME = "iamsim.db"
#: How long a writer waits for another writer's lock before giving up.
BUSY_TIMEOUT_SECONDS = 30.0
GENERATION_KEY = "generation"


class StoreError(IamsimError):
    """The state file cannot be opened or is not one this version can use."""


@dataclass
class _ThreadState:
    connection: sqlite3.Connection
    depth: int = 0
    start_changes: int = 0
    world_dirty: bool = False
    savepoints: list[str] = field(default_factory=list)


class Store:
    """One SQLite state file, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._initialize()

    @classmethod
    def in_directory(cls, state_dir: Path) -> Store:
        """The store of ``state_dir``, creating the directory and file if needed."""
        try:
            state_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the state directory: {error}",
                where=str(state_dir),
                hint="choose a writable directory",
            ) from None
        return cls(state_dir / DEFAULT_FILE_NAME)

    # Connections

    def _connect(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as error:
            raise StoreError(
                f"cannot open the state file: {error}",
                where=str(self.path),
                hint="check that the file is readable and writable",
            ) from None
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def _state(self) -> _ThreadState:
        if self._closed:
            raise StoreError("the store is closed", where=str(self.path))
        state: _ThreadState | None = getattr(self._local, "state", None)
        if state is None:
            state = _ThreadState(self._connect())
            self._local.state = state
            with self._lock:
                self._connections.append(state.connection)
        return state

    def connection(self) -> sqlite3.Connection:
        """This thread's connection; outside a transaction it reads committed data."""
        return self._state().connection

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            self._closed = True
            for connection in self._connections:
                connection.close()
            self._connections.clear()

    # Schema

    def _initialize(self) -> None:
        self._create_private_file()
        connection = self._connect()
        try:
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(
                    f"the state file cannot use WAL journaling (got {mode!r})",
                    where=str(self.path),
                    hint="keep the state on a local file system",
                )
            connection.execute("BEGIN IMMEDIATE")
            try:
                self._create_or_check(connection)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            raise StoreError(
                f"the state file is unusable: {error}",
                where=str(self.path),
                hint="move it aside and start with an empty state directory",
            ) from None
        finally:
            connection.close()

    def _create_private_file(self) -> None:
        """Create the file readable by its owner only: it holds secret keys.

        SQLite gives its -wal and -shm files the database file's permissions.
        """
        try:
            descriptor = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
        except OSError as error:
            raise StoreError(
                f"cannot create the state file: {error}",
                where=str(self.path),
                hint="choose a writable directory",
            ) from None
        os.close(descriptor)

    def _create_or_check(self, connection: sqlite3.Connection) -> None:
        exists = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if exists is None:
            for statement in SCHEMA:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,)
            )
            connection.execute(
                "INSERT INTO kv (key, value) VALUES (?, 0)", (GENERATION_KEY,)
            )
            return
        row = connection.execute("SELECT version FROM schema_version").fetchone()
        version = None if row is None else row[0]
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"the state file has schema version {version!r}, "
                f"this iamsim reads version {SCHEMA_VERSION}",
                where=str(self.path),
                hint="use the iamsim version that wrote it, or a new state directory",
            )

    # Transactions

    @contextmanager
    def transaction(
        self, *, touches_world: bool = True
    ) -> Iterator[sqlite3.Connection]:
        """A write transaction on this thread's connection; nested ones are savepoints.

        ``touches_world`` says whether changes made here alter the world (and
        so advance the generation); trail records pass False.
        """
        state = self._state()
        connection = state.connection
        if state.depth == 0:
            connection.execute("BEGIN IMMEDIATE")
            state.start_changes = connection.total_changes
            state.world_dirty = False
            savepoint = None
        else:
            savepoint = f"sp{state.depth}"
            connection.execute(f"SAVEPOINT {savepoint}")
        before = connection.total_changes
        state.depth += 1
        try:
            yield connection
        except BaseException:
            state.depth -= 1
            self._undo(state, savepoint)
            raise
        state.depth -= 1
        if touches_world and connection.total_changes != before:
            state.world_dirty = True
        if savepoint is not None:
            connection.execute(f"RELEASE {savepoint}")
            return
        self._commit(state)

    def _undo(self, state: _ThreadState, savepoint: str | None) -> None:
        connection = state.connection
        if savepoint is None:
            connection.execute("ROLLBACK")
            state.world_dirty = False
            return
        connection.execute(f"ROLLBACK TO {savepoint}")
        connection.execute(f"RELEASE {savepoint}")

    def _commit(self, state: _ThreadState) -> None:
        connection = state.connection
        try:
            if state.world_dirty:
                connection.execute(
                    "UPDATE kv SET value = value + 1 WHERE key = ?", (GENERATION_KEY,)
                )
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            state.world_dirty = False

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A consistent read of committed data (or of this thread's transaction)."""
        state = self._state()
        connection = state.connection
        if state.depth > 0:
            yield connection
            return
        connection.execute("BEGIN DEFERRED")
        state.start_changes = connection.total_changes
        state.depth += 1
        try:
            yield connection
        finally:
            state.depth -= 1
            connection.execute("ROLLBACK")

    def has_pending_changes(self) -> bool:
        """Whether this thread's open transaction has changed anything yet."""
        state = self._state()
        if state.depth == 0:
            return False
        return state.connection.total_changes != state.start_changes

    # Key-value pairs

    def generation(self) -> int:
        """The number of committed changes to the world so far."""
        row = (
            self.connection()
            .execute("SELECT value FROM kv WHERE key = ?", (GENERATION_KEY,))
            .fetchone()
        )
        return int(row[0])

    def get_value(self, key: str) -> bytes | None:
        """The value stored under ``key``, or None."""
        row = (
            self.connection()
            .execute("SELECT value FROM kv WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        value = row[0]
        return value if isinstance(value, bytes) else str(value).encode()

    def set_value(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` (inside the caller's transaction, if any)."""
        with self.transaction(touches_world=False) as connection:
            connection.execute(
                "INSERT INTO kv (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
