"""Interop helpers: build raw-key scenarios, encrypt/decrypt them with the Python AWS Encryption SDK,
and read/write awses-decrypt / awses-encrypt manifests that the Swift runner (esdk-vectors) understands."""
import base64
import json
import os
import pathlib
import subprocess

import aws_encryption_sdk
from aws_encryption_sdk.identifiers import Algorithm, CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider, WrappingKey
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PROVIDER_ID = "aws-raw-vectors-persistant"

SUITES = {
    "0014": Algorithm.AES_128_GCM_IV12_TAG16,
    "0046": Algorithm.AES_192_GCM_IV12_TAG16,
    "0078": Algorithm.AES_256_GCM_IV12_TAG16,
    "0114": Algorithm.AES_128_GCM_IV12_TAG16_HKDF_SHA256,
    "0146": Algorithm.AES_192_GCM_IV12_TAG16_HKDF_SHA256,
    "0178": Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA256,
    "0214": Algorithm.AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256,
    "0346": Algorithm.AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    "0378": Algorithm.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
    "0478": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
    "0578": Algorithm.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
}
COMMITTING = {"0478", "0578"}

AES_WRAPPING = {
    128: WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING,
    192: WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
    256: WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING,
}
RSA_WRAPPING = {
    ("pkcs1", None): WrappingAlgorithm.RSA_PKCS1,
    ("oaep-mgf1", "sha1"): WrappingAlgorithm.RSA_OAEP_SHA1_MGF1,
    ("oaep-mgf1", "sha256"): WrappingAlgorithm.RSA_OAEP_SHA256_MGF1,
    ("oaep-mgf1", "sha384"): WrappingAlgorithm.RSA_OAEP_SHA384_MGF1,
    ("oaep-mgf1", "sha512"): WrappingAlgorithm.RSA_OAEP_SHA512_MGF1,
}


def aes_master_key(bits):
    return {"type": "raw", "key": "aes-%d" % bits, "provider-id": PROVIDER_ID, "encryption-algorithm": "aes"}


def rsa_master_key(padding, digest=None):
    entry = {"type": "raw", "key": "rsa-4096-private", "provider-id": PROVIDER_ID,
             "encryption-algorithm": "rsa", "padding-algorithm": padding}
    if digest:
        entry["padding-hash"] = digest
    return entry


# Every raw-key configuration: AES 128/192/256, RSA with each padding, and two multi-key cases.
KEY_CONFIGS = {
    "aes128": [aes_master_key(128)],
    "aes192": [aes_master_key(192)],
    "aes256": [aes_master_key(256)],
    "rsa-pkcs1": [rsa_master_key("pkcs1")],
    "rsa-oaep-sha1": [rsa_master_key("oaep-mgf1", "sha1")],
    "rsa-oaep-sha256": [rsa_master_key("oaep-mgf1", "sha256")],
    "rsa-oaep-sha384": [rsa_master_key("oaep-mgf1", "sha384")],
    "rsa-oaep-sha512": [rsa_master_key("oaep-mgf1", "sha512")],
    "multi-aes-rsa": [aes_master_key(256), rsa_master_key("oaep-mgf1", "sha256")],
    "multi-rsa-aes": [rsa_master_key("oaep-mgf1", "sha512"), aes_master_key(128), aes_master_key(192)],
}
FRAME_LENGTHS = [0, 128, 1024, 4096, 65536]
CONTEXTS = [{}, {"purpose": "interop", "tenant": "coffer", "\u00e9t\u00e9": "\u2603"}]


def plaintext_sizes(frame_length):
    if frame_length == 0:
        return [0, 1, 100, 5000]
    return [0, 1, frame_length - 1, frame_length, frame_length + 1, 3 * frame_length + 7]


def scenarios():
    """Yields (name, suite id, key config name, frame length, plaintext size, context)."""
    index = 0
    for suite in SUITES:
        for config in KEY_CONFIGS:
            for frame in FRAME_LENGTHS:
                for size in plaintext_sizes(frame):
                    context = CONTEXTS[index % len(CONTEXTS)]
                    index += 1
                    yield ("%s-%s-f%d-p%d" % (suite, config, frame, size), suite, config, frame, size, context)


def write_keys(directory):
    """Writes a keys manifest (version 3) with fresh AES keys and a 4096-bit RSA key."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    keys = {}
    for bits in (128, 192, 256):
        keys["aes-%d" % bits] = {
            "encrypt": True, "decrypt": True, "type": "symmetric", "algorithm": "aes", "bits": bits,
            "encoding": "base64", "key-id": "aes-%d" % bits,
            "material": base64.b64encode(os.urandom(bits // 8)).decode(),
        }
    private = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    keys["rsa-4096-private"] = {
        "encrypt": True, "decrypt": True, "type": "private", "algorithm": "rsa", "bits": 4096,
        "encoding": "pem", "key-id": "rsa-4096",
        "material": private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
    }
    (directory / "keys.json").write_text(json.dumps({"manifest": {"type": "keys", "version": 3}, "keys": keys}, indent=2))
    return keys


def load_keys(path):
    return json.loads(pathlib.Path(path).read_text())["keys"]


class _StaticProvider(RawMasterKeyProvider):
    provider_id = PROVIDER_ID

    def __init__(self, **kwargs):  # pylint: disable=super-init-not-called
        self._wrapping_keys = {}

    def _get_raw_key(self, key_id):
        return self._wrapping_keys[key_id]


def key_provider(master_keys, keys):
    """A Python master key provider for a list of manifest master-key entries."""
    provider = _StaticProvider()
    for entry in master_keys:
        key = keys[entry["key"]]
        key_id = (entry.get("key-id") or key.get("key-id") or entry["key"]).encode()
        if entry["encryption-algorithm"] == "aes":
            wrapping = WrappingKey(
                wrapping_algorithm=AES_WRAPPING[key["bits"]],
                wrapping_key=base64.b64decode(key["material"]), wrapping_key_type=EncryptionKeyType.SYMMETRIC)
        else:
            wrapping = WrappingKey(
                wrapping_algorithm=RSA_WRAPPING[(entry["padding-algorithm"], entry.get("padding-hash"))],
                wrapping_key=key["material"].encode(), wrapping_key_type=EncryptionKeyType.PRIVATE)
        provider._wrapping_keys[key_id] = wrapping  # pylint: disable=protected-access
        provider.add_master_key(key_id)
    return provider


def python_encrypt_manifest(directory):
    """Encrypts every scenario with Python and writes an awses-decrypt (v2) manifest. Returns the test count."""
    directory = pathlib.Path(directory)
    keys = write_keys(directory)
    (directory / "plaintexts").mkdir(exist_ok=True)
    (directory / "ciphertexts").mkdir(exist_ok=True)
    clients = {policy: aws_encryption_sdk.EncryptionSDKClient(commitment_policy=policy) for policy in CommitmentPolicy}
    providers = {name: key_provider(config, keys) for name, config in KEY_CONFIGS.items()}
    plaintexts = {}
    tests = {}
    for name, suite, config, frame, size, context in scenarios():
        if size not in plaintexts:
            plaintexts[size] = os.urandom(size)
            (directory / "plaintexts" / str(size)).write_bytes(plaintexts[size])
        policy = (CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT if suite in COMMITTING
                  else CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
        ciphertext, _ = clients[policy].encrypt(
            source=plaintexts[size], key_provider=providers[config], encryption_context=context,
            algorithm=SUITES[suite], frame_length=frame)
        (directory / "ciphertexts" / name).write_bytes(ciphertext)
        tests[name] = {
            "description": name,
            "ciphertext": "file://ciphertexts/" + name,
            "master-keys": KEY_CONFIGS[config],
            "result": {"output": {"plaintext": "file://plaintexts/%d" % size}},
        }
    negatives = add_negative_tests(directory, tests)
    manifest = {
        "manifest": {"type": "awses-decrypt", "version": 2},
        "client": {"name": "aws/aws-encryption-sdk-python", "version": aws_encryption_sdk.__version__},
        "keys": "file://keys.json",
        "tests": tests,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return len(tests) - negatives, negatives


def add_negative_tests(directory, tests, every=25):
    """Adds tampered copies (one flipped bit, or a truncated tail) of every `every`-th message,
    each expected to fail. Returns how many were added."""
    added = 0
    for index, (name, test) in enumerate(sorted(tests.items())):
        if index % every:
            continue
        ciphertext = (directory / test["ciphertext"][len("file://"):]).read_bytes()
        variants = {
            "flip-header": _flip(ciphertext, 5),
            "flip-middle": _flip(ciphertext, len(ciphertext) // 2),
            "flip-last": _flip(ciphertext, len(ciphertext) - 1),
            "truncated": ciphertext[:-1],
        }
        for label, tampered in variants.items():
            negative = "%s-%s" % (name, label)
            (directory / "ciphertexts" / negative).write_bytes(tampered)
            tests[negative] = {
                "description": "%s, %s" % (name, label),
                "ciphertext": "file://ciphertexts/" + negative,
                "master-keys": test["master-keys"],
                "result": {"error": {"error-description": "tampered message (%s)" % label}},
            }
            added += 1
    return added


def _flip(data, index):
    mutable = bytearray(data)
    mutable[index] ^= 0x01
    return bytes(mutable)


def swift_encrypt_manifest(directory):
    """Writes keys and an awses-encrypt (v1) manifest of every framed scenario for the Swift runner."""
    directory = pathlib.Path(directory)
    write_keys(directory)
    sizes = {}
    tests = {}
    for name, suite, config, frame, size, context in scenarios():
        if frame == 0:
            continue  # Swift encrypts framed messages only, like the current AWS SDKs.
        sizes[str(size)] = size
        tests[name] = {
            "plaintext": str(size), "algorithm": suite, "frame-size": frame,
            "encryption-context": context, "master-keys": KEY_CONFIGS[config],
        }
    manifest = {"manifest": {"type": "awses-encrypt", "version": 1}, "keys": "file://keys.json",
                "plaintexts": sizes, "tests": tests}
    (directory / "encrypt-manifest.json").write_text(json.dumps(manifest, indent=2))
    return len(tests)


def python_decrypt_manifest(manifest_path):
    """Decrypts every test of an awses-decrypt manifest with Python. Returns (passed, failures)."""
    manifest_path = pathlib.Path(manifest_path)
    base = manifest_path.parent
    manifest = json.loads(manifest_path.read_text())
    keys = load_keys(base / manifest["keys"][len("file://"):])
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
    passed, failures = 0, []
    providers = {}
    for name, test in sorted(manifest["tests"].items()):
        provider_key = json.dumps(test["master-keys"], sort_keys=True)
        if provider_key not in providers:
            providers[provider_key] = key_provider(test["master-keys"], keys)
        ciphertext = (base / test["ciphertext"][len("file://"):]).read_bytes()
        expected = (base / test["result"]["output"]["plaintext"][len("file://"):]).read_bytes()
        try:
            plaintext, _ = client.decrypt(source=ciphertext, key_provider=providers[provider_key])
        except Exception as error:  # pylint: disable=broad-except
            failures.append("%s: %s" % (name, error))
            continue
        if plaintext == expected:
            passed += 1
        else:
            failures.append("%s: plaintext differs" % name)
    return passed, failures


def swift_runner():
    """The Swift runner: `coffer esdk-vectors` from COFFER_BIN (scripts/test sets it to the debug build)."""
    binary = os.environ.get("COFFER_BIN")
    if not binary:
        raise RuntimeError("COFFER_BIN must point at a built coffer binary")
    return [binary, "esdk-vectors"]


def run_swift(*arguments):
    return subprocess.run([*swift_runner(), *arguments], capture_output=True, text=True, check=False)
