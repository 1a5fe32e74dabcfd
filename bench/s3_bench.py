"""bench/s3: S3 throughput of Coffer next to moto_server, in the same run, with boto3 as the client.

Prints, per server: PUT and GET MB/s of 64 MiB objects under SSE-S3, SSE-KMS and SSE-C; PUT ops/s of
4 KiB objects; and the KMS calls S3 made for N PUTs without and with bucket keys (counted from the
KMS events in Coffer's audit trail; moto does not encrypt, so it makes none). Not a test: it prints
figures. See bench/README.md."""

from __future__ import annotations

import argparse
import base64
import hashlib
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import ssl

import boto3
import botocore.config

MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, ca: str | None, process: subprocess.Popen, timeout: float = 120) -> None:
    context = ssl.create_default_context(cafile=ca) if ca else None
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, context=context, timeout=2):
                return
        except Exception:
            time.sleep(0.25)
    sys.exit(f"server at {url} not ready after {timeout}s")


def client(endpoint: str, ca: str | None, signature_version: str | None = None):
    config = botocore.config.Config(signature_version=signature_version,retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=300,
                                    max_pool_connections=64, s3={"addressing_style": "path"})
    return boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
        "s3", endpoint_url=endpoint, verify=ca if ca else False, config=config)


def sse_args(mode: str, customer_key: bytes) -> tuple[dict, dict]:
    """(PutObject arguments, GetObject arguments) for an SSE mode."""
    if mode == "SSE-S3":
        return {"ServerSideEncryption": "AES256"}, {}
    if mode == "SSE-KMS":
        return {"ServerSideEncryption": "aws:kms"}, {}
    customer = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": customer_key}
    return customer, customer


def throughput(s3, bucket: str, mode: str, size_mib: int, rounds: int, streams: int) -> tuple[float, float]:
    data = os.urandom(size_mib * MIB)
    put_args, get_args = sse_args(mode, b"k" * 32)
    keys = [f"big-{mode}-{i}" for i in range(streams)]

    def put(key):
        s3.put_object(Bucket=bucket, Key=key, Body=data, **put_args)

    def get(key):
        body = s3.get_object(Bucket=bucket, Key=key, **get_args)["Body"]
        n = 0
        while chunk := body.read(4 * MIB):
            n += len(chunk)
        assert n == len(data), (n, len(data))

    with concurrent.futures.ThreadPoolExecutor(streams) as pool:
        list(pool.map(put, keys))  # warm-up
        t0 = time.perf_counter()
        for _ in range(rounds):
            list(pool.map(put, keys))
        put_rate = rounds * streams * size_mib * MIB / (time.perf_counter() - t0) / 1e6
        list(pool.map(get, keys))
        t0 = time.perf_counter()
        for _ in range(rounds):
            list(pool.map(get, keys))
        get_rate = rounds * streams * size_mib * MIB / (time.perf_counter() - t0) / 1e6
    return put_rate, get_rate


def presigned(s3, method: str, bucket: str, key: str) -> str:
    return s3.generate_presigned_url(method, Params={"Bucket": bucket, "Key": key}, ExpiresIn=900)


def sse_headers(mode: str) -> list[str]:
    if mode == "SSE-S3":
        return ["x-amz-server-side-encryption: AES256"]
    if mode == "SSE-KMS":
        return ["x-amz-server-side-encryption: aws:kms"]
    key = b"k" * 32
    return ["x-amz-server-side-encryption-customer-algorithm: AES256",
            "x-amz-server-side-encryption-customer-key: " + base64.b64encode(key).decode(),
            "x-amz-server-side-encryption-customer-key-MD5: " + base64.b64encode(hashlib.md5(key).digest()).decode()]


def curl_throughput(s3, bucket: str, mode: str, size_mib: int, rounds: int, ca: str | None, work: str) -> tuple[float, float]:
    """PUT and GET MB/s of one object with curl (a C client, so the server is what is measured)."""
    path = os.path.join(work, f"payload-{size_mib}")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(os.urandom(size_mib * MIB))
    key = f"curl-{mode}"
    headers = [arg for h in sse_headers(mode) for arg in ("-H", h)]
    tls = ["--cacert", ca] if ca else []
    put_url, get_url = presigned(s3, "put_object", bucket, key), presigned(s3, "get_object", bucket, key)

    def run(args: list[str]) -> None:
        subprocess.run(["curl", "-sS", "--fail", "-o", "/dev/null", *tls, *headers, *args], check=True)

    run(["-X", "PUT", "-T", path, put_url])
    t0 = time.perf_counter()
    for _ in range(rounds):
        run(["-X", "PUT", "-T", path, put_url])
    put_rate = rounds * size_mib * MIB / (time.perf_counter() - t0) / 1e6
    get_headers = headers if mode == "SSE-C" else []
    run_get = lambda: subprocess.run(["curl", "-sS", "--fail", "-o", "/dev/null", *tls, *get_headers, get_url], check=True)
    run_get()
    t0 = time.perf_counter()
    for _ in range(rounds):
        run_get()
    get_rate = rounds * size_mib * MIB / (time.perf_counter() - t0) / 1e6
    return put_rate, get_rate


def wrk_small_puts(s3, bucket: str, ca: str | None, seconds: int, connections: int, work: str) -> float:
    """4 KiB PUT requests per second with wrk (presigned, same key overwritten)."""
    url = presigned(s3, "put_object", bucket, "wrk-small")
    script = os.path.join(work, "put.lua")
    with open(script, "w") as f:
        f.write('wrk.method = "PUT"\nwrk.body = string.rep("x", 4096)\n'
                'wrk.headers["Content-Type"] = "application/octet-stream"\n')
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script, url], capture_output=True, text=True, check=True).stdout
    errors = [line for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        print("  wrk: " + "; ".join(errors), file=sys.stderr)
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(out)


def small_puts(s3, bucket: str, count: int, threads: int, extra: dict) -> float:
    body = os.urandom(4096)
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda i: s3.put_object(Bucket=bucket, Key=f"small/{i}", Body=body, **extra), range(count)))
    return count / (time.perf_counter() - t0)


def kms_calls(endpoint: str, ca: str, since: float) -> int:
    ct = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
        "cloudtrail", endpoint_url=endpoint, verify=ca)
    total, token = 0, None
    while True:
        args = {"LookupAttributes": [{"AttributeKey": "EventSource", "AttributeValue": "kms.amazonaws.com"}], "MaxResults": 50,
                "StartTime": since}
        if token:
            args["NextToken"] = token
        page = ct.lookup_events(**args)
        total += sum(1 for e in page["Events"] if json.loads(e["CloudTrailEvent"])["userIdentity"].get("invokedBy") == "s3.amazonaws.com")
        token = page.get("NextToken")
        if not token:
            return total


def measure(name: str, endpoint: str, ca: str | None, args, work: str) -> dict:
    s3 = client(endpoint, ca)
    presigner = client(endpoint, ca, signature_version="s3v4")
    bucket = f"bench-{name}-{int(time.time())}"
    s3.create_bucket(Bucket=bucket)
    results: dict = {}
    for mode in ["SSE-S3", "SSE-KMS", "SSE-C"]:
        if mode == "SSE-C" and not endpoint.startswith("https"):
            results[mode] = results["curl " + mode] = None  # S3 refuses SSE-C over plain HTTP (boto3 too)
            continue
        results[mode] = throughput(s3, bucket, mode, args.size_mib, args.rounds, args.streams)
        print(f"  {name} {mode} boto3: PUT {results[mode][0]:,.0f} MB/s, GET {results[mode][1]:,.0f} MB/s", file=sys.stderr)
        results["curl " + mode] = curl_throughput(presigner, bucket, mode, args.size_mib, args.rounds, ca, work)
        print(f"  {name} {mode} curl: PUT {results['curl ' + mode][0]:,.0f} MB/s, GET {results['curl ' + mode][1]:,.0f} MB/s", file=sys.stderr)
    results["small"] = small_puts(s3, bucket, args.small_count, args.threads, {})
    print(f"  {name} 4 KiB PUT boto3: {results['small']:,.0f} ops/s", file=sys.stderr)
    results["wrk small"] = wrk_small_puts(presigner, bucket, ca, args.wrk_seconds, args.wrk_connections, work)
    print(f"  {name} 4 KiB PUT wrk: {results['wrk small']:,.0f} ops/s", file=sys.stderr)
    for label, bucket_key in [("kms-calls", False), ("kms-calls-bucket-key", True)]:
        time.sleep(1.1)  # LookupEvents' StartTime has whole-second precision
        since = time.time()
        extra = {"ServerSideEncryption": "aws:kms", "BucketKeyEnabled": bucket_key}
        rate = small_puts(s3, bucket, args.kms_puts, args.threads, extra)
        calls = kms_calls(endpoint, ca, since) if ca else None
        results[label] = (calls, rate)
        print(f"  {name} {args.kms_puts} SSE-KMS PUTs, bucket key {bucket_key}: {calls} KMS calls, {rate:,.0f} ops/s", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coffer-bin", required=True)
    parser.add_argument("--moto-server", default=None)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--streams", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--small-count", type=int, default=2000)
    parser.add_argument("--kms-puts", type=int, default=10000)
    parser.add_argument("--wrk-seconds", type=int, default=5)
    parser.add_argument("--wrk-connections", type=int, default=32)
    args = parser.parse_args()

    rows = {}
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        data = os.path.join(work, "coffer-data")
        log = open(os.path.join(work, "coffer.log"), "w")
        coffer = subprocess.Popen([args.coffer_bin, "serve", "--test-mode", "--data-dir", data, "--port", str(port)], stdout=log, stderr=log)
        try:
            ca = os.path.join(data, "tls", "ca.pem")
            deadline = time.time() + 120
            while not os.path.exists(ca) and time.time() < deadline:
                time.sleep(0.2)
            wait_ready(f"https://127.0.0.1:{port}/health", ca, coffer)
            print(f"== coffer (HTTPS) on port {port}", file=sys.stderr)
            rows["coffer"] = measure("coffer", f"https://127.0.0.1:{port}", ca, args, work)
        finally:
            coffer.terminate()
            coffer.wait(30)
        if args.moto_server:
            port = free_port()
            moto = subprocess.Popen([args.moto_server, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                wait_ready(f"http://127.0.0.1:{port}/moto-api/", None, moto)
                print(f"== moto_server (plain HTTP) on port {port}", file=sys.stderr)
                rows["moto"] = measure("moto", f"http://127.0.0.1:{port}", None, args, work)
            finally:
                moto.terminate()
                moto.wait(30)

    def cell(value, unit):
        return "n/a" if value is None else f"{value:,.0f} {unit}"

    print(f"\nS3 with boto3 ({args.size_mib} MiB objects, {args.streams} stream(s), {args.rounds} rounds; "
          f"4 KiB PUTs with {args.threads} threads). Coffer over HTTPS, moto_server over plain HTTP.\n")
    servers = list(rows)
    print("| workload | " + " | ".join(servers) + " |")
    print("|---|" + "---|" * len(servers))
    for client_name, prefix in [("curl", "curl "), ("boto3", "")]:
        for mode in ["SSE-S3", "SSE-KMS", "SSE-C"]:
            for i, verb in enumerate(["PUT", "GET"]):
                print(f"| {verb} {args.size_mib} MiB {mode} ({client_name}) | " + " | ".join(
                    cell(rows[s][prefix + mode][i] if rows[s].get(prefix + mode) else None, "MB/s") for s in servers) + " |")
    print("| PUT 4 KiB SSE-S3 (wrk, 32 connections) | " + " | ".join(cell(rows[s]["wrk small"], "ops/s") for s in servers) + " |")
    print(f"| PUT 4 KiB SSE-S3 (boto3, {args.threads} threads) | " + " | ".join(cell(rows[s]["small"], "ops/s") for s in servers) + " |")
    for label, text in [("kms-calls", "without bucket keys"), ("kms-calls-bucket-key", "with bucket keys")]:
        print(f"| KMS calls for {args.kms_puts} SSE-KMS PUTs {text} | " + " | ".join(
            "n/a (no encryption)" if rows[s][label][0] is None else f"{rows[s][label][0]:,}" for s in servers) + " |")
        print(f"| PUT 4 KiB SSE-KMS {text} | " + " | ".join(cell(rows[s][label][1], "ops/s") for s in servers) + " |")


if __name__ == "__main__":
    main()
