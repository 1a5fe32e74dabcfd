"""RSA keys through boto3, checked independently with `cryptography`."""

import pytest
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from conftest import error_code

HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


def rsa_key(kms, spec="RSA_2048", usage="SIGN_VERIFY"):
    return kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]


def public_key(kms, key_id):
    return serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])


@pytest.fixture(scope="module")
def signer(coffer):
    kms = coffer.client()
    meta = rsa_key(kms)
    return meta, public_key(kms, meta["KeyId"])


@pytest.mark.parametrize("algorithm", [
    "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
])
def test_signatures_verify_with_cryptography(kms, signer, algorithm):
    meta, key = signer
    assert algorithm in meta["SigningAlgorithms"]
    message = b"signed by an RSA key in Coffer"
    signature = kms.sign(KeyId=meta["KeyId"], Message=message, SigningAlgorithm=algorithm)["Signature"]
    hash_algorithm = HASHES[algorithm[-3:]]()
    if "PSS" in algorithm:
        scheme = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size)
    else:
        scheme = padding.PKCS1v15()
    key.verify(signature, message, scheme, hash_algorithm)
    with pytest.raises(InvalidSignature):
        key.verify(signature, b"another message", scheme, hash_algorithm)
    assert kms.verify(KeyId=meta["KeyId"], Message=message, Signature=signature, SigningAlgorithm=algorithm)["SignatureValid"]


@pytest.mark.parametrize("algorithm", [
    "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512",
])
def test_digest_signatures_verify_with_cryptography(kms, signer, algorithm):
    """MessageType DIGEST: the caller hashes; the signature equals one over the RAW message."""
    meta, key = signer
    hash_algorithm = HASHES[algorithm[-3:]]()
    message = b"hashed by the caller, signed by Coffer"
    h = hashes.Hash(hash_algorithm)
    h.update(message)
    digest = h.finalize()
    signature = kms.sign(KeyId=meta["KeyId"], Message=digest, MessageType="DIGEST", SigningAlgorithm=algorithm)["Signature"]
    if "PSS" in algorithm:
        scheme = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size)
    else:
        scheme = padding.PKCS1v15()
    key.verify(signature, message, scheme, hash_algorithm)  # raises if invalid
    assert kms.verify(KeyId=meta["KeyId"], Message=digest, MessageType="DIGEST", Signature=signature,
                      SigningAlgorithm=algorithm)["SignatureValid"] is True
    assert kms.verify(KeyId=meta["KeyId"], Message=message, Signature=signature,
                      SigningAlgorithm=algorithm)["SignatureValid"] is True
    wrong = bytes([digest[0] ^ 1]) + digest[1:]
    with pytest.raises(ClientError) as ei:
        kms.verify(KeyId=meta["KeyId"], Message=wrong, MessageType="DIGEST", Signature=signature, SigningAlgorithm=algorithm)
    assert error_code(ei.value) == "KMSInvalidSignatureException"
    with pytest.raises(ClientError) as ei:
        kms.sign(KeyId=meta["KeyId"], Message=digest[:-1], MessageType="DIGEST", SigningAlgorithm=algorithm)
    assert error_code(ei.value) == "ValidationException"



@pytest.mark.parametrize("algorithm,hash_algorithm", [("RSAES_OAEP_SHA_1", hashes.SHA1), ("RSAES_OAEP_SHA_256", hashes.SHA256)])
def test_oaep_both_ways(kms, algorithm, hash_algorithm):
    meta = rsa_key(kms, usage="ENCRYPT_DECRYPT")
    assert meta["EncryptionAlgorithms"] == ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]
    key = public_key(kms, meta["KeyId"])
    oaep = padding.OAEP(mgf=padding.MGF1(hash_algorithm()), algorithm=hash_algorithm(), label=None)
    # Encrypted locally with the exported public key, decrypted by Coffer.
    local = key.encrypt(b"made outside Coffer", oaep)
    response = kms.decrypt(KeyId=meta["KeyId"], CiphertextBlob=local, EncryptionAlgorithm=algorithm)
    assert response["Plaintext"] == b"made outside Coffer" and response["EncryptionAlgorithm"] == algorithm
    # Encrypted by Coffer decrypts with Coffer (the private key never leaves it).
    blob = kms.encrypt(KeyId=meta["KeyId"], Plaintext=b"made by Coffer", EncryptionAlgorithm=algorithm)
    assert blob["EncryptionAlgorithm"] == algorithm and len(blob["CiphertextBlob"]) == 256
    assert kms.decrypt(KeyId=meta["KeyId"], CiphertextBlob=blob["CiphertextBlob"], EncryptionAlgorithm=algorithm)["Plaintext"] == b"made by Coffer"


def test_rsa_encryption_rules(kms):
    meta = rsa_key(kms, usage="ENCRYPT_DECRYPT")
    key_id = meta["KeyId"]
    cases = [
        (lambda: kms.encrypt(KeyId=key_id, Plaintext=b"x" * 191, EncryptionAlgorithm="RSAES_OAEP_SHA_256"), "ValidationException"),
        (lambda: kms.encrypt(KeyId=key_id, Plaintext=b"x", EncryptionAlgorithm="RSAES_OAEP_SHA_256", EncryptionContext={"a": "b"}), "ValidationException"),
        (lambda: kms.encrypt(KeyId=key_id, Plaintext=b"x"), "InvalidKeyUsageException"),
        (lambda: kms.decrypt(CiphertextBlob=b"\x00" * 256, EncryptionAlgorithm="RSAES_OAEP_SHA_256"), "ValidationException"),
        (lambda: kms.decrypt(KeyId=key_id, CiphertextBlob=b"\x00" * 256, EncryptionAlgorithm="RSAES_OAEP_SHA_256"), "InvalidCiphertextException"),
        (lambda: kms.sign(KeyId=key_id, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256"), "InvalidKeyUsageException"),
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == expected


def test_larger_rsa_keys(kms):
    meta = rsa_key(kms, spec="RSA_4096")
    assert public_key(kms, meta["KeyId"]).key_size == 4096
    signature = kms.sign(KeyId=meta["KeyId"], Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_512")["Signature"]
    assert len(signature) == 512
