"""S3 CopyObject through boto3 and the AWS CLI: re-encryption between SSE-S3, SSE-KMS and SSE-C (the
source's customer key in the x-amz-copy-source-server-side-encryption-customer-* headers), the
destination's encryption coming from the request and never from the source, MetadataDirective and
TaggingDirective, the refused copy of an object onto itself without changes, the copy-source conditions
(412 PreconditionFailed, and the documented If-Match/If-Unmodified-Since and If-None-Match/If-Modified-Since
pairs), missing sources, multipart sources, keys that need URL encoding, and `aws s3 cp` between buckets."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, md5_etag, random_bytes, s3_client

MiB = 1024 * 1024
CHUNK = 64 * 1024


def status(exc: pytest.ExceptionInfo) -> int:
    return exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def key_md5(key: bytes) -> str:
    return base64.b64encode(hashlib.md5(key).digest()).decode()


def tags(s3, bucket: str, key: str) -> dict:
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("copy")
    s3.create_bucket(Bucket=name)
    return name


def test_sse_s3_to_sse_kms(s3, kms, bucket):
    key = kms.create_key(Description="copy target")["KeyMetadata"]
    data = random_bytes(3 * CHUNK + 5)
    s3.put_object(Bucket=bucket, Key="s3", Body=data)
    copied = s3.copy_object(Bucket=bucket, Key="kms", CopySource={"Bucket": bucket, "Key": "s3"},
                            ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
    assert copied["ServerSideEncryption"] == "aws:kms"
    assert copied["SSEKMSKeyId"] == key["Arn"]
    head = s3.head_object(Bucket=bucket, Key="kms")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == key["Arn"]
    assert head["ETag"] == copied["CopyObjectResult"]["ETag"]
    assert s3.get_object(Bucket=bucket, Key="kms")["Body"].read() == data
    # The source is unchanged.
    assert s3.head_object(Bucket=bucket, Key="s3")["ServerSideEncryption"] == "AES256"


def test_sse_kms_to_sse_c(s3, kms, bucket):
    kms_key = kms.create_key(Description="copy source")["KeyMetadata"]["KeyId"]
    customer = random_bytes(32)
    data = random_bytes(2 * CHUNK + 1)
    s3.put_object(Bucket=bucket, Key="kms", Body=data, ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key)
    copied = s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "kms"},
                            SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    assert copied["SSECustomerAlgorithm"] == "AES256"
    assert copied["SSECustomerKeyMD5"] == key_md5(customer)
    assert "ServerSideEncryption" not in copied
    assert "SSEKMSKeyId" not in copied
    with pytest.raises(ClientError) as without:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_code(without.value) == "InvalidRequest"
    got = s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    assert got["Body"].read() == data
    assert "SSEKMSKeyId" not in got


def test_sse_c_to_sse_s3(s3, bucket):
    customer = random_bytes(32)
    data = random_bytes(CHUNK + 77)
    s3.put_object(Bucket=bucket, Key="c", Body=data, SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    source = {"Bucket": bucket, "Key": "c"}
    with pytest.raises(ClientError) as no_key:
        s3.copy_object(Bucket=bucket, Key="s3", CopySource=source)
    assert status(no_key) == 400
    with pytest.raises(ClientError) as wrong_key:
        s3.copy_object(Bucket=bucket, Key="s3", CopySource=source,
                       CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=random_bytes(32))
    assert status(wrong_key) == 403
    copied = s3.copy_object(Bucket=bucket, Key="s3", CopySource=source,
                            CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=customer)
    assert copied["ServerSideEncryption"] == "AES256"
    assert "SSECustomerAlgorithm" not in copied
    # SSE-S3 objects have the MD5 of their bytes as ETag.
    assert copied["CopyObjectResult"]["ETag"] == md5_etag(data)
    got = s3.get_object(Bucket=bucket, Key="s3")
    assert got["ServerSideEncryption"] == "AES256"
    assert got["Body"].read() == data


def test_sse_c_to_sse_c_with_a_new_key(s3, bucket):
    old, new = random_bytes(32), random_bytes(32)
    s3.put_object(Bucket=bucket, Key="c", Body=b"rotate me", SSECustomerAlgorithm="AES256", SSECustomerKey=old)
    s3.copy_object(Bucket=bucket, Key="c", CopySource={"Bucket": bucket, "Key": "c"},
                   CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=old,
                   SSECustomerAlgorithm="AES256", SSECustomerKey=new)
    assert s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=new)["Body"].read() == b"rotate me"
    with pytest.raises(ClientError) as old_key:
        s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=old)
    assert status(old_key) == 403


def test_destination_encryption_is_not_inherited(s3, kms, bucket):
    """Without encryption headers the copy gets the bucket's default (SSE-S3), whatever the source had."""
    key = kms.create_key(Description="not inherited")["KeyMetadata"]["KeyId"]
    s3.put_object(Bucket=bucket, Key="kms", Body=b"kms source", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    copied = s3.copy_object(Bucket=bucket, Key="plain", CopySource={"Bucket": bucket, "Key": "kms"})
    assert copied["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in copied
    head = s3.head_object(Bucket=bucket, Key="plain")
    assert head["ServerSideEncryption"] == "AES256"
    assert "SSEKMSKeyId" not in head
    assert head["ETag"] == md5_etag(b"kms source")


def test_copy_result_etag_and_last_modified(s3, bucket):
    data = random_bytes(1000)
    put = s3.put_object(Bucket=bucket, Key="src", Body=data)
    source_modified = s3.head_object(Bucket=bucket, Key="src")["LastModified"]
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["ResponseMetadata"]["HTTPStatusCode"] == 200
    result = copied["CopyObjectResult"]
    assert result["ETag"] == put["ETag"] == md5_etag(data)
    now = dt.datetime.now(dt.timezone.utc)
    assert source_modified <= result["LastModified"] <= now + dt.timedelta(seconds=2)
    head = s3.head_object(Bucket=bucket, Key="dst")
    assert abs((head["LastModified"] - result["LastModified"]).total_seconds()) < 1
    assert head["ETag"] == result["ETag"]


def test_last_modified_agrees_between_copy_head_and_listing(s3, bucket):
    """S3 keeps LastModified to the second (its XML timestamps end in .000Z), so the copy result,
    the listing and the Last-Modified header of one object are the same instant."""
    s3.put_object(Bucket=bucket, Key="src", Body=b"t")
    result = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})["CopyObjectResult"]
    head = s3.head_object(Bucket=bucket, Key="dst")
    listed = {o["Key"]: o for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert result["LastModified"] == head["LastModified"] == listed["dst"]["LastModified"]


def test_metadata_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"<p>hi</p>", ContentType="text/html", Metadata={"colour": "blue", "n": "1"},
                  ContentDisposition='attachment; filename="hi.html"', CacheControl="max-age=60", ContentLanguage="en",
                  ContentEncoding="identity")
    source = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="default", CopySource=source)
    s3.copy_object(Bucket=bucket, Key="copy", CopySource=source, MetadataDirective="COPY",
                   Metadata={"ignored": "yes"}, ContentType="application/ignored")
    for key in ("default", "copy"):
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ContentType"] == "text/html", key
        assert head["Metadata"] == {"colour": "blue", "n": "1"}, key
        assert head["ContentDisposition"] == 'attachment; filename="hi.html"'
        assert head["CacheControl"] == "max-age=60"
        assert head["ContentLanguage"] == "en"
        assert head["ContentEncoding"] == "identity"
    s3.copy_object(Bucket=bucket, Key="replaced", CopySource=source, MetadataDirective="REPLACE",
                   Metadata={"shape": "round"}, ContentType="text/plain")
    head = s3.head_object(Bucket=bucket, Key="replaced")
    assert head["ContentType"] == "text/plain"
    assert head["Metadata"] == {"shape": "round"}
    # REPLACE replaces all of it: what the request leaves out is gone.
    assert "ContentDisposition" not in head
    assert "CacheControl" not in head
    assert "ContentLanguage" not in head
    s3.copy_object(Bucket=bucket, Key="bare", CopySource=source, MetadataDirective="REPLACE")
    bare = s3.head_object(Bucket=bucket, Key="bare")
    assert bare["Metadata"] == {}
    assert bare["ContentType"] == "binary/octet-stream"
    assert s3.get_object(Bucket=bucket, Key="bare")["Body"].read() == b"<p>hi</p>"


def test_invalid_directives(coffer, bucket):
    raw = s3_client(coffer, validate=False)
    raw.put_object(Bucket=bucket, Key="src", Body=b"x")
    with pytest.raises(ClientError) as metadata:
        raw.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"}, MetadataDirective="MERGE")
    assert error_code(metadata.value) == "InvalidArgument"
    with pytest.raises(ClientError) as tagging:
        raw.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"}, TaggingDirective="MERGE")
    assert error_code(tagging.value) == "InvalidArgument"


def test_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"tagged", Tagging="team=blue&tier=gold")
    source = {"Bucket": bucket, "Key": "src"}
    s3.copy_object(Bucket=bucket, Key="default", CopySource=source)
    assert tags(s3, bucket, "default") == {"team": "blue", "tier": "gold"}
    s3.copy_object(Bucket=bucket, Key="copy", CopySource=source, TaggingDirective="COPY", Tagging="ignored=1")
    assert tags(s3, bucket, "copy") == {"team": "blue", "tier": "gold"}
    s3.copy_object(Bucket=bucket, Key="replace", CopySource=source, TaggingDirective="REPLACE", Tagging="team=red")
    assert tags(s3, bucket, "replace") == {"team": "red"}
    s3.copy_object(Bucket=bucket, Key="none", CopySource=source, TaggingDirective="REPLACE")
    assert tags(s3, bucket, "none") == {}
    # Metadata and tagging directives are independent.
    s3.copy_object(Bucket=bucket, Key="meta", CopySource=source, MetadataDirective="REPLACE", Metadata={"m": "1"})
    assert tags(s3, bucket, "meta") == {"team": "blue", "tier": "gold"}


def test_copy_onto_itself(s3, kms, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"same bytes", Metadata={"v": "1"}, ContentType="text/plain")
    source = {"Bucket": bucket, "Key": "self"}
    with pytest.raises(ClientError) as illegal:
        s3.copy_object(Bucket=bucket, Key="self", CopySource=source)
    assert error_code(illegal.value) == "InvalidRequest"
    assert status(illegal) == 400
    assert "copy an object to itself" in illegal.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as still_illegal:
        s3.copy_object(Bucket=bucket, Key="self", CopySource=source, MetadataDirective="COPY")
    assert error_code(still_illegal.value) == "InvalidRequest"
    replaced = s3.copy_object(Bucket=bucket, Key="self", CopySource=source, MetadataDirective="REPLACE",
                              Metadata={"v": "2"}, ContentType="text/markdown")
    assert replaced["CopyObjectResult"]["ETag"] == md5_etag(b"same bytes")
    head = s3.head_object(Bucket=bucket, Key="self")
    assert head["Metadata"] == {"v": "2"}
    assert head["ContentType"] == "text/markdown"
    # Changing the encryption is a change too.
    key = kms.create_key(Description="self copy")["KeyMetadata"]
    reencrypted = s3.copy_object(Bucket=bucket, Key="self", CopySource=source, ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"])
    assert reencrypted["SSEKMSKeyId"] == key["Arn"]
    got = s3.get_object(Bucket=bucket, Key="self")
    assert got["SSEKMSKeyId"] == key["Arn"]
    assert got["Metadata"] == {"v": "2"}
    assert got["Body"].read() == b"same bytes"


def test_copy_source_if_match_and_if_none_match(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="src", Body=b"conditional")
    source = {"Bucket": bucket, "Key": "src"}
    etag, other = put["ETag"], md5_etag(b"other")
    with pytest.raises(ClientError) as mismatch:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, CopySourceIfMatch=other)
    assert error_code(mismatch.value) == "PreconditionFailed"
    assert status(mismatch) == 412
    with pytest.raises(ClientError) as matched:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, CopySourceIfNoneMatch=etag)
    assert error_code(matched.value) == "PreconditionFailed"
    assert status(matched) == 412
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="dst")
    s3.copy_object(Bucket=bucket, Key="dst1", CopySource=source, CopySourceIfMatch=etag)
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=source, CopySourceIfNoneMatch=other)
    s3.copy_object(Bucket=bucket, Key="dst3", CopySource=source, CopySourceIfMatch="*")
    for key in ("dst1", "dst2", "dst3"):
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"conditional"


def test_copy_source_if_modified_and_unmodified_since(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"dated")
    source = {"Bucket": bucket, "Key": "src"}
    modified = s3.head_object(Bucket=bucket, Key="src")["LastModified"]
    before, after = modified - dt.timedelta(days=1), modified + dt.timedelta(days=1)
    with pytest.raises(ClientError) as not_modified:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, CopySourceIfModifiedSince=after)
    assert error_code(not_modified.value) == "PreconditionFailed"
    assert status(not_modified) == 412
    with pytest.raises(ClientError) as was_modified:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, CopySourceIfUnmodifiedSince=before)
    assert error_code(was_modified.value) == "PreconditionFailed"
    assert status(was_modified) == 412
    s3.copy_object(Bucket=bucket, Key="dst1", CopySource=source, CopySourceIfModifiedSince=before)
    s3.copy_object(Bucket=bucket, Key="dst2", CopySource=source, CopySourceIfUnmodifiedSince=after)
    assert s3.get_object(Bucket=bucket, Key="dst1")["Body"].read() == b"dated"
    assert s3.get_object(Bucket=bucket, Key="dst2")["Body"].read() == b"dated"


def test_copy_source_condition_pairs(s3, bucket):
    """The CopyObject reference: if-match true with if-unmodified-since false copies (200);
    if-none-match false with if-modified-since true fails (412)."""
    put = s3.put_object(Bucket=bucket, Key="src", Body=b"pairs")
    source = {"Bucket": bucket, "Key": "src"}
    modified = s3.head_object(Bucket=bucket, Key="src")["LastModified"]
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource=source, CopySourceIfMatch=put["ETag"],
                            CopySourceIfUnmodifiedSince=modified - dt.timedelta(days=1))
    assert copied["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"pairs"
    with pytest.raises(ClientError) as failed:
        s3.copy_object(Bucket=bucket, Key="dst2", CopySource=source, CopySourceIfNoneMatch=put["ETag"],
                       CopySourceIfModifiedSince=modified - dt.timedelta(days=1))
    assert error_code(failed.value) == "PreconditionFailed"
    assert status(failed) == 412


def test_missing_source(s3, bucket):
    with pytest.raises(ClientError) as no_key:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "nope"})
    assert error_code(no_key.value) == "NoSuchKey"
    assert status(no_key) == 404
    with pytest.raises(ClientError) as no_bucket:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket_name("missing"), "Key": "nope"})
    assert error_code(no_bucket.value) == "NoSuchBucket"
    assert status(no_bucket) == 404
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    with pytest.raises(ClientError) as no_dest_bucket:
        s3.copy_object(Bucket=bucket_name("missing"), Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert error_code(no_dest_bucket.value) == "NoSuchBucket"


def test_copy_between_buckets_with_awkward_keys(s3, bucket):
    other = bucket_name("copy-dst")
    s3.create_bucket(Bucket=other)
    key = "dir/ünï cødé+plus%20?&=.txt"
    s3.put_object(Bucket=bucket, Key=key, Body=b"awkward")
    s3.copy_object(Bucket=other, Key=key + ".copy", CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=other, Key=key + ".copy")["Body"].read() == b"awkward"
    # CopySource as a string: "bucket/key", URL-encoded by botocore.
    s3.copy_object(Bucket=other, Key="from-string", CopySource=f"{bucket}/{key}")
    assert s3.get_object(Bucket=other, Key="from-string")["Body"].read() == b"awkward"


def test_copy_a_multipart_object(s3, bucket):
    parts = [random_bytes(5 * MiB), random_bytes(CHUNK + 1)]
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mpu", Metadata={"from": "mpu"})["UploadId"]
    done = [{"PartNumber": n, "ETag": s3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload_id, PartNumber=n, Body=b)["ETag"]}
            for n, b in enumerate(parts, start=1)]
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="mpu", UploadId=upload_id, MultipartUpload={"Parts": done})
    assert completed["ETag"].endswith('-2"')
    data = b"".join(parts)
    copied = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "mpu"})
    # CopyObject writes a new, single-part object: its SSE-S3 ETag is the MD5 of the bytes.
    assert copied["CopyObjectResult"]["ETag"] == md5_etag(data)
    got = s3.get_object(Bucket=bucket, Key="copy")
    assert got["Metadata"] == {"from": "mpu"}
    assert got["ContentLength"] == len(data)
    assert got["Body"].read() == data
    across = s3.get_object(Bucket=bucket, Key="copy", Range=f"bytes={5 * MiB - 3}-{5 * MiB + 3}")
    assert across["Body"].read() == data[5 * MiB - 3:5 * MiB + 4]


def test_aws_cli_copy_between_buckets(coffer, s3, bucket, tmp_path):
    other = bucket_name("cli-dst")
    s3.create_bucket(Bucket=other)
    data = random_bytes(300_000)
    s3.put_object(Bucket=bucket, Key="x", Body=data, ContentType="application/x-thing")
    out = coffer.aws("s3", "cp", f"s3://{bucket}/x", f"s3://{other}/y").stdout
    assert f"copy: s3://{bucket}/x to s3://{other}/y" in out
    got = s3.get_object(Bucket=other, Key="y")
    assert got["Body"].read() == data
    assert got["ContentType"] == "application/x-thing"
    back = tmp_path / "y.bin"
    coffer.aws("s3", "cp", f"s3://{other}/y", str(back))
    assert back.read_bytes() == data
