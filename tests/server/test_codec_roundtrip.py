"""The codecs agree with botocore, the code the SDKs and the AWS CLI run.

For every operation of every served service, a seeded random input is
serialized by botocore's own client serializer and must decode to the same
value here; a seeded random output encoded here must parse back to the same
value with botocore's own response parser.
"""

from __future__ import annotations

import json
import random
from typing import Any
from urllib.parse import unquote, urlencode

import botocore.session
import pytest
from botocore import parsers, serialize
from tests.server.shapes import value_for

from iamsim.server import _json, _query

SESSION = botocore.session.get_session()
MODELS = {name: SESSION.get_service_model(name) for name in ("iam", "sts")}
JSON_MODELS = {
    name: SESSION.get_service_model(name) for name in ("organizations", "cloudtrail")
}
#: Fixed so that every run checks the same random values.
SEED = 20240501


def _operations(models: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (name, op) for name, model in models.items() for op in model.operation_names
    ]


def _operation(models: dict[str, Any], service: str, name: str) -> Any:
    return models[service].operation_model(name)


def _sample(shape: Any, *parts: str) -> dict[str, Any]:
    if shape is None:
        return {}
    return value_for(shape, random.Random(f"{SEED}:{':'.join(parts)}")) or {}


@pytest.mark.parametrize(("service", "name"), _operations(MODELS))
def test_query_input_from_botocore_decodes_to_the_same_params(
    service: str, name: str
) -> None:
    """What botocore sends for a query-protocol operation decodes to its input."""
    operation = _operation(MODELS, service, name)
    params = _sample(operation.input_shape, service, name, "in")
    wire = serialize.create_serializer(
        "query", include_validation=False
    ).serialize_to_request(params, operation)

    form = _query.parse_form(urlencode(wire["body"]))
    form.pop("Action")
    form.pop("Version")
    decoded = _query.decode_params(operation.input_shape, form)

    assert decoded == params


@pytest.mark.parametrize(("service", "name"), _operations(MODELS))
def test_query_xml_result_parses_in_botocore_to_the_same_output(
    service: str, name: str
) -> None:
    """The XML written for an operation's result is what botocore reads back."""
    operation = _operation(MODELS, service, name)
    result = _sample(operation.output_shape, service, name, "out")
    namespace = MODELS[service].metadata["xmlNamespace"]

    body = _query.encode_result(operation, result, namespace, "req-1")
    parsed = parsers.create_parser("query").parse(
        {"body": body, "headers": {}, "status_code": 200}, operation.output_shape
    )

    assert parsed.pop("ResponseMetadata")["RequestId"] == "req-1"
    assert _url_decoded(operation.output_shape, parsed) == result


def _url_decoded(shape: Any, value: Any) -> Any:
    """``value`` with IAM's URL-encoded policy documents decoded, as SDKs do."""
    if shape is None:
        return value
    if shape.name in _query.URL_ENCODED_SHAPES:
        return unquote(value)
    if shape.type_name == "structure":
        return {
            key: _url_decoded(shape.members[key], item) for key, item in value.items()
        }
    if shape.type_name == "list":
        return [_url_decoded(shape.member, item) for item in value]
    if shape.type_name == "map":
        return {key: _url_decoded(shape.value, item) for key, item in value.items()}
    return value


@pytest.mark.parametrize(("service", "name"), _operations(JSON_MODELS))
def test_json_input_from_botocore_decodes_to_the_same_params(
    service: str, name: str
) -> None:
    """What botocore sends for a JSON 1.1 operation decodes to its input."""
    operation = _operation(JSON_MODELS, service, name)
    params = _sample(operation.input_shape, service, name, "in")
    wire = serialize.create_serializer(
        "json", include_validation=False
    ).serialize_to_request(params, operation)

    decoded = _json.decode_body(operation.input_shape, wire["body"])

    assert decoded == params


@pytest.mark.parametrize(("service", "name"), _operations(JSON_MODELS))
def test_json_result_parses_in_botocore_to_the_same_output(
    service: str, name: str
) -> None:
    """The JSON written for an operation's result is what botocore reads back."""
    operation = _operation(JSON_MODELS, service, name)
    result = _sample(operation.output_shape, service, name, "out")

    body = _json.encode_result(operation, result)
    parsed = parsers.create_parser("json").parse(
        {"body": body, "headers": {}, "status_code": 200}, operation.output_shape
    )

    parsed.pop("ResponseMetadata", None)
    assert parsed == result


def test_query_error_parses_in_botocore_with_code_message_and_type() -> None:
    """A query-protocol error carries its code, message and fault type."""
    body = _query.encode_error(
        "NoSuchEntity",
        "The role with name <x> cannot be found.",
        "req-2",
        namespace=MODELS["iam"].metadata["xmlNamespace"],
    )

    parsed = parsers.create_parser("query").parse(
        {"body": body, "headers": {}, "status_code": 404}, None
    )

    assert parsed["Error"] == {
        "Code": "NoSuchEntity",
        "Message": "The role with name <x> cannot be found.",
        "Type": "Sender",
    }
    assert parsed["ResponseMetadata"]["RequestId"] == "req-2"


def test_json_error_parses_in_botocore_with_code_and_message() -> None:
    """A JSON 1.1 error carries its code in __type and its message."""
    body = _json.encode_error("AccessDeniedException", "You don't have permissions")

    parsed = parsers.create_parser("json").parse(
        {"body": body, "headers": {}, "status_code": 400}, None
    )

    assert parsed["Error"]["Code"] == "AccessDeniedException"
    assert parsed["Error"]["Message"] == "You don't have permissions"


def test_query_booleans_are_written_lowercase() -> None:
    """XML booleans are ``true``/``false``, as AWS writes them."""
    operation = MODELS["iam"].operation_model("GetAccountPasswordPolicy")
    result = {"PasswordPolicy": {"RequireSymbols": True, "ExpirePasswords": False}}

    body = _query.encode_result(operation, result, "ns", "r").decode()

    assert "<RequireSymbols>true</RequireSymbols>" in body
    assert "<ExpirePasswords>false</ExpirePasswords>" in body


def test_json_timestamps_are_written_as_epoch_seconds() -> None:
    """JSON 1.1 timestamps travel as seconds since the epoch."""
    operation = JSON_MODELS["organizations"].operation_model("DescribeAccount")
    joined = value_for(
        operation.output_shape.members["Account"].members["JoinedTimestamp"],
        random.Random(SEED),
    )

    body = _json.encode_result(operation, {"Account": {"JoinedTimestamp": joined}})

    assert json.loads(body)["Account"]["JoinedTimestamp"] == joined.timestamp()


def test_unknown_result_member_is_refused_rather_than_dropped() -> None:
    """A handler result naming a member the shape lacks is a bug, not output."""
    operation = MODELS["sts"].operation_model("GetCallerIdentity")

    with pytest.raises(ValueError, match="'Bogus' is not a member"):
        _query.encode_result(operation, {"Bogus": "x"}, "ns", "r")
