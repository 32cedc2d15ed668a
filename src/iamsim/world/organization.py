"""An AWS Organizations tree: the root, nested OUs, accounts, their SCPs and RCPs.

Service control policies and resource control policies attached to the
root, to every OU on the way down and to the account itself must each allow
a request ("Service control policies (SCPs)" and "Resource control policies
(RCPs)", AWS Organizations User Guide). This module keeps the tree and
answers, for one account, which levels apply and what its entity path is.
Imports only iamsim.errors, iamsim.policy and iamsim.engine.request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from iamsim.engine.request import OrgGates, PolicyLevel
from iamsim.errors import InputError
from iamsim.policy.model import Policy


@dataclass(frozen=True, slots=True)
class OrgAccount:
    """An account's place in the tree, with the policies attached to it."""

    id: str
    scps: tuple[Policy, ...] = ()
    rcps: tuple[Policy, ...] = ()


@dataclass(frozen=True, slots=True)
class OrgUnit:
    """The root or an organizational unit, with its attached policies."""

    id: str
    name: str
    scps: tuple[Policy, ...] = ()
    rcps: tuple[Policy, ...] = ()
    accounts: tuple[OrgAccount, ...] = ()
    units: tuple[OrgUnit, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one account sits: the units from the root down to its parent."""

    account: OrgAccount
    chain: tuple[OrgUnit, ...]

    def entity_path(self, org_id: str) -> str:
        """The Organizations entity path of the account's parent.

        This is the form ``aws:PrincipalOrgPaths`` and ``aws:ResourceOrgPaths``
        carry: ``o-ID/r-ID/ou-ID/.../``, ending with the parent OU and a slash
        ("Understand the AWS Organizations entity path", IAM User Guide).
        """
        return "/".join((org_id, *(unit.id for unit in self.chain))) + "/"


@dataclass(frozen=True)
class Organization:
    """An organization: its id, management account and tree.

    Every account appears at most once in the tree, and the management
    account must appear in it, as it does in AWS.
    """

    id: str
    management_account: str
    root: OrgUnit
    _placements: dict[str, Placement] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    #: The OrgGates of each account, built once: the engine keeps its compiled
    #: levels by identity, so the same object must come back every time.
    _gate_cache: dict[tuple[str, bool], OrgGates | None] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._place(self.root, ())
        if self.management_account not in self._placements:
            raise InputError(
                f"management account {self.management_account!r} is not in the "
                "organization tree",
                where="organization.management_account",
                hint="list it under the root's or an OU's accounts",
            )

    def _place(self, unit: OrgUnit, above: tuple[OrgUnit, ...]) -> None:
        chain = (*above, unit)
        for account in unit.accounts:
            if account.id in self._placements:
                raise InputError(
                    f"account {account.id!r} appears twice in the organization",
                    where="organization",
                    hint="an account belongs to exactly one OU or to the root",
                )
            self._placements[account.id] = Placement(account, chain)
        for child in unit.units:
            self._place(child, chain)

    @property
    def account_ids(self) -> tuple[str, ...]:
        """Every account in the tree, in the order they were listed."""
        return tuple(self._placements)

    def placement(self, account_id: str) -> Placement | None:
        """Where ``account_id`` sits, or None when it is not a member."""
        return self._placements.get(account_id)

    def entity_path(self, account_id: str) -> str | None:
        """The entity path of the account's parent, when it is a member."""
        placement = self._placements.get(account_id)
        return None if placement is None else placement.entity_path(self.id)

    def scp_gates(self, account_id: str) -> OrgGates | None:
        """The SCP levels over ``account_id``, root first; None for outsiders."""
        return self._gates(account_id, scps=True)

    def rcp_gates(self, account_id: str) -> OrgGates | None:
        """The RCP levels over ``account_id``, root first; None for outsiders."""
        return self._gates(account_id, scps=False)

    def _gates(self, account_id: str, *, scps: bool) -> OrgGates | None:
        key = (account_id, scps)
        if key not in self._gate_cache:
            self._gate_cache[key] = self._build_gates(account_id, scps=scps)
        return self._gate_cache[key]

    def _build_gates(self, account_id: str, *, scps: bool) -> OrgGates | None:
        placement = self._placements.get(account_id)
        if placement is None:
            return None
        levels: list[PolicyLevel] = [
            unit.scps if scps else unit.rcps for unit in placement.chain
        ]
        account = placement.account
        levels.append(account.scps if scps else account.rcps)
        return OrgGates(
            levels=tuple(levels),
            is_management_account=account_id == self.management_account,
        )
