"""STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads (what the AWS SDKs for Java, Go and the CRT send): each
chunk carries a signature chained from the request's seed signature. Built here by hand from the SigV4
rules (the seed request is signed by botocore), then checked: a correct upload is stored, a tampered
chunk or a broken chain is refused with SignatureDoesNotMatch and leaves nothing behind."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import REGION, error_code
from s3_helpers import bucket_name, random_bytes, s3_client

EMPTY = hashlib.sha256(b"").hexdigest()


def _signing_key(secret: str, date: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def signed_chunk_upload(server, bucket: str, key: str, data: bytes, chunk_size: int = 65536, tamper: str | None = None):
    url = f"{server.endpoint}/{bucket}/{key}"
    chunks = [data[i:i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    encoded_length = sum(len(f"{len(c):x};chunk-signature={'0' * 64}\r\n") + len(c) + 2 for c in chunks)
    headers = {
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(len(data)),
        "content-length": str(encoded_length),
    }
    request = AWSRequest(method="PUT", url=url, headers=headers)
    SigV4Auth(Credentials(server.access_key, server.secret_key), "s3", REGION).add_auth(request)
    amz_date = request.headers["X-Amz-Date"]
    seed = request.headers["Authorization"].split("Signature=")[1]
    scope = f"{amz_date[:8]}/{REGION}/s3/aws4_request"
    key_bytes = _signing_key(server.secret_key, amz_date[:8])
    body, previous = b"", seed
    for index, chunk in enumerate(chunks):
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, previous, EMPTY, hashlib.sha256(chunk).hexdigest()])
        signature = hmac.new(key_bytes, string_to_sign.encode(), hashlib.sha256).hexdigest()
        if tamper == "chain" and index == 1:
            signature = hmac.new(key_bytes, b"not the chain", hashlib.sha256).hexdigest()
        previous = signature
        sent = chunk
        if tamper == "bytes" and index == 0:
            sent = bytes([chunk[0] ^ 1]) + chunk[1:]
        body += f"{len(sent):x};chunk-signature={signature}\r\n".encode() + sent + b"\r\n"
    assert len(body) == encoded_length
    return requests.put(url, data=body, headers=dict(request.headers.items()), verify=server.ca)


@pytest.fixture(scope="module")
def bucket(coffer):
    name = bucket_name("chunks")
    s3_client(coffer).create_bucket(Bucket=name)
    return name


def test_signed_chunks_are_verified_and_stored(coffer, bucket):
    data = random_bytes(3 * 65536 + 1234)
    response = signed_chunk_upload(coffer, bucket, "signed", data)
    assert response.status_code == 200, response.text
    s3 = s3_client(coffer)
    assert s3.get_object(Bucket=bucket, Key="signed")["Body"].read() == data


@pytest.mark.parametrize("tamper", ["bytes", "chain"])
def test_tampered_signed_chunks_are_refused(coffer, bucket, tamper):
    response = signed_chunk_upload(coffer, bucket, f"tampered-{tamper}", random_bytes(200_000), tamper=tamper)
    assert response.status_code == 403
    assert b"<Code>SignatureDoesNotMatch</Code>" in response.content
    with pytest.raises(ClientError) as missing:
        s3_client(coffer).head_object(Bucket=bucket, Key=f"tampered-{tamper}")
    assert error_code(missing.value) == "404"
