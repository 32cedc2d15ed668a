"""Check IAM request parameters against the constraints of the IAM API Reference.

Each member's length and pattern come from its type in the API Reference
(e.g. "CreateUser": UserName is 1 to 64 characters of ``[\\w+=,.@-]+``, Path
is ``/`` or ``/`` + printable ASCII + ``/``). A failed constraint raises
AWS's ``ValidationError`` naming the member in lowerCamelCase as AWS does.

Policy documents are checked here too: the characters IAM accepts, the
grammar of their kind (:func:`iamsim.policy.parse.parse_policy`) and the
size quotas of "IAM and AWS STS quotas", which count characters other than
white space.

Imports only iamsim.errors, iamsim.policy and iamsim.services.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from iamsim.errors import PolicyError
from iamsim.policy.model import Policy, PolicyKind
from iamsim.policy.parse import parse_policy
from iamsim.services.api import Params
from iamsim.services.iam_errors import invalid_input, malformed_policy, validation_error
from iamsim.world.store_rows import TagPairs

#: Users and roles: "IAM and AWS STS quotas, name requirements".
USER_NAME_MAX = 64
ROLE_NAME_MAX = 64
#: Groups, managed policies, inline policies and instance profiles.
LONG_NAME_MAX = 128
NAME_PATTERN = re.compile(r"[\w+=,.@-]+", re.ASCII)
PATH_PATTERN = re.compile(r"(/)|(/[\x21-\x7e]+/)")
PATH_PREFIX_PATTERN = re.compile(r"/[\x21-\x7f]*")
POLICY_PATH_PATTERN = re.compile(r"((/[A-Za-z0-9.,+@=_-]+)*)/")
PATH_MAX = 512
DOCUMENT_MAX = 131_072
DOCUMENT_CHARACTERS = re.compile(r"[\t\n\r\x20-\xff]+")
DESCRIPTION_MAX = 1_000
#: "IAM object quotas": tags per IAM resource.
TAGS_MAX = 50
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
_TAG_SYMBOLS = frozenset("_.:/=+-@")
MAX_ITEMS_RANGE = (1, 1_000)


def camel(member: str) -> str:
    """``UserName`` as AWS names it in validation messages: ``userName``."""
    return member[:1].lower() + member[1:]


def optional_str(params: Params, member: str) -> str | None:
    value = params.get(member)
    if value is None:
        return None
    if not isinstance(value, str):
        raise validation_error(
            f"Value {value!r} at '{camel(member)}' failed to satisfy constraint: "
            "Member must be a string"
        )
    return value


def required_str(params: Params, member: str) -> str:
    value = optional_str(params, member)
    if value is None:
        raise validation_error(
            f"Value null at '{camel(member)}' failed to satisfy constraint: "
            "Member must not be null"
        )
    return value


def check_length(member: str, value: str, low: int, high: int) -> None:
    if len(value) < low:
        raise validation_error(
            f"Value '{value}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {low}"
        )
    if len(value) > high:
        raise validation_error(
            f"Value '{value}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {high}"
        )


def check_pattern(member: str, value: str, pattern: re.Pattern[str]) -> None:
    if not pattern.fullmatch(value):
        raise validation_error(
            f"Value '{value}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {pattern.pattern}"
        )


def name(params: Params, member: str, high: int = USER_NAME_MAX) -> str:
    """A required entity name of 1 to ``high`` name characters."""
    value = required_str(params, member)
    check_length(member, value, 1, high)
    check_pattern(member, value, NAME_PATTERN)
    return value


def optional_name(params: Params, member: str, high: int) -> str | None:
    if params.get(member) is None:
        return None
    return name(params, member, high)


def path(params: Params, member: str = "Path", *, policy: bool = False) -> str:
    """An entity path, ``/`` when absent."""
    value = optional_str(params, member)
    if value is None:
        return "/"
    check_length(member, value, 1, PATH_MAX)
    check_pattern(member, value, POLICY_PATH_PATTERN if policy else PATH_PATTERN)
    return value


def path_prefix(params: Params, member: str = "PathPrefix") -> str:
    value = optional_str(params, member)
    if value is None:
        return "/"
    check_length(member, value, 1, PATH_MAX)
    check_pattern(member, value, PATH_PREFIX_PATTERN)
    return value


def integer(params: Params, member: str, low: int, high: int) -> int | None:
    value = params.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise validation_error(
            f"Value {value!r} at '{camel(member)}' failed to satisfy constraint: "
            "Member must be an integer"
        )
    try:
        number = int(value)
    except ValueError:
        raise validation_error(
            f"Value '{value}' at '{camel(member)}' failed to satisfy constraint: "
            "Member must be an integer"
        ) from None
    if number < low:
        raise validation_error(
            f"Value '{number}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must have value greater than or equal to {low}"
        )
    if number > high:
        raise validation_error(
            f"Value '{number}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must have value less than or equal to {high}"
        )
    return number


def boolean(params: Params, member: str, default: bool = False) -> bool:
    value = params.get(member)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise validation_error(
        f"Value {value!r} at '{camel(member)}' failed to satisfy constraint: "
        "Member must be a boolean"
    )


def choice(params: Params, member: str, choices: tuple[str, ...]) -> str | None:
    value = optional_str(params, member)
    if value is not None and value not in choices:
        raise validation_error(
            f"Value '{value}' at '{camel(member)}' failed to satisfy constraint: "
            f"Member must satisfy enum value set: [{', '.join(choices)}]"
        )
    return value


def string_list(params: Params, member: str) -> list[str]:
    value = params.get(member)
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(
        isinstance(item, str) for item in value
    ):
        raise validation_error(
            f"Value {value!r} at '{camel(member)}' failed to satisfy constraint: "
            "Member must be a list of strings"
        )
    return list(value)


def description(params: Params, member: str = "Description") -> str | None:
    value = optional_str(params, member)
    if value is not None:
        check_length(member, value, 0, DESCRIPTION_MAX)
    return value


# Tags


def _is_tag_text(text: str) -> bool:
    """``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``: letters, separators, numbers, symbols."""
    return all(
        char in _TAG_SYMBOLS or unicodedata.category(char)[0] in "LZN" for char in text
    )


def tags(params: Params, member: str = "Tags", *, required: bool = False) -> TagPairs:
    """The Tags member as (key, value) pairs, checked as "Tagging IAM resources" says.

    Keys may not repeat (compared without case), nor start with ``aws:``.
    """
    value = params.get(member)
    if value is None:
        if required:
            required_str(params, member)
        return ()
    if not isinstance(value, list | tuple):
        raise validation_error(
            f"Value {value!r} at '{camel(member)}' failed to satisfy constraint: "
            "Member must be a list"
        )
    if len(value) > TAGS_MAX:
        raise validation_error(
            f"Value at '{camel(member)}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {TAGS_MAX}"
        )
    pairs = [_tag(member, index, item) for index, item in enumerate(value, 1)]
    keys = [key.lower() for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise invalid_input(
            "Duplicate tag keys found. Please note that Tag keys are case insensitive."
        )
    return tuple(pairs)


def _tag(member: str, index: int, item: Any) -> tuple[str, str]:
    where = f"{member}.{index}"
    if not isinstance(item, Mapping):
        raise validation_error(
            f"Value {item!r} at '{camel(where)}' failed to satisfy constraint: "
            "Member must be a structure with Key and Value"
        )
    key = required_str(item, "Key")
    text = optional_str(item, "Value")
    if text is None:
        text = required_str(item, "Value")
    check_length(f"{where}.member.key", key, 1, TAG_KEY_MAX)
    check_length(f"{where}.member.value", text, 0, TAG_VALUE_MAX)
    for part, label in ((key, "key"), (text, "value")):
        if not _is_tag_text(part):
            raise validation_error(
                f"Value '{part}' at '{camel(where)}.member.{label}' failed to "
                "satisfy constraint: Member must satisfy regular expression "
                r"pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+"
            )
    if key.lower().startswith("aws:"):
        raise invalid_input(
            f"User-defined tag keys can't start with 'aws:' (found {key!r})."
        )
    return key, text


def tag_keys(params: Params, member: str = "TagKeys") -> list[str]:
    keys = params.get(member)
    if keys is None:
        required_str(params, member)
    found = string_list(params, member)
    for key in found:
        check_length(member, key, 1, TAG_KEY_MAX)
    return found


def merge_tags(current: TagPairs, added: TagPairs, *, ignore_case: bool) -> TagPairs:
    """``current`` with ``added`` set: a repeated key takes the new key and value."""
    merged = dict(current)
    for key, value in added:
        if ignore_case:
            for existing in [k for k in merged if k.lower() == key.lower()]:
                del merged[existing]
        merged[key] = value
    return tuple(merged.items())


def drop_tags(current: TagPairs, keys: list[str], *, ignore_case: bool) -> TagPairs:
    if ignore_case:
        lowered = {key.lower() for key in keys}
        return tuple((k, v) for k, v in current if k.lower() not in lowered)
    return tuple((k, v) for k, v in current if k not in set(keys))


# Policy documents


def policy_size(text: str) -> int:
    """A document's size as IAM counts it: characters other than white space."""
    return sum(1 for char in text if not char.isspace())


def document(
    params: Params,
    member: str,
    kind: PolicyKind,
    policy_name: str = "inline",
) -> tuple[str, Policy]:
    """The document in ``member``, checked and parsed as ``kind``.

    A document that breaks the grammar of its kind raises AWS's
    ``MalformedPolicyDocument``.
    """
    text = required_str(params, member)
    check_length(member, text, 1, DOCUMENT_MAX)
    if not DOCUMENT_CHARACTERS.fullmatch(text):
        raise validation_error(
            f"Value at '{camel(member)}' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: "
            "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
        )
    return text, parse_document(text, kind, policy_name)


def parse_document(text: str, kind: PolicyKind, policy_name: str) -> Policy:
    try:
        return parse_policy(text, kind=kind, name=policy_name)
    except PolicyError as error:
        raise malformed_policy(error.render()) from None
