"""Key policy documents through boto3: the default policy, PutKeyPolicy, validation.

(Enforcement of policies is the access-control work; these tests pin the documents.)"""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def test_default_policy_delegates_to_the_account(kms, new_key, account_id):
    md = new_key()
    response = kms.get_key_policy(KeyId=md["KeyId"], PolicyName="default")
    assert response["PolicyName"] == "default"
    assert json.loads(response["Policy"]) == {
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }],
    }
    # PolicyName may be left out.
    assert kms.get_key_policy(KeyId=md["Arn"])["Policy"] == response["Policy"]
    assert kms.list_key_policies(KeyId=md["Arn"])["PolicyNames"] == ["default"]


def test_put_key_policy_round_trips_verbatim(kms, new_key, account_id):
    md = new_key()
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*", "Resource": "*"}]}, indent=1)
    kms.put_key_policy(KeyId=md["KeyId"], PolicyName="default", Policy=policy)
    assert kms.get_key_policy(KeyId=md["KeyId"], PolicyName="default")["Policy"] == policy
    created = kms.create_key(Policy=policy)["KeyMetadata"]
    assert kms.get_key_policy(KeyId=created["KeyId"])["Policy"] == policy


def test_policy_errors(kms, new_key, unique):
    md = new_key()
    with pytest.raises(ClientError) as ei:
        kms.put_key_policy(KeyId=md["KeyId"], PolicyName="default", Policy="not a policy")
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    with pytest.raises(ClientError) as ei:
        kms.create_key(Policy="not a policy")
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    with pytest.raises(ClientError) as ei:
        kms.get_key_policy(KeyId=md["KeyId"], PolicyName="other")
    assert error_code(ei.value) == "NotFoundException"
    for call in (lambda k: kms.get_key_policy(KeyId=k), lambda k: kms.list_key_policies(KeyId=k),
                 lambda k: kms.put_key_policy(KeyId=k, Policy="{}")):
        with pytest.raises(ClientError) as ei:
            call("12366f9b-1230-123d-123e-123e6ae60c02")
        assert error_code(ei.value) == "NotFoundException"
    # Key policies are addressed by key id or key ARN, never by alias.
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=md["KeyId"])
    with pytest.raises(ClientError) as ei:
        kms.get_key_policy(KeyId=alias)
    assert error_code(ei.value) == "NotFoundException"


def test_key_policy_size_quota(kms, new_key, account_id):
    """AWS's key policy document size quota is 32 KiB: a larger valid policy is LimitExceededException, one just under it is stored."""
    md = new_key()
    def policy_of(size: int) -> str:
        base = {"Version": "2012-10-17", "Statement": [
            {"Sid": "", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"}, "Action": "kms:*", "Resource": "*"}]}
        text = json.dumps(base)
        base["Statement"][0]["Sid"] = "s" * (size - len(text))
        return json.dumps(base)
    fits, too_big = policy_of(32768), policy_of(32769)
    assert (len(fits), len(too_big)) == (32768, 32769)
    kms.put_key_policy(KeyId=md["KeyId"], PolicyName="default", Policy=fits)
    assert kms.get_key_policy(KeyId=md["KeyId"], PolicyName="default")["Policy"] == fits
    with pytest.raises(ClientError) as ei:
        kms.put_key_policy(KeyId=md["KeyId"], PolicyName="default", Policy=too_big)
    assert error_code(ei.value) == "LimitExceededException"
