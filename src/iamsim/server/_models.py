"""The services the endpoint speaks, described by botocore's own models.

Each served service is named by its SigV4 signing name (``iam``, ``sts``,
``organizations``, ``cloudtrail``) and carries botocore's service model, from
which the codecs read every shape: the same description the SDKs and the AWS
CLI build their requests from, so what they send is what is decoded here.

Imports iamsim.errors only. botocore is imported when the models load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from iamsim.errors import Unsupported

QUERY = "query"
JSON = "json"

#: Signing name to botocore model name, for every service the endpoint serves.
SERVED_SERVICES = ("iam", "sts", "organizations", "cloudtrail")

#: CloudTrail's eventSource for each service: "<signing name>.amazonaws.com".
EVENT_SOURCE_SUFFIX = ".amazonaws.com"


@dataclass(frozen=True)
class ServiceSpec:
    """One served service: its wire protocol and botocore model."""

    name: str
    model: Any = field(repr=False)

    @property
    def protocol(self) -> str:
        return str(self.model.protocol)

    @property
    def api_version(self) -> str:
        return str(self.model.api_version)

    @property
    def xml_namespace(self) -> str:
        return str(self.model.metadata.get("xmlNamespace", ""))

    @property
    def target_prefix(self) -> str:
        return str(self.model.metadata.get("targetPrefix", ""))

    @property
    def event_source(self) -> str:
        return f"{self.name}{EVENT_SOURCE_SUFFIX}"

    def operation(self, name: str) -> Any | None:
        """botocore's OperationModel for ``name``, or None if AWS has none."""
        if not name or name not in self.operation_names:
            return None
        return self.model.operation_model(name)

    @cached_property
    def operation_names(self) -> frozenset[str]:
        return frozenset(self.model.operation_names)


@dataclass(frozen=True)
class Catalog:
    """The served services, by signing name and by JSON target prefix."""

    services: dict[str, ServiceSpec]

    def get(self, name: str) -> ServiceSpec | None:
        return self.services.get(name)

    def by_target_prefix(self, prefix: str) -> ServiceSpec | None:
        for spec in self.services.values():
            if spec.target_prefix and spec.target_prefix == prefix:
                return spec
        return None

    def query_service_for(self, action: str) -> ServiceSpec:
        """The query-protocol service an unsigned ``action`` belongs to.

        Only needed when no credential scope names the service: STS if the
        action is one of its operations, IAM otherwise.
        """
        sts = self.services["sts"]
        return sts if sts.operation(action) is not None else self.services["iam"]


@cache
def load_catalog() -> Catalog:
    """Load botocore's models of the served services once per process."""
    try:
        import botocore.session  # type: ignore[import-untyped]
    except ImportError:
        raise Unsupported(
            "the endpoint reads AWS's API models from botocore, which is missing",
            hint="install iamsim[server]",
        ) from None
    session = botocore.session.get_session()
    services = {
        name: ServiceSpec(name, session.get_service_model(name))
        for name in SERVED_SERVICES
    }
    return Catalog(services)
