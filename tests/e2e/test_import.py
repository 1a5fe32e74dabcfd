"""Importing key material (BYOK) through boto3, with material wrapped locally by `cryptography`."""

import datetime as dt
import hashlib
import hmac
import os

import pytest
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding

from conftest import error_code
from test_lifecycle import advance

OAEP_HASH = {"SHA_1": hashes.SHA1, "SHA_256": hashes.SHA256}


def wrap(params, algorithm, material):
    """Wraps material as AWS documents for each wrapping algorithm."""
    public = serialization.load_der_public_key(params["PublicKey"])
    h = OAEP_HASH[algorithm.rsplit("_", 2)[-2] + "_" + algorithm.rsplit("_", 1)[-1]]
    oaep = padding.OAEP(mgf=padding.MGF1(h()), algorithm=h(), label=None)
    if algorithm.startswith("RSAES_OAEP"):
        return public.encrypt(material, oaep)
    aes_key = os.urandom(32)
    return public.encrypt(aes_key, oaep) + aes_key_wrap_with_padding(aes_key, material)


def import_material(kms, key_id, material, algorithm="RSAES_OAEP_SHA_256", spec="RSA_2048", **kw):
    params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm=algorithm, WrappingKeySpec=spec)
    kw.setdefault("ExpirationModel", "KEY_MATERIAL_DOES_NOT_EXPIRE")
    return kms.import_key_material(KeyId=key_id, ImportToken=params["ImportToken"],
                                   EncryptedKeyMaterial=wrap(params, algorithm, material), **kw)


@pytest.mark.parametrize("algorithm", ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"])
def test_symmetric_import_delete_and_reimport(kms, algorithm):
    md = kms.create_key(Origin="EXTERNAL", Description="byok")["KeyMetadata"]
    assert md["Origin"] == "EXTERNAL" and md["KeyState"] == "PendingImport" and md["Enabled"] is False
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId=md["KeyId"], Plaintext=b"x")
    assert error_code(ei.value) == "KMSInvalidStateException"

    params = kms.get_parameters_for_import(KeyId=md["KeyId"], WrappingAlgorithm=algorithm, WrappingKeySpec="RSA_3072")
    assert serialization.load_der_public_key(params["PublicKey"]).key_size == 3072
    validity = params["ParametersValidTo"] - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(hours=23) < validity <= dt.timedelta(hours=24, minutes=1)
    material = os.urandom(32)
    response = kms.import_key_material(KeyId=md["KeyId"], ImportToken=params["ImportToken"],
                                       EncryptedKeyMaterial=wrap(params, algorithm, material),
                                       ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    material_id = response["KeyMaterialId"]
    assert len(material_id) == 64 and response["KeyId"] == md["Arn"]
    described = kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]
    assert described["KeyState"] == "Enabled" and described["ExpirationModel"] == "KEY_MATERIAL_DOES_NOT_EXPIRE"
    blob = kms.encrypt(KeyId=md["KeyId"], Plaintext=b"imported")["CiphertextBlob"]

    deleted = kms.delete_imported_key_material(KeyId=md["KeyId"])
    assert deleted["KeyMaterialId"] == material_id
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(ei.value) == "KMSInvalidStateException"

    # Other material is refused; the same material brings the old ciphertext back.
    with pytest.raises(ClientError) as ei:
        import_material(kms, md["KeyId"], os.urandom(32))
    assert error_code(ei.value) == "IncorrectKeyMaterialException"
    assert import_material(kms, md["KeyId"], material)["KeyMaterialId"] == material_id
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"imported"


@pytest.mark.parametrize("spec,algorithm,digest,size", [
    ("HMAC_224", "HMAC_SHA_224", hashlib.sha224, 40), ("HMAC_256", "HMAC_SHA_256", hashlib.sha256, 48)])
def test_imported_hmac_key_matches_local_hmac(kms, spec, algorithm, digest, size):
    md = kms.create_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    material = os.urandom(size)
    import_material(kms, md["KeyId"], material)
    mac = kms.generate_mac(KeyId=md["KeyId"], Message=b"message", MacAlgorithm=algorithm)["Mac"]
    assert mac == hmac.new(material, b"message", digest).digest()
    local = hmac.new(material, b"local", digest).digest()
    assert kms.verify_mac(KeyId=md["KeyId"], Message=b"local", Mac=local, MacAlgorithm=algorithm)["MacValid"] is True


@pytest.mark.parametrize("spec,curve", [("ECC_NIST_P256", ec.SECP256R1), ("ECC_SECG_P256K1", ec.SECP256K1)])
def test_imported_signing_key_signs_as_the_local_key(kms, spec, curve):
    private = ec.generate_private_key(curve())
    pkcs8 = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    md = kms.create_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    import_material(kms, md["KeyId"], pkcs8, algorithm="RSA_AES_KEY_WRAP_SHA_256")
    exported = kms.get_public_key(KeyId=md["KeyId"])["PublicKey"]
    assert exported == private.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    signature = kms.sign(KeyId=md["KeyId"], Message=b"m", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    private.public_key().verify(signature, b"m", ec.ECDSA(hashes.SHA256()))
    # A signature made locally (random nonce, either S form) verifies in Coffer.
    local = private.sign(b"local", ec.ECDSA(hashes.SHA256()))
    assert kms.verify(KeyId=md["KeyId"], Message=b"local", Signature=local, SigningAlgorithm="ECDSA_SHA_256")["SignatureValid"] is True
    # Material for another curve is refused.
    other = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    second = kms.create_key(Origin="EXTERNAL", KeySpec=spec, KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    with pytest.raises(ClientError) as info:
        import_material(kms, second, other, algorithm="RSA_AES_KEY_WRAP_SHA_256")
    assert error_code(info.value) == "IncorrectKeyMaterialException"


def test_import_errors(kms, new_key):
    own = new_key()
    with pytest.raises(ClientError) as ei:
        kms.get_parameters_for_import(KeyId=own["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    assert error_code(ei.value) == "UnsupportedOperationException"

    a = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    b = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    params = kms.get_parameters_for_import(KeyId=a["KeyId"], WrappingAlgorithm="RSAES_OAEP_SHA_256", WrappingKeySpec="RSA_2048")
    wrapped = wrap(params, "RSAES_OAEP_SHA_256", os.urandom(32))
    # A token is bound to the key it was issued for.
    with pytest.raises(ClientError) as ei:
        kms.import_key_material(KeyId=b["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert error_code(ei.value) == "InvalidImportTokenException"
    # KEY_MATERIAL_EXPIRES (the default) needs ValidTo, within 365 days.
    with pytest.raises(ClientError) as ei:
        kms.import_key_material(KeyId=a["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped)
    assert error_code(ei.value) == "ValidationException"
    with pytest.raises(ClientError) as ei:
        kms.import_key_material(KeyId=a["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped,
                                ValidTo=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=400))
    assert error_code(ei.value) == "ValidationException"
    # Damaged wrapping, and material of the wrong size.
    with pytest.raises(ClientError) as ei:
        kms.import_key_material(KeyId=a["KeyId"], ImportToken=params["ImportToken"], EncryptedKeyMaterial=wrapped[:-1] + bytes([wrapped[-1] ^ 1]),
                                ExpirationModel="KEY_MATERIAL_DOES_NOT_EXPIRE")
    assert error_code(ei.value) == "InvalidCiphertextException"
    with pytest.raises(ClientError) as ei:
        import_material(kms, a["KeyId"], os.urandom(16))
    assert error_code(ei.value) == "IncorrectKeyMaterialException"
    with pytest.raises(ClientError) as ei:
        kms.get_parameters_for_import(KeyId=a["KeyId"], WrappingAlgorithm="SM2PKE", WrappingKeySpec="SM2")
    assert error_code(ei.value) == "UnsupportedOperationException"
    # Rotation does not apply to imported material here.
    import_material(kms, a["KeyId"], os.urandom(32))
    with pytest.raises(ClientError) as ei:
        kms.enable_key_rotation(KeyId=a["KeyId"])
    assert error_code(ei.value) == "UnsupportedOperationException"


def test_expired_material_stops_working_on_time(server_factory):
    server = server_factory.new(name="clocked", test_mode=True)
    kms = server.client()
    md = kms.create_key(Origin="EXTERNAL")["KeyMetadata"]
    valid_to = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    import_material(kms, md["KeyId"], os.urandom(32), ExpirationModel="KEY_MATERIAL_EXPIRES", ValidTo=valid_to)
    described = kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]
    assert described["ExpirationModel"] == "KEY_MATERIAL_EXPIRES"
    assert abs((described["ValidTo"] - valid_to).total_seconds()) < 1
    blob = kms.encrypt(KeyId=md["KeyId"], Plaintext=b"short-lived")["CiphertextBlob"]
    advance(server, 1.9)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"short-lived"
    advance(server, 0.2)
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(ei.value) == "KMSInvalidStateException"
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "PendingImport"
