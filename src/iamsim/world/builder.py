"""Build accounts and the organization tree from a scenario's decoded data.

Every value is checked where it stands, so each mistake is reported with
its place: names follow IAM's character rules ("IAM and AWS STS quotas,
name requirements, and character limits", IAM User Guide), account ids are
twelve digits, paths start and end with ``/``, a role's maximum session is
3600 to 43200 seconds.

For the organization, the AWS defaults hold: a root, OU or account that
lists no ``scps`` has ``FullAWSAccess`` attached, and AWS refuses to leave
one with none ("Attaching and detaching SCPs", AWS Organizations User
Guide), so an empty list is refused. ``RCPFullAWSAccess`` is attached
everywhere and cannot be detached ("Resource control policies (RCPs)"), so
listed ``rcps`` come on top of it.

Imports only iamsim.errors, iamsim.policy and iamsim.world.
"""

from __future__ import annotations

import re

from iamsim.policy.arn import PARTITIONS, is_arn, split_arn
from iamsim.policy.model import Policy, PolicyKind
from iamsim.world.ids import ou_id, root_id
from iamsim.world.model import (
    DEFAULT_MAX_SESSION_SECONDS,
    Account,
    Group,
    IdentityProvider,
    ProviderKind,
    Resource,
    Role,
    User,
)
from iamsim.world.organization import OrgAccount, Organization, OrgUnit
from iamsim.world.references import (
    FULL_AWS_ACCESS,
    RCP_FULL_AWS_ACCESS,
    PolicyBook,
    is_full_access_rcp,
)
from iamsim.world.source import Cursor, Source, closest_hint, type_name

ACCOUNT_KEYS = (
    "partition",
    "users",
    "groups",
    "roles",
    "resources",
    "saml_providers",
    "oidc_providers",
)
USER_KEYS = ("path", "groups", "policies", "permissions_boundary", "tags", "id")
GROUP_KEYS = ("path", "policies", "id")
ROLE_KEYS = (
    "path",
    "trust_policy",
    "policies",
    "permissions_boundary",
    "tags",
    "max_session_duration",
    "service_linked",
    "id",
)
RESOURCE_KEYS = ("arn", "policy", "tags")
ORGANIZATION_KEYS = ("id", "management_account", "root")
ROOT_KEYS = ("id", "scps", "rcps", "accounts", "ous")
OU_KEYS = ("name", "id", "scps", "rcps", "accounts", "ous")
ORG_ACCOUNT_KEYS = ("id", "scps", "rcps")

_ACCOUNT_ID = re.compile(r"^\d{12}$")
_USER_OR_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
_GROUP_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
_ORG_ID = re.compile(r"^o-[a-z0-9]{10,32}$")
_ROOT_ID = re.compile(r"^r-[0-9a-z]{4,32}$")
_OU_ID = re.compile(r"^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$")
_PATH_MAX = 512
#: "Modify a role maximum session duration", IAM User Guide.
MAX_SESSION_RANGE = (DEFAULT_MAX_SESSION_SECONDS, 43_200)


def account_id(cursor: Cursor, value: object, *, key: bool = False) -> str:
    """``value`` as a twelve-digit account id, or an error at ``cursor``."""
    if isinstance(value, int) and not isinstance(value, bool):
        raise cursor.fail(
            f"account id {value!r} is a number",
            "quote account ids so leading zeros survive",
            key=key,
        )
    if not isinstance(value, str) or not _ACCOUNT_ID.match(value):
        raise cursor.fail(
            f"account id {value!r} is not 12 digits",
            "an account id reads like '111122223333'",
            key=key,
        )
    return value


def tags(cursor: Cursor, what: str) -> dict[str, str]:
    """A tag mapping; numbers and booleans become the text IAM would store."""
    result: dict[str, str] = {}
    lowered: set[str] = set()
    for key, child in cursor.entries(what):
        if key.lower() in lowered:
            raise child.fail(
                f"tag key {key!r} is given twice",
                "tag keys are case-insensitive",
                key=True,
            )
        lowered.add(key.lower())
        result[key] = _tag_value(child)
    return result


def _tag_value(cursor: Cursor) -> str:
    value = cursor.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    raise cursor.fail(
        f"tag value must be a string, not {type_name(value)}", "quote the value"
    )


def build_accounts(cursor: Cursor | None, book: PolicyBook) -> dict[str, Account]:
    """Every account under ``accounts:``, keyed by id."""
    accounts: dict[str, Account] = {}
    seen_resources: set[str] = set()
    for key, child in [] if cursor is None else cursor.entries("accounts"):
        ident = account_id(child, key, key=True)
        accounts[ident] = _account(ident, child, book, seen_resources)
    return accounts


def _account(
    ident: str, cursor: Cursor, book: PolicyBook, seen_resources: set[str]
) -> Account:
    fields = cursor.fields(f"account {ident}", ACCOUNT_KEYS)
    partition = "aws"
    if "partition" in fields:
        partition = fields["partition"].text("partition")
        if partition not in PARTITIONS:
            raise fields["partition"].fail(
                f"unknown partition {partition!r}", closest_hint(partition, PARTITIONS)
            )
    scope = _Scope(ident, partition, book)
    groups = scope.groups(fields.get("groups"))
    users = scope.users(fields.get("users"), groups)
    roles = scope.roles(fields.get("roles"))
    providers = scope.providers(fields.get("saml_providers"), ProviderKind.SAML)
    providers += scope.providers(fields.get("oidc_providers"), ProviderKind.OIDC)
    resources = scope.resources(fields.get("resources"), seen_resources)
    return Account(ident, partition, users, groups, roles, providers, resources)


class _Scope:
    """Builds the entities of one account."""

    def __init__(self, account: str, partition: str, book: PolicyBook) -> None:
        self.account = account
        self.partition = partition
        self.book = book

    def groups(self, cursor: Cursor | None) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for name, child in _entries(cursor, "groups"):
            _check_name(child, name, _GROUP_NAME, "group", "1 to 128")
            fields = child.fields(f"group {name}", GROUP_KEYS)
            groups[name] = Group(
                name,
                self.account,
                _path(fields),
                self._policies(fields, name),
                self.partition,
                _unique_id(fields, "AGPA"),
            )
        return groups

    def users(self, cursor: Cursor | None, groups: dict[str, Group]) -> dict[str, User]:
        users: dict[str, User] = {}
        for name, child in _entries(cursor, "users"):
            _check_name(child, name, _USER_OR_ROLE_NAME, "user", "1 to 64")
            fields = child.fields(f"user {name}", USER_KEYS)
            users[name] = User(
                name,
                self.account,
                _path(fields),
                self._membership(fields.get("groups"), groups),
                self._policies(fields, name),
                self._boundary(fields, name),
                tags(fields["tags"], "tags") if "tags" in fields else {},
                self.partition,
                _unique_id(fields, "AIDA"),
            )
        return users

    def roles(self, cursor: Cursor | None) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        for name, child in _entries(cursor, "roles"):
            _check_name(child, name, _USER_OR_ROLE_NAME, "role", "1 to 64")
            fields = child.fields(f"role {name}", ROLE_KEYS, required=("trust_policy",))
            trust = self.book.one(
                fields["trust_policy"], PolicyKind.TRUST, f"{name}/trust-policy"
            )
            roles[name] = Role(
                name,
                self.account,
                trust,
                _path(fields),
                self._policies(fields, name),
                self._boundary(fields, name),
                tags(fields["tags"], "tags") if "tags" in fields else {},
                _max_session(fields.get("max_session_duration")),
                fields["service_linked"].boolean("service_linked")
                if "service_linked" in fields
                else False,
                self.partition,
                _unique_id(fields, "AROA"),
            )
        return roles

    def providers(
        self, cursor: Cursor | None, kind: ProviderKind
    ) -> tuple[IdentityProvider, ...]:
        key = "url" if kind is ProviderKind.OIDC else "name"
        what = f"{kind.value}s".replace("-", " ")
        found: list[IdentityProvider] = []
        names: set[str] = set()
        for child in [] if cursor is None else cursor.elements(what):
            if isinstance(child.value, str):
                name, provider_tags = child.text(key), {}
            else:
                fields = child.fields(kind.value, (key, "tags"), required=(key,))
                name = fields[key].text(key)
                provider_tags = tags(fields["tags"], "tags") if "tags" in fields else {}
            name = name.removeprefix("https://") if kind is ProviderKind.OIDC else name
            if name in names:
                raise child.fail(f"{kind.value} {name!r} is listed twice")
            names.add(name)
            found.append(
                IdentityProvider(
                    kind, name, self.account, provider_tags, self.partition
                )
            )
        return tuple(found)

    def resources(self, cursor: Cursor | None, seen: set[str]) -> tuple[Resource, ...]:
        found: list[Resource] = []
        for child in [] if cursor is None else cursor.elements("resources"):
            fields = child.fields("resource", RESOURCE_KEYS, required=("arn",))
            arn = self._resource_arn(fields["arn"], seen)
            short = split_arn(arn)[5]
            policy = None
            if "policy" in fields:
                policy = self.book.one(
                    fields["policy"], PolicyKind.RESOURCE, f"{short}/resource-policy"
                )
            resource_tags = tags(fields["tags"], "tags") if "tags" in fields else {}
            found.append(Resource(arn, self.account, policy, resource_tags))
        return tuple(found)

    def _resource_arn(self, cursor: Cursor, seen: set[str]) -> str:
        arn = cursor.text("arn")
        if not is_arn(arn):
            raise cursor.fail(
                f"{arn!r} is not an ARN",
                "an ARN reads arn:PARTITION:SERVICE:REGION:ACCOUNT:ID",
            )
        owner = split_arn(arn)[4]
        if owner and owner != self.account:
            raise cursor.fail(
                f"resource {arn!r} belongs to account {owner!r}, not {self.account!r}",
                "list it under the account in its ARN",
            )
        if arn in seen:
            raise cursor.fail(
                f"resource {arn!r} is listed twice", "list each resource once"
            )
        seen.add(arn)
        return arn

    def _membership(
        self, cursor: Cursor | None, groups: dict[str, Group]
    ) -> tuple[str, ...]:
        names: list[str] = []
        for child in [] if cursor is None else cursor.elements("groups"):
            name = child.text("group name")
            if name not in groups:
                raise child.fail(
                    f"group {name!r} is not defined in account {self.account}",
                    closest_hint(name, list(groups), "define it under groups:"),
                )
            if name in names:
                raise child.fail(f"group {name!r} is listed twice")
            names.append(name)
        return tuple(names)

    def _policies(self, fields: dict[str, Cursor], owner: str) -> tuple[Policy, ...]:
        if "policies" not in fields:
            return ()
        return self.book.many(fields["policies"], PolicyKind.IDENTITY, owner)

    def _boundary(self, fields: dict[str, Cursor], owner: str) -> Policy | None:
        if "permissions_boundary" not in fields:
            return None
        return self.book.one(
            fields["permissions_boundary"],
            PolicyKind.BOUNDARY,
            f"{owner}/permissions-boundary",
        )


def _entries(cursor: Cursor | None, what: str) -> list[tuple[str, Cursor]]:
    return [] if cursor is None else cursor.entries(what)


def _check_name(
    cursor: Cursor, name: str, pattern: re.Pattern[str], what: str, length: str
) -> None:
    if not pattern.match(name):
        raise cursor.fail(
            f"{what} name {name!r} is not valid",
            f"use {length} letters, digits or any of _+=,.@-",
            key=True,
        )


def _path(fields: dict[str, Cursor]) -> str:
    if "path" not in fields:
        return "/"
    cursor = fields["path"]
    path = cursor.text("path")
    if not path.startswith("/") or not path.endswith("/") or len(path) > _PATH_MAX:
        raise cursor.fail(
            f"path {path!r} is not valid",
            "a path starts and ends with '/', e.g. '/engineering/'",
        )
    return path


def _unique_id(fields: dict[str, Cursor], prefix: str) -> str:
    if "id" not in fields:
        return ""
    ident = fields["id"].text("id")
    if not ident.startswith(prefix) or not ident.isalnum():
        raise fields["id"].fail(
            f"id {ident!r} is not valid here", f"this kind of id starts with {prefix!r}"
        )
    return ident


def _max_session(cursor: Cursor | None) -> int:
    if cursor is None:
        return DEFAULT_MAX_SESSION_SECONDS
    seconds = cursor.integer("max_session_duration")
    low, high = MAX_SESSION_RANGE
    if not low <= seconds <= high:
        raise cursor.fail(
            f"max_session_duration {seconds} is out of range",
            f"use {low} to {high} seconds",
        )
    return seconds


def build_organization(cursor: Cursor, book: PolicyBook) -> Organization:
    """The organization tree under ``organization:``."""
    fields = cursor.fields(
        "organization", ORGANIZATION_KEYS, required=("id", "management_account", "root")
    )
    org_id = fields["id"].text("organization id")
    if not _ORG_ID.match(org_id):
        raise fields["id"].fail(
            f"organization id {org_id!r} is not valid",
            "it reads 'o-' and 10 to 32 lowercase letters or digits",
        )
    management = account_id(
        fields["management_account"], fields["management_account"].value
    )
    tree = _Tree(book)
    root = tree.root(fields["root"], org_id)
    if management not in tree.placed:
        raise fields["management_account"].fail(
            f"management account {management!r} is not in the organization tree",
            "list it under the root's or an OU's accounts",
        )
    return Organization(org_id, management, root)


class _Tree:
    """Builds the root and OUs, tracking where each account was placed."""

    def __init__(self, book: PolicyBook) -> None:
        self.book = book
        self.placed: set[str] = set()

    def root(self, cursor: Cursor, org_id: str) -> OrgUnit:
        fields = cursor.fields("root", ROOT_KEYS)
        ident = root_id(org_id)
        if "id" in fields:
            ident = _checked_id(fields["id"], _ROOT_ID, "root id", "'r-' and 4 to 32")
        return self._unit(fields, ident, "Root", ident, ())

    def _unit(
        self,
        fields: dict[str, Cursor],
        ident: str,
        name: str,
        root: str,
        above: tuple[str, ...],
    ) -> OrgUnit:
        scps, rcps = self._gates(fields, name)
        accounts = tuple(
            self._account(child)
            for child in _elements(fields.get("accounts"), "accounts")
        )
        units: list[OrgUnit] = []
        names: set[str] = set()
        for child in _elements(fields.get("ous"), "ous"):
            unit_fields = child.fields("OU", OU_KEYS, required=("name",))
            unit_name = unit_fields["name"].text("OU name")
            if unit_name in names:
                raise unit_fields["name"].fail(
                    f"OU {unit_name!r} appears twice under {name!r}",
                    "sibling OUs need distinct names",
                )
            names.add(unit_name)
            path = (*above, unit_name)
            unit_id = ou_id(root, *path)
            if "id" in unit_fields:
                unit_id = _checked_id(
                    unit_fields["id"],
                    _OU_ID,
                    "OU id",
                    "'ou-', the root part, '-' and 8 to 32",
                )
            units.append(self._unit(unit_fields, unit_id, unit_name, root, path))
        return OrgUnit(ident, name, scps, rcps, accounts, tuple(units))

    def _account(self, cursor: Cursor) -> OrgAccount:
        if isinstance(cursor.value, str | int) and not isinstance(cursor.value, bool):
            ident = account_id(cursor, cursor.value)
            fields: dict[str, Cursor] = {}
        else:
            fields = cursor.fields(
                "organization account", ORG_ACCOUNT_KEYS, required=("id",)
            )
            ident = account_id(fields["id"], fields["id"].value)
        if ident in self.placed:
            raise cursor.fail(
                f"account {ident!r} appears twice in the organization",
                "an account belongs to exactly one OU or to the root",
            )
        self.placed.add(ident)
        scps, rcps = self._gates(fields, ident)
        return OrgAccount(ident, scps, rcps)

    def _gates(
        self, fields: dict[str, Cursor], owner: str
    ) -> tuple[tuple[Policy, ...], tuple[Policy, ...]]:
        full_access = self.book.named(_builtin(FULL_AWS_ACCESS), PolicyKind.SCP)
        rcp_full = self.book.named(_builtin(RCP_FULL_AWS_ACCESS), PolicyKind.RCP)
        scps: tuple[Policy, ...] = (full_access,)
        if "scps" in fields:
            scps = self.book.many(fields["scps"], PolicyKind.SCP, owner, "scps")
            if not scps:
                raise fields["scps"].fail(
                    "scps is empty, but AWS keeps at least one SCP attached",
                    f"omit scps to keep {FULL_AWS_ACCESS}, or attach another SCP",
                )
        rcps: tuple[Policy, ...] = ()
        if "rcps" in fields:
            rcps = self.book.many(fields["rcps"], PolicyKind.RCP, owner, "rcps")
        if not any(is_full_access_rcp(policy.name) for policy in rcps):
            rcps = (rcp_full, *rcps)
        return scps, rcps


def _builtin(name: str) -> Cursor:
    return Cursor(Source("<built-in>"), (), name)


def _elements(cursor: Cursor | None, what: str) -> list[Cursor]:
    return [] if cursor is None else cursor.elements(what)


def _checked_id(cursor: Cursor, pattern: re.Pattern[str], what: str, shape: str) -> str:
    ident = cursor.text(what)
    if not pattern.match(ident):
        raise cursor.fail(
            f"{what} {ident!r} is not valid",
            f"it reads {shape} lowercase letters or digits",
        )
    return ident
