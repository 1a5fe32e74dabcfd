"""GetKeyLastUsage through boto3."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def test_last_successful_operation_is_tracked(server_factory):
    server = server_factory.new(name="usage")
    kms = server.client()
    md = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    fresh = kms.get_key_last_usage(KeyId=md["KeyId"])
    assert fresh["KeyId"] == md["Arn"] and fresh["KeyLastUsage"] == {}
    assert fresh["TrackingStartDate"] <= fresh["KeyCreationDate"] == md["CreationDate"]

    signed = kms.sign(KeyId=md["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")
    usage = kms.get_key_last_usage(KeyId=md["KeyId"])["KeyLastUsage"]
    assert usage["Operation"] == "Sign"
    assert usage["KmsRequestId"] == signed["ResponseMetadata"]["RequestId"]
    # A failed operation is not a use.
    with pytest.raises(ClientError) as ei:
        kms.verify(KeyId=md["KeyId"], Message=b"other", Signature=signed["Signature"], SigningAlgorithm="ECDSA_SHA_256")
    assert error_code(ei.value) == "KMSInvalidSignatureException"
    assert kms.get_key_last_usage(KeyId=md["KeyId"])["KeyLastUsage"]["Operation"] == "Sign"

    # ReEncrypt counts for both keys; the record survives a restart.
    source, destination = kms.create_key()["KeyMetadata"]["KeyId"], kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=source, Plaintext=b"p")["CiphertextBlob"]
    moved = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=destination)
    request_id = moved["ResponseMetadata"]["RequestId"]
    assert server.stop() == 0
    server.start()
    kms = server.client()
    for key in (source, destination):
        usage = kms.get_key_last_usage(KeyId=key)["KeyLastUsage"]
        assert usage["Operation"] == "ReEncrypt" and usage["KmsRequestId"] == request_id
    assert kms.get_key_last_usage(KeyId=md["KeyId"])["KeyLastUsage"]["Operation"] == "Sign"
    with pytest.raises(ClientError) as ei:
        kms.get_key_last_usage(KeyId="alias/some-alias")
    assert error_code(ei.value) == "NotFoundException"
