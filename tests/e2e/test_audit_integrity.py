"""`coffer audit verify` against a real trail: the untampered run passes with its counts, and each
tamper case the issue names is detected and named (file, and event where one event changed)."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import coffer_bin


@pytest.fixture(scope="module")
def trail(tmp_path_factory):
    """A stopped server's data directory whose trail has several log files and digests."""
    from conftest import _make  # the module-scoped server is made by hand (server_factory is per test)
    root = tmp_path_factory.mktemp("audit-integrity")
    srv = _make(root, name="integrity", extra_args=["--audit-segment-interval", "1", "--audit-digest-interval", "1"])
    srv.start()
    try:
        kms = srv.client()
        key = kms.create_key(Description="integrity")["KeyMetadata"]
        for round_ in range(4):
            for i in range(5):
                kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext={"round": str(round_), "i": str(i)})
            time.sleep(1.3)
    finally:
        assert srv.stop() == 0
    return srv.data_dir


def verify(data_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(coffer_bin()), "audit", "verify", "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=120)


def copy(trail: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(trail, target)
    return target


def log_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "audit" / "AWSLogs").rglob("*.json.gz") if "CloudTrail-Digest" not in p.parts)


def digest_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "audit" / "AWSLogs").rglob("*.json.gz") if "CloudTrail-Digest" in p.parts)


def record_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each record inside `{"Records":[...]}`, exactly as written."""
    start = text.index("[") + 1
    decoder = json.JSONDecoder()
    spans, pos = [], start
    while True:
        while text[pos] in " \n\r\t,":
            pos += 1
        if text[pos] == "]":
            return spans
        _, end = decoder.raw_decode(text, pos)
        spans.append((pos, end))
        pos = end


def rewrite(path: Path, change) -> None:
    text = gzip.decompress(path.read_bytes()).decode()
    path.write_bytes(gzip.compress(change(text).encode()))


def busiest(data_dir: Path) -> Path:
    return max(log_files(data_dir), key=lambda p: len(record_spans(gzip.decompress(p.read_bytes()).decode())))


def test_untampered_trail_verifies_with_counts(trail):
    result = verify(trail)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(log_files(trail)) >= 2 and len(digest_files(trail)) >= 2
    out = result.stdout.lower()
    assert "digest" in out and "event" in out
    numbers = [int(w) for w in result.stdout.replace(",", " ").split() if w.isdigit()]
    assert any(n >= 21 for n in numbers), f"the event count (21+) should be reported: {result.stdout}"


def test_bit_flip_in_a_log_file_is_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    target = busiest(data)
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    target.write_bytes(bytes(raw))
    result = verify(data)
    assert result.returncode == 1 and target.name in result.stdout, result.stdout


def test_deleted_event_is_detected_and_named(trail, tmp_path):
    data = copy(trail, tmp_path)
    target = busiest(data)
    text = gzip.decompress(target.read_bytes()).decode()
    spans = record_spans(text)
    assert len(spans) >= 3
    start, end = spans[1]
    removed = json.loads(text[start:end])["eventID"]
    comma = text.index(",", end)
    rewrite(target, lambda t: t[:start] + t[comma + 1:])
    result = verify(data)
    assert result.returncode == 1, result.stdout
    assert target.name in result.stdout and removed in result.stdout, result.stdout


def test_reordered_events_are_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    target = busiest(data)
    text = gzip.decompress(target.read_bytes()).decode()
    (a0, a1), (b0, b1) = record_spans(text)[:2]
    rewrite(target, lambda t: t[:a0] + t[b0:b1] + t[a1:b0] + t[a0:a1] + t[b1:])
    result = verify(data)
    assert result.returncode == 1 and target.name in result.stdout, result.stdout


def test_deleted_log_file_is_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    target = log_files(data)[0]
    target.unlink()
    result = verify(data)
    assert result.returncode == 1 and target.name in result.stdout, result.stdout


def test_reordered_log_files_are_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    first, second = log_files(data)[:2]
    a, b = first.read_bytes(), second.read_bytes()
    first.write_bytes(b)
    second.write_bytes(a)
    result = verify(data)
    assert result.returncode == 1 and (first.name in result.stdout or second.name in result.stdout), result.stdout


def test_modified_digest_is_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    target = digest_files(data)[0]
    document = json.loads(gzip.decompress(target.read_bytes()))
    document["digestEndTime"] = "2000-01-01T00:00:00Z"
    target.write_bytes(gzip.compress(json.dumps(document).encode()))
    result = verify(data)
    assert result.returncode == 1 and target.name in result.stdout, result.stdout


def test_forged_digest_signature_is_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    digest = digest_files(data)[-1]
    signatures = [p for p in digest.parent.iterdir() if p.name.startswith(digest.name.removesuffix(".json.gz")) and p != digest]
    assert signatures, f"no signature file beside {digest.name}"
    signature = signatures[0]
    original = signature.read_bytes()
    rng = random.Random(7)
    forged = bytes(rng.randrange(256) for _ in original) if not original.strip().isascii() else original.translate(
        bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", b"BCDEFGHIJKLMNOPQRSTUVWXYZAbcdefghijklmnopqrstuvwxyza1234567890"))
    assert forged != original
    signature.write_bytes(forged)
    result = verify(data)
    assert result.returncode == 1 and digest.name.removesuffix(".json.gz") in result.stdout, result.stdout


def test_deleted_digest_is_detected(trail, tmp_path):
    data = copy(trail, tmp_path)
    digests = digest_files(data)
    assert len(digests) >= 3
    victim = digests[len(digests) // 2]
    victim.unlink()
    result = verify(data)
    assert result.returncode == 1, result.stdout
