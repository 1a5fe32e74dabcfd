"""The cryptographic request quota (--cryptographic-requests-per-second)."""

import time

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def test_quota_throttles_cryptographic_calls_only(server_factory):
    srv = server_factory.new(name="quota", extra_args=["--cryptographic-requests-per-second", "5"])
    kms = srv.client()  # retries off: every throttle is visible
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    outcomes = []
    for _ in range(20):
        try:
            kms.encrypt(KeyId=key, Plaintext=b"x")
            outcomes.append("ok")
        except ClientError as error:
            outcomes.append(error_code(error))
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert set(outcomes) == {"ok", "ThrottlingException"}
    assert 5 <= outcomes.count("ok") <= 10, outcomes
    # Management calls are not counted against the cryptographic quota.
    for _ in range(20):
        kms.describe_key(KeyId=key)
    time.sleep(1.2)
    assert kms.decrypt(CiphertextBlob=kms.encrypt(KeyId=key, Plaintext=b"y")["CiphertextBlob"])["Plaintext"] == b"y"


def test_no_quota_by_default(kms, new_key):
    key = new_key()["KeyId"]
    for _ in range(50):
        kms.encrypt(KeyId=key, Plaintext=b"x")
