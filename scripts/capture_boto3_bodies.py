#!/usr/bin/env python3
"""Capture PutObject / UploadPart requests exactly as boto3 builds them, without sending.

A `before-send` handler receives the fully prepared (signed, encoded) request,
records its headers and body, and returns a fake 200 response so nothing goes
on the network. The endpoint is https://127.0.0.1:9 because botocore only uses
aws-chunked bodies with a checksum trailer over TLS; no connection is made.

Output: one JSON file (default Tests/CofferS3WireTests/Fixtures/boto3_bodies.json).
Every case records the payload as a deterministic pattern plus the body split
into literal framing pieces and payload ranges, and the SHA-256 of the real
body, so the Swift test can rebuild large bodies byte-for-byte at test time and
prove it did. Small bodies are also stored whole (base64).

Usage: .venv/bin/python scripts/capture_boto3_bodies.py [output.json]
"""
import base64
import hashlib
import io
import json
import os
import sys

os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
for var in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(var, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.awsrequest import AWSResponse  # noqa: E402
from botocore.config import Config  # noqa: E402

INLINE_LIMIT = 16 * 1024
MIB = 1024 * 1024


def pattern(n):
    """Byte i is ((i * 2654435761) >> 13) & 0xFF (the Swift test uses the same rule)."""
    return bytes(((i * 2654435761) >> 13) & 0xFF for i in range(n))


class _EmptyRaw:
    def stream(self, **_kwargs):
        yield b""


captured = []


def before_send(request, **_kwargs):
    body = request.body
    if body is None:
        data = b""
    elif isinstance(body, (bytes, bytearray)):
        data = bytes(body)
    elif isinstance(body, str):
        data = body.encode()
    else:
        data = body.read()
    captured.append({
        "method": request.method,
        "url": request.url,
        "headers": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in request.headers.items()},
        "body": data,
    })
    return AWSResponse(request.url, 200, {"ETag": '"0123456789abcdef0123456789abcdef"'}, _EmptyRaw())


def pieces_of(body, payload):
    """Splits an aws-chunked body into framing pieces and payload ranges, checking every byte."""
    pieces = []
    pos = 0
    offset = 0
    while True:
        eol = body.index(b"\r\n", pos)
        size = int(body[pos:eol].split(b";")[0], 16)
        pieces.append({"raw": body[pos:eol + 2]})
        pos = eol + 2
        if size == 0:
            pieces.append({"raw": body[pos:]})
            break
        assert body[pos:pos + size] == payload[offset:offset + size]
        pieces.append({"payload": [offset, size]})
        offset += size
        pos += size
        assert body[pos:pos + 2] == b"\r\n"
        pieces.append({"raw": b"\r\n"})
        pos += 2
    assert offset == len(payload)
    merged = []
    for p in pieces:
        if "raw" in p and merged and "raw" in merged[-1]:
            merged[-1]["raw"] += p["raw"]
        else:
            merged.append(dict(p))
    rebuilt = b"".join(p["raw"] if "raw" in p else payload[p["payload"][0]:sum(p["payload"])] for p in merged)
    assert rebuilt == body
    return [{"raw": base64.b64encode(p["raw"]).decode()} if "raw" in p else p for p in merged]


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "Tests", "CofferS3WireTests", "Fixtures", "boto3_bodies.json")
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url="https://127.0.0.1:9",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}),
    )
    client.meta.events.register("before-send.s3.*", before_send)

    cases = []
    for size in (0, 1, 8191, 65536, MIB, MIB + 1, 3 * MIB + 5):
        cases.append(("PutObject", size, None, "bytes"))
    try:
        import awscrt  # noqa: F401  (botocore needs it for CRC32C and CRC64NVME)
        algorithms = ("CRC32C", "SHA1", "SHA256", "CRC64NVME")
    except ImportError:
        algorithms = ("SHA1", "SHA256")
    for alg in algorithms:
        for size in (0, 1, 8191, MIB + 1):
            cases.append(("PutObject", size, alg, "bytes"))
    for size in (1, 65536, 2 * MIB):
        cases.append(("UploadPart", size, None, "bytes"))
    cases.append(("UploadPart", 8191, "SHA256", "bytes"))
    if "CRC64NVME" in algorithms:
        cases.append(("UploadPart", 8191, "CRC64NVME", "bytes"))
    cases.append(("PutObject", 8191, None, "fileobj"))

    fixtures = []
    for op, size, alg, kind in cases:
        payload = pattern(size)
        body = io.BytesIO(payload) if kind == "fileobj" else payload
        kwargs = {"Bucket": "bucket", "Key": "key", "Body": body}
        if alg:
            kwargs["ChecksumAlgorithm"] = alg
        captured.clear()
        if op == "PutObject":
            client.put_object(**kwargs)
        else:
            client.upload_part(PartNumber=1, UploadId="upload-id", **kwargs)
        assert len(captured) == 1, captured
        req = captured[0]
        raw = req["body"]
        name = f"{op}-{size}-{alg or 'default'}-{kind}"
        fixture = {
            "name": name,
            "operation": op,
            "requestedAlgorithm": alg,
            "method": req["method"],
            "url": req["url"],
            "headers": req["headers"],
            "payloadLength": size,
            "payloadPattern": "((i * 2654435761) >> 13) & 0xFF",
            "bodyLength": len(raw),
            "bodySHA256": hashlib.sha256(raw).hexdigest(),
            "payloadSHA256": hashlib.sha256(payload).hexdigest(),
        }
        encoding = req["headers"].get("Content-Encoding", "")
        if "aws-chunked" in encoding:
            fixture["pieces"] = pieces_of(raw, payload)
        if len(raw) <= INLINE_LIMIT:
            fixture["bodyBase64"] = base64.b64encode(raw).decode()
        fixtures.append(fixture)
        print(f"{name}: {len(raw)} body bytes, encoding={encoding!r}, "
              f"sha256={req['headers'].get('X-Amz-Content-SHA256')}, trailer={req['headers'].get('X-Amz-Trailer')}")

    doc = {
        "generator": "scripts/capture_boto3_bodies.py",
        "boto3": boto3.__version__,
        "botocore": botocore.__version__,
        "fixtures": fixtures,
    }
    try:
        import awscrt
        doc["awscrt"] = awscrt.__version__ if hasattr(awscrt, "__version__") else "present"
    except ImportError:
        doc["awscrt"] = None
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {len(fixtures)} fixtures to {out_path}")


if __name__ == "__main__":
    main()
