"""HMAC keys: GenerateMac and VerifyMac through boto3."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_code

SPECS = [("HMAC_224", "HMAC_SHA_224", 28), ("HMAC_256", "HMAC_SHA_256", 32), ("HMAC_384", "HMAC_SHA_384", 48), ("HMAC_512", "HMAC_SHA_512", 64)]


def hmac_key(kms, spec):
    return kms.create_key(KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]


@pytest.mark.parametrize("spec,algorithm,length", SPECS)
def test_generate_and_verify(kms, spec, algorithm, length):
    meta = hmac_key(kms, spec)
    assert meta["KeySpec"] == spec and meta["KeyUsage"] == "GENERATE_VERIFY_MAC"
    assert meta["MacAlgorithms"] == [algorithm] and "EncryptionAlgorithms" not in meta
    key = meta["KeyId"]
    response = kms.generate_mac(KeyId=key, Message=b"the message", MacAlgorithm=algorithm)
    mac = response["Mac"]
    assert len(mac) == length and response["MacAlgorithm"] == algorithm and response["KeyId"] == meta["Arn"]
    # HMAC is deterministic; another message gives another MAC.
    assert kms.generate_mac(KeyId=key, Message=b"the message", MacAlgorithm=algorithm)["Mac"] == mac
    assert kms.generate_mac(KeyId=key, Message=b"another message", MacAlgorithm=algorithm)["Mac"] != mac
    verified = kms.verify_mac(KeyId=key, Message=b"the message", MacAlgorithm=algorithm, Mac=mac)
    assert verified["MacValid"] is True and verified["KeyId"] == meta["Arn"]


def test_a_wrong_mac_is_an_error_not_false(kms):
    key = hmac_key(kms, "HMAC_256")["KeyId"]
    mac = bytearray(kms.generate_mac(KeyId=key, Message=b"m", MacAlgorithm="HMAC_SHA_256")["Mac"])
    mac[-1] ^= 0x01
    for message, candidate in [(b"m", bytes(mac)), (b"n", bytes(mac[:-1]) + bytes([mac[-1] ^ 0x01]))]:
        with pytest.raises(ClientError) as info:
            kms.verify_mac(KeyId=key, Message=message, MacAlgorithm="HMAC_SHA_256", Mac=candidate)
        assert error_code(info.value) == "KMSInvalidMacException"


def test_algorithm_must_match_the_key(kms):
    key = hmac_key(kms, "HMAC_384")["KeyId"]
    with pytest.raises(ClientError) as info:
        kms.generate_mac(KeyId=key, Message=b"m", MacAlgorithm="HMAC_SHA_256")
    assert error_code(info.value) == "InvalidKeyUsageException"


def test_keys_are_used_only_as_their_usage_allows(kms, new_key):
    mac_key = hmac_key(kms, "HMAC_256")["KeyId"]
    for call in (
        lambda: kms.encrypt(KeyId=mac_key, Plaintext=b"x"),
        lambda: kms.generate_data_key(KeyId=mac_key, KeySpec="AES_256"),
        lambda: kms.generate_mac(KeyId=new_key()["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_256"),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == "InvalidKeyUsageException"


def test_hmac_key_creation_rules(kms):
    with pytest.raises(ClientError) as info:
        kms.create_key(KeySpec="HMAC_256")  # default usage ENCRYPT_DECRYPT does not fit
    assert error_code(info.value) == "ValidationException"
    with pytest.raises(ClientError) as info:
        kms.create_key(KeySpec="SM2", KeyUsage="GENERATE_VERIFY_MAC")
    assert error_code(info.value) in ("UnsupportedOperationException", "ValidationException")


def test_mac_keys_are_not_rotated(kms):
    key = hmac_key(kms, "HMAC_256")["KeyId"]
    with pytest.raises(ClientError) as info:
        kms.enable_key_rotation(KeyId=key)
    assert error_code(info.value) == "UnsupportedOperationException"
