"""S3 default bucket encryption through boto3: Put/Get/DeleteBucketEncryption, objects written without
encryption headers taking the bucket's default (SSE-S3, or SSE-KMS with a named or the AWS managed key,
with or without bucket keys) on PutObject, CreateMultipartUpload and CopyObject, request headers
overriding the default, DeleteBucketEncryption going back to SSE-S3, and BlockedEncryptionTypes
refusing SSE-C writes (403 AccessDenied) while existing SSE-C objects stay readable."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, random_bytes, s3_client


def status(exc: pytest.ExceptionInfo) -> int:
    return exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def rule(algorithm: str, key_id: str | None = None, bucket_key: bool | None = None, blocked: list[str] | None = None) -> dict:
    default = {"SSEAlgorithm": algorithm}
    if key_id:
        default["KMSMasterKeyID"] = key_id
    out: dict = {"ApplyServerSideEncryptionByDefault": default}
    if bucket_key is not None:
        out["BucketKeyEnabled"] = bucket_key
    if blocked is not None:
        out["BlockedEncryptionTypes"] = {"EncryptionType": blocked}
    return out


def set_default(s3, bucket: str, **kw) -> None:
    answer = s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule(**kw)]})
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200


def default_rule(s3, bucket: str) -> dict:
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert len(rules) == 1
    return rules[0]


def blocked_types_supported() -> bool:
    model = botocore.session.get_session().get_service_model("s3")
    return "BlockedEncryptionTypes" in model.shape_for("ServerSideEncryptionRule").members


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("enc")
    s3.create_bucket(Bucket=name)
    return name


def test_every_bucket_reports_the_sse_s3_default(s3, bucket):
    """GetBucketEncryption: "By default, all buckets have a default encryption configuration that uses
    server-side encryption with Amazon S3 managed keys (SSE-S3)"; DeleteBucketEncryption "resets the
    default encryption for the bucket as ... SSE-S3"."""
    fresh = default_rule(s3, bucket)
    assert fresh["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert fresh.get("BucketKeyEnabled", False) is False
    set_default(s3, bucket, algorithm="aws:kms")
    s3.delete_bucket_encryption(Bucket=bucket)
    assert default_rule(s3, bucket)["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


def test_missing_bucket(s3):
    with pytest.raises(ClientError) as missing:
        s3.get_bucket_encryption(Bucket=bucket_name("missing"))
    assert error_code(missing.value) == "NoSuchBucket"
    assert status(missing) == 404


def test_sse_kms_default_with_a_named_key(s3, kms, bucket):
    key = kms.create_key(Description="bucket default")["KeyMetadata"]
    set_default(s3, bucket, algorithm="aws:kms", key_id=key["KeyId"])
    stored = default_rule(s3, bucket)
    assert stored["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["KeyId"]}
    data = random_bytes(70_000)
    put = s3.put_object(Bucket=bucket, Key="plain-put", Body=data)
    assert put["ServerSideEncryption"] == "aws:kms"
    assert put["SSEKMSKeyId"] == key["Arn"]
    got = s3.get_object(Bucket=bucket, Key="plain-put")
    assert got["ServerSideEncryption"] == "aws:kms"
    assert got["SSEKMSKeyId"] == key["Arn"]
    assert got["Body"].read() == data
    # Multipart uploads and copies into the bucket take the default too.
    created = s3.create_multipart_upload(Bucket=bucket, Key="mpu")
    assert created["ServerSideEncryption"] == "aws:kms"
    assert created["SSEKMSKeyId"] == key["Arn"]
    part = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=created["UploadId"], PartNumber=1, Body=b"part")
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mpu", UploadId=created["UploadId"],
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert done["SSEKMSKeyId"] == key["Arn"]
    other = bucket_name("enc-src")
    s3.create_bucket(Bucket=other)
    s3.put_object(Bucket=other, Key="src", Body=b"copied in")
    copied = s3.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": other, "Key": "src"})
    assert copied["ServerSideEncryption"] == "aws:kms"
    assert copied["SSEKMSKeyId"] == key["Arn"]
    assert s3.head_object(Bucket=bucket, Key="copied")["SSEKMSKeyId"] == key["Arn"]


def test_sse_kms_default_with_the_managed_key(s3, kms, bucket):
    set_default(s3, bucket, algorithm="aws:kms")
    assert default_rule(s3, bucket)["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms"}
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"managed")
    managed = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert put["ServerSideEncryption"] == "aws:kms"
    assert put["SSEKMSKeyId"] == managed["Arn"]
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"managed"


def test_bucket_key_in_the_default(s3, kms, bucket):
    key = kms.create_key(Description="bucket key default")["KeyMetadata"]
    set_default(s3, bucket, algorithm="aws:kms", key_id=key["Arn"], bucket_key=True)
    stored = default_rule(s3, bucket)
    assert stored["BucketKeyEnabled"] is True
    assert stored["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key["Arn"]
    for i in range(3):
        put = s3.put_object(Bucket=bucket, Key=f"bk{i}", Body=f"object {i}".encode())
        assert put["BucketKeyEnabled"] is True
        assert put["SSEKMSKeyId"] == key["Arn"]
    head = s3.head_object(Bucket=bucket, Key="bk1")
    assert head["BucketKeyEnabled"] is True
    assert s3.get_object(Bucket=bucket, Key="bk2")["Body"].read() == b"object 2"
    # A request may turn bucket keys off for its object.
    off = s3.put_object(Bucket=bucket, Key="nobk", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"],
                        BucketKeyEnabled=False)
    assert not off.get("BucketKeyEnabled", False)


def test_aes256_default(s3, bucket):
    set_default(s3, bucket, algorithm="AES256")
    stored = default_rule(s3, bucket)
    assert stored["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"sse-s3")
    assert put["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in put
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"


def test_request_headers_override_the_default(s3, kms, bucket):
    default_key = kms.create_key(Description="default")["KeyMetadata"]
    other_key = kms.create_key(Description="per request")["KeyMetadata"]
    set_default(s3, bucket, algorithm="aws:kms", key_id=default_key["Arn"])
    aes = s3.put_object(Bucket=bucket, Key="aes", Body=b"a", ServerSideEncryption="AES256")
    assert aes["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in aes
    assert "SSEKMSKeyId" not in s3.head_object(Bucket=bucket, Key="aes")
    named = s3.put_object(Bucket=bucket, Key="other", Body=b"b", ServerSideEncryption="aws:kms", SSEKMSKeyId=other_key["KeyId"])
    assert named["SSEKMSKeyId"] == other_key["Arn"]
    customer = random_bytes(32)
    c = s3.put_object(Bucket=bucket, Key="c", Body=b"c", SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    assert c["SSECustomerAlgorithm"] == "AES256"
    assert "ServerSideEncryption" not in c
    assert s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=customer)["Body"].read() == b"c"
    with pytest.raises(ClientError):
        s3.get_object(Bucket=bucket, Key="c")


def test_delete_bucket_encryption_reverts_to_sse_s3(s3, kms, bucket):
    key = kms.create_key(Description="to be removed")["KeyMetadata"]
    set_default(s3, bucket, algorithm="aws:kms", key_id=key["Arn"], bucket_key=True)
    s3.put_object(Bucket=bucket, Key="before", Body=b"kms")
    assert s3.delete_bucket_encryption(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204
    after = s3.put_object(Bucket=bucket, Key="after", Body=b"s3")
    assert after["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in after
    assert not after.get("BucketKeyEnabled", False)
    # Objects written before keep their encryption.
    before = s3.get_object(Bucket=bucket, Key="before")
    assert before["SSEKMSKeyId"] == key["Arn"]
    assert before["Body"].read() == b"kms"
    # Deleting again is fine.
    assert s3.delete_bucket_encryption(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_invalid_configurations(coffer, s3, kms, bucket):
    key = kms.create_key(Description="misplaced")["KeyMetadata"]
    with pytest.raises(ClientError) as key_with_aes:
        set_default(s3, bucket, algorithm="AES256", key_id=key["Arn"])
    assert error_code(key_with_aes.value) == "InvalidArgument"
    assert status(key_with_aes) == 400
    raw = s3_client(coffer, validate=False)
    with pytest.raises(ClientError) as no_rules:
        raw.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": []})
    assert status(no_rules) == 400
    with pytest.raises(ClientError) as algorithm:
        raw.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [rule("rot13")]})
    assert status(algorithm) == 400
    # Nothing was stored: objects still get SSE-S3.
    assert s3.put_object(Bucket=bucket, Key="k", Body=b"x")["ServerSideEncryption"] == "AES256"


def test_blocked_sse_c(s3, kms, bucket):
    if not blocked_types_supported():
        pytest.skip("the installed botocore has no BlockedEncryptionTypes in ServerSideEncryptionRule")
    customer = random_bytes(32)
    sse_c = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": customer}
    s3.put_object(Bucket=bucket, Key="old-c", Body=b"written before the block", **sse_c)
    s3.put_object(Bucket=bucket, Key="plain", Body=b"plain")
    set_default(s3, bucket, algorithm="AES256", blocked=["SSE-C"])
    assert default_rule(s3, bucket)["BlockedEncryptionTypes"] == {"EncryptionType": ["SSE-C"]}

    def blocked(call, **kw):
        with pytest.raises(ClientError) as refused:
            call(Bucket=bucket, **kw)
        assert error_code(refused.value) == "AccessDenied"
        assert status(refused) == 403

    blocked(s3.put_object, Key="new-c", Body=b"x", **sse_c)
    blocked(s3.create_multipart_upload, Key="mpu-c", **sse_c)
    blocked(s3.copy_object, Key="copy-c", CopySource={"Bucket": bucket, "Key": "plain"}, **sse_c)
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="new-c")
    # Existing SSE-C objects stay readable, and other encryption types are not blocked.
    assert s3.get_object(Bucket=bucket, Key="old-c", **sse_c)["Body"].read() == b"written before the block"
    assert s3.put_object(Bucket=bucket, Key="s3", Body=b"x")["ServerSideEncryption"] == "AES256"
    assert s3.put_object(Bucket=bucket, Key="kms", Body=b"x", ServerSideEncryption="aws:kms")["ServerSideEncryption"] == "aws:kms"
    # Copying the SSE-C object out of SSE-C is allowed: only the destination's encryption counts.
    s3.copy_object(Bucket=bucket, Key="decrypted", CopySource={"Bucket": bucket, "Key": "old-c"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=customer)
    assert s3.get_object(Bucket=bucket, Key="decrypted")["Body"].read() == b"written before the block"
    # NONE unblocks.
    set_default(s3, bucket, algorithm="AES256", blocked=["NONE"])
    s3.put_object(Bucket=bucket, Key="new-c", Body=b"allowed again", **sse_c)
    assert s3.get_object(Bucket=bucket, Key="new-c", **sse_c)["Body"].read() == b"allowed again"

