"""Wire-level behaviour: JSON 1.1 framing and AWS-style error bodies.

Requests here are built by hand (requests + botocore's SigV4 signer) so that
malformed input reaches the server unchanged.
"""

import base64
import uuid

import pytest
import requests

from conftest import error_message, error_type


def assert_aws_error(resp, type_name, status=400):
    assert resp.status_code == status, (resp.status_code, resp.text)
    body = resp.json()
    assert "__type" in body, body
    assert error_type(resp) == type_name, body
    assert isinstance(body.get("message", body.get("Message")), str), body


def test_raw_signed_request_succeeds(coffer):
    """Sanity check of the hand-signing helper the other raw tests rely on."""
    r = coffer.raw("ListKeys", {"Limit": 1})
    assert r.status_code == 200, r.text
    assert "application/x-amz-json-1.1" in r.headers.get("Content-Type", "")
    body = r.json()
    assert isinstance(body["Keys"], list)
    assert isinstance(body["Truncated"], bool)


def test_responses_carry_request_id(coffer):
    ok = coffer.raw("GenerateRandom", {"NumberOfBytes": 8})
    assert ok.status_code == 200, ok.text
    assert len(base64.b64decode(ok.json()["Plaintext"])) == 8
    err = coffer.raw("DescribeKey", {"KeyId": str(uuid.uuid4())})
    ids = []
    for r in (ok, err):
        rid = r.headers.get("x-amzn-RequestId")
        assert rid, dict(r.headers)
        ids.append(rid)
    assert ids[0] != ids[1]


def test_error_body_shape(coffer):
    r = coffer.raw("DescribeKey", {"KeyId": str(uuid.uuid4())})
    assert_aws_error(r, "NotFoundException")
    assert "json" in r.headers.get("Content-Type", "")
    assert error_message(r)


@pytest.mark.parametrize("body", [
    b'{"KeyId": ',
    b"not json at all",
    b'{"Limit": 1,}',
    b"\xff\xfe\x00garbage",
])
def test_malformed_json_is_serialization_exception(coffer, body):
    r = coffer.raw("ListKeys", body)
    assert_aws_error(r, "SerializationException")


def test_wrong_json_type_is_serialization_exception(coffer):
    r = coffer.raw("GenerateRandom", {"NumberOfBytes": "ten"})
    assert_aws_error(r, "SerializationException")


def test_unknown_operation(coffer):
    r = coffer.raw("TrentService.NoSuchThing", {})
    assert_aws_error(r, "UnknownOperationException")


def test_wrong_target_prefix(coffer):
    r = coffer.raw("DynamoDB_20120810.ListTables", {})
    assert r.status_code == 400, r.text
    assert error_type(r) == "UnknownOperationException"


def test_missing_target_header_is_client_error(coffer):
    r = coffer.raw(None, {})
    assert r.status_code == 400, r.text
    assert error_type(r), r.text


@pytest.mark.parametrize("target,body", [
    ("Encrypt", {"Plaintext": base64.b64encode(b"x").decode()}),   # no KeyId
    ("DescribeKey", {}),                                            # no KeyId
    ("CreateAlias", {"AliasName": "alias/e2e-missing-target"}),    # no TargetKeyId
    ("TagResource", {"Tags": [{"TagKey": "a", "TagValue": "b"}]}),  # no KeyId
])
def test_missing_required_field_is_validation_exception(coffer, target, body):
    r = coffer.raw(target, body)
    assert_aws_error(r, "ValidationException")


def test_encrypt_missing_plaintext(coffer, new_key):
    kid = new_key()["KeyId"]
    r = coffer.raw("Encrypt", {"KeyId": kid})
    assert_aws_error(r, "ValidationException")


def test_decrypt_missing_blob(coffer):
    r = coffer.raw("Decrypt", {})
    assert_aws_error(r, "ValidationException")


def test_oversized_plaintext_raw(coffer, new_key):
    kid = new_key()["KeyId"]
    r = coffer.raw("Encrypt", {"KeyId": kid, "Plaintext": base64.b64encode(b"\0" * 4097).decode()})
    assert_aws_error(r, "ValidationException")


def test_generate_random_1025_raw(coffer):
    r = coffer.raw("GenerateRandom", {"NumberOfBytes": 1025})
    assert_aws_error(r, "ValidationException")


def test_moto_reset_not_available_outside_test_mode(coffer, new_key):
    kid = new_key()["KeyId"]
    r = requests.post(coffer.endpoint + "/moto-api/reset", verify=coffer.ca, timeout=30)
    assert r.status_code != 200, r.text
    # and nothing was wiped
    assert coffer.raw("DescribeKey", {"KeyId": kid}).status_code == 200
