"""What every IAM operation shares: ids, ARNs, pagination and request context.

Unique ids follow "IAM identifiers" (IAM User Guide): a four-letter prefix
telling the kind of entity (``AIDA`` user, ``AGPA`` group, ``AROA`` role,
``ANPA`` managed policy, ``AIPA`` instance profile, ``AKIA`` long-term
access key) and random upper-case characters. Lists page with ``Marker``,
``IsTruncated`` and ``MaxItems`` (default 100), as every IAM list operation
does ("Using pagination", IAM API Reference).

Imports only iamsim.errors, iamsim.world and iamsim.services.
"""

from __future__ import annotations

import base64
import secrets
import string
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from iamsim.services.api import Call, Params, Result
from iamsim.services.iam_errors import invalid_input
from iamsim.services.iam_validate import MAX_ITEMS_RANGE, integer, optional_str
from iamsim.world.store_rows import TagPairs

T = TypeVar("T")

USER_ID_PREFIX = "AIDA"
GROUP_ID_PREFIX = "AGPA"
ROLE_ID_PREFIX = "AROA"
POLICY_ID_PREFIX = "ANPA"
PROFILE_ID_PREFIX = "AIPA"
ACCESS_KEY_PREFIX = "AKIA"
#: Unique ids are 21 characters: the prefix and 17 more.
_ID_TAIL = 17
#: Long-term access key ids are 20 characters: AKIA and 16 more.
_KEY_TAIL = 16
#: Secret access keys are 40 characters of base64's alphabet.
_SECRET_LENGTH = 40
_BASE32 = string.ascii_uppercase + "234567"
_SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"
DEFAULT_MAX_ITEMS = 100


def unique_id(prefix: str) -> str:
    """A fresh IAM unique id with ``prefix``."""
    return prefix + "".join(secrets.choice(_BASE32) for _ in range(_ID_TAIL))


def new_access_key_id() -> str:
    """A fresh long-term access key id: ``AKIA`` and 16 base32 characters."""
    return ACCESS_KEY_PREFIX + "".join(
        secrets.choice(_BASE32) for _ in range(_KEY_TAIL)
    )


def new_secret_access_key() -> str:
    """A fresh 40-character secret access key."""
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(_SECRET_LENGTH))


# ARNs


def entity_arn(partition: str, account: str, kind: str, path: str, name: str) -> str:
    """``arn:PARTITION:iam::ACCOUNT:KIND/PATH/NAME`` for users, roles, groups,
    managed policies (``policy``) and instance profiles (``instance-profile``)."""
    return f"arn:{partition}:iam::{account}:{kind}{path}{name}"


def root_arn(partition: str, account: str) -> str:
    return f"arn:{partition}:iam::{account}:root"


def list_arn(partition: str, account: str, kind: str, prefix: str = "/") -> str:
    """The resource AWS names when refusing a list, e.g. ``...:user/``."""
    return f"arn:{partition}:iam::{account}:{kind}{prefix}"


# Pagination


def _marker_of(offset: int) -> str:
    return base64.urlsafe_b64encode(f"iamsim:{offset}".encode()).decode()


def _offset_of(marker: str) -> int:
    try:
        text = base64.urlsafe_b64decode(marker.encode()).decode()
        label, _, number = text.partition(":")
        if label != "iamsim":
            raise ValueError(marker)
        return int(number)
    except (ValueError, UnicodeDecodeError):
        raise invalid_input("Invalid Marker.") from None


def paginate(
    items: Sequence[T], params: Params, *, default: int = DEFAULT_MAX_ITEMS
) -> tuple[list[T], Result]:
    """One page of ``items`` and the ``IsTruncated``/``Marker`` members."""
    low, high = MAX_ITEMS_RANGE
    size = integer(params, "MaxItems", low, high) or default
    marker = optional_str(params, "Marker")
    start = 0 if marker is None else _offset_of(marker)
    page = list(items[start : start + size])
    extra: Result = {"IsTruncated": start + size < len(items)}
    if extra["IsTruncated"]:
        extra["Marker"] = _marker_of(start + size)
    return page, extra


# Request context


def tag_request_context(tags: TagPairs) -> dict[str, Any]:
    """``aws:RequestTag/KEY`` for each tag and ``aws:TagKeys``, as tagging
    requests carry them ("Controlling access to IAM resources", IAM User Guide)."""
    if not tags:
        return {}
    context: dict[str, Any] = {}
    for key, value in tags:
        context[f"aws:RequestTag/{key}"] = value
    context["aws:TagKeys"] = [key for key, _ in tags]
    return context


def tag_keys_context(keys: Sequence[str]) -> dict[str, Any]:
    return {"aws:TagKeys": list(keys)} if keys else {}


def resource_tag_context(tags: TagPairs) -> dict[str, Any]:
    """``iam:ResourceTag/KEY`` for a tagged user or role."""
    return {f"iam:ResourceTag/{key}": value for key, value in tags}


def merged(*contexts: Mapping[str, Any]) -> dict[str, Any]:
    """Contexts combined; a later key wins over an earlier one of any case."""
    result: dict[str, Any] = {}
    for context in contexts:
        for key, value in context.items():
            for existing in [k for k in result if k.lower() == key.lower()]:
                del result[existing]
            result[key] = value
    return result


def caller_user_name(call: Call) -> str | None:
    """The IAM user name of a long-term or session-token caller, else None."""
    caller = call.caller
    arn = caller.arn
    session = caller.session
    if session is not None:
        if session.kind != "session-token":
            return None
        arn = session.user_arn or session.arn
    resource = arn.split(":", 5)[-1]
    if not resource.startswith("user/"):
        return None
    return resource.rsplit("/", 1)[1]


def is_root_caller(call: Call) -> bool:
    caller = call.caller
    if caller.session is not None and caller.session.kind != "session-token":
        return False
    arn = caller.arn
    if caller.session is not None:
        arn = caller.session.user_arn or caller.session.arn
    return arn.endswith(":root")
