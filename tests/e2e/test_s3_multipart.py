"""S3 multipart uploads through boto3 and the AWS CLI: create / upload parts / complete under SSE-S3,
SSE-KMS and SSE-C (every part of an SSE-C upload needs the same customer key), the `"<md5 of the part
MD5s>-<n>"` ETag of a completed SSE-S3 upload, ranged reads across part boundaries and the 64 KiB chunk
boundaries inside parts, reads of one part (partNumber), re-uploaded parts, ListParts and
ListMultipartUploads with their pagination, AbortMultipartUpload, the documented completion errors
(EntityTooSmall, InvalidPart, InvalidPartOrder, MalformedXML, NoSuchUpload), UploadPartCopy between
encryption modes, and `aws s3 cp` of a file large enough for the CLI to upload in parts."""

from __future__ import annotations

import base64
import hashlib
import time
import zlib
from urllib.parse import urlsplit

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, md5_etag, random_bytes, s3_client

MiB = 1024 * 1024
PART = 5 * MiB  # the smallest size a part other than the last may have
CHUNK = 64 * 1024


def multipart_etag(parts: list[bytes]) -> str:
    """The ETag AWS gives a completed SSE-S3 multipart upload: MD5 of the parts' binary MD5s, dash, part count."""
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    return f'"{digest}-{len(parts)}"'


def status(exc: pytest.ExceptionInfo) -> int:
    return exc.value.response["ResponseMetadata"]["HTTPStatusCode"]


def key_md5(key: bytes) -> str:
    return base64.b64encode(hashlib.md5(key).digest()).decode()


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("mpu")
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="module")
def three_parts(s3):
    """A completed SSE-S3 upload of three parts: 5 MiB, 5 MiB + 5 bytes (so part 3 starts off the
    64 KiB grid) and 3 chunks + 77 bytes."""
    name = bucket_name("mpu3")
    s3.create_bucket(Bucket=name)
    parts = [random_bytes(PART), random_bytes(PART + 5), random_bytes(3 * CHUNK + 77)]
    created = s3.create_multipart_upload(Bucket=name, Key="big", ContentType="application/x-test", Metadata={"origin": "mpu"})
    assert created["ServerSideEncryption"] == "AES256"
    assert created["Bucket"] == name and created["Key"] == "big"
    upload_id = created["UploadId"]
    done = []
    for number, body in enumerate(parts, start=1):
        answer = s3.upload_part(Bucket=name, Key="big", UploadId=upload_id, PartNumber=number, Body=body)
        # For SSE-S3 the part's ETag is the MD5 of its bytes.
        assert answer["ETag"] == md5_etag(body)
        assert answer["ServerSideEncryption"] == "AES256"
        done.append({"PartNumber": number, "ETag": answer["ETag"]})
    completed = s3.complete_multipart_upload(Bucket=name, Key="big", UploadId=upload_id, MultipartUpload={"Parts": done})
    return {"bucket": name, "key": "big", "parts": parts, "data": b"".join(parts), "completed": completed}


def test_sse_s3_upload_etag_and_contents(s3, three_parts):
    completed, parts, data = three_parts["completed"], three_parts["parts"], three_parts["data"]
    assert completed["ETag"] == multipart_etag(parts)
    assert completed["Bucket"] == three_parts["bucket"]
    assert completed["Key"] == "big"
    assert completed["Location"].endswith(f"/{three_parts['bucket']}/big")
    assert completed["ServerSideEncryption"] == "AES256"
    head = s3.head_object(Bucket=three_parts["bucket"], Key="big")
    assert head["ETag"] == multipart_etag(parts)
    assert head["ContentLength"] == len(data)
    assert head["ContentType"] == "application/x-test"
    assert head["Metadata"] == {"origin": "mpu"}
    assert head["ServerSideEncryption"] == "AES256"
    got = s3.get_object(Bucket=three_parts["bucket"], Key="big")
    assert got["ContentLength"] == len(data)
    assert got["Body"].read() == data
    listed = s3.list_objects_v2(Bucket=three_parts["bucket"])["Contents"]
    assert [(o["Key"], o["Size"], o["ETag"]) for o in listed] == [("big", len(data), multipart_etag(parts))]


def test_complete_location_is_a_url(s3, three_parts):
    """CompleteMultipartUploadOutput.Location: "The URI that identifies the newly created object"."""
    location = urlsplit(three_parts["completed"]["Location"])
    assert location.scheme == "https" and location.netloc
    assert location.path.endswith("/big")


def test_ranges_across_part_and_chunk_boundaries(s3, three_parts):
    data = three_parts["data"]
    third = 2 * PART + 5  # where part 3 starts
    cases = [
        (PART - 1, PART),                          # last byte of part 1, first of part 2
        (PART - 100, PART + CHUNK + 100),          # across parts 1/2 and a chunk boundary in part 2
        (PART + CHUNK - 1, PART + CHUNK),          # a chunk boundary inside part 2
        (PART + 3 * CHUNK - 7, PART + 5 * CHUNK + 7),
        (third - 1, third),                        # parts 2/3
        (third - 10, third + CHUNK + 10),          # parts 2/3 and part 3's first chunk boundary
        (third + 2 * CHUNK - 3, third + 2 * CHUNK + 3),
        (10, len(data) - 10),                      # all three parts
        (len(data) - 1, len(data) - 1),
    ]
    for first, last in cases:
        got = s3.get_object(Bucket=three_parts["bucket"], Key="big", Range=f"bytes={first}-{last}")
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["ContentRange"] == f"bytes {first}-{last}/{len(data)}"
        assert got["ContentLength"] == last - first + 1
        assert got["Body"].read() == data[first:last + 1], (first, last)
    suffix = s3.get_object(Bucket=three_parts["bucket"], Key="big", Range=f"bytes=-{3 * CHUNK + 1000}")
    assert suffix["Body"].read() == data[-(3 * CHUNK + 1000):]
    tail = s3.get_object(Bucket=three_parts["bucket"], Key="big", Range=f"bytes={PART + 12345}-")
    assert tail["Body"].read() == data[PART + 12345:]


def test_get_and_head_one_part(s3, three_parts):
    parts, data, name = three_parts["parts"], three_parts["data"], three_parts["bucket"]
    offset = 0
    for number, body in enumerate(parts, start=1):
        got = s3.get_object(Bucket=name, Key="big", PartNumber=number)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["PartsCount"] == 3
        assert got["ContentLength"] == len(body)
        assert got["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{len(data)}"
        # The ETag stays the whole object's.
        assert got["ETag"] == multipart_etag(parts)
        assert got["Body"].read() == body
        head = s3.head_object(Bucket=name, Key="big", PartNumber=number)
        assert head["PartsCount"] == 3
        assert head["ContentLength"] == len(body)
        assert head["ContentRange"] == f"bytes {offset}-{offset + len(body) - 1}/{len(data)}"
        offset += len(body)
    with pytest.raises(ClientError) as beyond:
        s3.get_object(Bucket=name, Key="big", PartNumber=4)
    assert error_code(beyond.value) == "InvalidPartNumber"
    assert status(beyond) == 416


def test_parts_count_only_with_part_number(s3, three_parts):
    """x-amz-mp-parts-count "is only returned if you specify partNumber in your request" (GetObject, HeadObject)."""
    name = three_parts["bucket"]
    assert "PartsCount" not in s3.head_object(Bucket=name, Key="big")
    got = s3.get_object(Bucket=name, Key="big", Range="bytes=0-0")
    got["Body"].read()
    assert "PartsCount" not in got


def test_sse_kms_upload_reports_the_key_arn(s3, kms, bucket):
    key = kms.create_key(Description="mpu sse-kms")["KeyMetadata"]
    created = s3.create_multipart_upload(Bucket=bucket, Key="kms", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
    assert created["ServerSideEncryption"] == "aws:kms"
    assert created["SSEKMSKeyId"] == key["Arn"]
    upload_id = created["UploadId"]
    parts = [random_bytes(PART), random_bytes(CHUNK + 3)]
    done = []
    for number, body in enumerate(parts, start=1):
        answer = s3.upload_part(Bucket=bucket, Key="kms", UploadId=upload_id, PartNumber=number, Body=body)
        assert answer["ServerSideEncryption"] == "aws:kms"
        assert answer["SSEKMSKeyId"] == key["Arn"]
        done.append({"PartNumber": number, "ETag": answer["ETag"]})
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="kms", UploadId=upload_id, MultipartUpload={"Parts": done})
    assert completed["ServerSideEncryption"] == "aws:kms"
    assert completed["SSEKMSKeyId"] == key["Arn"]
    assert completed["ETag"].endswith('-2"')
    got = s3.get_object(Bucket=bucket, Key="kms")
    assert got["ServerSideEncryption"] == "aws:kms"
    assert got["SSEKMSKeyId"] == key["Arn"]
    assert got["ETag"] == completed["ETag"]
    assert got["Body"].read() == b"".join(parts)
    across = s3.get_object(Bucket=bucket, Key="kms", Range=f"bytes={PART - 5}-{PART + CHUNK + 1}")
    assert across["Body"].read() == b"".join(parts)[PART - 5:PART + CHUNK + 2]


def test_sse_kms_upload_with_bucket_key(s3, kms, bucket):
    key = kms.create_key(Description="mpu bucket key")["KeyMetadata"]
    created = s3.create_multipart_upload(Bucket=bucket, Key="bk", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["Arn"],
                                         BucketKeyEnabled=True)
    assert created["BucketKeyEnabled"] is True
    part = s3.upload_part(Bucket=bucket, Key="bk", UploadId=created["UploadId"], PartNumber=1, Body=b"bucket key part")
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="bk", UploadId=created["UploadId"],
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert completed["BucketKeyEnabled"] is True
    got = s3.get_object(Bucket=bucket, Key="bk")
    assert got["BucketKeyEnabled"] is True
    assert got["SSEKMSKeyId"] == key["Arn"]
    assert got["Body"].read() == b"bucket key part"


def test_sse_c_upload_needs_the_same_key_for_every_part(s3, bucket):
    key, other = random_bytes(32), random_bytes(32)
    sse_c = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}
    created = s3.create_multipart_upload(Bucket=bucket, Key="c", **sse_c)
    assert created["SSECustomerAlgorithm"] == "AES256"
    assert created["SSECustomerKeyMD5"] == key_md5(key)
    assert "ServerSideEncryption" not in created
    upload_id = created["UploadId"]
    parts = [random_bytes(PART), random_bytes(2 * CHUNK + 9)]
    first = s3.upload_part(Bucket=bucket, Key="c", UploadId=upload_id, PartNumber=1, Body=parts[0], **sse_c)
    assert first["SSECustomerAlgorithm"] == "AES256"
    assert first["SSECustomerKeyMD5"] == key_md5(key)
    with pytest.raises(ClientError) as no_key:
        s3.upload_part(Bucket=bucket, Key="c", UploadId=upload_id, PartNumber=2, Body=parts[1])
    assert status(no_key) == 400
    with pytest.raises(ClientError) as wrong_key:
        s3.upload_part(Bucket=bucket, Key="c", UploadId=upload_id, PartNumber=2, Body=parts[1],
                       SSECustomerAlgorithm="AES256", SSECustomerKey=other)
    assert status(wrong_key) == 403
    second = s3.upload_part(Bucket=bucket, Key="c", UploadId=upload_id, PartNumber=2, Body=parts[1], **sse_c)
    listed = s3.list_parts(Bucket=bucket, Key="c", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(1, PART), (2, len(parts[1]))]
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="c", UploadId=upload_id, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": first["ETag"]}, {"PartNumber": 2, "ETag": second["ETag"]}]})
    assert completed["ETag"].endswith('-2"')
    data = b"".join(parts)
    with pytest.raises(ClientError) as read_without:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_code(read_without.value) == "InvalidRequest"
    with pytest.raises(ClientError) as read_wrong:
        s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=other)
    assert status(read_wrong) == 403
    got = s3.get_object(Bucket=bucket, Key="c", **sse_c)
    assert got["SSECustomerKeyMD5"] == key_md5(key)
    assert got["Body"].read() == data
    across = s3.get_object(Bucket=bucket, Key="c", Range=f"bytes={PART - CHUNK - 1}-{PART + CHUNK}", **sse_c)
    assert across["Body"].read() == data[PART - CHUNK - 1:PART + CHUNK + 1]
    second_part = s3.get_object(Bucket=bucket, Key="c", PartNumber=2, **sse_c)
    assert second_part["PartsCount"] == 2
    assert second_part["Body"].read() == parts[1]


def test_uploading_a_part_again_replaces_it(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="again")["UploadId"]
    old, new = b"old part " * 100, b"new part, longer " * 200
    old_etag = s3.upload_part(Bucket=bucket, Key="again", UploadId=upload_id, PartNumber=1, Body=old)["ETag"]
    new_etag = s3.upload_part(Bucket=bucket, Key="again", UploadId=upload_id, PartNumber=1, Body=new)["ETag"]
    assert (old_etag, new_etag) == (md5_etag(old), md5_etag(new))
    listed = s3.list_parts(Bucket=bucket, Key="again", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in listed] == [(1, len(new), new_etag)]
    with pytest.raises(ClientError) as stale:
        s3.complete_multipart_upload(Bucket=bucket, Key="again", UploadId=upload_id,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": old_etag}]})
    assert error_code(stale.value) == "InvalidPart"
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="again", UploadId=upload_id,
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": new_etag}]})
    assert completed["ETag"] == multipart_etag([new])
    assert s3.get_object(Bucket=bucket, Key="again")["Body"].read() == new


def test_list_parts_and_its_pagination(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="listed")["UploadId"]
    bodies = {n: random_bytes(100 * n + 1) for n in (1, 2, 3, 5, 8)}
    for number, body in bodies.items():
        s3.upload_part(Bucket=bucket, Key="listed", UploadId=upload_id, PartNumber=number, Body=body)
    full = s3.list_parts(Bucket=bucket, Key="listed", UploadId=upload_id)
    assert full["Bucket"] == bucket and full["Key"] == "listed" and full["UploadId"] == upload_id
    assert full["IsTruncated"] is False
    assert full["StorageClass"] == "STANDARD"
    assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in full["Parts"]] == [
        (n, len(b), md5_etag(b)) for n, b in bodies.items()]
    assert all(p["LastModified"].year >= 2024 for p in full["Parts"])

    first = s3.list_parts(Bucket=bucket, Key="listed", UploadId=upload_id, MaxParts=2)
    assert [p["PartNumber"] for p in first["Parts"]] == [1, 2]
    assert first["IsTruncated"] is True
    assert first["MaxParts"] == 2
    assert first["NextPartNumberMarker"] == 2
    second = s3.list_parts(Bucket=bucket, Key="listed", UploadId=upload_id, MaxParts=2, PartNumberMarker=2)
    assert second["PartNumberMarker"] == 2
    assert [p["PartNumber"] for p in second["Parts"]] == [3, 5]
    assert second["IsTruncated"] is True
    assert second["NextPartNumberMarker"] == 5
    last = s3.list_parts(Bucket=bucket, Key="listed", UploadId=upload_id, MaxParts=2, PartNumberMarker=5)
    assert [p["PartNumber"] for p in last["Parts"]] == [8]
    assert last["IsTruncated"] is False
    # A marker between part numbers starts after it.
    between = s3.list_parts(Bucket=bucket, Key="listed", UploadId=upload_id, PartNumberMarker=4)
    assert [p["PartNumber"] for p in between["Parts"]] == [5, 8]
    pages = s3.get_paginator("list_parts").paginate(Bucket=bucket, Key="listed", UploadId=upload_id,
                                                     PaginationConfig={"PageSize": 2})
    assert [p["PartNumber"] for page in pages for p in page["Parts"]] == [1, 2, 3, 5, 8]
    s3.abort_multipart_upload(Bucket=bucket, Key="listed", UploadId=upload_id)


def test_list_multipart_uploads(s3, bucket):
    ids = {}
    for key in ("mpu/a", "mpu/b", "other/c"):
        ids[key] = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    time.sleep(1.1)  # uploads of one key are listed in order of initiation
    second_b = s3.create_multipart_upload(Bucket=bucket, Key="mpu/b")["UploadId"]
    listed = s3.list_multipart_uploads(Bucket=bucket)
    assert listed["Bucket"] == bucket
    assert listed["IsTruncated"] is False
    uploads = [(u["Key"], u["UploadId"]) for u in listed["Uploads"]]
    assert uploads == [("mpu/a", ids["mpu/a"]), ("mpu/b", ids["mpu/b"]), ("mpu/b", second_b), ("other/c", ids["other/c"])]
    assert all(u["StorageClass"] == "STANDARD" and u["Initiated"].year >= 2024 for u in listed["Uploads"])

    prefixed = s3.list_multipart_uploads(Bucket=bucket, Prefix="mpu/")
    assert prefixed["Prefix"] == "mpu/"
    assert [u["Key"] for u in prefixed["Uploads"]] == ["mpu/a", "mpu/b", "mpu/b"]
    page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2)
    assert page["IsTruncated"] is True
    assert page["MaxUploads"] == 2
    assert [(u["Key"], u["UploadId"]) for u in page["Uploads"]] == uploads[:2]
    assert (page["NextKeyMarker"], page["NextUploadIdMarker"]) == uploads[1]
    rest = s3.list_multipart_uploads(Bucket=bucket, KeyMarker=page["NextKeyMarker"], UploadIdMarker=page["NextUploadIdMarker"])
    assert [(u["Key"], u["UploadId"]) for u in rest["Uploads"]] == uploads[2:]
    # A key marker alone skips every upload of that key.
    after_key = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="mpu/b")
    assert [u["Key"] for u in after_key["Uploads"]] == ["other/c"]

    # Completed and aborted uploads are no longer listed.
    part = s3.upload_part(Bucket=bucket, Key="mpu/a", UploadId=ids["mpu/a"], PartNumber=1, Body=b"a")
    s3.complete_multipart_upload(Bucket=bucket, Key="mpu/a", UploadId=ids["mpu/a"],
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    s3.abort_multipart_upload(Bucket=bucket, Key="other/c", UploadId=ids["other/c"])
    remaining = s3.list_multipart_uploads(Bucket=bucket)
    assert [(u["Key"], u["UploadId"]) for u in remaining["Uploads"]] == [("mpu/b", ids["mpu/b"]), ("mpu/b", second_b)]


def test_list_multipart_uploads_with_delimiter(s3, bucket):
    for key in ("top", "mpu/a", "mpu/deeper/b", "other/c"):
        s3.create_multipart_upload(Bucket=bucket, Key=key)
    grouped = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert grouped["Delimiter"] == "/"
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["mpu/", "other/"]
    assert [u["Key"] for u in grouped["Uploads"]] == ["top"]
    nested = s3.list_multipart_uploads(Bucket=bucket, Prefix="mpu/", Delimiter="/")
    assert [p["Prefix"] for p in nested["CommonPrefixes"]] == ["mpu/deeper/"]
    assert [u["Key"] for u in nested["Uploads"]] == ["mpu/a"]
    # Pages of one entry each: a common prefix counts like an upload and is not returned again.
    seen, markers = [], {}
    while True:
        page = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/", MaxUploads=1, **markers)
        seen += [p["Prefix"] for p in page.get("CommonPrefixes", [])] + [u["Key"] for u in page.get("Uploads", [])]
        if not page["IsTruncated"]:
            break
        markers = {"KeyMarker": page["NextKeyMarker"], "UploadIdMarker": page.get("NextUploadIdMarker", "")}
    assert seen == ["mpu/", "other/", "top"]


def test_abort_multipart_upload(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="aborted")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="aborted", UploadId=upload_id, PartNumber=1, Body=b"doomed")["ETag"]
    aborted = s3.abort_multipart_upload(Bucket=bucket, Key="aborted", UploadId=upload_id)
    assert aborted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as part_after:
        s3.upload_part(Bucket=bucket, Key="aborted", UploadId=upload_id, PartNumber=2, Body=b"late")
    assert error_code(part_after.value) == "NoSuchUpload"
    assert status(part_after) == 404
    with pytest.raises(ClientError) as complete_after:
        s3.complete_multipart_upload(Bucket=bucket, Key="aborted", UploadId=upload_id,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert error_code(complete_after.value) == "NoSuchUpload"
    assert status(complete_after) == 404
    with pytest.raises(ClientError) as parts_after:
        s3.list_parts(Bucket=bucket, Key="aborted", UploadId=upload_id)
    assert error_code(parts_after.value) == "NoSuchUpload"
    with pytest.raises(ClientError) as abort_again:
        s3.abort_multipart_upload(Bucket=bucket, Key="aborted", UploadId=upload_id)
    assert error_code(abort_again.value) == "NoSuchUpload"
    assert status(abort_again) == 404
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
    with pytest.raises(ClientError) as no_object:
        s3.head_object(Bucket=bucket, Key="aborted")
    assert status(no_object) == 404


def test_completion_errors(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="errs")["UploadId"]
    small, big = random_bytes(100 * 1024), random_bytes(PART)
    small_etag = s3.upload_part(Bucket=bucket, Key="errs", UploadId=upload_id, PartNumber=1, Body=small)["ETag"]
    big_etag = s3.upload_part(Bucket=bucket, Key="errs", UploadId=upload_id, PartNumber=2, Body=big)["ETag"]

    def complete(parts):
        with pytest.raises(ClientError) as failed:
            s3.complete_multipart_upload(Bucket=bucket, Key="errs", UploadId=upload_id, MultipartUpload={"Parts": parts})
        return failed

    # Part 1 (100 KiB) is not the last part: under 5 MiB.
    too_small = complete([{"PartNumber": 1, "ETag": small_etag}, {"PartNumber": 2, "ETag": big_etag}])
    assert error_code(too_small.value) == "EntityTooSmall"
    assert status(too_small) == 400
    wrong_etag = complete([{"PartNumber": 1, "ETag": md5_etag(b"something else")}])
    assert error_code(wrong_etag.value) == "InvalidPart"
    assert status(wrong_etag) == 400
    missing = complete([{"PartNumber": 2, "ETag": big_etag}, {"PartNumber": 3, "ETag": small_etag}])
    assert error_code(missing.value) == "InvalidPart"
    out_of_order = complete([{"PartNumber": 2, "ETag": big_etag}, {"PartNumber": 1, "ETag": small_etag}])
    assert error_code(out_of_order.value) == "InvalidPartOrder"
    assert status(out_of_order) == 400
    empty = complete([])
    assert error_code(empty.value) == "MalformedXML"
    assert status(empty) == 400
    # None of that consumed the upload; completing with a subset of the parts works and drops the others.
    assert len(s3.list_parts(Bucket=bucket, Key="errs", UploadId=upload_id)["Parts"]) == 2
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="errs", UploadId=upload_id,
                                             MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": big_etag}]})
    assert completed["ETag"] == multipart_etag([big])
    assert s3.get_object(Bucket=bucket, Key="errs")["Body"].read() == big


def test_part_etags_without_quotes_and_bad_digests(coffer, s3, bucket):
    """CompleteMultipartUpload takes part ETags with or without their quotes; a part whose body does not
    match its Content-MD5 or x-amz-checksum-crc32 is refused with BadDigest."""
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="digest")["UploadId"]
    body = b"checked part"
    plain = s3_client(coffer, checksums="when_required")
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(ClientError) as bad_md5:
        plain.upload_part(Bucket=bucket, Key="digest", UploadId=upload_id, PartNumber=1, Body=body, ContentMD5=wrong_md5)
    assert error_code(bad_md5.value) == "BadDigest"
    with pytest.raises(ClientError) as bad_crc:
        s3.upload_part(Bucket=bucket, Key="digest", UploadId=upload_id, PartNumber=1, Body=body,
                       ChecksumCRC32=base64.b64encode(b"\0\0\0\0").decode())
    assert error_code(bad_crc.value) == "BadDigest"
    assert not s3.list_parts(Bucket=bucket, Key="digest", UploadId=upload_id).get("Parts")
    good_md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    etag = plain.upload_part(Bucket=bucket, Key="digest", UploadId=upload_id, PartNumber=1, Body=body, ContentMD5=good_md5)["ETag"]
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="digest", UploadId=upload_id,
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag.strip('"')}]})
    assert completed["ETag"] == multipart_etag([body])


def test_composite_crc32_checksum(s3, bucket):
    """With ChecksumAlgorithm=CRC32 each part carries its CRC32 and the object gets the composite
    checksum: the CRC32 of the parts' binary CRC32s, dash, part count."""
    parts = [random_bytes(PART), random_bytes(1000)]
    crcs = [zlib.crc32(p).to_bytes(4, "big") for p in parts]
    created = s3.create_multipart_upload(Bucket=bucket, Key="crc", ChecksumAlgorithm="CRC32")
    assert created["ChecksumAlgorithm"] == "CRC32"
    upload_id = created["UploadId"]
    done = []
    for number, (body, crc) in enumerate(zip(parts, crcs), start=1):
        answer = s3.upload_part(Bucket=bucket, Key="crc", UploadId=upload_id, PartNumber=number, Body=body, ChecksumAlgorithm="CRC32")
        assert answer["ChecksumCRC32"] == base64.b64encode(crc).decode()
        done.append({"PartNumber": number, "ETag": answer["ETag"], "ChecksumCRC32": answer["ChecksumCRC32"]})
    listed = s3.list_parts(Bucket=bucket, Key="crc", UploadId=upload_id)
    assert listed["ChecksumAlgorithm"] == "CRC32"
    assert [p["ChecksumCRC32"] for p in listed["Parts"]] == [d["ChecksumCRC32"] for d in done]
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="crc", UploadId=upload_id, MultipartUpload={"Parts": done})
    composite = base64.b64encode(zlib.crc32(b"".join(crcs)).to_bytes(4, "big")).decode() + "-2"
    assert completed["ChecksumCRC32"] == composite
    head = s3.head_object(Bucket=bucket, Key="crc", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == composite
    assert head["ChecksumType"] == "COMPOSITE"
    assert s3.get_object(Bucket=bucket, Key="crc")["Body"].read() == b"".join(parts)


def test_unknown_upload_ids(coffer, s3, bucket):
    def refused(call, **kw):
        with pytest.raises(ClientError) as failed:
            call(Bucket=bucket, **kw)
        assert error_code(failed.value) == "NoSuchUpload", kw
        assert status(failed) == 404
        assert failed.value.response["Error"].get("UploadId", kw["UploadId"]) == kw["UploadId"]

    bogus = "VXBsb2FkIGRvZXMgbm90IGV4aXN0"
    refused(s3.upload_part, Key="k", UploadId=bogus, PartNumber=1, Body=b"x")
    refused(s3.list_parts, Key="k", UploadId=bogus)
    refused(s3.abort_multipart_upload, Key="k", UploadId=bogus)
    refused(s3.complete_multipart_upload, Key="k", UploadId=bogus,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": md5_etag(b"x")}]})
    # An upload id is bound to its key.
    theirs = s3.create_multipart_upload(Bucket=bucket, Key="owner-key")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="owner-key", UploadId=theirs, PartNumber=1, Body=b"x")["ETag"]
    refused(s3.upload_part, Key="other-key", UploadId=theirs, PartNumber=2, Body=b"y")
    refused(s3.list_parts, Key="other-key", UploadId=theirs)
    refused(s3.complete_multipart_upload, Key="other-key", UploadId=theirs,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    refused(s3.abort_multipart_upload, Key="other-key", UploadId=theirs)
    # The upload itself is untouched.
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="owner-key", UploadId=theirs)["Parts"]] == [1]
    # Part numbers run from 1 to 10000.
    raw = s3_client(coffer, validate=False)
    for number in (0, 10001):
        with pytest.raises(ClientError) as bad_number:
            raw.upload_part(Bucket=bucket, Key="owner-key", UploadId=theirs, PartNumber=number, Body=b"z")
        assert error_code(bad_number.value) == "InvalidArgument", number
    s3.abort_multipart_upload(Bucket=bucket, Key="owner-key", UploadId=theirs)


def test_upload_part_copy_from_sse_kms_into_sse_c(s3, kms, bucket):
    kms_key = kms.create_key(Description="part copy source")["KeyMetadata"]["KeyId"]
    source = random_bytes(PART + 1000)
    s3.put_object(Bucket=bucket, Key="src-kms", Body=source, ServerSideEncryption="aws:kms", SSEKMSKeyId=kms_key)
    customer = random_bytes(32)
    sse_c = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": customer}
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="dst-c", **sse_c)["UploadId"]
    whole = s3.upload_part_copy(Bucket=bucket, Key="dst-c", UploadId=upload_id, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "src-kms"}, **sse_c)
    assert whole["CopyPartResult"]["ETag"].startswith('"')
    assert whole["CopyPartResult"]["LastModified"].year >= 2024
    assert whole["SSECustomerAlgorithm"] == "AES256"
    assert whole["SSECustomerKeyMD5"] == key_md5(customer)
    ranged = s3.upload_part_copy(Bucket=bucket, Key="dst-c", UploadId=upload_id, PartNumber=2,
                                 CopySource={"Bucket": bucket, "Key": "src-kms"},
                                 CopySourceRange=f"bytes={CHUNK - 10}-{CHUNK + 9}", **sse_c)
    with pytest.raises(ClientError) as no_key:
        s3.upload_part_copy(Bucket=bucket, Key="dst-c", UploadId=upload_id, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src-kms"})
    assert status(no_key) == 400
    listed = s3.list_parts(Bucket=bucket, Key="dst-c", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["Size"]) for p in listed] == [(1, len(source)), (2, 20)]
    s3.complete_multipart_upload(Bucket=bucket, Key="dst-c", UploadId=upload_id, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": whole["CopyPartResult"]["ETag"]},
        {"PartNumber": 2, "ETag": ranged["CopyPartResult"]["ETag"]}]})
    with pytest.raises(ClientError) as without:
        s3.get_object(Bucket=bucket, Key="dst-c")
    assert error_code(without.value) == "InvalidRequest"
    got = s3.get_object(Bucket=bucket, Key="dst-c", **sse_c)
    assert "ServerSideEncryption" not in got
    assert got["Body"].read() == source + source[CHUNK - 10:CHUNK + 10]


def test_upload_part_copy_into_sse_s3(s3, bucket):
    plain = random_bytes(3 * CHUNK)
    s3.put_object(Bucket=bucket, Key="src-plain", Body=plain)
    customer = random_bytes(32)
    secret = random_bytes(2 * CHUNK + 1)
    s3.put_object(Bucket=bucket, Key="src-c", Body=secret, SSECustomerAlgorithm="AES256", SSECustomerKey=customer)
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "src-plain"}, CopySourceRange=f"bytes=1-{CHUNK + 1}")
    # An SSE-S3 part's ETag is the MD5 of the bytes copied.
    assert first["CopyPartResult"]["ETag"] == md5_etag(plain[1:CHUNK + 2])
    with pytest.raises(ClientError) as no_source_key:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=2,
                            CopySource={"Bucket": bucket, "Key": "src-c"})
    assert status(no_source_key) == 400
    with pytest.raises(ClientError) as wrong_source_key:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=2,
                            CopySource={"Bucket": bucket, "Key": "src-c"},
                            CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=random_bytes(32))
    assert status(wrong_source_key) == 403
    second = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=2,
                                 CopySource={"Bucket": bucket, "Key": "src-c"},
                                 CopySourceSSECustomerAlgorithm="AES256", CopySourceSSECustomerKey=customer)
    assert second["CopyPartResult"]["ETag"] == md5_etag(secret)
    with pytest.raises(ClientError) as missing:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "no-such-source"})
    assert error_code(missing.value) == "NoSuchKey"
    assert status(missing) == 404
    with pytest.raises(ClientError) as precondition:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src-plain"}, CopySourceIfMatch=md5_etag(b"other"))
    assert error_code(precondition.value) == "PreconditionFailed"
    assert status(precondition) == 412
    # Part 1 is under 5 MiB, so it can only be the last part: complete with it alone.
    completed = s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=upload_id, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]}]})
    assert completed["ETag"] == multipart_etag([plain[1:CHUNK + 2]])
    got = s3.get_object(Bucket=bucket, Key="dst")
    assert got["ServerSideEncryption"] == "AES256"
    assert got["Body"].read() == plain[1:CHUNK + 2]


@pytest.mark.parametrize("copy_range", [
    "bytes=0-1000", "bytes=990-1005", "0-10", "bytes=5-", "bytes=10-5"])
def test_upload_part_copy_invalid_ranges(s3, bucket, copy_range):
    """x-amz-copy-source-range must be bytes=first-last inside the source; otherwise S3 answers
    InvalidArgument ("Range specified is not valid for source object of size: ...", or "The
    x-amz-copy-source-range value must be of the form bytes=first-last ...")."""
    s3.put_object(Bucket=bucket, Key="src", Body=random_bytes(1000))
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    with pytest.raises(ClientError) as invalid:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=upload_id, PartNumber=1,
                            CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=copy_range)
    assert error_code(invalid.value) == "InvalidArgument"
    assert status(invalid) == 400
    assert not s3.list_parts(Bucket=bucket, Key="dst", UploadId=upload_id).get("Parts")


def test_aws_cli_multipart_round_trip(coffer, bucket, tmp_path):
    """`aws s3 cp` splits files over 8 MiB into 8 MiB parts: 20 MiB goes up as 8 + 8 + 4 MiB."""
    data = random_bytes(20 * MiB)
    source = tmp_path / "twenty.bin"
    source.write_bytes(data)
    coffer.aws("s3", "cp", str(source), f"s3://{bucket}/cli/twenty.bin")
    etag = coffer.aws("s3api", "head-object", "--bucket", bucket, "--key", "cli/twenty.bin",
                      "--query", "ETag", "--output", "text").stdout.strip()
    eight = 8 * MiB
    assert etag == multipart_etag([data[:eight], data[eight:2 * eight], data[2 * eight:]])
    back = tmp_path / "back.bin"
    coffer.aws("s3", "cp", f"s3://{bucket}/cli/twenty.bin", str(back))
    assert back.read_bytes() == data
