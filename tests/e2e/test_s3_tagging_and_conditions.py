"""S3 object tags and conditional or decorated reads through boto3: Put/Get/DeleteObjectTagging, the
x-amz-tagging header of PutObject and CreateMultipartUpload, TagCount on GET, InvalidTag for more than 10
tags, repeated keys or oversized keys and values, NoSuchKey for tags of a missing object; conditional
GET/HEAD (If-Match / If-Unmodified-Since give 412, If-None-Match / If-Modified-Since give 304, and the
documented pairs of them), conditional PUT (If-None-Match: * and If-Match), the response-* overrides,
stored Content-Encoding/Content-Disposition/Cache-Control/Content-Language/Expires, and the checksum
boto3 sent at upload coming back with ChecksumMode=ENABLED."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import zlib

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, md5_etag, random_bytes, s3_client


def status(exc: pytest.ExceptionInfo) -> int:
    return exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def tag_dict(s3, bucket: str, key: str) -> dict:
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def tag_set(**tags) -> dict:
    return {"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("tags")
    s3.create_bucket(Bucket=name)
    return name


# ---------------------------------------------------------------- tagging

def test_object_tagging_round_trip(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"tagged later")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="k")
    put = s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tag_set(project="apollo", stage="", **{"with space": "a/b=c"}))
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tag_dict(s3, bucket, "k") == {"project": "apollo", "stage": "", "with space": "a/b=c"}
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["TagCount"] == 3
    assert got["Body"].read() == b"tagged later"
    # PutObjectTagging replaces the whole set.
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tag_set(only="one"))
    assert tag_dict(s3, bucket, "k") == {"only": "one"}
    assert s3.get_object(Bucket=bucket, Key="k")["TagCount"] == 1
    # Tags are not data: the ETag and the bytes stay.
    assert s3.head_object(Bucket=bucket, Key="k")["ETag"] == md5_etag(b"tagged later")
    deleted = s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    assert "TagCount" not in s3.get_object(Bucket=bucket, Key="k")


def test_tagging_header(s3, bucket):
    s3.put_object(Bucket=bucket, Key="two", Body=b"x", Tagging="a=1&b=2")
    assert tag_dict(s3, bucket, "two") == {"a": "1", "b": "2"}
    assert s3.get_object(Bucket=bucket, Key="two")["TagCount"] == 2
    # The header is URL-encoded query syntax.
    s3.put_object(Bucket=bucket, Key="encoded", Body=b"x", Tagging="k%20x=v%2Fy&empty=&caf%C3%A9=na%C3%AFve%2B1")
    assert tag_dict(s3, bucket, "encoded") == {"k x": "v/y", "empty": "", "café": "naïve+1"}
    # An object written again without the header has no tags.
    s3.put_object(Bucket=bucket, Key="two", Body=b"y")
    assert tag_dict(s3, bucket, "two") == {}
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mpu", Tagging="from=mpu")
    part = s3.upload_part(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"], PartNumber=1, Body=b"p")
    s3.complete_multipart_upload(Bucket=bucket, Key="mpu", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert tag_dict(s3, bucket, "mpu") == {"from": "mpu"}


@pytest.mark.parametrize("case", ["eleven", "duplicate", "long-key", "long-value"])
def test_invalid_tag_sets(s3, bucket, case):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="keep=me")
    sets = {
        "eleven": [{"Key": f"k{i}", "Value": "v"} for i in range(11)],
        "duplicate": [{"Key": "same", "Value": "1"}, {"Key": "same", "Value": "2"}],
        "long-key": [{"Key": "k" * 129, "Value": "v"}],
        "long-value": [{"Key": "k", "Value": "v" * 257}],
    }
    with pytest.raises(ClientError) as invalid:
        s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": sets[case]})
    # AWS answers "BadRequest: Object tags cannot be greater than 10" for the count, InvalidTag for the rest.
    assert error_code(invalid.value) == ("BadRequest" if case == "eleven" else "InvalidTag")
    assert status(invalid) == 400
    assert tag_dict(s3, bucket, "k") == {"keep": "me"}


def test_limits_are_inclusive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    ten = {f"k{i}": "v" for i in range(9)}
    ten["k" * 128] = "v" * 256
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tag_set(**ten))
    assert tag_dict(s3, bucket, "k") == ten


def test_too_many_tags_in_the_header(s3, bucket):
    with pytest.raises(ClientError) as invalid:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="&".join(f"k{i}=v" for i in range(11)))
    assert error_code(invalid.value) == "BadRequest"
    assert status(invalid) == 400
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")


def test_tags_of_a_missing_object(s3, bucket):
    for call, kw in ((s3.get_object_tagging, {}), (s3.put_object_tagging, {"Tagging": tag_set(a="1")})):
        with pytest.raises(ClientError) as missing:
            call(Bucket=bucket, Key="nope", **kw)
        assert error_code(missing.value) == "NoSuchKey"
        assert status(missing) == 404


# ---------------------------------------------------------------- conditional requests

@pytest.fixture()
def dated(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="dated", Body=b"conditional body")
    head = s3.head_object(Bucket=bucket, Key="dated")
    return {"etag": put["ETag"], "modified": head["LastModified"]}


def test_if_match(s3, bucket, dated):
    got = s3.get_object(Bucket=bucket, Key="dated", IfMatch=dated["etag"])
    assert got["Body"].read() == b"conditional body"
    assert s3.get_object(Bucket=bucket, Key="dated", IfMatch="*")["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as failed:
        s3.get_object(Bucket=bucket, Key="dated", IfMatch=md5_etag(b"other"))
    assert error_code(failed.value) == "PreconditionFailed"
    assert status(failed) == 412
    with pytest.raises(ClientError) as head_failed:
        s3.head_object(Bucket=bucket, Key="dated", IfMatch=md5_etag(b"other"))
    assert status(head_failed) == 412


def test_if_none_match(s3, bucket, dated):
    # botocore turns the body-less 304 into a ClientError whose code is the status.
    with pytest.raises(ClientError) as not_modified:
        s3.get_object(Bucket=bucket, Key="dated", IfNoneMatch=dated["etag"])
    assert status(not_modified) == 304
    assert error_code(not_modified.value) == "304"
    assert not_modified.value.response["ResponseMetadata"]["HTTPHeaders"]["etag"] == dated["etag"]
    with pytest.raises(ClientError) as head_not_modified:
        s3.head_object(Bucket=bucket, Key="dated", IfNoneMatch=dated["etag"])
    assert status(head_not_modified) == 304
    got = s3.get_object(Bucket=bucket, Key="dated", IfNoneMatch=md5_etag(b"other"))
    assert got["Body"].read() == b"conditional body"


def test_if_modified_since(s3, bucket, dated):
    modified = dated["modified"]
    # The Last-Modified value itself, sent back as a cache would: not modified since.
    with pytest.raises(ClientError) as same:
        s3.get_object(Bucket=bucket, Key="dated", IfModifiedSince=modified)
    assert status(same) == 304
    with pytest.raises(ClientError) as later:
        s3.head_object(Bucket=bucket, Key="dated", IfModifiedSince=modified)
    assert status(later) == 304
    got = s3.get_object(Bucket=bucket, Key="dated", IfModifiedSince=modified - dt.timedelta(days=1))
    assert got["Body"].read() == b"conditional body"


def test_if_unmodified_since(s3, bucket, dated):
    modified = dated["modified"]
    with pytest.raises(ClientError) as failed:
        s3.get_object(Bucket=bucket, Key="dated", IfUnmodifiedSince=modified - dt.timedelta(days=1))
    assert error_code(failed.value) == "PreconditionFailed"
    assert status(failed) == 412
    with pytest.raises(ClientError) as head_failed:
        s3.head_object(Bucket=bucket, Key="dated", IfUnmodifiedSince=modified - dt.timedelta(seconds=1))
    assert status(head_failed) == 412
    assert s3.get_object(Bucket=bucket, Key="dated", IfUnmodifiedSince=modified)["Body"].read() == b"conditional body"
    assert s3.head_object(Bucket=bucket, Key="dated", IfUnmodifiedSince=modified + dt.timedelta(days=1))["ETag"] == dated["etag"]


def test_documented_condition_pairs(s3, bucket, dated):
    """GetObject reference: If-Match true with If-Unmodified-Since false gives 200;
    If-None-Match false with If-Modified-Since true gives 304."""
    day = dt.timedelta(days=1)
    got = s3.get_object(Bucket=bucket, Key="dated", IfMatch=dated["etag"], IfUnmodifiedSince=dated["modified"] - day)
    assert got["Body"].read() == b"conditional body"
    with pytest.raises(ClientError) as not_modified:
        s3.get_object(Bucket=bucket, Key="dated", IfNoneMatch=dated["etag"], IfModifiedSince=dated["modified"] - day)
    assert status(not_modified) == 304


def test_put_if_none_match(s3, bucket):
    """PutObject If-None-Match: * "uploads the object only if the object key name does not already exist"."""
    s3.put_object(Bucket=bucket, Key="once", Body=b"first", IfNoneMatch="*")
    with pytest.raises(ClientError) as exists:
        s3.put_object(Bucket=bucket, Key="once", Body=b"second", IfNoneMatch="*")
    assert error_code(exists.value) == "PreconditionFailed"
    assert status(exists) == 412
    assert s3.get_object(Bucket=bucket, Key="once")["Body"].read() == b"first"


def test_put_if_match(s3, bucket):
    first = s3.put_object(Bucket=bucket, Key="k", Body=b"first")
    with pytest.raises(ClientError) as stale:
        s3.put_object(Bucket=bucket, Key="k", Body=b"second", IfMatch=md5_etag(b"not current"))
    assert error_code(stale.value) == "PreconditionFailed"
    assert status(stale) == 412
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"first"
    replaced = s3.put_object(Bucket=bucket, Key="k", Body=b"third", IfMatch=first["ETag"])
    assert replaced["ETag"] == md5_etag(b"third")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"third"


# ---------------------------------------------------------------- response headers

def test_response_overrides(s3, bucket):
    s3.put_object(Bucket=bucket, Key="doc", Body=b"a,b\n1,2\n", ContentType="text/plain", CacheControl="max-age=10")
    expires = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    got = s3.get_object(Bucket=bucket, Key="doc", ResponseContentType="text/csv",
                        ResponseContentDisposition='attachment; filename="table.csv"', ResponseCacheControl="no-cache",
                        ResponseContentLanguage="fr-CA", ResponseContentEncoding="identity", ResponseExpires=expires)
    assert got["ContentType"] == "text/csv"
    assert got["ContentDisposition"] == 'attachment; filename="table.csv"'
    assert got["CacheControl"] == "no-cache"
    assert got["ContentLanguage"] == "fr-CA"
    assert got["ContentEncoding"] == "identity"
    assert got["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Thu, 02 Jan 2031 03:04:05 GMT"
    assert got["Body"].read() == b"a,b\n1,2\n"
    head = s3.head_object(Bucket=bucket, Key="doc", ResponseContentType="application/x-other")
    assert head["ContentType"] == "application/x-other"
    # The stored values are untouched.
    stored = s3.head_object(Bucket=bucket, Key="doc")
    assert stored["ContentType"] == "text/plain"
    assert stored["CacheControl"] == "max-age=10"
    assert "ContentDisposition" not in stored


@pytest.mark.parametrize("streamed", [False, True], ids=["bytes", "aws-chunked"])
def test_stored_content_headers(s3, bucket, streamed):
    """Content-Encoding and friends are stored and served as given; a body boto3 streams goes out with
    aws-chunked added to its Content-Encoding, which is transport only and not stored."""
    text = b"compress me " * 1000
    body = gzip.compress(text)
    expires = dt.datetime(2030, 6, 7, 8, 9, 10, tzinfo=dt.timezone.utc)
    s3.put_object(Bucket=bucket, Key="gz", Body=io.BytesIO(body) if streamed else body, ContentType="text/plain",
                  ContentEncoding="gzip", ContentDisposition='inline; filename="t.txt"', CacheControl="public, max-age=3600",
                  ContentLanguage="de", Expires=expires)
    for answer in (s3.head_object(Bucket=bucket, Key="gz"), s3.get_object(Bucket=bucket, Key="gz")):
        assert answer["ContentEncoding"] == "gzip"
        assert answer["ContentDisposition"] == 'inline; filename="t.txt"'
        assert answer["CacheControl"] == "public, max-age=3600"
        assert answer["ContentLanguage"] == "de"
        assert answer["ContentType"] == "text/plain"
        assert answer["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Fri, 07 Jun 2030 08:09:10 GMT"
        assert answer["ContentLength"] == len(body)
    got = s3.get_object(Bucket=bucket, Key="gz")
    assert gzip.decompress(got["Body"].read()) == text


# ---------------------------------------------------------------- checksums

@pytest.mark.parametrize("algorithm", ["CRC32", "SHA256", "SHA1"])
@pytest.mark.parametrize("streamed", [False, True], ids=["bytes", "aws-chunked"])
def test_checksum_mode_returns_the_uploaded_checksum(s3, bucket, algorithm, streamed):
    data = random_bytes(150_000)
    if algorithm == "CRC32":
        expected = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    else:
        expected = base64.b64encode(hashlib.new(algorithm.lower(), data).digest()).decode()
    put = s3.put_object(Bucket=bucket, Key="sum", Body=io.BytesIO(data) if streamed else data, ChecksumAlgorithm=algorithm)
    assert put[f"Checksum{algorithm}"] == expected
    got = s3.get_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert got[f"Checksum{algorithm}"] == expected
    assert got["Body"].read() == data
    head = s3.head_object(Bucket=bucket, Key="sum", ChecksumMode="ENABLED")
    assert head[f"Checksum{algorithm}"] == expected
    # Without checksum mode there is no checksum in the answer.
    assert f"Checksum{algorithm}" not in s3.head_object(Bucket=bucket, Key="sum")


def test_checksum_mode_with_sse_c(s3, bucket):
    data = random_bytes(10_000)
    customer = random_bytes(32)
    expected = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
    s3.put_object(Bucket=bucket, Key="c", Body=data, ChecksumAlgorithm="CRC32", SSECustomerAlgorithm="AES256",
                  SSECustomerKey=customer)
    got = s3.get_object(Bucket=bucket, Key="c", ChecksumMode="ENABLED", SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    assert got["ChecksumCRC32"] == expected
    assert got["Body"].read() == data
