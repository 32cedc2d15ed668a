"""The benchmark's workload: a scenario dict and a stream of requests.

Everything is drawn from :class:`random.Random` generators seeded from one
integer, so a seed always yields the same world and the same requests, on any
machine and Python version (string seeds are hashed with SHA-512, not with
the per-process ``hash``). The world and the requests use separate streams,
``"<seed>/world"`` and ``"<seed>/requests"``: asking for more requests never
changes the world, and the first N requests are the same for any larger N.

The world is an organization of one management account and four member
accounts under two OUs, holding about 2,000 principals (IAM users in groups,
and roles called through sessions), each with 3 to 8 policies of 2 to 10
statements. Requests pick a random principal; a share of them is *targeted*
(an action and resource that one of the principal's own statements names, so
that allows and explicit denies occur), the rest are random over the
accounts' resources. Context keys vary per request, so conditions both pass
and fail.

Imports iamsim.world.query only; the scenario is plain data.
"""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from iamsim.world.query import Query, SessionSpec

POLICY_VERSION = "2012-10-17"
ORG_ID = "o-b3nchm4rk0"
MANAGEMENT_ACCOUNT = "111111111111"
#: Member accounts by OU; principals live only in member accounts, since the
#: management account is exempt from SCPs.
OUS: dict[str, tuple[str, ...]] = {
    "Prod": ("222222222222", "333333333333"),
    "Dev": ("444444444444", "555555555555"),
}
MEMBER_ACCOUNTS = tuple(account for accounts in OUS.values() for account in accounts)

PRINCIPALS = 2_000
ROLE_SHARE = 0.4
GROUPS_PER_ACCOUNT = 12
SHARED_POLICIES = 80
POLICIES_PER_PRINCIPAL = (3, 8)
STATEMENTS_PER_POLICY = (2, 10)
#: Share of a principal's own policies that are shared managed policies; the
#: rest are inline documents written for that principal alone.
MANAGED_SHARE = 0.55
CONDITION_SHARE = 1 / 3
DENY_SHARE = 0.12
NOT_ACTION_SHARE = 0.06
ROLE_BOUNDARY_SHARE = 0.35
APP_PATH_SHARE = 0.2
USER_BOUNDARY_SHARE = 0.10

BUCKETS = 200
BUCKET_POLICY_SHARE = 0.3
QUEUE_POLICY_SHARE = 0.2
RESOURCES_PER_ACCOUNT = {
    "ec2": 40,
    "dynamodb": 30,
    "sqs": 20,
    "lambda": 20,
    "logs": 15,
    "kms": 5,
}

#: us-west-2 lies outside the region-restriction SCP, so about a tenth of
#: regional requests meet an explicit deny there.
REGIONS = ("us-east-1", "eu-west-1", "us-west-2")
REGION_WEIGHTS = (0.6, 0.3, 0.1)
ALLOWED_REGIONS = ("us-east-1", "eu-west-1")
TEAMS = ("red", "blue", "green", "gold", "platform")
S3_PREFIXES = ("public", "data", "logs", "home")

#: Share of requests built from the principal's own statements.
TARGETED_SHARE = 0.6
ASSUMED_ROLE_ARN_SHARE = 0.5
SESSION_TAG_SHARE = 0.15
SECURE_TRANSPORT_SHARE = 0.9
CORPORATE_IP_SHARE = 0.75

ACTIONS: dict[str, tuple[str, ...]] = {
    "s3": (
        "GetObject",
        "PutObject",
        "DeleteObject",
        "ListBucket",
        "GetBucketPolicy",
        "DeleteBucket",
        "GetObjectTagging",
        "PutObjectAcl",
    ),
    "ec2": (
        "DescribeInstances",
        "DescribeVolumes",
        "RunInstances",
        "StartInstances",
        "StopInstances",
        "TerminateInstances",
    ),
    "dynamodb": (
        "GetItem",
        "PutItem",
        "Query",
        "Scan",
        "UpdateItem",
        "DeleteItem",
        "DeleteTable",
        "DescribeTable",
    ),
    "sqs": (
        "SendMessage",
        "ReceiveMessage",
        "DeleteMessage",
        "GetQueueAttributes",
        "PurgeQueue",
    ),
    "lambda": ("InvokeFunction", "GetFunction", "UpdateFunctionCode", "ListFunctions"),
    "logs": ("CreateLogStream", "PutLogEvents", "DescribeLogGroups", "DeleteLogGroup"),
    "kms": ("Decrypt", "Encrypt", "GenerateDataKey", "ScheduleKeyDeletion"),
    "iam": (
        "GetRole",
        "ListRoles",
        "PassRole",
        "CreateUser",
        "CreateAccessKey",
        "AttachRolePolicy",
    ),
    "sts": ("AssumeRole",),
}
SERVICES = tuple(ACTIONS)
SERVICE_WEIGHTS = (30, 12, 18, 10, 8, 8, 5, 6, 3)
#: Action patterns statements draw from: exact names and wildcards.
ACTION_PATTERNS: dict[str, tuple[str, ...]] = {
    "s3": (
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "s3:Get*",
        "s3:List*",
        "s3:Put*",
        "s3:*Object",
        "s3:*",
    ),
    "ec2": (
        "ec2:Describe*",
        "ec2:StartInstances",
        "ec2:StopInstances",
        "ec2:*Instances",
        "ec2:*",
    ),
    "dynamodb": (
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:Get*",
        "dynamodb:Describe*",
        "dynamodb:*",
    ),
    "sqs": ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:Send*", "sqs:*"),
    "lambda": ("lambda:InvokeFunction", "lambda:Get*", "lambda:*"),
    "logs": ("logs:PutLogEvents", "logs:CreateLogStream", "logs:Describe*", "logs:*"),
    "kms": ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:*"),
    "iam": ("iam:GetRole", "iam:PassRole", "iam:Get*", "iam:List*", "iam:*"),
    "sts": ("sts:AssumeRole",),
}
#: S3 actions that act on a bucket rather than on an object.
BUCKET_ACTIONS = frozenset({"s3:ListBucket", "s3:GetBucketPolicy", "s3:DeleteBucket"})

Document = dict[str, Any]


#: An action and a resource that one generated statement names. A plain tuple
#: of strings, which the garbage collector stops tracking, so the benchmark's
#: own data adds little to the collections it measures.
Hint = tuple[str, str]


@dataclass(slots=True)
class Principal:
    """A generated principal and what requests need to speak as it."""

    arn: str
    account: str
    name: str
    team: str
    is_role: bool
    path: str = "/"
    #: Names of the policies whose statements give this principal's hints.
    policy_keys: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RequestSpec:
    """One request before it becomes a Query; cheap to keep in bulk."""

    principal: str
    action: str
    resource: str
    session: SessionSpec | None
    context: dict[str, str]

    def query(self) -> Query:
        return Query(
            self.principal, self.action, self.resource, self.session, self.context
        )


@dataclass
class Estate:
    """The concrete resources of every member account, by service."""

    bucket_owner: dict[str, str] = field(default_factory=dict)
    by_account: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def arns(self, account: str, service: str) -> list[str]:
        return self.by_account[account][service]


@dataclass
class Workload:
    """A generated scenario, and what the request stream draws from."""

    scenario: dict[str, Any]
    principals: list[Principal]
    estate: Estate
    hints: dict[str, list[Hint]]
    sessions: dict[str, tuple[SessionSpec, SessionSpec]]
    stats: dict[str, int]


def build_workload(seed: int) -> Workload:
    """The scenario and request inputs for ``seed``; see the module docstring."""
    return _WorldBuilder(random.Random(f"{seed}/world")).build()


def iter_requests(workload: Workload, seed: int, count: int) -> Iterator[RequestSpec]:
    """``count`` requests from the ``"<seed>/requests"`` stream."""
    rng = random.Random(f"{seed}/requests")
    maker = _RequestMaker(workload, rng)
    for _ in range(count):
        yield maker.next()


def _expand(pattern: str) -> tuple[str, ...]:
    """The catalog actions a pattern covers, as IAM's case-insensitive glob."""
    folded = pattern.lower()
    return tuple(
        f"{service}:{name}"
        for service, names in ACTIONS.items()
        for name in names
        if fnmatch.fnmatchcase(f"{service}:{name}".lower(), folded)
    )


_EXPANSIONS = {
    pattern: _expand(pattern)
    for patterns in ACTION_PATTERNS.values()
    for pattern in patterns
}


class _WorldBuilder:
    """Draws the world from one random stream, in a fixed order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.estate = Estate()
        self.policies: dict[str, Document] = {}
        self.hints: dict[str, list[Hint]] = {}
        self.principals: list[Principal] = []
        self.stats: dict[str, int] = dict.fromkeys(
            (
                "statements",
                "conditioned",
                "deny",
                "not_action",
                "inline_policies",
                "boundaries",
                "resource_policies",
                "users",
                "roles",
                "groups",
            ),
            0,
        )

    def build(self) -> Workload:
        self._name_principals()
        self._build_estate()
        self._org_policies()
        self._boundaries()
        for index in range(SHARED_POLICIES):
            self._add_named(f"Shared{index:03d}", None, None)
        accounts = {account: self._account(account) for account in MEMBER_ACCOUNTS}
        scenario = {
            "organization": self._organization(),
            "policies": self.policies,
            "accounts": accounts,
        }
        sessions = {
            p.arn: (
                SessionSpec(name=f"{p.name}-session"),
                SessionSpec(
                    name=f"{p.name}-tagged", tags={"team": self.rng.choice(TEAMS)}
                ),
            )
            for p in self.principals
            if p.is_role
        }
        self.stats["principals"] = len(self.principals)
        self.stats["managed_policies"] = len(self.policies)
        return Workload(
            scenario, self.principals, self.estate, self.hints, sessions, self.stats
        )

    # -- principals and resources ---------------------------------------------

    def _name_principals(self) -> None:
        for index in range(PRINCIPALS):
            account = MEMBER_ACCOUNTS[index % len(MEMBER_ACCOUNTS)]
            team = self.rng.choice(TEAMS)
            if self.rng.random() < ROLE_SHARE:
                name = f"role-{index:04d}"
                path = "/app/" if self.rng.random() < APP_PATH_SHARE else "/"
                arn = f"arn:aws:iam::{account}:role{path}{name}"
                self.principals.append(Principal(arn, account, name, team, True, path))
            else:
                name = f"user-{index:04d}"
                arn = f"arn:aws:iam::{account}:user/{name}"
                self.principals.append(Principal(arn, account, name, team, False))

    def _build_estate(self) -> None:
        estate = self.estate
        for account in MEMBER_ACCOUNTS:
            estate.by_account[account] = {service: [] for service in SERVICES}
        for index in range(BUCKETS):
            owner = self.rng.choice(MEMBER_ACCOUNTS)
            bucket = f"bucket-{index}"
            estate.bucket_owner[bucket] = owner
            arns = estate.by_account[owner]["s3"]
            arns.append(f"arn:aws:s3:::{bucket}")
            for _ in range(4):
                arns.append(self._object_arn(bucket))
        for account in MEMBER_ACCOUNTS:
            for service, count in RESOURCES_PER_ACCOUNT.items():
                arns = estate.by_account[account][service]
                arns.extend(
                    self._regional_arn(service, account, i) for i in range(count)
                )
        for principal in self.principals:
            if principal.is_role:
                for service in ("iam", "sts"):
                    estate.by_account[principal.account][service].append(principal.arn)

    def _object_arn(self, bucket: str) -> str:
        prefix = self.rng.choice(S3_PREFIXES)
        if prefix == "home":
            prefix = f"home/user-{self.rng.randrange(PRINCIPALS):04d}"
        return f"arn:aws:s3:::{bucket}/{prefix}/obj-{self.rng.randrange(1000)}"

    def _regional_arn(self, service: str, account: str, index: int) -> str:
        region = self.rng.choices(REGIONS, REGION_WEIGHTS)[0]
        head = f"arn:aws:{service}:{region}:{account}"
        if service == "ec2":
            return f"{head}:instance/i-{self.rng.getrandbits(32):08x}"
        if service == "dynamodb":
            return f"{head}:table/table-{index}"
        if service == "sqs":
            return f"{head}:queue-{index}"
        if service == "lambda":
            return f"{head}:function:fn-{index}"
        if service == "logs":
            return f"{head}:log-group:/app/svc-{index}"
        return f"{head}:key/{self.rng.getrandbits(128):032x}"

    # -- organization and fixed policies --------------------------------------

    def _organization(self) -> dict[str, Any]:
        return {
            "id": ORG_ID,
            "management_account": MANAGEMENT_ACCOUNT,
            "root": {
                "scps": ["FullAWSAccess", "DenyOutsideRegions"],
                "accounts": [MANAGEMENT_ACCOUNT],
                "ous": [
                    {
                        "name": "Prod",
                        "scps": ["FullAWSAccess", "DenyDestructive"],
                        "accounts": list(OUS["Prod"]),
                    },
                    {
                        "name": "Dev",
                        "scps": ["FullAWSAccess", "DenyIamWrites"],
                        "accounts": list(OUS["Dev"]),
                    },
                ],
            },
        }

    def _org_policies(self) -> None:
        self.policies["DenyOutsideRegions"] = _document(
            [
                {
                    "Sid": "DenyOutsideRegions",
                    "Effect": "Deny",
                    "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"],
                    "Resource": "*",
                    "Condition": {
                        "StringNotEquals": {
                            "aws:RequestedRegion": list(ALLOWED_REGIONS)
                        }
                    },
                }
            ]
        )
        self.policies["DenyDestructive"] = _document(
            [
                {
                    "Effect": "Deny",
                    "Action": [
                        "ec2:TerminateInstances",
                        "s3:DeleteBucket",
                        "dynamodb:DeleteTable",
                        "kms:ScheduleKeyDeletion",
                        "logs:DeleteLogGroup",
                        "iam:CreateAccessKey",
                    ],
                    "Resource": "*",
                }
            ]
        )
        self.policies["DenyIamWrites"] = _document(
            [
                {
                    "Effect": "Deny",
                    "Action": ["iam:Create*", "iam:Delete*", "iam:Put*", "iam:Attach*"],
                    "Resource": "*",
                }
            ]
        )

    def _boundaries(self) -> None:
        self.policies["BoundaryDataPlane"] = _document(
            [
                {
                    "Effect": "Allow",
                    "Action": [
                        "s3:*",
                        "dynamodb:*",
                        "sqs:*",
                        "logs:*",
                        "kms:Decrypt",
                        "kms:GenerateDataKey",
                        "lambda:InvokeFunction",
                        "sts:AssumeRole",
                    ],
                    "Resource": "*",
                }
            ]
        )
        self.policies["BoundaryReadOnly"] = _document(
            [
                {
                    "Effect": "Allow",
                    "Action": [
                        "s3:Get*",
                        "s3:List*",
                        "ec2:Describe*",
                        "dynamodb:Get*",
                        "dynamodb:Query",
                        "dynamodb:Scan",
                        "dynamodb:Describe*",
                        "logs:Describe*",
                        "lambda:Get*",
                        "iam:Get*",
                        "iam:List*",
                    ],
                    "Resource": "*",
                }
            ]
        )
        self.policies["BoundaryNoIam"] = _document(
            [
                {
                    "Effect": "Allow",
                    "NotAction": ["iam:*", "organizations:*"],
                    "Resource": "*",
                },
                {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
            ]
        )
        self.policies["BoundaryHomeRegion"] = _document(
            [
                {
                    "Effect": "Allow",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
                }
            ]
        )

    # -- accounts -------------------------------------------------------------

    def _account(self, account: str) -> dict[str, Any]:
        groups = {
            f"group-{i:02d}": self._group(account, f"group-{i:02d}")
            for i in range(GROUPS_PER_ACCOUNT)
        }
        users: dict[str, Any] = {}
        roles: dict[str, Any] = {}
        for principal in self.principals:
            if principal.account != account:
                continue
            if principal.is_role:
                roles[principal.name] = self._role(principal)
            else:
                users[principal.name] = self._user(principal, groups)
        self.stats["groups"] += len(groups)
        return {
            "users": users,
            "groups": groups,
            "roles": roles,
            "resources": self._resources(account),
        }

    def _group(self, account: str, name: str) -> dict[str, Any]:
        policies: list[Any] = [self._shared_name()]
        key = f"{account}/{name}"
        if self.rng.random() < 0.5:
            policies.append(self._inline(key, account, None, None))
        self.hints.setdefault(key, [])
        return {"policies": policies}

    def _user(self, principal: Principal, groups: dict[str, Any]) -> dict[str, Any]:
        self.stats["users"] += 1
        memberships = self.rng.sample(sorted(groups), self.rng.choice((1, 1, 2)))
        inherited = sum(len(groups[g]["policies"]) for g in memberships)
        total = self.rng.randint(*POLICIES_PER_PRINCIPAL)
        own = max(1, total - inherited)
        for group in memberships:
            principal.policy_keys.extend(
                self._keys_of(groups[group]["policies"], f"{principal.account}/{group}")
            )
        entry: dict[str, Any] = {
            "groups": memberships,
            "policies": self._own_policies(principal, own),
            "tags": {"team": principal.team},
        }
        if self.rng.random() < USER_BOUNDARY_SHARE:
            entry["permissions_boundary"] = self._boundary_name()
        return entry

    def _role(self, principal: Principal) -> dict[str, Any]:
        self.stats["roles"] += 1
        total = self.rng.randint(*POLICIES_PER_PRINCIPAL)
        entry: dict[str, Any] = {
            "trust_policy": _document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{principal.account}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            ),
            "policies": self._own_policies(principal, total),
            "tags": {"team": principal.team},
        }
        if principal.path != "/":
            entry["path"] = principal.path
        if self.rng.random() < ROLE_BOUNDARY_SHARE:
            entry["permissions_boundary"] = self._boundary_name()
        return entry

    def _own_policies(self, principal: Principal, count: int) -> list[Any]:
        policies: list[Any] = []
        for index in range(count):
            if self.rng.random() < MANAGED_SHARE:
                name = self._shared_name()
                policies.append(name)
                principal.policy_keys.append(name)
            else:
                key = f"{principal.arn}#{index}"
                policies.append(
                    self._inline(key, principal.account, principal.team, principal)
                )
                principal.policy_keys.append(key)
        return policies

    def _keys_of(self, policies: list[Any], inline_key: str) -> list[str]:
        return [p if isinstance(p, str) else inline_key for p in policies]

    def _shared_name(self) -> str:
        return f"Shared{self.rng.randrange(SHARED_POLICIES):03d}"

    def _boundary_name(self) -> str:
        self.stats["boundaries"] += 1
        return self.rng.choice(
            (
                "BoundaryDataPlane",
                "BoundaryReadOnly",
                "BoundaryNoIam",
                "BoundaryHomeRegion",
            )
        )

    # -- identity policies ----------------------------------------------------

    def _add_named(self, name: str, account: str | None, team: str | None) -> None:
        statements, hints = self._statements(account, team, None)
        self.policies[name] = _document(statements)
        self.hints[name] = hints

    def _inline(
        self, key: str, account: str, team: str | None, principal: Principal | None
    ) -> Document:
        statements, hints = self._statements(account, team, principal)
        self.hints.setdefault(key, []).extend(hints)
        self.stats["inline_policies"] += 1
        return _document(statements)

    def _statements(
        self, account: str | None, team: str | None, principal: Principal | None
    ) -> tuple[list[Document], list[Hint]]:
        statements: list[Document] = []
        hints: list[Hint] = []
        for index in range(self.rng.randint(*STATEMENTS_PER_POLICY)):
            statement, found = self._statement(account, team, principal)
            if self.rng.random() < 0.3:
                statement = {"Sid": f"S{index}", **statement}
            statements.append(statement)
            hints.extend(found)
        return statements, hints

    def _statement(
        self, account: str | None, team: str | None, principal: Principal | None
    ) -> tuple[Document, list[Hint]]:
        rng = self.rng
        self.stats["statements"] += 1
        effect = "Deny" if rng.random() < DENY_SHARE else "Allow"
        self.stats["deny"] += effect == "Deny"
        service = rng.choices(SERVICES, SERVICE_WEIGHTS)[0]
        owner = account if account is not None else rng.choice(MEMBER_ACCOUNTS)
        example = rng.choice(self.estate.arns(owner, service))
        statement: Document = {"Effect": effect}
        if rng.random() < NOT_ACTION_SHARE:
            self.stats["not_action"] += 1
            excluded = rng.sample([s for s in SERVICES if s != service], 2)
            statement["NotAction"] = [f"{s}:*" for s in excluded]
            statement["Resource"] = "*"
            actions = [f"{service}:{a}" for a in ACTIONS[service]]
        else:
            patterns = rng.sample(
                ACTION_PATTERNS[service],
                min(len(ACTION_PATTERNS[service]), rng.choice((1, 1, 2, 3))),
            )
            statement["Action"] = patterns[0] if len(patterns) == 1 else patterns
            statement["Resource"], example = self._resource_pattern(
                service, example, account, principal
            )
            actions = sorted({a for p in patterns for a in _EXPANSIONS[p]})
        if rng.random() < CONDITION_SHARE:
            self.stats["conditioned"] += 1
            statement["Condition"] = self._condition(effect, team)
        picks = rng.sample(actions, min(2, len(actions)))
        return statement, [(action, example) for action in picks]

    def _resource_pattern(
        self,
        service: str,
        example: str,
        account: str | None,
        principal: Principal | None,
    ) -> tuple[str | list[str], str]:
        """A pattern, and a resource it matches: ``example`` or a variant."""
        rng = self.rng
        form = rng.randrange(6)
        if form == 0:
            return "*", example
        if service == "s3":
            return self._s3_pattern(example, form, principal)
        parts = example.split(":", 5)
        if form == 1:
            return example, example
        if form == 2 or account is None:
            parts[3] = "*" if parts[3] else ""
            parts[4] = "*" if account is None and parts[4] else parts[4]
        head = ":".join(parts[:5])
        if form == 3:
            return f"{head}:{_type_wildcard(parts[5])}", example
        if form == 4:
            cut = rng.randint(max(1, len(parts[5]) - 3), len(parts[5]))
            return f"{head}:{parts[5][:cut]}*", example
        return ":".join(parts), example

    def _s3_pattern(
        self, example: str, form: int, principal: Principal | None
    ) -> tuple[str | list[str], str]:
        bucket_arn = example.split("/", 1)[0]
        if form == 1:
            return example, example
        if form == 2:
            return f"{bucket_arn}/*", example
        if form == 3:
            return [bucket_arn, f"{bucket_arn}/*"], example
        if form == 4 and principal is not None and not principal.is_role:
            own = f"{bucket_arn}/home/{principal.name}/obj-{self.rng.randrange(99)}"
            return f"{bucket_arn}/home/${{aws:username}}/*", own
        return f"{bucket_arn[:-1]}*/*", example

    def _condition(self, effect: str, team: str | None) -> Document:
        rng = self.rng
        condition: Document = {}
        for choice in rng.sample(range(5), rng.choice((1, 1, 1, 2))):
            if choice == 0:
                value = (
                    team
                    if team is not None and rng.random() < 0.7
                    else (rng.choice(TEAMS))
                )
                operator = "StringEquals" if effect == "Allow" else "StringNotEquals"
                condition.setdefault(operator, {})["aws:PrincipalTag/team"] = value
            elif choice == 1:
                operator = "IpAddress" if effect == "Allow" else "NotIpAddress"
                networks = (
                    ["10.0.0.0/8"]
                    if rng.random() < 0.6
                    else [f"10.{rng.randrange(4)}.0.0/16", "192.0.2.0/24"]
                )
                condition[operator] = {"aws:SourceIp": networks}
            elif choice == 2:
                secure = "true" if effect == "Allow" else "false"
                condition["Bool"] = {"aws:SecureTransport": secure}
            elif choice == 3:
                condition["StringLike"] = {
                    "s3:prefix": ["public/*", "home/${aws:username}/*"]
                }
            else:
                operator = "StringEquals" if effect == "Allow" else "StringNotEquals"
                condition.setdefault(operator, {})["aws:RequestedRegion"] = list(
                    ALLOWED_REGIONS
                )
        return condition

    # -- resource policies ----------------------------------------------------

    def _resources(self, account: str) -> list[dict[str, Any]]:
        resources: list[dict[str, Any]] = []
        for bucket, owner in self.estate.bucket_owner.items():
            if owner != account:
                continue
            entry: dict[str, Any] = {
                "arn": f"arn:aws:s3:::{bucket}",
                "tags": {"team": self.rng.choice(TEAMS)},
            }
            if self.rng.random() < BUCKET_POLICY_SHARE:
                entry["policy"] = self._bucket_policy(bucket, account)
            resources.append(entry)
        for arn in self.estate.arns(account, "sqs"):
            if self.rng.random() < QUEUE_POLICY_SHARE:
                resources.append({"arn": arn, "policy": self._queue_policy(arn)})
        for arn in self.estate.arns(account, "kms"):
            resources.append({"arn": arn, "policy": _key_policy(account)})
            self.stats["resource_policies"] += 1
        return resources

    def _bucket_policy(self, bucket: str, account: str) -> Document:
        self.stats["resource_policies"] += 1
        arns = [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
        statements: list[Document] = [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": arns,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ]
        other = self.rng.choice([a for a in MEMBER_ACCOUNTS if a != account])
        if self.rng.random() < 0.6:
            statements.append(
                {
                    "Sid": "CrossAccountRead",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": arns,
                }
            )
        roles = [p.arn for p in self.principals if p.is_role and p.account == account]
        if roles and self.rng.random() < 0.5:
            statements.append(
                {
                    "Sid": "RoleWrite",
                    "Effect": "Allow",
                    "Principal": {"AWS": self.rng.choice(roles)},
                    "Action": "s3:PutObject",
                    "Resource": arns[1],
                }
            )
        if self.rng.random() < 0.5:
            statements.append(
                {
                    "Sid": "OrgOnly",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": arns,
                    "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG_ID}},
                }
            )
        return _document(statements)

    def _queue_policy(self, arn: str) -> Document:
        self.stats["resource_policies"] += 1
        account = arn.split(":")[4]
        other = self.rng.choice([a for a in MEMBER_ACCOUNTS if a != account])
        return _document(
            [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{other}:root"},
                    "Action": "sqs:SendMessage",
                    "Resource": arn,
                }
            ]
        )


def _key_policy(account: str) -> Document:
    return _document(
        [
            {
                "Sid": "EnableIamPolicies",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "OnlyPlatformDeletes",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "kms:ScheduleKeyDeletion",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "platform"}},
            },
        ]
    )


def _document(statements: Sequence[Document]) -> Document:
    return {"Version": POLICY_VERSION, "Statement": list(statements)}


def _type_wildcard(resource: str) -> str:
    """``table/*`` for ``table/t-1``; ``function:*`` for ``function:fn-1``."""
    for index, char in enumerate(resource):
        if char in "/:":
            return resource[: index + 1] + "*"
    return "*"


class _RequestMaker:
    """Draws requests: a principal, then a targeted or a random request."""

    def __init__(self, workload: Workload, rng: random.Random) -> None:
        self.workload = workload
        self.rng = rng

    def next(self) -> RequestSpec:
        rng = self.rng
        principal = rng.choice(self.workload.principals)
        hint = self._hint(principal) if rng.random() < TARGETED_SHARE else None
        if hint is None:
            hint = self._random(principal)
        caller, session = self._caller(principal)
        context = self._context(hint, principal)
        action, resource = hint
        return RequestSpec(caller, action, resource, session, context)

    def _hint(self, principal: Principal) -> Hint | None:
        key = self.rng.choice(principal.policy_keys)
        hints = self.workload.hints.get(key)
        return self.rng.choice(hints) if hints else None

    def _random(self, principal: Principal) -> Hint:
        rng = self.rng
        service = rng.choices(SERVICES, SERVICE_WEIGHTS)[0]
        account = principal.account
        if rng.random() < 0.3:
            account = rng.choice(MEMBER_ACCOUNTS)
        action = f"{service}:{rng.choice(ACTIONS[service])}"
        candidates = self.workload.estate.arns(account, service)
        if service == "s3":
            bucket_level = action in BUCKET_ACTIONS
            candidates = [a for a in candidates if ("/" not in a) == bucket_level]
        return action, rng.choice(candidates)

    def _caller(self, principal: Principal) -> tuple[str, SessionSpec | None]:
        if not principal.is_role:
            return principal.arn, None
        plain, tagged = self.workload.sessions[principal.arn]
        if self.rng.random() < SESSION_TAG_SHARE:
            return principal.arn, tagged
        if self.rng.random() < ASSUMED_ROLE_ARN_SHARE:
            session_arn = (
                f"arn:aws:sts::{principal.account}:assumed-role/"
                f"{principal.name}/{plain.name}"
            )
            return session_arn, None
        return principal.arn, plain

    def _context(self, hint: Hint, principal: Principal) -> dict[str, str]:
        rng = self.rng
        if rng.random() < CORPORATE_IP_SHARE:
            ip = f"10.{rng.randrange(8)}.{rng.randrange(256)}.{rng.randrange(256)}"
        else:
            ip = f"203.0.113.{rng.randrange(256)}"
        secure = rng.random() < SECURE_TRANSPORT_SHARE
        context = {
            "aws:SourceIp": ip,
            "aws:SecureTransport": "true" if secure else "false",
            "aws:RequestedRegion": self._region(hint),
        }
        if hint[0] == "s3:ListBucket":
            prefix = rng.choice(("public/", f"home/{principal.name}/", "logs/"))
            context["s3:prefix"] = prefix
        return context

    def _region(self, hint: Hint) -> str:
        action, resource = hint
        region = resource.split(":", 4)[3] if resource != "*" else ""
        if region:
            return region
        if action.startswith(("iam:", "sts:")):
            return "us-east-1"
        return self.rng.choices(REGIONS, REGION_WEIGHTS)[0]
