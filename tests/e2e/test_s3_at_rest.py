"""What S3 leaves on disk: no plaintext anywhere under the data directory (sealed blobs, database,
audit trail), tampered blobs fail reads with an error instead of returning altered bytes, acknowledged
objects survive kill -9, and a crash mid-upload leaves nothing visible and no garbage after restart."""

from __future__ import annotations

import base64
import os
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from s3_helpers import bucket_name, random_bytes, s3_client


def blob_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "objects" / "blobs").rglob("*") if p.is_file())


def test_no_plaintext_under_the_data_directory(server_factory):
    server = server_factory.new(name="scan")
    s3 = s3_client(server)
    kms = server.client()
    name = bucket_name("scan")
    s3.create_bucket(Bucket=name)
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    customer_key = random_bytes(32)
    # Distinctive, compressible-looking plaintexts: a marker repeated, and random bytes.
    plaintexts = {
        "sse-s3": b"COFFER-PLAINTEXT-MARKER-S3 " * 5000,
        "sse-kms": b"COFFER-PLAINTEXT-MARKER-KMS " * 5000,
        "sse-kms-bucket-key": b"COFFER-PLAINTEXT-MARKER-BK " * 5000,
        "sse-c": b"COFFER-PLAINTEXT-MARKER-C " * 5000,
        "random": random_bytes(300_000),
    }
    s3.put_object(Bucket=name, Key="sse-s3", Body=plaintexts["sse-s3"])
    s3.put_object(Bucket=name, Key="sse-kms", Body=plaintexts["sse-kms"], ServerSideEncryption="aws:kms", SSEKMSKeyId=key)
    s3.put_object(Bucket=name, Key="sse-kms-bucket-key", Body=plaintexts["sse-kms-bucket-key"], ServerSideEncryption="aws:kms",
                  SSEKMSKeyId=key, BucketKeyEnabled=True)
    s3.put_object(Bucket=name, Key="sse-c", Body=plaintexts["sse-c"], SSECustomerAlgorithm="AES256", SSECustomerKey=customer_key)
    s3.put_object(Bucket=name, Key="random", Body=plaintexts["random"])
    server.stop()
    needles = [b"COFFER-PLAINTEXT-MARKER", plaintexts["random"][1000:1032], customer_key, base64.b64encode(customer_key)]
    scanned = 0
    for path in server.data_dir.rglob("*"):
        if not path.is_file():
            continue
        content = path.read_bytes()
        scanned += len(content)
        for needle in needles:
            assert needle not in content, f"plaintext or key found in {path}"
    assert scanned > sum(len(p) for p in plaintexts.values()), "the sealed objects should be on disk"
    assert len(blob_files(server.data_dir)) == 5


def test_tampered_blob_fails_the_read(server_factory):
    server = server_factory.new(name="tamper")
    s3 = s3_client(server)
    name = bucket_name("tamper")
    s3.create_bucket(Bucket=name)
    data = random_bytes(5 * 65536)
    s3.put_object(Bucket=name, Key="victim", Body=data)
    [blob] = blob_files(server.data_dir)
    sealed = bytearray(blob.read_bytes())
    sealed[3 * 65536] ^= 0x01
    blob.write_bytes(bytes(sealed))
    # The first chunk is intact: a range inside it still reads.
    assert s3.get_object(Bucket=name, Key="victim", Range="bytes=0-99")["Body"].read() == data[:100]
    with pytest.raises(ClientError) as damaged:
        s3.get_object(Bucket=name, Key="victim", Range=f"bytes={2 * 65536}-{3 * 65536 + 10}")
    assert error_code(damaged.value) == "InternalError"
    assert damaged.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    # A whole-object read never hands out the altered bytes: it fails (at the start, or by cutting the stream).
    try:
        body = s3.get_object(Bucket=name, Key="victim")["Body"].read()
    except Exception:
        pass
    else:
        assert body != data and len(body) < len(data)
    # Truncation is caught too.
    blob.write_bytes(bytes(sealed[: len(sealed) // 2]))
    with pytest.raises(Exception):
        body = s3.get_object(Bucket=name, Key="victim")["Body"].read()
        assert len(body) == len(data)


def test_acknowledged_objects_survive_kill_9_and_partial_uploads_vanish(server_factory):
    server = server_factory.new(name="s3kill")
    s3 = s3_client(server)
    name = bucket_name("kill")
    s3.create_bucket(Bucket=name)
    acknowledged = {f"done-{i}": random_bytes(100_000 + i) for i in range(5)}
    for key, data in acknowledged.items():
        s3.put_object(Bucket=name, Key=key, Body=data, ServerSideEncryption="aws:kms")
    # Start an upload that never finishes: headers and half the body, then kill -9.
    host, port = "127.0.0.1", server.port
    request = s3.generate_presigned_url("put_object", Params={"Bucket": name, "Key": "partial"}, ExpiresIn=300)
    path = request.split(str(port), 1)[1]
    context = ssl.create_default_context(cafile=server.ca)
    raw = context.wrap_socket(socket.create_connection((host, port)), server_hostname=host)
    total = 4 * 1024 * 1024
    raw.sendall(f"PUT {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {total}\r\n\r\n".encode())
    raw.sendall(random_bytes(total // 2))
    time.sleep(0.5)
    tmp = server.data_dir / "objects" / "tmp"
    assert any(tmp.iterdir()), "the partial upload is staged in objects/tmp"
    server.kill()
    raw.close()
    server.start()
    s3 = s3_client(server)
    for key, data in acknowledged.items():
        assert s3.get_object(Bucket=name, Key=key)["Body"].read() == data
    with pytest.raises(ClientError) as missing:
        s3.head_object(Bucket=name, Key="partial")
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert not any(tmp.iterdir()), "staged bytes of the crashed upload are removed at start"
    assert len(blob_files(server.data_dir)) == len(acknowledged)
