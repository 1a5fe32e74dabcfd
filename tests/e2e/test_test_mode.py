"""`coffer serve --test-mode`: fixed account and keys, /moto-api/reset."""

import re

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import TEST_ACCOUNT_ID


def customer_aliases(kms):
    return [a for a in kms.list_aliases(Limit=1000)["Aliases"] if not a["AliasName"].startswith("alias/aws/")]


@pytest.fixture
def test_server(server_factory):
    return server_factory.new(name="testmode", test_mode=True)


def test_fixed_account_and_credentials(test_server):
    kms = test_server.client(access_key="test", secret_key="test")
    md = kms.create_key(Description="test mode")["KeyMetadata"]
    assert md["AWSAccountId"] == TEST_ACCOUNT_ID
    assert re.fullmatch(rf"arn:aws:kms:us-east-1:{TEST_ACCOUNT_ID}:key/{md['KeyId']}", md["Arn"]), md["Arn"]
    enc = kms.encrypt(KeyId=md["KeyId"], Plaintext=b"tm")
    assert enc["KeyId"] == md["Arn"]
    assert kms.decrypt(CiphertextBlob=enc["CiphertextBlob"])["Plaintext"] == b"tm"
    kms.create_alias(AliasName="alias/tm", TargetKeyId=md["KeyId"])
    entry = [a for a in customer_aliases(kms) if a["AliasName"] == "alias/tm"][0]
    assert entry["AliasArn"] == f"arn:aws:kms:us-east-1:{TEST_ACCOUNT_ID}:alias/tm"


def test_test_mode_still_checks_signatures(test_server):
    kms = test_server.client(access_key="test", secret_key="wrong")
    with pytest.raises(ClientError) as ei:
        kms.list_keys()
    assert ei.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_reset_wipes_state(test_server):
    kms = test_server.client(access_key="test", secret_key="test")
    md = kms.create_key(Tags=[{"TagKey": "a", "TagValue": "b"}])["KeyMetadata"]
    kms.create_key()
    kms.create_alias(AliasName="alias/before-reset", TargetKeyId=md["KeyId"])
    blob = kms.encrypt(KeyId=md["KeyId"], Plaintext=b"gone")["CiphertextBlob"]
    assert len(kms.list_keys()["Keys"]) == 2

    r = requests.post(test_server.endpoint + "/moto-api/reset", verify=test_server.ca, timeout=30)
    assert r.status_code == 200, r.text

    assert kms.list_keys()["Keys"] == []
    assert customer_aliases(kms) == []
    with pytest.raises(ClientError) as ei:
        kms.describe_key(KeyId=md["KeyId"])
    assert ei.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as ei:
        kms.describe_key(KeyId="alias/before-reset")
    assert ei.value.response["Error"]["Code"] == "NotFoundException"
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob)
    assert ei.value.response["Error"]["Code"] in {"NotFoundException", "InvalidCiphertextException"}

    # the server keeps working, with the same fixed identity, and the alias name is free again
    md2 = kms.create_key()["KeyMetadata"]
    assert md2["AWSAccountId"] == TEST_ACCOUNT_ID
    kms.create_alias(AliasName="alias/before-reset", TargetKeyId=md2["KeyId"])
    assert kms.list_resource_tags(KeyId=md2["KeyId"])["Tags"] == []
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [md2["KeyId"]]


def test_overridden_identity(server_factory):
    srv = server_factory.new(name="testmode-custom", test_mode=True, extra_args=[
        "--account-id", "210987654321",
        "--access-key-id", "AKIAE2ECUSTOM000001",
        "--secret-access-key", "custom-secret-e2e",
    ])
    assert (srv.access_key, srv.secret_key) == ("AKIAE2ECUSTOM000001", "custom-secret-e2e")
    kms = srv.client()
    md = kms.create_key()["KeyMetadata"]
    assert md["AWSAccountId"] == "210987654321"
    assert md["Arn"].startswith("arn:aws:kms:us-east-1:210987654321:key/")
    old = srv.client(access_key="test", secret_key="test")
    with pytest.raises(ClientError) as ei:
        old.list_keys()
    assert ei.value.response["Error"]["Code"] == "UnrecognizedClientException"
