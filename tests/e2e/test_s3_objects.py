"""S3 objects through boto3 and the AWS CLI: buckets, uploads of every shape boto3 sends (aws-chunked
with CRC trailers, plain bodies with Content-MD5 or x-amz-checksum-* headers), reads with ranges
that cross the 64 KiB chunk boundaries of the at-rest format, metadata, deletes and listings."""

from __future__ import annotations

import base64
import json
import time
import hashlib
import zlib

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, md5_etag, random_bytes, s3_client

CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name()
    s3.create_bucket(Bucket=name)
    return name


def test_bucket_lifecycle(s3):
    name = bucket_name("life")
    assert s3.create_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    head = s3.head_bucket(Bucket=name)
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(ClientError) as full:
        s3.delete_bucket(Bucket=name)
    assert error_code(full.value) == "BucketNotEmpty"
    assert full.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)
    with pytest.raises(ClientError) as gone:
        s3.head_bucket(Bucket=name)
    assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(ClientError) as missing:
        s3.list_objects_v2(Bucket=name)
    assert error_code(missing.value) == "NoSuchBucket"


def test_bucket_names_and_locations(coffer, s3):
    with pytest.raises(ClientError) as bad:
        s3_client(coffer, validate=False).create_bucket(Bucket="Bad_Name")
    assert error_code(bad.value) == "InvalidBucketName"
    name = bucket_name("eu")
    eu = s3_client(coffer, region="eu-west-1")
    eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert eu.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    with pytest.raises(ClientError) as illegal:
        eu.create_bucket(Bucket=bucket_name("eu"), CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    assert error_code(illegal.value) == "IllegalLocationConstraintException"
    with pytest.raises(ClientError) as owned:
        eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert error_code(owned.value) == "BucketAlreadyOwnedByYou"
    # us-east-1 answers 200 again for a bucket the caller already owns.
    us = bucket_name("us")
    s3.create_bucket(Bucket=us)
    s3.create_bucket(Bucket=us)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17, 1024 * 1024 + 3])
def test_round_trip_sizes(s3, bucket, size):
    data = random_bytes(size)
    put = s3.put_object(Bucket=bucket, Key=f"obj-{size}", Body=data)
    assert put["ETag"] == md5_etag(data)
    assert put["ServerSideEncryption"] == "AES256"
    got = s3.get_object(Bucket=bucket, Key=f"obj-{size}")
    assert got["Body"].read() == data
    assert got["ContentLength"] == size
    assert got["ETag"] == md5_etag(data)
    assert got["ServerSideEncryption"] == "AES256"


def test_ranges_across_chunk_boundaries(s3, bucket):
    data = random_bytes(4 * CHUNK + 100)
    s3.put_object(Bucket=bucket, Key="ranged", Body=data)
    cases = [
        (0, 0), (CHUNK - 1, CHUNK), (CHUNK - 10, 2 * CHUNK + 10), (3 * CHUNK, 4 * CHUNK + 99), (100, 100),
        (len(data) - 1, len(data) - 1), (2 * CHUNK, len(data) + 5000),
    ]
    for first, last in cases:
        got = s3.get_object(Bucket=bucket, Key="ranged", Range=f"bytes={first}-{last}")
        end = min(last, len(data) - 1)
        assert got["Body"].read() == data[first:end + 1], (first, last)
        assert got["ContentRange"] == f"bytes {first}-{end}/{len(data)}"
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    suffix = s3.get_object(Bucket=bucket, Key="ranged", Range="bytes=-70000")
    assert suffix["Body"].read() == data[-70000:]
    open_ended = s3.get_object(Bucket=bucket, Key="ranged", Range=f"bytes={CHUNK + 5}-")
    assert open_ended["Body"].read() == data[CHUNK + 5:]
    with pytest.raises(ClientError) as unsatisfiable:
        s3.get_object(Bucket=bucket, Key="ranged", Range=f"bytes={len(data)}-")
    assert error_code(unsatisfiable.value) == "InvalidRange"
    assert unsatisfiable.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416


def test_metadata_and_content_type(s3, bucket):
    s3.put_object(Bucket=bucket, Key="meta", Body=b"{}", ContentType="application/json", Metadata={"Owner": "ann", "x": "1"})
    head = s3.head_object(Bucket=bucket, Key="meta")
    assert head["ContentType"] == "application/json"
    assert head["Metadata"] == {"owner": "ann", "x": "1"}
    assert head["ContentLength"] == 2
    assert head["AcceptRanges"] == "bytes"
    assert head["LastModified"].year >= 2024
    plain = s3.head_object(Bucket=bucket, Key="meta")
    assert plain["ETag"] == md5_etag(b"{}")
    s3.put_object(Bucket=bucket, Key="untyped", Body=b"x")
    assert s3.head_object(Bucket=bucket, Key="untyped")["ContentType"] == "binary/octet-stream"


def test_missing_objects_and_deletes(s3, bucket):
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket=bucket, Key="nope")
    assert error_code(missing.value) == "NoSuchKey"
    assert missing.value.response["Error"]["Key"] == "nope"
    with pytest.raises(ClientError) as head_missing:
        s3.head_object(Bucket=bucket, Key="nope")
    assert head_missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    # DeleteObject answers 204 whether or not the key exists.
    assert s3.delete_object(Bucket=bucket, Key="nope")["ResponseMetadata"]["HTTPStatusCode"] == 204
    s3.put_object(Bucket=bucket, Key="k", Body=b"1")
    s3.put_object(Bucket=bucket, Key="k", Body=b"22")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"22"
    s3.delete_object(Bucket=bucket, Key="k")
    with pytest.raises(ClientError):
        s3.get_object(Bucket=bucket, Key="k")


def test_keys_with_unusual_characters(s3, bucket):
    keys = ["a b/c+d", "ünï/cødé ☃", "percent%20literal", "q?x=1&y=2", "trailing/", "dots/../x", "~tilde!*'()"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    for key in keys:
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(listed, key=lambda k: k.encode()) == listed
    assert set(listed) == set(keys)


@pytest.mark.parametrize("algorithm", ["CRC32", "SHA1", "SHA256"])
def test_checksums_are_verified_and_echoed(s3, bucket, algorithm):
    data = random_bytes(200_000)
    put = s3.put_object(Bucket=bucket, Key=f"sum-{algorithm}", Body=data, ChecksumAlgorithm=algorithm)
    if algorithm == "CRC32":
        expected = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    else:
        expected = base64.b64encode(hashlib.new(algorithm.lower(), data).digest()).decode()
    assert put[f"Checksum{algorithm}"] == expected
    assert s3.get_object(Bucket=bucket, Key=f"sum-{algorithm}")["Body"].read() == data


def test_wrong_checksum_header_is_refused(s3, bucket):
    wrong = base64.b64encode(b"\x00\x00\x00\x00").decode()
    with pytest.raises(ClientError) as bad:
        s3.put_object(Bucket=bucket, Key="bad-sum", Body=b"hello", ChecksumCRC32=wrong)
    assert error_code(bad.value) == "BadDigest"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="bad-sum")


def test_content_md5(coffer, bucket):
    plain = s3_client(coffer, checksums="when_required")
    data = b"content md5 body"
    good = base64.b64encode(hashlib.md5(data).digest()).decode()
    plain.put_object(Bucket=bucket, Key="md5", Body=data, ContentMD5=good)
    assert plain.get_object(Bucket=bucket, Key="md5")["Body"].read() == data
    wrong = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as bad:
        plain.put_object(Bucket=bucket, Key="md5-bad", Body=data, ContentMD5=wrong)
    assert error_code(bad.value) == "BadDigest"
    with pytest.raises(ClientError) as invalid:
        plain.put_object(Bucket=bucket, Key="md5-bad", Body=data, ContentMD5="not-base64!")
    assert error_code(invalid.value) == "InvalidDigest"
    with pytest.raises(ClientError):
        plain.head_object(Bucket=bucket, Key="md5-bad")


def test_presigned_urls(coffer, bucket):
    s3 = s3_client(coffer, signature_version="s3v4")
    data = random_bytes(70_000)
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=300)
    assert requests.put(put_url, data=data, verify=coffer.ca).status_code == 200
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=300)
    response = requests.get(get_url, verify=coffer.ca)
    assert response.status_code == 200
    assert response.content == data
    tampered = get_url.replace("pre?", "pre2?")
    denied = requests.get(tampered, verify=coffer.ca)
    assert denied.status_code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in denied.content
    expired = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "pre"}, ExpiresIn=1)
    time.sleep(2.1)
    late = requests.get(expired, verify=coffer.ca)
    assert late.status_code == 403
    assert b"<Code>AccessDenied</Code>" in late.content and b"Request has expired" in late.content


def test_presigned_urls_with_boto3_defaults(coffer, s3, bucket):
    """boto3's generate_presigned_url signs S3 URLs with signature version 2 (HMAC-SHA1) unless told otherwise."""
    data = random_bytes(1000)
    s3.put_object(Bucket=bucket, Key="v2", Body=data)
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "v2"}, ExpiresIn=300)
    assert "AWSAccessKeyId=" in url and "Signature=" in url
    response = requests.get(url, verify=coffer.ca)
    assert response.status_code == 200, response.text
    assert response.content == data
    overridden = s3.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "v2", "ResponseContentType": "text/plain"}, ExpiresIn=300)
    assert requests.get(overridden, verify=coffer.ca).status_code == 200
    assert requests.get(url.replace("v2?", "v3?"), verify=coffer.ca).status_code == 403
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "v2-put"}, ExpiresIn=300)
    assert requests.put(put_url, data=b"via v2", verify=coffer.ca).status_code == 200
    assert s3.get_object(Bucket=bucket, Key="v2-put")["Body"].read() == b"via v2"


def test_unsigned_and_badly_signed_requests(coffer, s3, bucket):
    anonymous = requests.get(f"{coffer.endpoint}/{bucket}/x", verify=coffer.ca)
    assert anonymous.status_code == 403
    assert b"<Code>AccessDenied</Code>" in anonymous.content
    wrong = s3_client(coffer, secret_key="A" * 40)
    with pytest.raises(ClientError) as mismatch:
        wrong.list_objects_v2(Bucket=bucket)
    assert error_code(mismatch.value) == "SignatureDoesNotMatch"
    unknown = s3_client(coffer, access_key="AKIAUNKNOWNUNKNOWN00")
    with pytest.raises(ClientError) as unknown_key:
        unknown.list_objects_v2(Bucket=bucket)
    assert error_code(unknown_key.value) == "InvalidAccessKeyId"


def test_aws_cli_copy_round_trip(coffer, bucket, tmp_path):
    source = tmp_path / "f.bin"
    data = random_bytes(3 * 1024 * 1024 + 5)
    source.write_bytes(data)
    coffer.aws("s3", "cp", str(source), f"s3://{bucket}/dir/f.bin")
    listing = coffer.aws("s3", "ls", f"s3://{bucket}/dir/").stdout
    assert "f.bin" in listing
    back = tmp_path / "back.bin"
    coffer.aws("s3", "cp", f"s3://{bucket}/dir/f.bin", str(back))
    assert back.read_bytes() == data
    head = coffer.aws("s3api", "head-object", "--bucket", bucket, "--key", "dir/f.bin").stdout
    assert '"ServerSideEncryption": "AES256"' in head


def test_virtual_hosted_style_addressing(coffer, s3, bucket):
    """`bucket.localhost` in the Host header addresses the bucket (the path is then the key)."""
    virtual = s3_client(coffer, addressing="virtual", endpoint=f"https://localhost:{coffer.port}", signature_version="s3v4")
    s3.put_object(Bucket=bucket, Key="vhost/key.txt", Body=b"virtual")
    url = virtual.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "vhost/key.txt"}, ExpiresIn=300)
    assert url.startswith(f"https://{bucket}.localhost:{coffer.port}/vhost/key.txt?")
    # Connect to 127.0.0.1 (bucket.localhost need not resolve here) but send the virtual host name.
    direct = url.replace(f"https://{bucket}.localhost:{coffer.port}", f"https://127.0.0.1:{coffer.port}")
    response = requests.get(direct, headers={"Host": f"{bucket}.localhost:{coffer.port}"}, verify=coffer.ca)
    assert response.status_code == 200, response.text
    assert response.content == b"virtual"


def test_s3_calls_are_audited(coffer, s3, bucket):
    """Object calls are CloudTrail data events naming the bucket and object; bucket calls are management events."""
    since = time.time() - 1
    s3.put_object(Bucket=bucket, Key="audited.txt", Body=b"a")
    with pytest.raises(ClientError):
        s3.get_object(Bucket=bucket, Key="not-there")
    ct = coffer.client(service="cloudtrail")
    events = [json.loads(e["CloudTrailEvent"]) for e in ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": "s3.amazonaws.com"}], StartTime=since, MaxResults=50)["Events"]]
    put = next(e for e in events if e["eventName"] == "PutObject" and e["requestParameters"]["key"] == "audited.txt")
    assert put["eventCategory"] == "Data" and put["managementEvent"] is False
    assert {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/audited.txt", "accountId": put["recipientAccountId"]} in put["resources"]
    assert put["requestParameters"]["bucketName"] == bucket
    assert put["userIdentity"]["type"] == "Root"
    failed = next(e for e in events if e["eventName"] == "GetObject" and e["requestParameters"]["key"] == "not-there")
    assert failed["errorCode"] == "NoSuchKey"
    assert failed["readOnly"] is True
    created = [json.loads(e["CloudTrailEvent"]) for e in ct.lookup_events(
        LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateBucket"}], MaxResults=50)["Events"]]
    assert any(e["requestParameters"]["bucketName"] == bucket and e["eventCategory"] == "Management" for e in created)


def test_uploads_need_a_length(coffer, bucket):
    """A body sent with Transfer-Encoding: chunked and no Content-Length (nor aws-chunked's decoded length) is
    refused with 411 MissingContentLength, as S3 does, and stores nothing."""
    s3 = s3_client(coffer, signature_version="s3v4")
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "no-length"}, ExpiresIn=300)
    response = requests.put(url, data=(part for part in [b"a" * 1000, b"b" * 1000]), verify=coffer.ca)
    assert response.status_code == 411
    assert b"<Code>MissingContentLength</Code>" in response.content
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="no-length")


def test_storage_classes(coffer, s3, bucket):
    """x-amz-storage-class is stored and reported (HEAD, listings, multipart); archived classes refuse GET and
    copy until restored (InvalidObjectState), and an unknown class is InvalidStorageClass."""
    s3.put_object(Bucket=bucket, Key="ia", Body=b"infrequent", StorageClass="STANDARD_IA")
    assert s3.head_object(Bucket=bucket, Key="ia")["StorageClass"] == "STANDARD_IA"
    assert s3.get_object(Bucket=bucket, Key="ia")["Body"].read() == b"infrequent"
    s3.put_object(Bucket=bucket, Key="std", Body=b"x")
    assert "StorageClass" not in s3.head_object(Bucket=bucket, Key="std")
    classes = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert classes["ia"] == "STANDARD_IA" and classes["std"] == "STANDARD"
    s3.put_object(Bucket=bucket, Key="cold", Body=b"archived", StorageClass="GLACIER")
    assert s3.head_object(Bucket=bucket, Key="cold")["StorageClass"] == "GLACIER"
    with pytest.raises(ClientError) as archived:
        s3.get_object(Bucket=bucket, Key="cold")
    assert error_code(archived.value) == "InvalidObjectState"
    with pytest.raises(ClientError) as no_copy:
        s3.copy_object(Bucket=bucket, Key="cold-copy", CopySource={"Bucket": bucket, "Key": "cold"})
    assert error_code(no_copy.value) == "InvalidObjectState"
    s3.copy_object(Bucket=bucket, Key="ia", CopySource={"Bucket": bucket, "Key": "ia"}, StorageClass="ONEZONE_IA")
    assert s3.head_object(Bucket=bucket, Key="ia")["StorageClass"] == "ONEZONE_IA"
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", StorageClass="INTELLIGENT_TIERING")
    assert s3.list_parts(Bucket=bucket, Key="mp", UploadId=upload["UploadId"])["StorageClass"] == "INTELLIGENT_TIERING"
    part = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=1, Body=b"p")
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.head_object(Bucket=bucket, Key="mp")["StorageClass"] == "INTELLIGENT_TIERING"
    with pytest.raises(ClientError) as unknown:
        s3_client(coffer, validate=False).put_object(Bucket=bucket, Key="bad", Body=b"x", StorageClass="FROZEN")
    assert error_code(unknown.value) == "InvalidStorageClass"
