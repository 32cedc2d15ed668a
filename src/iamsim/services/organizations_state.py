"""How the organization is written: founding it, enabling policy types, and
creating member accounts with their administrator role.

A new organization has one root and its management account. Enabling a
policy type attaches AWS's full-access policy of that type to the root,
every OU and every account, and each OU or account created later gets it
too ("Enabling and disabling policy types", AWS Organizations User Guide).
A created account gets the ``OrganizationAccountAccessRole`` (or the
RoleName given), trusting the management account's root and holding an
inline ``AdministratorAccess`` policy ("Accessing member accounts in your
organization"). The backend uses these to create a new state, and the
Organizations operations to change it.

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import datetime
from sqlite3 import Connection

from iamsim.services.iam_common import POLICY_ID_PREFIX, ROLE_ID_PREFIX, unique_id
from iamsim.world.store_iam import get_account, insert_role
from iamsim.world.store_iam import insert_account as insert_account_row
from iamsim.world.store_org import (
    FULL_ACCESS_RCP_ID,
    FULL_ACCESS_SCP_ID,
    OrgAccountRow,
    OrganizationRow,
    RootRow,
    all_units,
    attach_org_policy,
    ensure_aws_managed_policies,
    get_root,
    insert_member,
    insert_organization,
    insert_root,
    list_roots,
    members,
    policies_for_target,
    set_root_policy_types,
)
from iamsim.world.store_policies import (
    get_policy,
    insert_policy,
    insert_version,
    put_inline,
)
from iamsim.world.store_rows import (
    AccountRow,
    EntityKind,
    InlinePolicyRow,
    ManagedPolicyRow,
    PolicyVersionRow,
    RoleRow,
)

SCP = "SERVICE_CONTROL_POLICY"
RCP = "RESOURCE_CONTROL_POLICY"
FULL_ACCESS = {SCP: FULL_ACCESS_SCP_ID, RCP: FULL_ACCESS_RCP_ID}
DEFAULT_ROLE = "OrganizationAccountAccessRole"
ADMINISTRATOR_ACCESS = "AdministratorAccess"
ADMIN_DOCUMENT = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    },
    indent=4,
)
#: Organization, root, OU and policy ids use lower-case letters and digits.
LOWER = string.ascii_lowercase + string.digits


# Ids


def random_text(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_account_id(db: Connection) -> str:
    """A twelve-digit account id not yet in the store."""
    while True:
        candidate = str(secrets.randbelow(9 * 10**11) + 10**11)
        if get_account(db, candidate) is None:
            return candidate


# Writing the organization (also used when a new state is created)


def insert_account(
    db: Connection, account: str, name: str, now: datetime, email: str | None = None
) -> AccountRow:
    """Add an account (partition ``aws``) to the store."""
    row = AccountRow(account, "aws", name, email or f"{account}@iamsim.example", now)
    insert_account_row(db, row)
    return row


def install_aws_managed_policies(db: Connection, now: datetime) -> None:
    """Store the AWS managed policies iamsim knows: FullAWSAccess,
    RCPFullAWSAccess and the IAM policy AdministratorAccess."""
    ensure_aws_managed_policies(db)
    arn = f"arn:aws:iam::aws:policy/{ADMINISTRATOR_ACCESS}"
    if get_policy(db, arn) is not None:
        return
    row = ManagedPolicyRow(
        arn,
        "aws",
        ADMINISTRATOR_ACCESS,
        "/",
        unique_id(POLICY_ID_PREFIX),
        now,
        now,
        "Provides full access to AWS services and resources.",
        "v1",
        2,
    )
    insert_policy(db, row)
    insert_version(db, PolicyVersionRow(arn, "v1", ADMIN_DOCUMENT, now))


def found_organization(
    db: Connection,
    management: str,
    now: datetime,
    *,
    feature_set: str = "ALL",
    enable_scps: bool = False,
) -> OrganizationRow:
    """Create the organization with ``management`` as its only account."""
    org = OrganizationRow(f"o-{random_text(LOWER, 10)}", management, feature_set, now)
    insert_organization(db, org)
    root = RootRow(f"r-{random_text(LOWER, 4)}", "Root")
    insert_root(db, root)
    insert_member(db, OrgAccountRow(management, root.id, "INVITED", now))
    if enable_scps:
        enable_type(db, root.id, SCP)
    return org


def enable_type(db: Connection, root_id: str, policy_type: str) -> None:
    """Enable a policy type, attaching its full-access policy everywhere."""
    root = get_root(db, root_id)
    if root is None:
        return
    set_root_policy_types(db, root_id, (*root.policy_types, policy_type))
    full = FULL_ACCESS[policy_type]
    targets = [root_id, *(unit.id for unit in all_units(db))]
    targets += [member.account_id for member in members(db)]
    for target in targets:
        if full not in {p.id for p in policies_for_target(db, target, policy_type)}:
            attach_org_policy(db, full, target)


def attach_defaults(db: Connection, target: str) -> None:
    """Give a new OU or account the full-access policy of each enabled type."""
    for root in list_roots(db):
        for policy_type in root.policy_types:
            if policy_type in FULL_ACCESS:
                attach_org_policy(db, FULL_ACCESS[policy_type], target)


def create_member_account(
    db: Connection,
    *,
    name: str,
    email: str,
    role_name: str,
    management: str,
    parent: str,
    now: datetime,
) -> str:
    """Create a member account with its administrator role; its id."""
    account = new_account_id(db)
    insert_account(db, account, name, now, email)
    insert_member(db, OrgAccountRow(account, parent, "CREATED", now))
    attach_defaults(db, account)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{management}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = RoleRow(
        account,
        role_name,
        "/",
        unique_id(ROLE_ID_PREFIX),
        now,
        json.dumps(trust, indent=4),
    )
    insert_role(db, role)
    put_inline(
        db,
        InlinePolicyRow(
            account, EntityKind.ROLE, role_name, ADMINISTRATOR_ACCESS, ADMIN_DOCUMENT
        ),
    )
    return account
