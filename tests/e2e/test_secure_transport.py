"""aws:SecureTransport: the optional plain-HTTP listener (--plain-http-port, off by default) marks
its requests as not secure, so a policy can refuse them, as AWS's documented deny does
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport)."""

from __future__ import annotations

import json

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, free_port


def _http_client(server, port: int):
    session = boto3.session.Session(
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key, region_name="us-east-1"
    )
    config = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1})
    return session.client("kms", endpoint_url=f"http://127.0.0.1:{port}", config=config)


def test_a_key_policy_can_refuse_requests_that_are_not_over_tls(server_factory):
    """The same key answers over HTTPS and plain HTTP until its policy denies aws:SecureTransport=false."""
    port = free_port()
    server = server_factory.new(extra_args=["--plain-http-port", str(port)])
    account = server.account_id()
    tls = server.client()
    plain = _http_client(server, port)
    key_id = tls.create_key(Description="tls only")["KeyMetadata"]["KeyId"]
    blob = plain.encrypt(KeyId=key_id, Plaintext=b"over http")["CiphertextBlob"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "admin", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*", "Resource": "*"},
            {"Sid": "tls-only", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*",
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
        ],
    }
    tls.put_key_policy(KeyId=key_id, PolicyName="default", Policy=json.dumps(policy))
    assert tls.decrypt(CiphertextBlob=blob)["Plaintext"] == b"over http"
    with pytest.raises(ClientError) as denied:
        plain.decrypt(CiphertextBlob=blob)
    assert error_code(denied.value) == "AccessDeniedException"
    assert "kms:Decrypt" in denied.value.response["Error"]["Message"]
    assert "with an explicit deny in a resource-based policy" in denied.value.response["Error"]["Message"]
    # Keys without such a policy still answer over plain HTTP.
    other = tls.create_key(Description="no tls rule")["KeyMetadata"]["KeyId"]
    assert plain.describe_key(KeyId=other)["KeyMetadata"]["KeyId"] == other

