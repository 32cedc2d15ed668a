"""Stable, deterministic identifiers for entities that only have names.

IAM gives each user, role and group a unique id (``AIDA...``, ``AROA...``,
``AGPA...``: "IAM identifiers", IAM User Guide, unique identifiers) and
Organizations gives roots and OUs ids (``r-...``, ``ou-...-...``). A scenario
names entities only, so the ids are derived from a hash of the names: the
same world always gets the same ids, and nothing reads a clock or a random
source. Imports nothing of iamsim.
"""

from __future__ import annotations

import base64
import hashlib

USER_ID_PREFIX = "AIDA"
ROLE_ID_PREFIX = "AROA"
GROUP_ID_PREFIX = "AGPA"
POLICY_ID_PREFIX = "ANPA"
#: IAM unique ids are 21 characters: a four-letter prefix and 17 more.
_UNIQUE_ID_TAIL = 17
#: Organizations root ids read ``r-`` and four lowercase characters or more.
_ROOT_ID_TAIL = 4
#: OU ids read ``ou-ROOT-`` and eight lowercase characters or more.
_OU_ID_TAIL = 8


def _digest(*parts: str) -> str:
    """Uppercase base32 of the SHA-256 of ``parts``, joined unambiguously."""
    raw = hashlib.sha256("\x00".join(parts).encode()).digest()
    return base64.b32encode(raw).decode().rstrip("=")


def unique_id(prefix: str, *parts: str) -> str:
    """An IAM-style unique id: ``prefix`` and 17 base32 characters."""
    return prefix + _digest(prefix, *parts)[:_UNIQUE_ID_TAIL]


def root_id(org_id: str) -> str:
    """The id of the root of organization ``org_id``."""
    return "r-" + _digest("root", org_id)[:_ROOT_ID_TAIL].lower()


def ou_id(root: str, *names: str) -> str:
    """The id of the OU reached from ``root`` through the OU ``names``."""
    root_part = root.removeprefix("r-")
    tail = _digest("ou", root, *names)[:_OU_ID_TAIL].lower()
    return f"ou-{root_part}-{tail}"
