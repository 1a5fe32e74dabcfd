"""Key rotation (on demand and automatic) and scheduled deletion, through boto3.

Automatic rotation and deletion need time to pass: a test-mode server's KMS clock is moved with
POST /coffer-test/advance-clock?seconds=N (SigV4 keeps checking the real clock).
"""

import struct

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import error_code

DAY = 86_400


def blob_key_version(blob: bytes) -> int:
    """Reads the key version out of a Coffer ciphertext blob (docs/key-hierarchy.md, format 1)."""
    assert blob[0] == 1
    id_length = blob[1]
    return struct.unpack(">I", blob[2 + id_length:6 + id_length])[0]


def advance(server, days: float) -> dict:
    response = requests.post(f"{server.endpoint}/coffer-test/advance-clock?seconds={int(days * DAY)}", verify=server.ca, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def clocked(server_factory):
    return server_factory.new(name="clocked", test_mode=True)


def test_on_demand_rotation_keeps_old_ciphertexts(kms, new_key):
    key = new_key()["KeyId"]
    old = kms.encrypt(KeyId=key, Plaintext=b"before rotation", EncryptionContext={"v": "1"})["CiphertextBlob"]
    assert blob_key_version(old) == 1
    response = kms.rotate_key_on_demand(KeyId=key)
    assert response["KeyId"].endswith(key) and response["KeyId"].startswith("arn:aws:kms:")
    new = kms.encrypt(KeyId=key, Plaintext=b"after rotation", EncryptionContext={"v": "1"})["CiphertextBlob"]
    assert blob_key_version(new) == 2
    assert kms.decrypt(CiphertextBlob=old, EncryptionContext={"v": "1"})["Plaintext"] == b"before rotation"
    assert kms.decrypt(CiphertextBlob=new, EncryptionContext={"v": "1"})["Plaintext"] == b"after rotation"
    data_key = kms.generate_data_key(KeyId=key, KeySpec="AES_256")
    assert blob_key_version(data_key["CiphertextBlob"]) == 2
    rotations = kms.list_key_rotations(KeyId=key)["Rotations"]
    assert [r["RotationType"] for r in rotations] == ["ON_DEMAND"]
    assert rotations[0]["KeyMaterialState"] == "CURRENT" and len(rotations[0]["KeyMaterialId"]) == 64
    everything = kms.list_key_rotations(KeyId=key, IncludeKeyMaterial="ALL_KEY_MATERIAL")["Rotations"]
    assert [r["KeyMaterialState"] for r in everything] == ["NON_CURRENT", "CURRENT"]


def test_rotation_status_and_period_bounds(kms, new_key):
    key = new_key()["KeyId"]
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is False and "NextRotationDate" not in status
    kms.enable_key_rotation(KeyId=key)
    status = kms.get_key_rotation_status(KeyId=key)
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 365 and "NextRotationDate" in status
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
    assert kms.get_key_rotation_status(KeyId=key)["RotationPeriodInDays"] == 90
    kms.disable_key_rotation(KeyId=key)
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False


@pytest.mark.parametrize("days", [89, 2561])
def test_rotation_period_out_of_range(kms_raw, new_key, days):
    with pytest.raises(ClientError) as info:
        kms_raw.enable_key_rotation(KeyId=new_key()["KeyId"], RotationPeriodInDays=days)
    assert error_code(info.value) == "ValidationException"


def test_rotation_of_a_disabled_key_is_refused(kms, new_key):
    key = new_key()["KeyId"]
    kms.disable_key(KeyId=key)
    for call in (lambda: kms.enable_key_rotation(KeyId=key), lambda: kms.rotate_key_on_demand(KeyId=key)):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == "DisabledException"


def test_automatic_rotation_when_the_period_passes(clocked):
    kms = clocked.client()
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    old = kms.encrypt(KeyId=key, Plaintext=b"old")["CiphertextBlob"]
    kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
    first_due = kms.get_key_rotation_status(KeyId=key)["NextRotationDate"]
    assert advance(clocked, 89)["rotated"] == 0
    assert advance(clocked, 2)["rotated"] == 1
    assert kms.get_key_rotation_status(KeyId=key)["NextRotationDate"] > first_due
    assert [r["RotationType"] for r in kms.list_key_rotations(KeyId=key)["Rotations"]] == ["AUTOMATIC"]
    assert blob_key_version(kms.encrypt(KeyId=key, Plaintext=b"new")["CiphertextBlob"]) == 2
    assert kms.decrypt(CiphertextBlob=old)["Plaintext"] == b"old"


def test_scheduled_deletion_and_cancel(kms, new_key):
    key = new_key()["KeyId"]
    blob = kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    response = kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert response["KeyState"] == "PendingDeletion" and response["PendingWindowInDays"] == 7
    described = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert described["KeyState"] == "PendingDeletion" and described["Enabled"] is False
    assert described["PendingDeletionWindowInDays"] == 7 and "DeletionDate" in described
    for call in (
        lambda: kms.encrypt(KeyId=key, Plaintext=b"x"),
        lambda: kms.decrypt(CiphertextBlob=blob),
        lambda: kms.enable_key(KeyId=key),
        lambda: kms.schedule_key_deletion(KeyId=key),
    ):
        with pytest.raises(ClientError) as info:
            call()
        assert error_code(info.value) == "KMSInvalidStateException"
    assert kms.cancel_key_deletion(KeyId=key)["KeyId"].endswith(key)
    described = kms.describe_key(KeyId=key)["KeyMetadata"]
    assert described["KeyState"] == "Disabled" and "DeletionDate" not in described
    kms.enable_key(KeyId=key)
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


@pytest.mark.parametrize("days", [6, 31])
def test_pending_window_out_of_range(kms_raw, new_key, days):
    with pytest.raises(ClientError) as info:
        kms_raw.schedule_key_deletion(KeyId=new_key()["KeyId"], PendingWindowInDays=days)
    assert error_code(info.value) == "ValidationException"


def test_key_is_deleted_when_the_window_ends(clocked):
    kms = clocked.client()
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    other = kms.create_key()["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/short-lived", TargetKeyId=key)
    blob = kms.encrypt(KeyId=key, Plaintext=b"gone soon")["CiphertextBlob"]
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    assert advance(clocked, 6)["deleted"] == 0
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert advance(clocked, 1.01)["deleted"] == 1
    with pytest.raises(ClientError) as info:
        kms.describe_key(KeyId=key)
    assert error_code(info.value) == "NotFoundException"
    assert "alias/short-lived" not in [a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    with pytest.raises(ClientError) as info:
        kms.decrypt(CiphertextBlob=blob)
    assert error_code(info.value) == "InvalidCiphertextException"
    assert [k["KeyId"] for k in kms.list_keys()["Keys"]] == [other]
    # Deletion is durable: a restart does not bring the key back.
    assert clocked.stop() == 0
    clocked.start()
    assert [k["KeyId"] for k in clocked.client().list_keys()["Keys"]] == [other]


def test_clock_control_is_test_mode_only(coffer):
    response = requests.post(f"{coffer.endpoint}/coffer-test/advance-clock?seconds=1", verify=coffer.ca, timeout=10)
    assert response.status_code == 400
