"""Bodies stream end to end: a 1 GiB PUT and GET through boto3 grow the server's resident memory by
less than 64 MiB (peak RSS from /proc, measured against the RSS after a warm-up request)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from s3_helpers import bucket_name, s3_client

GIB = 1024 * 1024 * 1024
MIB = 1024 * 1024


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


def test_one_gib_up_and_down_in_bounded_memory(server_factory, tmp_path):
    server = server_factory.new(name="memory")
    s3 = s3_client(server)
    name = bucket_name("mem")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="warm-up", Body=os.urandom(MIB))
    s3.get_object(Bucket=name, Key="warm-up")["Body"].read()
    source = tmp_path / "one-gib.bin"
    block = os.urandom(MIB)
    digest = hashlib.sha256()
    with source.open("wb") as f:
        for i in range(GIB // MIB):
            chunk = block[:-8] + i.to_bytes(8, "big")
            f.write(chunk)
            digest.update(chunk)
    pid = server.proc.pid
    baseline = status_kib(pid, "VmRSS")
    with source.open("rb") as body:
        s3.put_object(Bucket=name, Key="one-gib", Body=body, ServerSideEncryption="aws:kms")
    source.unlink()
    received = hashlib.sha256()
    size = 0
    stream = s3.get_object(Bucket=name, Key="one-gib")["Body"]
    while chunk := stream.read(4 * MIB):
        received.update(chunk)
        size += len(chunk)
    assert size == GIB
    assert received.digest() == digest.digest()
    peak = status_kib(pid, "VmHWM")
    growth_mib = (peak - baseline) / 1024
    print(f"server RSS before {baseline / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB, growth {growth_mib:.1f} MiB")
    assert growth_mib < 64, f"RSS grew by {growth_mib:.1f} MiB"
