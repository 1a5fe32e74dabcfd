"""Multi-Region keys through boto3: one server, regions taken from each client's SigV4 scope."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from test_lifecycle import blob_key_version


@pytest.fixture(scope="module")
def east(coffer):
    return coffer.client(region="us-east-1")


@pytest.fixture(scope="module")
def west(coffer):
    return coffer.client(region="us-west-2")


@pytest.fixture(scope="module")
def europe(coffer):
    return coffer.client(region="eu-west-1")


def test_replica_decrypts_the_primarys_ciphertext(east, west):
    md = east.create_key(MultiRegion=True, Description="primary")["KeyMetadata"]
    key_id = md["KeyId"]
    assert key_id.startswith("mrk-") and len(key_id) == 36 and md["MultiRegion"] is True
    assert md["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"
    blob = east.encrypt(KeyId=key_id, Plaintext=b"made in us-east-1", EncryptionContext={"k": "v"})["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        west.describe_key(KeyId=key_id)
    assert error_code(ei.value) == "NotFoundException"

    response = east.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2", Description="replica",
                                  Tags=[{"TagKey": "team", "TagValue": "west"}])
    replica = response["ReplicaKeyMetadata"]
    assert replica["KeyId"] == key_id and replica["Arn"].startswith("arn:aws:kms:us-west-2:")
    assert replica["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    assert response["ReplicaTags"] == [{"TagKey": "team", "TagValue": "west"}]
    assert '"kms:*"' in response["ReplicaPolicy"]

    assert west.decrypt(CiphertextBlob=blob, EncryptionContext={"k": "v"})["Plaintext"] == b"made in us-east-1"
    back = west.encrypt(KeyId=key_id, Plaintext=b"made in us-west-2")["CiphertextBlob"]
    assert east.decrypt(CiphertextBlob=back)["Plaintext"] == b"made in us-west-2"

    config = east.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]
    assert config["PrimaryKey"] == {"Arn": md["Arn"], "Region": "us-east-1"}
    assert config["ReplicaKeys"] == [{"Arn": replica["Arn"], "Region": "us-west-2"}]
    # Description and tags are per copy; key spec and usage are shared.
    west_md = west.describe_key(KeyId=key_id)["KeyMetadata"]
    assert west_md["Description"] == "replica" and west_md["KeySpec"] == md["KeySpec"]
    assert east.list_resource_tags(KeyId=key_id)["Tags"] == []


def test_replication_rules(east, west, europe, new_key):
    key_id = east.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    east.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2")
    with pytest.raises(ClientError) as ei:
        east.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2")
    assert error_code(ei.value) == "AlreadyExistsException"
    with pytest.raises(ClientError) as ei:
        west.replicate_key(KeyId=key_id, ReplicaRegion="eu-west-1")
    assert error_code(ei.value) == "UnsupportedOperationException"
    with pytest.raises(ClientError) as ei:
        east.replicate_key(KeyId=new_key()["KeyId"], ReplicaRegion="eu-west-1")
    assert error_code(ei.value) == "UnsupportedOperationException"
    # Rotation is managed on the primary only.
    with pytest.raises(ClientError) as ei:
        west.enable_key_rotation(KeyId=key_id)
    assert error_code(ei.value) == "UnsupportedOperationException"
    east.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=180)
    assert west.get_key_rotation_status(KeyId=key_id)["RotationPeriodInDays"] == 180


def test_update_primary_region_and_shared_rotation(east, west):
    key_id = east.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    east.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2")
    old = east.encrypt(KeyId=key_id, Plaintext=b"v1")["CiphertextBlob"]
    east.update_primary_region(KeyId=key_id, PrimaryRegion="us-west-2")
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"] == "PRIMARY"
    assert east.describe_key(KeyId=key_id)["KeyMetadata"]["MultiRegionConfiguration"]["MultiRegionKeyType"] == "REPLICA"
    with pytest.raises(ClientError) as ei:
        east.rotate_key_on_demand(KeyId=key_id)
    assert error_code(ei.value) == "UnsupportedOperationException"
    west.rotate_key_on_demand(KeyId=key_id)
    # Both copies moved to the new material; both still read the old.
    new = east.encrypt(KeyId=key_id, Plaintext=b"v2")["CiphertextBlob"]
    assert blob_key_version(new) == 2
    assert west.decrypt(CiphertextBlob=new)["Plaintext"] == b"v2"
    assert west.decrypt(CiphertextBlob=old)["Plaintext"] == b"v1"


def test_primary_deletion_waits_for_replicas(east, west):
    key_id = east.create_key(MultiRegion=True)["KeyMetadata"]["KeyId"]
    east.replicate_key(KeyId=key_id, ReplicaRegion="us-west-2")
    assert east.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["KeyState"] == "PendingReplicaDeletion"
    assert west.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)["KeyState"] == "PendingDeletion"
    # The replica's key state is its own: cancelling it leaves the primary waiting.
    west.cancel_key_deletion(KeyId=key_id)
    assert west.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Disabled"
    assert east.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "PendingReplicaDeletion"
