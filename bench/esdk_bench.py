"""Runs the Swift and Python benchmarks, each case in its own process so peak RSS is per case."""
import argparse
import json
import os
import subprocess
import sys
import tempfile

CASES = [("0478", 4096), ("0478", 65536), ("0578", 4096), ("0578", 65536)]

PYTHON_CASE = r'''
import json, resource, sys, time
import aws_encryption_sdk
from aws_encryption_sdk.identifiers import Algorithm, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey
mode, suite, frame, src, dst = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
algorithm = {"0478": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
             "0578": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384}[suite]
key = RawMasterKey(provider_id="bench", key_id=b"key", wrapping_key=WrappingKey(
    wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, wrapping_key=bytes([7]) * 32,
    wrapping_key_type=EncryptionKeyType.SYMMETRIC))
client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
start = time.perf_counter()
written = 0
with open(src, "rb") as fin, open(dst, "wb") as fout:
    kwargs = {"algorithm": algorithm, "frame_length": frame} if mode == "encrypt" else {}
    with client.stream(mode=mode[0], source=fin, key_provider=key, **kwargs) as stream:
        for chunk in stream:
            written += len(chunk)
            fout.write(chunk)
seconds = time.perf_counter() - start
plaintext = os.path.getsize(src) if mode == "encrypt" else written
print(json.dumps({"seconds": seconds, "mb_per_s": plaintext / 1e6 / seconds,
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
'''.replace("import json, resource", "import json, os, resource")


PYTHON_MEMORY = r'''
import json, sys, time
import aws_encryption_sdk
from aws_encryption_sdk.identifiers import Algorithm, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.key_providers.raw import RawMasterKey, WrappingKey
suite, frame, size_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
algorithm = {"0478": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
             "0578": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384}[suite]
key = RawMasterKey(provider_id="bench", key_id=b"key", wrapping_key=WrappingKey(
    wrapping_algorithm=WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING, wrapping_key=bytes([7]) * 32,
    wrapping_key_type=EncryptionKeyType.SYMMETRIC))
client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
plaintext = bytes([0x5A]) * (size_mib << 20)
start = time.perf_counter()
ciphertext, _ = client.encrypt(source=plaintext, key_provider=key, algorithm=algorithm, frame_length=frame)
middle = time.perf_counter()
result, _ = client.decrypt(source=ciphertext, key_provider=key)
end = time.perf_counter()
assert result == plaintext
megabytes = (size_mib << 20) / 1e6
print(json.dumps({"encrypt_mb_per_s": megabytes / (middle - start), "decrypt_mb_per_s": megabytes / (end - middle)}))
'''


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--swift", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="esdk-bench-") as work:
        plain = os.path.join(work, "plain")
        with open(plain, "wb") as handle:
            for _ in range(args.size_mib):
                handle.write(os.urandom(1 << 20))
        os.sync()
        cipher, out = os.path.join(work, "cipher"), os.path.join(work, "out")
        rows = []
        for suite, frame in CASES:
            for impl in ("swift", "python"):
                for mode in ("encrypt", "decrypt"):
                    src, dst = (plain, cipher) if mode == "encrypt" else (cipher, out)
                    if impl == "swift":
                        command = [args.swift, mode, suite, str(frame), src, dst]
                    else:
                        command = [sys.executable, "-c", PYTHON_CASE, mode, suite, str(frame), src, dst]
                    # Best of N runs: the machine is shared, so single runs are noisy.
                    results = []
                    for _ in range(args.repeat):
                        # Every run writes a new file: on ext4, truncating a file that was just written
                        # makes close() start its writeback, which would charge one side for the other's I/O.
                        if os.path.exists(dst):
                            os.unlink(dst)
                        results.append(run(command))
                        os.sync()
                    result = max(results, key=lambda r: r["mb_per_s"])
                    if mode == "decrypt" and not filecmp_equal(plain, out):
                        raise SystemExit("round trip mismatch for %s %s %d" % (impl, suite, frame))
                    rows.append((impl, mode, suite, frame, result["mb_per_s"], result["peak_rss_kib"] / 1024))
                    print("  done %-6s %-7s 0x%s %6d" % (impl, mode, suite, frame), file=sys.stderr)
        print("\n%d MiB file, streaming file-to-file, raw AES-256 keyring, best of %d runs" % (args.size_mib, args.repeat))
        print("%-7s %-7s %-6s %6s %10s %14s" % ("impl", "mode", "suite", "frame", "MB/s", "peak RSS MiB"))
        for impl, mode, suite, frame, mbps, rss in rows:
            print("%-7s %-7s 0x%s %6d %10.1f %14.1f" % (impl, mode, suite, frame, mbps, rss))
        print("\nin memory (no file I/O; Swift streams 1 MiB chunks, Python one-shot), best of %d runs" % args.repeat)
        print("%-7s %-6s %6s %12s %12s" % ("impl", "suite", "frame", "enc MB/s", "dec MB/s"))
        for suite, frame in CASES:
            swift_mem = [run([args.swift, "memory", suite, str(frame), str(args.size_mib)]) for _ in range(args.repeat)]
            python_mem = [run([sys.executable, "-c", PYTHON_MEMORY, suite, str(frame), str(args.size_mib)]) for _ in range(args.repeat)]
            for impl, results in (("swift", swift_mem), ("python", python_mem)):
                print("%-7s 0x%s %6d %12.1f %12.1f" % (impl, suite, frame, max(r["encrypt_mb_per_s"] for r in results),
                                                     max(r["decrypt_mb_per_s"] for r in results)))
        print("\nspeed-up of Swift over Python (file to file)")
        speed = {(r[0], r[1], r[2], r[3]): r[4] for r in rows}
        for suite, frame in CASES:
            for mode in ("encrypt", "decrypt"):
                print("  %-7s 0x%s %6d  %5.1fx" % (mode, suite, frame,
                                                 speed[("swift", mode, suite, frame)] / speed[("python", mode, suite, frame)]))


def filecmp_equal(left, right):
    import filecmp
    return filecmp.cmp(left, right, shallow=False)


if __name__ == "__main__":
    main()
