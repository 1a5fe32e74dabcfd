"""Encryption at rest through S3: SSE-S3 by default, SSE-KMS with named, aliased and AWS managed keys
(disabled keys and callers without kms:Decrypt cannot read), bucket keys (one KMS call per bucket key,
counted in the audit trail's KMS events that S3 made for the caller), and SSE-C (the key is needed
for every read, a wrong one is refused, plain HTTP is refused)."""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import json
import time

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, free_port
from iam_helpers import Account, allow, deny
from s3_helpers import bucket_name, random_bytes, s3_client


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture()
def bucket(s3):
    name = bucket_name("sse")
    s3.create_bucket(Bucket=name)
    return name


def kms_events(server, name: str, since: float) -> list[dict]:
    ct = server.client(service="cloudtrail")
    out, token = [], None
    while True:
        args = {"LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": name}], "MaxResults": 50,
                "StartTime": since}
        if token:
            args["NextToken"] = token
        page = ct.lookup_events(**args)
        out += [json.loads(e["CloudTrailEvent"]) for e in page["Events"]]
        token = page.get("NextToken")
        if not token:
            return out


def test_sse_kms_with_key_id_alias_arn_and_managed_key(coffer, s3, kms, bucket):
    key = kms.create_key(Description="s3 objects")["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/{bucket}", TargetKeyId=key["KeyId"])
    for i, key_ref in enumerate([key["KeyId"], key["Arn"], f"alias/{bucket}"]):
        data = random_bytes(100_000 + i)
        put = s3.put_object(Bucket=bucket, Key=f"k{i}", Body=data, ServerSideEncryption="aws:kms", SSEKMSKeyId=key_ref)
        assert put["ServerSideEncryption"] == "aws:kms"
        assert put["SSEKMSKeyId"] == key["Arn"]
        got = s3.get_object(Bucket=bucket, Key=f"k{i}")
        assert got["Body"].read() == data
        assert got["SSEKMSKeyId"] == key["Arn"]
        # SSE-KMS ETags are not the MD5 of the data (as AWS documents), but stable.
        assert got["ETag"] == put["ETag"]
    managed = s3.put_object(Bucket=bucket, Key="managed", Body=b"m", ServerSideEncryption="aws:kms")
    described = kms.describe_key(KeyId="alias/aws/s3")["KeyMetadata"]
    assert described["KeyManager"] == "AWS"
    assert managed["SSEKMSKeyId"] == described["Arn"]
    assert s3.head_object(Bucket=bucket, Key="managed")["SSEKMSKeyId"] == described["Arn"]


def test_sse_kms_context_is_bound_and_audited(coffer, s3, kms, bucket):
    key = kms.create_key()["KeyMetadata"]
    since = time.time() - 1
    context = base64.b64encode(json.dumps({"project": "apollo"}).encode()).decode()
    put = s3.put_object(Bucket=bucket, Key="ctx", Body=b"with context", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"],
                        SSEKMSEncryptionContext=context)
    echoed = json.loads(base64.b64decode(put["SSEKMSEncryptionContext"]))
    assert echoed == {"project": "apollo", "aws:s3:arn": f"arn:aws:s3:::{bucket}/ctx"}
    assert s3.get_object(Bucket=bucket, Key="ctx")["Body"].read() == b"with context"
    generated = [e for e in kms_events(coffer, "GenerateDataKey", since) if e["requestParameters"]["keyId"] == key["KeyId"]]
    assert len(generated) == 1
    event = generated[0]
    assert event["userIdentity"]["invokedBy"] == "s3.amazonaws.com"
    assert event["sourceIPAddress"] == "s3.amazonaws.com"
    assert event["requestParameters"]["encryptionContext"] == {"project": "apollo", "aws:s3:arn": f"arn:aws:s3:::{bucket}/ctx"}
    decrypts = [e for e in kms_events(coffer, "Decrypt", since)
                if e["requestParameters"].get("encryptionContext", {}).get("aws:s3:arn") == f"arn:aws:s3:::{bucket}/ctx"]
    assert len(decrypts) == 1
    assert decrypts[0]["resources"][0]["ARN"] == key["Arn"]


def test_disabled_or_deleted_key_cannot_read(s3, kms, bucket):
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    s3.put_object(Bucket=bucket, Key="guarded", Body=b"guarded", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    kms.disable_key(KeyId=key)
    with pytest.raises(ClientError) as disabled:
        s3.get_object(Bucket=bucket, Key="guarded")
    assert error_code(disabled.value) == "KMS.DisabledException"
    with pytest.raises(ClientError) as no_write:
        s3.put_object(Bucket=bucket, Key="guarded2", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    assert error_code(no_write.value) == "KMS.DisabledException"
    kms.enable_key(KeyId=key)
    assert s3.get_object(Bucket=bucket, Key="guarded")["Body"].read() == b"guarded"
    kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
    with pytest.raises(ClientError) as pending:
        s3.get_object(Bucket=bucket, Key="guarded")
    assert error_code(pending.value) == "KMS.KMSInvalidStateException"


def test_caller_without_kms_decrypt_cannot_read(coffer):
    account = Account.create(coffer)
    root_s3 = s3_client(coffer, access_key=account.root.access_key, secret_key=account.root.secret_key)
    name = bucket_name("iam")
    root_s3.create_bucket(Bucket=name)
    key = account.root.kms.create_key()["KeyMetadata"]["KeyId"]
    root_s3.put_object(Bucket=name, Key="secret", Body=b"classified", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    reader = account.user(allow("s3:*"), deny("kms:Decrypt"))
    reader_s3 = s3_client(coffer, access_key=reader.access_key, secret_key=reader.secret_key)
    # Metadata needs no key; the bytes do.
    assert reader_s3.head_object(Bucket=name, Key="secret")["ContentLength"] == 10
    with pytest.raises(ClientError) as denied:
        reader_s3.get_object(Bucket=name, Key="secret")
    assert error_code(denied.value) == "AccessDenied"
    allowed = account.user(allow("s3:GetObject"), allow("kms:Decrypt"))
    allowed_s3 = s3_client(coffer, access_key=allowed.access_key, secret_key=allowed.secret_key)
    assert allowed_s3.get_object(Bucket=name, Key="secret")["Body"].read() == b"classified"
    nobody = account.user(allow("kms:*"))
    with pytest.raises(ClientError) as no_s3:
        s3_client(coffer, access_key=nobody.access_key, secret_key=nobody.secret_key).get_object(Bucket=name, Key="secret")
    assert error_code(no_s3.value) == "AccessDenied"
    # Another account's root cannot read a bucket that has no policy for it.
    other = s3_client(coffer)
    with pytest.raises(ClientError) as cross:
        other.get_object(Bucket=name, Key="secret")
    assert error_code(cross.value) == "AccessDenied"


def test_bucket_keys_cut_kms_calls(coffer, s3, kms, bucket):
    key = kms.create_key()["KeyMetadata"]
    since = time.time() - 1
    for i in range(20):
        put = s3.put_object(Bucket=bucket, Key=f"bk{i}", Body=f"object {i}".encode(), ServerSideEncryption="aws:kms",
                            SSEKMSKeyId=key["KeyId"], BucketKeyEnabled=True)
        assert put["BucketKeyEnabled"] is True
    for i in range(20):
        got = s3.get_object(Bucket=bucket, Key=f"bk{i}")
        assert got["Body"].read() == f"object {i}".encode()
        assert got["BucketKeyEnabled"] is True
    generated = [e for e in kms_events(coffer, "GenerateDataKey", since) if e["requestParameters"]["keyId"] == key["KeyId"]]
    assert len(generated) == 1
    assert generated[0]["requestParameters"]["encryptionContext"] == {"aws:s3:arn": f"arn:aws:s3:::{bucket}"}
    decrypts = [e for e in kms_events(coffer, "Decrypt", since)
                if e["requestParameters"].get("encryptionContext", {}).get("aws:s3:arn") == f"arn:aws:s3:::{bucket}"]
    assert len(decrypts) == 0
    # Without bucket keys: one call per object.
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"nobk{i}", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"])
    generated = [e for e in kms_events(coffer, "GenerateDataKey", since) if e["requestParameters"]["keyId"] == key["KeyId"]]
    assert len(generated) == 6
    # A disabled key stops the cached bucket key at once.
    kms.disable_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as disabled:
        s3.get_object(Bucket=bucket, Key="bk0")
    assert error_code(disabled.value) == "KMS.DisabledException"
    with pytest.raises(ClientError):
        s3.put_object(Bucket=bucket, Key="bk-late", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"], BucketKeyEnabled=True)


def test_concurrent_writers_share_one_bucket_key(coffer, s3, kms, bucket):
    """Writers that miss the bucket-key cache at the same moment wait for one KMS call instead of each making one."""
    key = kms.create_key()["KeyMetadata"]
    since = time.time() - 1

    def put(i):
        s3.put_object(Bucket=bucket, Key=f"burst{i}", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key["KeyId"],
                      BucketKeyEnabled=True)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(48)))
    generated = [e for e in kms_events(coffer, "GenerateDataKey", since) if e["requestParameters"]["keyId"] == key["KeyId"]]
    assert len(generated) == 1


def test_sse_c_round_trip_and_wrong_keys(s3, bucket):
    key = random_bytes(32)
    data = random_bytes(3 * 65536 + 11)
    put = s3.put_object(Bucket=bucket, Key="c", Body=data, SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert put["SSECustomerAlgorithm"] == "AES256"
    assert put["SSECustomerKeyMD5"] == base64.b64encode(hashlib.md5(key).digest()).decode()
    got = s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert got["Body"].read() == data
    part = s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key, Range="bytes=65530-131080")
    assert part["Body"].read() == data[65530:131081]
    head = s3.head_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert head["ContentLength"] == len(data)
    assert "ServerSideEncryption" not in head
    with pytest.raises(ClientError) as missing:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_code(missing.value) == "InvalidRequest"
    with pytest.raises(ClientError) as head_missing:
        s3.head_object(Bucket=bucket, Key="c")
    assert head_missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as wrong:
        s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=random_bytes(32))
    assert error_code(wrong.value) == "AccessDenied"
    with pytest.raises(ClientError) as head_wrong:
        s3.head_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=random_bytes(32))
    assert head_wrong.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    s3.put_object(Bucket=bucket, Key="plain", Body=b"p")
    with pytest.raises(ClientError) as not_applicable:
        s3.get_object(Bucket=bucket, Key="plain", SSECustomerAlgorithm="AES256", SSECustomerKey=key)
    assert error_code(not_applicable.value) == "InvalidRequest"


def test_sse_c_header_validation(coffer, bucket):
    raw = s3_client(coffer, validate=False)
    key = random_bytes(32)
    with pytest.raises(ClientError) as short:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=random_bytes(16))
    assert error_code(short.value) == "InvalidArgument"
    with pytest.raises(ClientError) as algorithm:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", SSECustomerAlgorithm="AES128", SSECustomerKey=key)
    assert error_code(algorithm.value) == "InvalidEncryptionAlgorithmError"
    with pytest.raises(ClientError) as md5:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=key,
                       SSECustomerKeyMD5=base64.b64encode(hashlib.md5(b"other").digest()).decode())
    assert error_code(md5.value) == "InvalidArgument"
    with pytest.raises(ClientError) as both:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=key, ServerSideEncryption="AES256")
    assert error_code(both.value) == "InvalidArgument"
    with pytest.raises(ClientError) as bad_sse:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", ServerSideEncryption="rot13")
    assert error_code(bad_sse.value) == "InvalidArgument"
    with pytest.raises(ClientError) as key_without_kms:
        raw.put_object(Bucket=bucket, Key="bad", Body=b"x", SSEKMSKeyId="alias/aws/s3")
    assert error_code(key_without_kms.value) == "InvalidArgument"


def test_sse_c_is_refused_over_plain_http(server_factory):
    port = free_port()
    server = server_factory.new(extra_args=["--plain-http-port", str(port)])
    tls = s3_client(server)
    name = bucket_name("plain")
    tls.create_bucket(Bucket=name)
    plain = s3_client(server, endpoint=f"http://127.0.0.1:{port}")
    plain.put_object(Bucket=name, Key="sse-s3", Body=b"fine over http")
    with pytest.raises(ClientError) as refused:
        plain.put_object(Bucket=name, Key="c", Body=b"x", SSECustomerAlgorithm="AES256", SSECustomerKey=random_bytes(32))
    assert error_code(refused.value) == "InvalidRequest"
    assert "secure connection" in refused.value.response["Error"]["Message"]


def test_rotating_the_kms_key_rewrites_nothing(coffer, s3, kms, bucket):
    """Objects sealed before RotateKeyOnDemand still read; new ones use the new key version; no object is rewritten."""
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    s3.put_object(Bucket=bucket, Key="before", Body=b"old version", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    blobs_before = {p: p.stat().st_mtime_ns for p in (coffer.data_dir / "objects" / "blobs").rglob("*") if p.is_file()}
    kms.rotate_key_on_demand(KeyId=key)
    assert len(kms.list_key_rotations(KeyId=key)["Rotations"]) == 1
    s3.put_object(Bucket=bucket, Key="after", Body=b"new version", ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    assert s3.get_object(Bucket=bucket, Key="before")["Body"].read() == b"old version"
    assert s3.get_object(Bucket=bucket, Key="after")["Body"].read() == b"new version"
    for path, mtime in blobs_before.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was rewritten"
