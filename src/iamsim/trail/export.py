"""Writing records as CloudTrail log files, laid out as CloudTrail delivers them.

CloudTrail writes gzipped JSON documents ``{"Records": [...]}`` under
``AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`` named
``ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_RANDOM.json.gz`` ("Finding your
CloudTrail log files", AWS CloudTrail User Guide), roughly every five
minutes. Each file here holds the records of one account, one region and one
five-minute window, named for the window's start; the same tools that read
a bucket of real CloudTrail logs read these.

Every file is written to a temporary name beside its final one and renamed,
so a reader never sees half a file.

Imports only the standard library.
"""

from __future__ import annotations

import gzip
import json
import os
import secrets
import string
import tempfile
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: CloudTrail delivers a file about every five minutes.
WINDOW_MINUTES = 5
#: Length of the random part of a log file's name, as in CloudTrail's.
RANDOM_CHARS = 16
_ALPHABET = string.ascii_letters + string.digits

FileKey = tuple[str, str, datetime]


def export_records(
    records: Iterable[Mapping[str, Any]], directory: str | os.PathLike[str]
) -> list[Path]:
    """Write ``records`` as CloudTrail log files under ``directory``.

    Returns the paths written, in order. Records keep their order inside a
    file; a directory may already hold earlier exports, which stay.
    """
    groups: dict[FileKey, list[Mapping[str, Any]]] = {}
    for record in records:
        groups.setdefault(_file_key(record), []).append(record)
    root = Path(directory)
    return [_write(root, key, group) for key, group in sorted(groups.items())]


def log_file_path(root: Path, account: str, region: str, window: datetime) -> Path:
    """Where CloudTrail puts a log file of ``account`` and ``region``."""
    folder = (
        root
        / "AWSLogs"
        / account
        / "CloudTrail"
        / region
        / f"{window:%Y}"
        / f"{window:%m}"
        / f"{window:%d}"
    )
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(RANDOM_CHARS))
    name = f"{account}_CloudTrail_{region}_{window:%Y%m%dT%H%MZ}_{suffix}.json.gz"
    return folder / name


def _file_key(record: Mapping[str, Any]) -> FileKey:
    account = str(record.get("recipientAccountId") or "000000000000")
    region = str(record.get("awsRegion") or "us-east-1")
    moment = _parse_time(str(record.get("eventTime", "")))
    window = moment.replace(
        minute=moment.minute - moment.minute % WINDOW_MINUTES, second=0, microsecond=0
    )
    return account, region, window


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _write(root: Path, key: FileKey, records: list[Mapping[str, Any]]) -> Path:
    account, region, window = key
    path = log_file_path(root, account, region, window)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = json.dumps({"Records": records}, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed,
        ):
            packed.write(document.encode("utf-8"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
