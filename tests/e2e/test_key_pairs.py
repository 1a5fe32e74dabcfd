"""GenerateDataKeyPair(WithoutPlaintext) and DeriveSharedSecret, checked with `cryptography`."""

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import error_code

SPKI = dict(encoding=serialization.Encoding.DER, format=serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.mark.parametrize("spec", ["ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "RSA_2048"])
def test_data_key_pair(kms, new_key, spec):
    key = new_key()["KeyId"]
    pair = kms.generate_data_key_pair(KeyId=key, KeyPairSpec=spec, EncryptionContext={"purpose": "pair"})
    assert pair["KeyPairSpec"] == spec and pair["KeyId"].endswith(key)
    private_key = serialization.load_der_private_key(pair["PrivateKeyPlaintext"], password=None)
    assert private_key.public_key().public_bytes(**SPKI) == pair["PublicKey"]
    # The encrypted copy is an ordinary KMS ciphertext bound to the context.
    decrypted = kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"], EncryptionContext={"purpose": "pair"})
    assert decrypted["Plaintext"] == pair["PrivateKeyPlaintext"]
    with pytest.raises(ClientError) as info:
        kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])
    assert error_code(info.value) == "InvalidCiphertextException"


def test_data_key_pair_without_plaintext(kms, new_key):
    key = new_key()["KeyId"]
    pair = kms.generate_data_key_pair_without_plaintext(KeyId=key, KeyPairSpec="ECC_NIST_P256")
    assert "PrivateKeyPlaintext" not in pair
    private_key = serialization.load_der_private_key(kms.decrypt(CiphertextBlob=pair["PrivateKeyCiphertextBlob"])["Plaintext"], password=None)
    assert private_key.public_key().public_bytes(**SPKI) == pair["PublicKey"]


def test_data_key_pair_rules(kms, new_key):
    signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as info:
        kms.generate_data_key_pair(KeyId=signing, KeyPairSpec="ECC_NIST_P256")
    assert error_code(info.value) == "InvalidKeyUsageException"
    with pytest.raises(ClientError) as info:
        kms.generate_data_key_pair(KeyId=new_key()["KeyId"], KeyPairSpec="SM2")
    assert error_code(info.value) == "UnsupportedOperationException"


@pytest.mark.parametrize("spec,curve", [("ECC_NIST_P256", ec.SECP256R1), ("ECC_NIST_P384", ec.SECP384R1), ("ECC_NIST_P521", ec.SECP521R1)])
def test_derive_shared_secret_matches_local_ecdh(kms, spec, curve):
    meta = kms.create_key(KeySpec=spec, KeyUsage="KEY_AGREEMENT")["KeyMetadata"]
    assert meta["KeyAgreementAlgorithms"] == ["ECDH"] and "SigningAlgorithms" not in meta
    exported = kms.get_public_key(KeyId=meta["KeyId"])
    assert exported["KeyAgreementAlgorithms"] == ["ECDH"]
    coffer_public = serialization.load_der_public_key(exported["PublicKey"])
    local = ec.generate_private_key(curve())
    response = kms.derive_shared_secret(
        KeyId=meta["KeyId"], KeyAgreementAlgorithm="ECDH", PublicKey=local.public_key().public_bytes(**SPKI)
    )
    assert response["SharedSecret"] == local.exchange(ec.ECDH(), coffer_public)
    assert response["KeyAgreementAlgorithm"] == "ECDH" and response["KeyOrigin"] == "AWS_KMS"


def test_key_agreement_rules(kms):
    agreement = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="KEY_AGREEMENT")["KeyMetadata"]["KeyId"]
    signing = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    peer = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(**SPKI)
    other_curve = ec.generate_private_key(ec.SECP384R1()).public_key().public_bytes(**SPKI)
    cases = [
        (lambda: kms.derive_shared_secret(KeyId=signing, KeyAgreementAlgorithm="ECDH", PublicKey=peer), "InvalidKeyUsageException"),
        (lambda: kms.sign(KeyId=agreement, Message=b"m", SigningAlgorithm="ECDSA_SHA_256"), "InvalidKeyUsageException"),
        (lambda: kms.derive_shared_secret(KeyId=agreement, KeyAgreementAlgorithm="ECDH", PublicKey=other_curve), "ValidationException"),
        (lambda: kms.derive_shared_secret(KeyId=agreement, KeyAgreementAlgorithm="ECDH", PublicKey=b"not a key"), "ValidationException"),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == expected
