"""ML-DSA signing keys (ML_DSA_44, ML_DSA_65, ML_DSA_87; FIPS 204), checked independently with dilithium-py."""

import hashlib

import pytest
from botocore.exceptions import ClientError
from dilithium_py.ml_dsa import ML_DSA_44, ML_DSA_65, ML_DSA_87

from conftest import error_code

# id-ml-dsa-44 / -65 / -87 (NIST CSOR 2.16.840.1.101.3.4.3.17 / .18 / .19), DER with their SEQUENCE headers.
SPECS = [
    ("ML_DSA_44", ML_DSA_44, bytes.fromhex("0609608648016503040311"), 1312, 2420),
    ("ML_DSA_65", ML_DSA_65, bytes.fromhex("0609608648016503040312"), 1952, 3309),
    ("ML_DSA_87", ML_DSA_87, bytes.fromhex("0609608648016503040313"), 2592, 4627),
]


def parse_spki(der):
    """(algorithm OID TLV, raw public key) of a DER SubjectPublicKeyInfo with an OID-only AlgorithmIdentifier."""

    def tlv(data, offset):
        tag = data[offset]
        length = data[offset + 1]
        offset += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[offset:offset + count], "big")
            offset += count
        return tag, data[offset:offset + length], offset + length

    tag, body, end = tlv(der, 0)
    assert tag == 0x30 and end == len(der)
    tag, algorithm, after = tlv(body, 0)
    assert tag == 0x30
    tag, bits, rest = tlv(body, after)
    assert tag == 0x03 and bits[0] == 0 and rest == len(body)
    return algorithm, bits[1:]


@pytest.mark.parametrize("spec,scheme,oid,public_size,signature_size", SPECS)
def test_ml_dsa_sign_and_verify(kms, spec, scheme, oid, public_size, signature_size):
    meta = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert meta["KeySpec"] == spec
    assert meta["SigningAlgorithms"] == ["ML_DSA_SHAKE_256"]
    exported = kms.get_public_key(KeyId=meta["KeyId"])
    assert exported["KeySpec"] == spec and exported["SigningAlgorithms"] == ["ML_DSA_SHAKE_256"]
    algorithm, public_key = parse_spki(exported["PublicKey"])
    assert algorithm == oid
    assert len(public_key) == public_size

    message = b"post-quantum audit record"
    signature = kms.sign(KeyId=meta["KeyId"], Message=message, SigningAlgorithm="ML_DSA_SHAKE_256")["Signature"]
    assert len(signature) == signature_size
    # An independent FIPS 204 implementation accepts it (pure ML-DSA, empty context) ...
    assert scheme.verify(public_key, message, signature)
    # ... and rejects it for another message or another context.
    assert not scheme.verify(public_key, message + b"!", signature)
    assert not scheme.verify(public_key, message, signature, ctx=b"other")

    assert kms.verify(KeyId=meta["KeyId"], Message=message, Signature=signature, SigningAlgorithm="ML_DSA_SHAKE_256")["SignatureValid"]
    # A signature made outside Coffer with another key is refused by Verify.
    other_public, other_secret = scheme.keygen()
    foreign = scheme.sign(other_secret, message)
    with pytest.raises(ClientError) as info:
        kms.verify(KeyId=meta["KeyId"], Message=message, Signature=foreign, SigningAlgorithm="ML_DSA_SHAKE_256")
    assert error_code(info.value) == "KMSInvalidSignatureException"


def test_ml_dsa_rules(kms):
    key = kms.create_key(KeySpec="ML_DSA_65", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    ecc = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    cases = [
        (lambda: kms.sign(KeyId=key, Message=b"m" * 64, MessageType="DIGEST", SigningAlgorithm="ML_DSA_SHAKE_256"), "ValidationException"),
        (lambda: kms.sign(KeyId=key, Message=b"m" * 63, MessageType="EXTERNAL_MU", SigningAlgorithm="ML_DSA_SHAKE_256"), "ValidationException"),
        (lambda: kms.verify(KeyId=key, Message=b"m" * 64, MessageType="EXTERNAL_MU", Signature=b"s" * 3309,
                            SigningAlgorithm="ML_DSA_SHAKE_256"), "UnsupportedOperationException"),
        (lambda: kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256"), "InvalidKeyUsageException"),
        (lambda: kms.sign(KeyId=ecc, Message=b"m" * 64, MessageType="EXTERNAL_MU", SigningAlgorithm="ECDSA_SHA_256"), "ValidationException"),
        (lambda: kms.create_key(KeySpec="ML_DSA_65", KeyUsage="ENCRYPT_DECRYPT"), "ValidationException"),
        (lambda: kms.generate_data_key_pair(KeyId=kms.create_key()["KeyMetadata"]["KeyId"], KeyPairSpec="ML_DSA_65"), "ValidationException"),  # not a DataKeyPairSpec
    ]
    for call, expected in cases:
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == expected, info.value


@pytest.mark.parametrize("spec,scheme,oid,public_size,signature_size", SPECS)
def test_ml_dsa_signs_an_external_mu(kms, spec, scheme, oid, public_size, signature_size):
    """The caller computes µ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ 0x00 ‖ M, 64) (FIPS 204 pure ML-DSA, empty
    context); the signature Coffer makes of µ is a signature of M for any FIPS 204 verifier."""
    key = kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    _, public_key = parse_spki(kms.get_public_key(KeyId=key)["PublicKey"])
    message = b"a large document hashed by its owner"
    tr = hashlib.shake_256(public_key).digest(64)
    mu = hashlib.shake_256(tr + b"\x00\x00" + message).digest(64)
    response = kms.sign(KeyId=key, Message=mu, MessageType="EXTERNAL_MU", SigningAlgorithm="ML_DSA_SHAKE_256")
    signature = response["Signature"]
    assert len(signature) == signature_size and response["SigningAlgorithm"] == "ML_DSA_SHAKE_256"
    assert scheme.verify(public_key, message, signature)
    assert not scheme.verify(public_key, message + b"!", signature)
    assert kms.verify(KeyId=key, Message=message, Signature=signature, SigningAlgorithm="ML_DSA_SHAKE_256")["SignatureValid"]
