"""coffer encrypt/decrypt against Coffer, aws-encryption-cli and the Python AWS Encryption SDK."""
import json
import os

import aws_encryption_sdk
import pytest
from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
from aws_encryption_sdk.key_providers.kms import DiscoveryAwsKmsMasterKeyProvider, StrictAwsKmsMasterKeyProvider
from aws_encryption_sdk.key_providers.raw import RawMasterKeyProvider
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
PLAINTEXT = os.urandom(10_000) + b"coffer"


def kms_spec(arn):
    return ["-w", "provider=aws-kms", "key=%s" % arn]


# --- AWS KMS ---------------------------------------------------------------------------------

def test_swift_encrypt_python_sdk_and_aws_cli_decrypt(tmp_path, run_esdk, run_aws_cli, python_kms, kms_key):
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-c", "purpose=test", "tenant=a", *kms_spec(kms_key))
    ciphertext = (tmp_path / "ct").read_bytes()
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[kms_key])
    plaintext, header = CLIENT.decrypt(source=ciphertext, key_provider=provider)
    assert plaintext == PLAINTEXT
    assert header.encryption_context["tenant"] == "a"
    run_aws_cli("--decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt", "-w", "key=%s" % kms_key, "-S",
                "-c", "purpose=test")
    assert (tmp_path / "pt").read_bytes() == PLAINTEXT


def test_python_sdk_and_aws_cli_encrypt_swift_decrypt(tmp_path, run_esdk, run_aws_cli, python_kms, kms_key):
    provider = StrictAwsKmsMasterKeyProvider(key_ids=[kms_key])
    ciphertext, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=provider, encryption_context={"from": "python"}, frame_length=1024)
    (tmp_path / "py.ct").write_bytes(ciphertext)
    result = run_esdk("decrypt", "-i", tmp_path / "py.ct", "-o", "-", "-c", "from=python", *kms_spec(kms_key))
    assert result.stdout == PLAINTEXT

    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_aws_cli("--encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "cli.ct", "-w", "key=%s" % kms_key, "-S",
                "-c", "from=cli", "--algorithm", "AES_256_GCM_HKDF_SHA512_COMMIT_KEY")
    run_esdk("decrypt", "-i", tmp_path / "cli.ct", "-o", tmp_path / "out", *kms_spec(kms_key))
    assert (tmp_path / "out").read_bytes() == PLAINTEXT


def test_non_committing_suite_with_policy(tmp_path, run_esdk, run_aws_cli, kms_key):
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "--commitment-policy", "forbid-encrypt-allow-decrypt",
             "--algorithm", "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256", *kms_spec(kms_key))
    run_aws_cli("--decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt", "-w", "key=%s" % kms_key, "-S",
                "--commitment-policy", "require-encrypt-allow-decrypt")
    assert (tmp_path / "pt").read_bytes() == PLAINTEXT
    refused = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "no", *kms_spec(kms_key), check=False)
    assert refused.returncode == 1
    assert b"commitmentPolicyViolation" in refused.stderr
    assert not (tmp_path / "no").exists()


def test_discovery_decrypt(tmp_path, run_esdk, kms_key):
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", *kms_spec(kms_key))
    result = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-w", "provider=aws-kms", "discovery=true")
    assert result.stdout == PLAINTEXT
    result = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-w", "provider=aws-kms", "discovery=true",
                      "discovery-account=123456789012", "discovery-partition=aws")
    assert result.stdout == PLAINTEXT
    filtered = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-w", "provider=aws-kms", "discovery=true",
                        "discovery-account=999999999999", "discovery-partition=aws", check=False)
    assert filtered.returncode == 1
    assert b"skipped by the discovery filter" in filtered.stderr
    assert filtered.stdout == b""


def test_discovery_python_encrypted(tmp_path, run_esdk, python_kms, kms_key):
    ciphertext, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=StrictAwsKmsMasterKeyProvider(key_ids=[kms_key]))
    (tmp_path / "ct").write_bytes(ciphertext)
    result = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-w", "provider=aws-kms", "discovery=true")
    assert result.stdout == PLAINTEXT
    # And Python's discovery provider decrypts coffer output.
    run_esdk("encrypt", "-i", tmp_path / "ct", "-o", tmp_path / "ct2", *kms_spec(kms_key))
    plaintext, _ = CLIENT.decrypt(source=(tmp_path / "ct2").read_bytes(), key_provider=DiscoveryAwsKmsMasterKeyProvider())
    assert plaintext == ciphertext


def test_disabled_key_gives_clear_error(tmp_path, coffer, run_esdk):
    kms = coffer.kms()
    arn = kms.create_key()["KeyMetadata"]["Arn"]
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", *kms_spec(arn))
    kms.disable_key(KeyId=arn)
    encrypt = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct2", *kms_spec(arn), check=False)
    assert encrypt.returncode == 1
    assert b"DisabledException" in encrypt.stderr
    assert not (tmp_path / "ct2").exists()
    decrypt = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt", *kms_spec(arn), check=False)
    assert decrypt.returncode == 1
    assert b"DisabledException" in decrypt.stderr
    assert not (tmp_path / "pt").exists()
    assert PLAINTEXT[:16] not in decrypt.stderr


def test_unknown_key_and_bad_credentials(tmp_path, coffer, run_esdk, kms_key):
    (tmp_path / "plain").write_bytes(b"x")
    missing = "arn:aws:kms:us-east-1:%s:key/00000000-0000-0000-0000-000000000000" % "123456789012"
    result = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", "-", *kms_spec(missing), check=False)
    assert result.returncode == 1 and b"NotFoundException" in result.stderr
    env = coffer.env(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="wrong-secret")
    result = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", "-", *kms_spec(kms_key), env=env, check=False)
    assert result.returncode == 1
    assert b"wrong-secret" not in result.stderr
    assert b"Signature" in result.stderr or b"UnrecognizedClient" in result.stderr



def test_ca_bundle_is_required_for_coffer_tls(tmp_path, coffer, run_esdk, kms_key):
    """AWS_CA_BUNDLE=DATA/tls/ca.pem is what makes Coffer's certificate trusted: without it (system
    roots) the handshake fails, and an unreadable bundle is a configuration error."""
    (tmp_path / "plain").write_bytes(b"x")
    env = coffer.env()
    del env["AWS_CA_BUNDLE"]
    result = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", "-", *kms_spec(kms_key), env=env, check=False)
    assert result.returncode == 1
    assert b"not trusted" in result.stderr and b"AWS_CA_BUNDLE" in result.stderr
    env = coffer.env(AWS_CA_BUNDLE=str(tmp_path / "missing.pem"))
    result = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", "-", *kms_spec(kms_key), env=env, check=False)
    assert result.returncode == 1
    assert b"missing.pem is not a readable file" in result.stderr

# --- Raw keys (aws-encryption-cli needs a plugin for raw keys, so the Python SDK API is used) ---

class RawProvider(RawMasterKeyProvider):
    """A raw master key provider: provider ID = the keyring namespace, key ID = the key name."""
    provider_id = None

    def __init__(self, **kwargs):  # pylint: disable=super-init-not-called
        self.wrapping_key = None

    def _get_raw_key(self, key_id):
        return self.wrapping_key


def raw_provider(namespace, name, wrapping_key):
    provider = type("P", (RawProvider,), {"provider_id": namespace})()
    provider.wrapping_key = wrapping_key
    provider.add_master_key(name.encode())
    return provider


@pytest.mark.parametrize("size", [16, 24, 32])
def test_raw_aes_both_ways(tmp_path, run_esdk, size):
    key = os.urandom(size)
    (tmp_path / "key.bin").write_bytes(key)
    algorithm = {16: WrappingAlgorithm.AES_128_GCM_IV12_TAG16_NO_PADDING, 24: WrappingAlgorithm.AES_192_GCM_IV12_TAG16_NO_PADDING,
                 32: WrappingAlgorithm.AES_256_GCM_IV12_TAG16_NO_PADDING}[size]
    provider = raw_provider("coffer-ns", "aes-key", WrappingKey(algorithm, key, EncryptionKeyType.SYMMETRIC))
    spec = ["-w", "provider=raw-aes", "namespace=coffer-ns", "name=aes-key", "key=file:%s" % (tmp_path / "key.bin")]
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-c", "k=v", *spec)
    plaintext, header = CLIENT.decrypt(source=(tmp_path / "ct").read_bytes(), key_provider=provider)
    assert plaintext == PLAINTEXT and header.encryption_context["k"] == "v"
    ciphertext, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=provider, encryption_context={"k": "w"})
    (tmp_path / "py.ct").write_bytes(ciphertext)
    assert run_esdk("decrypt", "-i", tmp_path / "py.ct", "-o", "-", "-c", "k=w", *spec).stdout == PLAINTEXT


@pytest.mark.parametrize("padding,algorithm", [
    ("pkcs1", WrappingAlgorithm.RSA_PKCS1),
    ("oaep-sha1", WrappingAlgorithm.RSA_OAEP_SHA1_MGF1),
    ("oaep-sha256", WrappingAlgorithm.RSA_OAEP_SHA256_MGF1),
    ("oaep-sha384", WrappingAlgorithm.RSA_OAEP_SHA384_MGF1),
    ("oaep-sha512", WrappingAlgorithm.RSA_OAEP_SHA512_MGF1),
])
def test_raw_rsa_both_ways(tmp_path, run_esdk, padding, algorithm):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (tmp_path / "private.pem").write_bytes(private_pem)
    (tmp_path / "public.pem").write_bytes(public_pem)
    provider = raw_provider("coffer-rsa", "rsa-key", WrappingKey(algorithm, private_pem, EncryptionKeyType.PRIVATE))
    base = ["provider=raw-rsa", "namespace=coffer-rsa", "name=rsa-key", "padding=%s" % padding]
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-w", *base, "key=file:%s" % (tmp_path / "public.pem"))
    plaintext, _ = CLIENT.decrypt(source=(tmp_path / "ct").read_bytes(), key_provider=provider)
    assert plaintext == PLAINTEXT
    ciphertext, _ = CLIENT.encrypt(source=PLAINTEXT, key_provider=provider)
    (tmp_path / "py.ct").write_bytes(ciphertext)
    result = run_esdk("decrypt", "-i", tmp_path / "py.ct", "-o", "-", "-w", *base, "key=file:%s" % (tmp_path / "private.pem"))
    assert result.stdout == PLAINTEXT


def test_raw_aes_and_kms_multi_key(tmp_path, run_esdk, run_aws_cli, kms_key):
    (tmp_path / "key.bin").write_bytes(os.urandom(32))
    raw = ["-w", "provider=raw-aes", "namespace=ns", "name=n", "key=file:%s" % (tmp_path / "key.bin")]
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", *kms_spec(kms_key), *raw)
    assert run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", *raw).stdout == PLAINTEXT
    run_aws_cli("--decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt", "-w", "key=%s" % kms_key, "-S")
    assert (tmp_path / "pt").read_bytes() == PLAINTEXT
    limited = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", *raw, "--max-encrypted-data-keys", "1", check=False)
    assert limited.returncode == 1 and b"tooManyEncryptedDataKeys" in limited.stderr



def test_wrapping_key_tokens_in_any_order(tmp_path, run_esdk, kms_key):
    """Each -w occurrence is one specification, whatever the order of its tokens."""
    (tmp_path / "key.bin").write_bytes(os.urandom(32))
    raw = ["-w", "key=file:%s" % (tmp_path / "key.bin"), "name=n", "provider=raw-aes", "namespace=ns"]
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-w", "key=%s" % kms_key, "provider=aws-kms", *raw)
    assert run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", *raw).stdout == PLAINTEXT
    assert run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-w", "key=%s" % kms_key, "provider=aws-kms").stdout == PLAINTEXT

# --- I/O modes, metadata, context checks ---------------------------------------------------------

def test_stdin_stdout_pipeline(run_esdk, kms_key):
    data = os.urandom(300_000)
    encrypted = run_esdk("encrypt", "-i", "-", "-o", "-", "--frame-length", "65536", *kms_spec(kms_key), input=data).stdout
    assert encrypted[:1] == b"\x02"
    assert run_esdk("decrypt", "-i", "-", "-o", "-", *kms_spec(kms_key), input=encrypted).stdout == data
    truncated = run_esdk("decrypt", "-i", "-", "-o", "-", *kms_spec(kms_key), input=encrypted[:-10], check=False)
    assert truncated.returncode == 1 and b"truncated" in truncated.stderr


def test_recursive_directories(tmp_path, run_esdk, run_aws_cli, kms_key):
    source = tmp_path / "src"
    (source / "sub" / "deeper").mkdir(parents=True)
    files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(5000), "sub/deeper/c": b"", "sub/deeper/d": b"d" * 4096}
    for name, content in files.items():
        (source / name).write_bytes(content)
    (tmp_path / "enc").mkdir()
    (tmp_path / "dec").mkdir()
    (tmp_path / "awsdec").mkdir()
    run_esdk("encrypt", "-r", "-i", source, "-o", tmp_path / "enc", *kms_spec(kms_key))
    for name in files:
        assert (tmp_path / "enc" / (name + ".encrypted")).exists()
    run_esdk("decrypt", "-r", "-i", tmp_path / "enc", "-o", tmp_path / "dec", "--suffix", ".plain", *kms_spec(kms_key))
    for name, content in files.items():
        assert (tmp_path / "dec" / (name + ".encrypted.plain")).read_bytes() == content
    run_aws_cli("--decrypt", "-r", "-i", tmp_path / "enc", "-o", tmp_path / "awsdec", "-w", "key=%s" % kms_key, "-S")
    for name, content in files.items():
        assert (tmp_path / "awsdec" / (name + ".encrypted.decrypted")).read_bytes() == content
    no_r = run_esdk("encrypt", "-i", source, "-o", tmp_path / "enc", *kms_spec(kms_key), check=False)
    assert no_r.returncode == 2 and b"--recursive" in no_r.stderr


def test_metadata_output_matches_aws_cli(tmp_path, run_esdk, run_aws_cli, kms_key):
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-c", "a=b", "--metadata-output", tmp_path / "meta.jsonl",
             *kms_spec(kms_key))
    run_esdk("decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt", "--metadata-output", tmp_path / "meta.jsonl", *kms_spec(kms_key))
    ours = [json.loads(line) for line in (tmp_path / "meta.jsonl").read_text().splitlines()]
    run_aws_cli("--encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct2", "-c", "a=b", "--metadata-output", tmp_path / "aws.jsonl",
                "-w", "key=%s" % kms_key)
    run_aws_cli("--decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt2", "--metadata-output", tmp_path / "aws.jsonl",
                "-w", "key=%s" % kms_key)
    theirs = [json.loads(line) for line in (tmp_path / "aws.jsonl").read_text().splitlines()]
    assert [r["mode"] for r in ours] == ["encrypt", "decrypt"]
    for mine, reference in zip(ours, theirs):
        assert set(mine) == set(reference)
        assert set(mine["header"]) == set(reference["header"])
        assert mine["header"]["algorithm"] == reference["header"]["algorithm"]
        assert mine["header"]["version"] == reference["header"]["version"]
        assert mine["input"].startswith("/") and mine["output"].startswith("/")
    # Decrypting the same message: both tools describe the header and header auth identically.
    assert ours[1]["header"] == theirs[1]["header"]
    assert ours[1]["header_auth"] == theirs[1]["header_auth"]
    assert ours[1]["output"] == str(tmp_path / "pt")
    # Metadata to stdout while the output goes to a file.
    result = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "pt3", "--metadata-output", "-", *kms_spec(kms_key))
    assert json.loads(result.stdout)["header"]["encryption_context"]["a"] == "b"
    conflict = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "--metadata-output", "-", *kms_spec(kms_key), check=False)
    assert conflict.returncode == 2


def test_encryption_context_checks(tmp_path, run_esdk, kms_key):
    (tmp_path / "plain").write_bytes(PLAINTEXT)
    run_esdk("encrypt", "-i", tmp_path / "plain", "-o", tmp_path / "ct", "-c", "tenant=a", "stage=prod", *kms_spec(kms_key))
    ok = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-c", "tenant=a", "stage", *kms_spec(kms_key))
    assert ok.stdout == PLAINTEXT
    wrong_value = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", tmp_path / "x", "-c", "tenant=b", *kms_spec(kms_key), check=False)
    assert wrong_value.returncode == 1 and b"encryptionContextMismatch" in wrong_value.stderr
    assert not (tmp_path / "x").exists()
    missing_key = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-c", "region", *kms_spec(kms_key), check=False)
    assert missing_key.returncode == 1 and b"lacks required key(s) 'region'" in missing_key.stderr
    assert missing_key.stdout == b""
    extra_pair = run_esdk("decrypt", "-i", tmp_path / "ct", "-o", "-", "-c", "extra=1", *kms_spec(kms_key), check=False)
    assert extra_pair.returncode == 1 and b"not stored in the message" in extra_pair.stderr
    bare_on_encrypt = run_esdk("encrypt", "-i", tmp_path / "plain", "-o", "-", "-c", "bare", *kms_spec(kms_key), check=False)
    assert bare_on_encrypt.returncode == 2


def test_caching_and_usage_errors(tmp_path, run_esdk, kms_key):
    (tmp_path / "src").mkdir()
    for i in range(3):
        (tmp_path / "src" / str(i)).write_bytes(os.urandom(100))
    (tmp_path / "out").mkdir()
    result = run_esdk("encrypt", "-r", "-i", tmp_path / "src", "-o", tmp_path / "out", "--caching", "capacity=10", "max_age=60",
                      "max_messages_encrypted=10", "--metadata-output", "-", *kms_spec(kms_key))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    keys = {r["header"]["encrypted_data_keys"][0]["encrypted_data_key"] for r in records}
    assert len(keys) == 1  # one cached data key, wrapped once by KMS
    for args, needle in [
        (["--caching", "capacity=1"], b"max_age"),
        (["--algorithm", "AES_256_GCM_IV12_TAG16"], b"not allowed"),
        (["--frame-length", "0"], b"frame-length"),
        (["--max-encrypted-data-keys", "0"], b"max-encrypted-data-keys"),
        (["--commitment-policy", "none"], b"commitment policy"),
    ]:
        result = run_esdk("encrypt", "-i", tmp_path / "src" / "0", "-o", "-", *kms_spec(kms_key), *args, check=False)
        assert result.returncode == 2, args
        assert needle in result.stderr, (args, result.stderr)
    no_keys = run_esdk("encrypt", "-i", tmp_path / "src" / "0", "-o", "-", check=False)
    assert no_keys.returncode == 2
    missing_input = run_esdk("encrypt", "-i", tmp_path / "nope", "-o", "-", *kms_spec(kms_key), check=False)
    assert missing_input.returncode == 2 and b"does not exist" in missing_input.stderr
