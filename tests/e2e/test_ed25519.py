"""Ed25519 signing keys (ECC_NIST_EDWARDS25519), checked with `cryptography`."""

import pytest
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from conftest import error_code


def test_ed25519_sign_and_verify(kms):
    meta = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert meta["SigningAlgorithms"] == ["ED25519_SHA_512", "ED25519_PH_SHA_512"]
    exported = kms.get_public_key(KeyId=meta["KeyId"])
    public_key = serialization.load_der_public_key(exported["PublicKey"])
    assert isinstance(public_key, Ed25519PublicKey)
    signature = kms.sign(KeyId=meta["KeyId"], Message=b"pure EdDSA", SigningAlgorithm="ED25519_SHA_512")["Signature"]
    assert len(signature) == 64
    public_key.verify(signature, b"pure EdDSA")
    with pytest.raises(InvalidSignature):
        public_key.verify(signature, b"something else")
    assert kms.verify(KeyId=meta["KeyId"], Message=b"pure EdDSA", Signature=signature, SigningAlgorithm="ED25519_SHA_512")["SignatureValid"]
    with pytest.raises(ClientError) as info:
        kms.verify(KeyId=meta["KeyId"], Message=b"something else", Signature=signature, SigningAlgorithm="ED25519_SHA_512")
    assert error_code(info.value) == "KMSInvalidSignatureException"


def test_ed25519_rules(kms):
    key = kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    cases = [
        (lambda: kms.sign(KeyId=key, Message=b"m" * 64, MessageType="DIGEST", SigningAlgorithm="ED25519_SHA_512"), "ValidationException"),
        (lambda: kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ED25519_PH_SHA_512"), "UnsupportedOperationException"),
        (lambda: kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256"), "InvalidKeyUsageException"),
        (lambda: kms.create_key(KeySpec="ECC_NIST_EDWARDS25519", KeyUsage="KEY_AGREEMENT"), "ValidationException"),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == expected
