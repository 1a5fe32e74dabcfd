"""AWS managed keys (alias/aws/<service>) through boto3."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def test_describe_creates_the_aws_managed_key_once(kms, account_id):
    md = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert md["KeyManager"] == "AWS" and md["KeyState"] == "Enabled" and md["KeySpec"] == "SYMMETRIC_DEFAULT"
    again = kms.describe_key(KeyId=f"arn:aws:kms:us-east-1:{account_id}:alias/aws/s3")["KeyMetadata"]
    assert again["KeyId"] == md["KeyId"]
    aliases = {a["AliasName"]: a.get("TargetKeyId") for a in kms.list_aliases(KeyId=md["KeyId"])["Aliases"]}
    assert aliases == {"alias/aws/s3": md["KeyId"]}
    status = kms.get_key_rotation_status(KeyId=md["KeyId"])
    assert status["KeyRotationEnabled"] is True and status["RotationPeriodInDays"] == 365
    policy = json.loads(kms.get_key_policy(KeyId=md["KeyId"])["Policy"])
    assert policy["Statement"][0]["Condition"]["StringEquals"]["kms:ViaService"] == "s3.us-east-1.amazonaws.com"


def test_aws_managed_key_restrictions(kms, new_key):
    key_id = kms.describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["KeyId"]
    # Its key policy allows cryptographic use only through the service.
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId="alias/aws/ebs", Plaintext=b"direct")
    assert error_code(ei.value) == "AccessDeniedException"
    for call in (lambda: kms.disable_key(KeyId=key_id), lambda: kms.schedule_key_deletion(KeyId=key_id),
                 lambda: kms.tag_resource(KeyId=key_id, Tags=[{"TagKey": "a", "TagValue": "b"}]),
                 lambda: kms.update_key_description(KeyId=key_id, Description="mine"),
                 lambda: kms.put_key_policy(KeyId=key_id, Policy="{}")):
        with pytest.raises(ClientError) as ei:
            call()
        assert error_code(ei.value) == "AccessDeniedException"
    # The managed key policy grants no kms:DisableKeyRotation, and authorization comes first.
    with pytest.raises(ClientError) as ei:
        kms.disable_key_rotation(KeyId=key_id)
    assert error_code(ei.value) == "AccessDeniedException"
    with pytest.raises(ClientError) as ei:
        kms.update_alias(AliasName="alias/aws/ebs", TargetKeyId=new_key()["KeyId"])
    assert error_code(ei.value) == "NotAuthorizedException"
    with pytest.raises(ClientError) as ei:
        kms.describe_key(KeyId="alias/aws/no-such-service")
    assert error_code(ei.value) == "NotFoundException"
    assert kms.describe_key(KeyId=key_id)["KeyMetadata"]["KeyState"] == "Enabled"
