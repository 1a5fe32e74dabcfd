"""ECC signing keys through boto3; signatures and public keys checked with `cryptography` and `openssl`."""

import hashlib
import subprocess

import pytest
from botocore.exceptions import ClientError
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

from conftest import error_code

CURVES = [
    ("ECC_NIST_P256", "ECDSA_SHA_256", hashes.SHA256(), hashlib.sha256, ec.SECP256R1),
    ("ECC_NIST_P384", "ECDSA_SHA_384", hashes.SHA384(), hashlib.sha384, ec.SECP384R1),
    ("ECC_NIST_P521", "ECDSA_SHA_512", hashes.SHA512(), hashlib.sha512, ec.SECP521R1),
    ("ECC_SECG_P256K1", "ECDSA_SHA_256", hashes.SHA256(), hashlib.sha256, ec.SECP256K1),
]


def signing_key(kms, spec):
    return kms.create_key(KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]


@pytest.mark.parametrize("spec,algorithm,hash_algorithm,hashlib_fn,curve", CURVES)
def test_signatures_verify_with_cryptography(kms, spec, algorithm, hash_algorithm, hashlib_fn, curve):
    meta = signing_key(kms, spec)
    assert meta["KeySpec"] == spec and meta["SigningAlgorithms"] == [algorithm] and "EncryptionAlgorithms" not in meta
    key = meta["KeyId"]
    exported = kms.get_public_key(KeyId=key)
    assert exported["KeySpec"] == spec and exported["KeyUsage"] == "SIGN_VERIFY" and exported["SigningAlgorithms"] == [algorithm]
    public_key = serialization.load_der_public_key(exported["PublicKey"])
    assert isinstance(public_key.curve, curve)

    message = b"a message signed by Coffer"
    raw = kms.sign(KeyId=key, Message=message, MessageType="RAW", SigningAlgorithm=algorithm)
    assert raw["SigningAlgorithm"] == algorithm and raw["KeyId"] == meta["Arn"]
    public_key.verify(raw["Signature"], message, ec.ECDSA(hash_algorithm))

    digest = hashlib_fn(message).digest()
    from_digest = kms.sign(KeyId=key, Message=digest, MessageType="DIGEST", SigningAlgorithm=algorithm)["Signature"]
    public_key.verify(from_digest, message, ec.ECDSA(hash_algorithm))
    public_key.verify(from_digest, digest, ec.ECDSA(utils.Prehashed(hash_algorithm)))
    with pytest.raises(InvalidSignature):
        public_key.verify(raw["Signature"], b"another message", ec.ECDSA(hash_algorithm))

    # Verify accepts each form for the other's signature.
    assert kms.verify(KeyId=key, Message=message, Signature=from_digest, SigningAlgorithm=algorithm)["SignatureValid"] is True
    assert kms.verify(KeyId=key, Message=digest, MessageType="DIGEST", Signature=raw["Signature"], SigningAlgorithm=algorithm)["SignatureValid"] is True


def test_signature_verifies_with_openssl(kms, tmp_path):
    key = signing_key(kms, "ECC_NIST_P256")["KeyId"]
    (tmp_path / "public.der").write_bytes(kms.get_public_key(KeyId=key)["PublicKey"])
    (tmp_path / "message").write_bytes(b"checked by openssl")
    (tmp_path / "signature").write_bytes(kms.sign(KeyId=key, Message=b"checked by openssl", SigningAlgorithm="ECDSA_SHA_256")["Signature"])
    result = subprocess.run(
        ["openssl", "dgst", "-sha256", "-verify", str(tmp_path / "public.der"), "-keyform", "DER",
         "-signature", str(tmp_path / "signature"), str(tmp_path / "message")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and "Verified OK" in result.stdout, result.stdout + result.stderr


def test_bad_signature_is_an_error_not_false(kms):
    key = signing_key(kms, "ECC_NIST_P256")["KeyId"]
    signature = bytearray(kms.sign(KeyId=key, Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"])
    for message, candidate in [(b"other", bytes(signature)), (b"m", b"\x30\x00"), (b"m", bytes(signature[:-1]))]:
        with pytest.raises(ClientError) as info:
            kms.verify(KeyId=key, Message=message, Signature=candidate, SigningAlgorithm="ECDSA_SHA_256")
        assert error_code(info.value) == "KMSInvalidSignatureException"


def test_digest_length_must_match_the_algorithm(kms):
    key = signing_key(kms, "ECC_NIST_P384")["KeyId"]
    with pytest.raises(ClientError) as info:
        kms.sign(KeyId=key, Message=hashlib.sha256(b"m").digest(), MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_384")
    assert error_code(info.value) == "ValidationException"


def test_algorithm_and_usage_must_fit_the_key(kms, new_key):
    ecc = signing_key(kms, "ECC_NIST_P256")["KeyId"]
    symmetric = new_key()["KeyId"]
    for call in (
        lambda: kms.sign(KeyId=ecc, Message=b"m", SigningAlgorithm="ECDSA_SHA_384"),
        lambda: kms.sign(KeyId=symmetric, Message=b"m", SigningAlgorithm="ECDSA_SHA_256"),
        lambda: kms.encrypt(KeyId=ecc, Plaintext=b"m"),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == "InvalidKeyUsageException"
    with pytest.raises(ClientError) as info:
        kms.get_public_key(KeyId=symmetric)
    assert error_code(info.value) == "UnsupportedOperationException"
    with pytest.raises(ClientError) as info:
        kms.create_key(KeySpec="ECC_NIST_P256")  # default usage ENCRYPT_DECRYPT does not fit
    assert error_code(info.value) == "ValidationException"


# The order of secp256k1's base point.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def test_secp256k1_signatures_in_either_s_form_verify(kms, tmp_path):
    """Coffer signs in low-S form; like OpenSSL and AWS, Verify also takes the equivalent high-S signature."""
    key = signing_key(kms, "ECC_SECG_P256K1")["KeyId"]
    public_key = serialization.load_der_public_key(kms.get_public_key(KeyId=key)["PublicKey"])
    signature = kms.sign(KeyId=key, Message=b"either form", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    r, s = utils.decode_dss_signature(signature)
    assert s <= SECP256K1_N // 2
    high = utils.encode_dss_signature(r, SECP256K1_N - s)
    public_key.verify(high, b"either form", ec.ECDSA(hashes.SHA256()))
    assert kms.verify(KeyId=key, Message=b"either form", Signature=high, SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"] is True
    with pytest.raises(ClientError) as info:
        kms.verify(KeyId=key, Message=b"another", Signature=high, SigningAlgorithm="ECDSA_SHA_256")
    assert error_code(info.value) == "KMSInvalidSignatureException"
    # openssl checks the public key and signature too.
    (tmp_path / "public.der").write_bytes(kms.get_public_key(KeyId=key)["PublicKey"])
    (tmp_path / "message").write_bytes(b"either form")
    (tmp_path / "signature").write_bytes(signature)
    result = subprocess.run(
        ["openssl", "dgst", "-sha256", "-verify", str(tmp_path / "public.der"), "-keyform", "DER",
         "-signature", str(tmp_path / "signature"), str(tmp_path / "message")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0 and "Verified OK" in result.stdout, result.stdout + result.stderr
    # Usages other than SIGN_VERIFY do not fit the curve.
    for usage in ("ENCRYPT_DECRYPT", "KEY_AGREEMENT"):
        with pytest.raises(ClientError) as info:
            kms.create_key(KeySpec="ECC_SECG_P256K1", KeyUsage=usage)
        assert error_code(info.value) == "ValidationException"
