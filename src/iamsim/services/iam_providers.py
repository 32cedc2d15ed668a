"""SAML and OIDC identity providers: Create/Get/List/Delete SAMLProvider and
OpenIDConnectProvider.

Rules from the IAM API Reference: a SAML provider's name is 1 to 128 of
``[\\w._-]``, its metadata document 1,000 to 10,000,000 characters of SAML
metadata XML, whose ``validUntil`` becomes the provider's ValidUntil; an OIDC
provider's URL starts with ``https://``, is at most 255 characters, and names
the provider in its ARN without the scheme; it has at most 100 client ids
and 5 thumbprints of 40 hexadecimal characters.

Imports only iamsim.world and iamsim.services.
"""

from __future__ import annotations

import re
import secrets
import string
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from typing import TYPE_CHECKING

from iamsim.services.api import OPERATIONS, Call, Params, Result
from iamsim.services.iam_base import Scope, tags_shape
from iamsim.services.iam_common import tag_request_context
from iamsim.services.iam_errors import entity_exists, invalid_input, no_such_entity
from iamsim.services.iam_validate import (
    check_length,
    check_pattern,
    required_str,
    string_list,
    tags,
)
from iamsim.world.store_iam import (
    delete_oidc_provider,
    delete_saml_provider,
    get_oidc_provider,
    get_saml_provider,
    insert_oidc_provider,
    insert_saml_provider,
    list_oidc_providers,
    list_saml_providers,
)
from iamsim.world.store_rows import OidcProviderRow, SamlProviderRow

if TYPE_CHECKING:
    from iamsim.services.backend import StoreBackend

SAML_NAME = re.compile(r"[\w._-]+", re.ASCII)
SAML_NAME_MAX = 128
METADATA_RANGE = (1_000, 10_000_000)
_UUID_LENGTH = 26
OIDC_URL_MAX = 255
CLIENT_IDS_MAX = 100
THUMBPRINTS_MAX = 5
THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")
_METADATA_NAMESPACE = "urn:oasis:names:tc:SAML:2.0:metadata"


def _valid_until(metadata: str) -> datetime | None:
    """The metadata's ``validUntil``, or InvalidInput when it is not SAML metadata."""
    try:
        root = ElementTree.fromstring(metadata)
    except ElementTree.ParseError:
        raise invalid_input("Could not parse metadata") from None
    if root.tag not in (
        f"{{{_METADATA_NAMESPACE}}}EntityDescriptor",
        f"{{{_METADATA_NAMESPACE}}}EntitiesDescriptor",
    ):
        raise invalid_input("Could not parse metadata")
    text = root.get("validUntil")
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_input("Could not parse metadata") from None


def _provider_account(scope: Scope, arn: str, kind: str) -> None:
    prefix = f"arn:{scope.partition}:iam::{scope.account}:{kind}/"
    if not arn.startswith(prefix):
        raise invalid_input(f"Invalid {kind} ARN: {arn}")


@OPERATIONS.operation("iam", "CreateSAMLProvider")
def create_saml_provider(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Register a SAML identity provider from its metadata document."""
    scope = Scope.of(backend, call)
    provider_name = required_str(params, "Name")
    check_length("Name", provider_name, 1, SAML_NAME_MAX)
    check_pattern("Name", provider_name, SAML_NAME)
    metadata = required_str(params, "SAMLMetadataDocument")
    check_length("SAMLMetadataDocument", metadata, *METADATA_RANGE)
    provider_tags = tags(params)
    arn = f"arn:{scope.partition}:iam::{scope.account}:saml-provider/{provider_name}"
    with backend.transaction() as db:
        scope.authorize(
            "iam:CreateSAMLProvider", arn, tag_request_context(provider_tags)
        )
        valid_until = _valid_until(metadata)
        if get_saml_provider(db, arn) is not None:
            raise entity_exists(f"SAMLProvider {provider_name} already exists.")
        uuid = "".join(
            secrets.choice(string.ascii_uppercase + string.digits)
            for _ in range(_UUID_LENGTH)
        )
        row = SamlProviderRow(
            arn,
            scope.account,
            provider_name,
            metadata,
            uuid,
            call.now,
            valid_until,
            provider_tags,
        )
        insert_saml_provider(db, row)
    result: Result = {"SAMLProviderArn": arn}
    if provider_tags:
        result["Tags"] = tags_shape(provider_tags)
    return result


@OPERATIONS.operation("iam", "GetSAMLProvider")
def get_saml_provider_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """A SAML provider's metadata document and dates."""
    scope = Scope.of(backend, call)
    arn = required_str(params, "SAMLProviderArn")
    scope.authorize("iam:GetSAMLProvider", arn)
    _provider_account(scope, arn, "saml-provider")
    with backend.read() as db:
        row = get_saml_provider(db, arn)
    if row is None:
        raise no_such_entity(f"SAMLProvider {arn} does not exist.")
    result: Result = {
        "SAMLProviderUUID": row.uuid,
        "SAMLMetadataDocument": row.metadata,
        "CreateDate": row.created,
    }
    if row.valid_until is not None:
        result["ValidUntil"] = row.valid_until
    if row.tags:
        result["Tags"] = tags_shape(row.tags)
    return result


@OPERATIONS.operation("iam", "ListSAMLProviders")
def list_saml_providers_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The account's SAML providers."""
    scope = Scope.of(backend, call)
    scope.authorize("iam:ListSAMLProviders", "*")
    with backend.read() as db:
        rows = list_saml_providers(db, scope.account)
    entries = []
    for row in rows:
        entry: Result = {"Arn": row.arn, "CreateDate": row.created}
        if row.valid_until is not None:
            entry["ValidUntil"] = row.valid_until
        entries.append(entry)
    return {"SAMLProviderList": entries}


@OPERATIONS.operation("iam", "DeleteSAMLProvider")
def delete_saml_provider_op(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Delete a SAML provider."""
    scope = Scope.of(backend, call)
    arn = required_str(params, "SAMLProviderArn")
    scope.authorize("iam:DeleteSAMLProvider", arn)
    _provider_account(scope, arn, "saml-provider")
    with backend.transaction() as db:
        if get_saml_provider(db, arn) is None:
            raise no_such_entity(f"SAMLProvider {arn} does not exist.")
        delete_saml_provider(db, arn)
    return {}


def _oidc_host(url: str) -> str:
    check_length("Url", url, 1, OIDC_URL_MAX)
    if not url.lower().startswith("https://") or len(url) <= len("https://"):
        raise invalid_input("The URL must begin with https:// and name a host.")
    return url[len("https://") :].rstrip("/")


def _client_ids(params: Params) -> tuple[str, ...]:
    found = string_list(params, "ClientIDList")
    if len(found) > CLIENT_IDS_MAX:
        raise invalid_input(f"A provider can have at most {CLIENT_IDS_MAX} client IDs.")
    for client in found:
        check_length("ClientIDList", client, 1, 255)
    return tuple(dict.fromkeys(found))


def _thumbprints(params: Params) -> tuple[str, ...]:
    found = string_list(params, "ThumbprintList")
    if len(found) > THUMBPRINTS_MAX:
        raise invalid_input(
            f"A provider can have at most {THUMBPRINTS_MAX} thumbprints."
        )
    for thumbprint in found:
        check_pattern("ThumbprintList", thumbprint, THUMBPRINT)
    return tuple(dict.fromkeys(item.lower() for item in found))


@OPERATIONS.operation("iam", "CreateOpenIDConnectProvider")
def create_oidc_provider(backend: StoreBackend, call: Call, params: Params) -> Result:
    """Register an OpenID Connect identity provider by its issuer URL."""
    scope = Scope.of(backend, call)
    host = _oidc_host(required_str(params, "Url"))
    clients = _client_ids(params)
    thumbprints = _thumbprints(params)
    provider_tags = tags(params)
    arn = f"arn:{scope.partition}:iam::{scope.account}:oidc-provider/{host}"
    with backend.transaction() as db:
        scope.authorize(
            "iam:CreateOpenIDConnectProvider", arn, tag_request_context(provider_tags)
        )
        if get_oidc_provider(db, arn) is not None:
            raise entity_exists(f"Provider with url https://{host} already exists.")
        row = OidcProviderRow(
            arn, scope.account, host, clients, thumbprints, call.now, provider_tags
        )
        insert_oidc_provider(db, row)
    result: Result = {"OpenIDConnectProviderArn": arn}
    if provider_tags:
        result["Tags"] = tags_shape(provider_tags)
    return result


@OPERATIONS.operation("iam", "GetOpenIDConnectProvider")
def get_oidc_provider_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """An OIDC provider's URL (without scheme), client ids and thumbprints."""
    scope = Scope.of(backend, call)
    arn = required_str(params, "OpenIDConnectProviderArn")
    scope.authorize("iam:GetOpenIDConnectProvider", arn)
    _provider_account(scope, arn, "oidc-provider")
    with backend.read() as db:
        row = get_oidc_provider(db, arn)
    if row is None:
        raise no_such_entity(f"OpenIDConnect Provider not found for arn {arn}")
    result: Result = {
        "Url": row.url,
        "ClientIDList": list(row.client_ids),
        "ThumbprintList": list(row.thumbprints),
        "CreateDate": row.created,
    }
    if row.tags:
        result["Tags"] = tags_shape(row.tags)
    return result


@OPERATIONS.operation("iam", "ListOpenIDConnectProviders")
def list_oidc_providers_op(backend: StoreBackend, call: Call, params: Params) -> Result:
    """The account's OIDC providers."""
    scope = Scope.of(backend, call)
    scope.authorize("iam:ListOpenIDConnectProviders", "*")
    with backend.read() as db:
        rows = list_oidc_providers(db, scope.account)
    return {"OpenIDConnectProviderList": [{"Arn": row.arn} for row in rows]}


@OPERATIONS.operation("iam", "DeleteOpenIDConnectProvider")
def delete_oidc_provider_op(
    backend: StoreBackend, call: Call, params: Params
) -> Result:
    """Delete an OIDC provider."""
    scope = Scope.of(backend, call)
    arn = required_str(params, "OpenIDConnectProviderArn")
    scope.authorize("iam:DeleteOpenIDConnectProvider", arn)
    _provider_account(scope, arn, "oidc-provider")
    with backend.transaction() as db:
        if get_oidc_provider(db, arn) is None:
            raise no_such_entity(f"OpenIDConnect Provider not found for arn {arn}")
        delete_oidc_provider(db, arn)
    return {}
