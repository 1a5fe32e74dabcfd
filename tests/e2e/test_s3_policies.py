"""S3 bucket policies through boto3: Put/Get/DeleteBucketPolicy (the text comes back as it was given;
NoSuchBucketPolicy once deleted), MalformedPolicy for documents S3 refuses, and the policies of AWS's
documentation enforced: deny every request not made over TLS (aws:SecureTransport, with the plain-HTTP
listener), deny PutObject unless it asks for SSE-KMS (s3:x-amz-server-side-encryption), cross-account
grants to another account's root (which its IAM users still need an identity policy for), an identity
deny beating a bucket-policy allow, an explicit bucket-policy deny beating the owner's root, and the
owner's root keeping Get/Put/DeleteBucketPolicy even when its policy denies it everything."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, free_port
from iam_helpers import Account, allow, deny
from s3_helpers import bucket_name, s3_client


def document(*statements: dict, **top) -> str:
    return json.dumps({"Version": "2012-10-17", **top, "Statement": list(statements)}, separators=(",", ":"))


def status(exc: pytest.ExceptionInfo) -> int:
    return exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def refused(call, code: str = "AccessDenied", http: int = 403, **kw) -> ClientError:
    with pytest.raises(ClientError) as failed:
        call(**kw)
    assert error_code(failed.value) == code, failed.value.response["Error"]
    assert status(failed) == http
    return failed.value


def client_for(server, principal):
    return s3_client(server, access_key=principal.access_key, secret_key=principal.secret_key)


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("pol")
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="module")
def owner(coffer):
    return Account.create(coffer)


@pytest.fixture(scope="module")
def stranger(coffer):
    return Account.create(coffer)


@pytest.fixture()
def owned(coffer, owner):
    """A bucket of the `owner` account with one object, and the root's client."""
    s3 = client_for(coffer, owner.root)
    name = bucket_name("owned")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="doc.txt", Body=b"owner's document")
    return name, s3


def test_put_get_delete_bucket_policy(coffer, s3, bucket):
    text = document({"Sid": "ReadMine", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{coffer.account_id()}:root"},
                     "Action": ["s3:GetObject"], "Resource": f"arn:aws:s3:::{bucket}/*"}, Id="e2e-policy")
    with pytest.raises(ClientError) as none_yet:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_code(none_yet.value) == "NoSuchBucketPolicy"
    assert status(none_yet) == 404
    assert s3.put_bucket_policy(Bucket=bucket, Policy=text)["ResponseMetadata"]["HTTPStatusCode"] in (200, 204)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == text
    replacement = document({"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{bucket}/*"})
    s3.put_bucket_policy(Bucket=bucket, Policy=replacement)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == replacement
    assert s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as gone:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_code(gone.value) == "NoSuchBucketPolicy"
    assert status(gone) == 404
    # Deleting a policy that is not there is no error.
    assert s3.delete_bucket_policy(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    missing = bucket_name("missing")
    refused(s3.get_bucket_policy, "NoSuchBucket", 404, Bucket=missing)
    refused(s3.put_bucket_policy, "NoSuchBucket", 404, Bucket=missing, Policy=text.replace(bucket, missing))


@pytest.mark.parametrize("case", [
    "not-json", "no-principal", "bad-effect", "no-statement",
    "other-bucket",
    "unknown-action",
])
def test_malformed_policies(s3, bucket, case):
    good = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
    texts = {
        "not-json": '{"Version": "2012-10-17", "Statement": [',
        "no-principal": document({k: v for k, v in good.items() if k != "Principal"}),
        "other-bucket": document({**good, "Resource": "arn:aws:s3:::some-other-bucket/*"}),
        "unknown-action": document({**good, "Action": "s3:FrobnicateObject"}),
        "bad-effect": document({**good, "Effect": "Perhaps"}),
        "no-statement": json.dumps({"Version": "2012-10-17"}),
    }
    refused(s3.put_bucket_policy, "MalformedPolicy", 400, Bucket=bucket, Policy=texts[case])
    with pytest.raises(ClientError) as nothing_stored:
        s3.get_bucket_policy(Bucket=bucket)
    assert error_code(nothing_stored.value) == "NoSuchBucketPolicy"


def test_deny_requests_not_made_over_tls(server_factory):
    """https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html (aws:SecureTransport)."""
    port = free_port()
    server = server_factory.new(extra_args=["--plain-http-port", str(port)])
    tls = s3_client(server)
    plain = s3_client(server, endpoint=f"http://127.0.0.1:{port}")
    guarded, open_ = bucket_name("tls"), bucket_name("open")
    for name in (guarded, open_):
        tls.create_bucket(Bucket=name)
    # Without a policy plain HTTP works.
    plain.put_object(Bucket=guarded, Key="before", Body=b"over http")
    assert plain.get_object(Bucket=guarded, Key="before")["Body"].read() == b"over http"
    tls.put_bucket_policy(Bucket=guarded, Policy=document({
        "Sid": "AllowSSLRequestsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{guarded}", f"arn:aws:s3:::{guarded}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}))
    refused(plain.get_object, Bucket=guarded, Key="before")
    refused(plain.head_object, "403", Bucket=guarded, Key="before")
    refused(plain.put_object, Bucket=guarded, Key="after", Body=b"x")
    refused(plain.list_objects_v2, Bucket=guarded)
    refused(plain.delete_object, Bucket=guarded, Key="before")
    # Over TLS everything still works, and other buckets still answer over HTTP.
    assert tls.get_object(Bucket=guarded, Key="before")["Body"].read() == b"over http"
    tls.put_object(Bucket=guarded, Key="after", Body=b"over tls")
    plain.put_object(Bucket=open_, Key="k", Body=b"fine")
    assert plain.get_object(Bucket=open_, Key="k")["Body"].read() == b"fine"
    tls.delete_bucket_policy(Bucket=guarded)
    assert plain.get_object(Bucket=guarded, Key="after")["Body"].read() == b"over tls"
    for client in (tls, plain):
        client.close()  # no idle keep-alive connections to hold up the server's stop


def test_deny_put_object_without_sse_kms(s3, kms, bucket):
    """https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms"""
    s3.put_object(Bucket=bucket, Key="existing", Body=b"written before the policy")
    s3.put_bucket_policy(Bucket=bucket, Policy=document({
        "Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}))
    refused(s3.put_object, Bucket=bucket, Key="none", Body=b"x")
    refused(s3.put_object, Bucket=bucket, Key="aes", Body=b"x", ServerSideEncryption="AES256")
    refused(s3.put_object, Bucket=bucket, Key="c", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=b"k" * 32)
    refused(s3.create_multipart_upload, Bucket=bucket, Key="mpu")
    refused(s3.copy_object, Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "existing"})
    managed = s3.put_object(Bucket=bucket, Key="kms", Body=b"x", ServerSideEncryption="aws:kms")
    assert managed["ServerSideEncryption"] == "aws:kms"
    key = kms.create_key(Description="required sse-kms")["KeyMetadata"]
    named = s3.put_object(Bucket=bucket, Key="kms-named", Body=b"y", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
    assert named["SSEKMSKeyId"] == key["Arn"]
    s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "existing"}, ServerSideEncryption="aws:kms")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mpu", ServerSideEncryption="aws:kms")
    s3.abort_multipart_upload(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"])
    # Reads are not PutObject.
    assert s3.get_object(Bucket=bucket, Key="existing")["Body"].read() == b"written before the policy"


def test_cross_account_read_needs_a_bucket_policy(coffer, owned, owner, stranger):
    name, owner_s3 = owned
    other = client_for(coffer, stranger.root)
    refused(other.get_object, Bucket=name, Key="doc.txt")
    refused(other.head_object, "403", Bucket=name, Key="doc.txt")
    refused(other.list_objects_v2, Bucket=name)
    owner_s3.put_bucket_policy(Bucket=name, Policy=document({
        "Sid": "CrossAccountRead", "Effect": "Allow", "Principal": {"AWS": stranger.root_arn},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/*"}))
    assert other.get_object(Bucket=name, Key="doc.txt")["Body"].read() == b"owner's document"
    # Only what was granted.
    refused(other.list_objects_v2, Bucket=name)
    refused(other.put_object, Bucket=name, Key="intruder", Body=b"x")
    refused(other.delete_object, Bucket=name, Key="doc.txt")
    # The grant to the account's root is a grant to the account: its users still need an identity policy.
    bare = client_for(coffer, stranger.user())
    refused(bare.get_object, Bucket=name, Key="doc.txt")
    reader = client_for(coffer, stranger.user(allow("s3:GetObject")))
    assert reader.get_object(Bucket=name, Key="doc.txt")["Body"].read() == b"owner's document"
    # A bare account id names the same principal.
    owner_s3.put_bucket_policy(Bucket=name, Policy=document({
        "Effect": "Allow", "Principal": {"AWS": stranger.id}, "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]}))
    assert [o["Key"] for o in other.list_objects_v2(Bucket=name)["Contents"]] == ["doc.txt"]
    owner_s3.delete_bucket_policy(Bucket=name)
    refused(other.get_object, Bucket=name, Key="doc.txt")


def test_bucket_policy_operations_are_for_the_owner_account_only(coffer, owned, stranger):
    """Another account granted s3:GetBucketPolicy gets 405 MethodNotAllowed (DeleteBucketPolicy reference)."""
    name, owner_s3 = owned
    owner_s3.put_bucket_policy(Bucket=name, Policy=document({
        "Effect": "Allow", "Principal": {"AWS": stranger.root_arn},
        "Action": ["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], "Resource": f"arn:aws:s3:::{name}"}))
    other = client_for(coffer, stranger.root)
    refused(other.get_bucket_policy, "MethodNotAllowed", 405, Bucket=name)
    refused(other.delete_bucket_policy, "MethodNotAllowed", 405, Bucket=name)
    assert "s3:GetBucketPolicy" in owner_s3.get_bucket_policy(Bucket=name)["Policy"]


def test_identity_deny_beats_bucket_policy_allow(coffer, owned, owner):
    name, owner_s3 = owned
    denied = owner.user(deny("s3:GetObject"))
    plain = owner.user()
    owner_s3.put_bucket_policy(Bucket=name, Policy=document({
        "Effect": "Allow", "Principal": {"AWS": [denied.arn, plain.arn]}, "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{name}/*"}))
    refused(client_for(coffer, denied).get_object, Bucket=name, Key="doc.txt")
    # In the bucket's own account the bucket policy's allow is enough for a user without identity policies.
    assert client_for(coffer, plain).get_object(Bucket=name, Key="doc.txt")["Body"].read() == b"owner's document"
    refused(client_for(coffer, plain).put_object, Bucket=name, Key="x", Body=b"x")


def test_explicit_deny_in_bucket_policy_beats_the_owner_root(coffer, owned):
    name, owner_s3 = owned
    owner_s3.put_object(Bucket=name, Key="secret/plans", Body=b"classified")
    owner_s3.put_bucket_policy(Bucket=name, Policy=document({
        "Sid": "NoSecrets", "Effect": "Deny", "Principal": "*", "Action": ["s3:GetObject", "s3:DeleteObject"],
        "Resource": f"arn:aws:s3:::{name}/secret/*"}))
    refused(owner_s3.get_object, Bucket=name, Key="secret/plans")
    refused(owner_s3.delete_object, Bucket=name, Key="secret/plans")
    assert owner_s3.get_object(Bucket=name, Key="doc.txt")["Body"].read() == b"owner's document"
    owner_s3.put_object(Bucket=name, Key="secret/more", Body=b"writes are not denied")


def test_owner_root_keeps_bucket_policy_operations(coffer, owned, owner):
    """The root of the bucket owner's account can Get/Put/DeleteBucketPolicy even when the policy denies it."""
    name, owner_s3 = owned
    lockout = document({"Sid": "LockEveryoneOut", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]})
    owner_s3.put_bucket_policy(Bucket=name, Policy=lockout)
    refused(owner_s3.get_object, Bucket=name, Key="doc.txt")
    refused(owner_s3.list_objects_v2, Bucket=name)
    admin = client_for(coffer, owner.user(allow("s3:*")))
    refused(admin.get_bucket_policy, Bucket=name)
    refused(admin.delete_bucket_policy, Bucket=name)
    assert owner_s3.get_bucket_policy(Bucket=name)["Policy"] == lockout
    owner_s3.put_bucket_policy(Bucket=name, Policy=lockout)
    owner_s3.delete_bucket_policy(Bucket=name)
    assert owner_s3.get_object(Bucket=name, Key="doc.txt")["Body"].read() == b"owner's document"
