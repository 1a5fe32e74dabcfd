"""SigV4 authentication."""

import datetime as dt
import re

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, error_message, error_type


def now():
    return dt.datetime.now(dt.timezone.utc)


def test_valid_credentials_work(kms):
    assert kms.list_keys(Limit=1)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_wrong_secret_is_invalid_signature(coffer):
    bad = coffer.client(secret_key=coffer.secret_key + "x")
    with pytest.raises(ClientError) as ei:
        bad.list_keys()
    assert error_code(ei.value) == "InvalidSignatureException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_access_key_is_unrecognized_client(coffer):
    bad = coffer.client(access_key="AKIAE2ENOSUCHKEY0000", secret_key="whatever")
    with pytest.raises(ClientError) as ei:
        bad.list_keys()
    assert error_code(ei.value) == "UnrecognizedClientException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_missing_authorization(coffer):
    r = coffer.raw("ListKeys", {}, sign=False)
    assert r.status_code == 400, r.text
    assert error_type(r) == "MissingAuthenticationTokenException"


@pytest.mark.parametrize("auth", [
    "AWS4-HMAC-SHA256 garbage",
    "AWS4-HMAC-SHA256 Credential=abc",
    "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abcd",
    "AWS4-HMAC-SHA256",
])
def test_malformed_authorization_header(coffer, auth):
    stamp = now().strftime("%Y%m%dT%H%M%SZ")
    r = coffer.raw("ListKeys", {}, sign=False, headers={"Authorization": auth, "X-Amz-Date": stamp})
    assert r.status_code == 400, r.text
    assert error_type(r) == "IncompleteSignatureException", r.text


def test_authorization_without_date_header(coffer):
    def drop_date(headers, body):
        headers = {k: v for k, v in headers.items() if k.lower() != "x-amz-date"}
        return headers, body
    r = coffer.raw("ListKeys", {}, mutate=drop_date)
    assert r.status_code == 400, r.text
    assert error_type(r) in {"IncompleteSignatureException", "InvalidSignatureException"}, r.text


def test_expired_signature(coffer):
    r = coffer.raw("ListKeys", {}, when=now() - dt.timedelta(minutes=20))
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"
    assert "Signature expired" in error_message(r), r.text


def test_signature_from_the_future(coffer):
    r = coffer.raw("ListKeys", {}, when=now() + dt.timedelta(minutes=20))
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"
    assert "not yet current" in error_message(r), r.text


def test_small_clock_skew_is_tolerated(coffer):
    r = coffer.raw("ListKeys", {}, when=now() - dt.timedelta(minutes=2))
    assert r.status_code == 200, r.text


def test_body_changed_after_signing(coffer):
    def tamper(headers, body):
        return headers, body.replace(b'"Limit": 1', b'"Limit": 2')
    r = coffer.raw("ListKeys", {"Limit": 1}, mutate=tamper)
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"


def test_target_changed_after_signing(coffer):
    def tamper(headers, body):
        headers = dict(headers)
        headers["X-Amz-Target"] = "TrentService.ListAliases"
        return headers, body
    r = coffer.raw("ListKeys", {}, mutate=tamper)
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"


def test_signature_hex_altered(coffer):
    def tamper(headers, body):
        headers = dict(headers)
        auth = headers["Authorization"]
        sig = auth.rsplit("Signature=", 1)[1]
        flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
        headers["Authorization"] = auth[: -len(sig)] + flipped
        return headers, body
    r = coffer.raw("ListKeys", {}, mutate=tamper)
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"


def test_wrong_service_in_scope(coffer):
    r = coffer.raw("ListKeys", {}, service="s3")
    assert r.status_code == 400, r.text
    assert error_type(r) in {"InvalidSignatureException", "IncompleteSignatureException"}, r.text


def test_other_region_in_scope_is_used_in_arns(coffer, account_id):
    west = coffer.client(region="eu-west-1")
    md = west.create_key(Description="eu-west-1 key")["KeyMetadata"]
    assert re.fullmatch(rf"arn:aws:kms:eu-west-1:{account_id}:key/{md['KeyId']}", md["Arn"]), md["Arn"]
    enc = west.encrypt(KeyId=md["KeyId"], Plaintext=b"west")
    assert enc["KeyId"] == md["Arn"]
    assert west.decrypt(CiphertextBlob=enc["CiphertextBlob"])["Plaintext"] == b"west"


def test_query_string_signed_request(coffer):
    """SigV4 with the signature in the query string (X-Amz-Algorithm,
    X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
    X-Amz-Signature) instead of an Authorization header."""
    r = coffer.raw("GenerateRandom", {"NumberOfBytes": 4}, query_auth=True)
    assert r.status_code == 200, r.text
    assert "Plaintext" in r.json()


def test_query_string_signed_request_bad_signature(coffer):
    r = coffer.raw("GenerateRandom", {"NumberOfBytes": 4}, query_auth=True, secret_key=coffer.secret_key + "x")
    assert r.status_code == 400, r.text
    assert error_type(r) == "InvalidSignatureException"
