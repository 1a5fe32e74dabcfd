"""The aws CLI against Coffer, and coffer's own subcommands."""

import base64
import json
import os
import re

import pytest
from botocore.exceptions import ClientError


def parse_ini_lines(text):
    """`aws_access_key_id = X` style lines -> dict."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^\s*(aws_access_key_id|aws_secret_access_key)\s*[=:]\s*(\S+)\s*$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


# ----------------------------------------------------------------- aws CLI

def test_cli_create_and_describe_key(coffer):
    md = json.loads(coffer.aws("kms", "create-key", "--description", "from cli", "--output", "json").stdout)["KeyMetadata"]
    assert md["Description"] == "from cli"
    assert md["KeyState"] == "Enabled"
    desc = json.loads(coffer.aws("kms", "describe-key", "--key-id", md["KeyId"], "--output", "json").stdout)
    assert desc["KeyMetadata"]["Arn"] == md["Arn"]
    listed = json.loads(coffer.aws("kms", "list-keys", "--output", "json").stdout)["Keys"]
    assert md["KeyId"] in {k["KeyId"] for k in listed}


def test_cli_encrypt_decrypt_round_trip(coffer, kms, new_key, tmp_path):
    key = new_key()
    plaintext = os.urandom(100) + b"coffer cli"
    pt_file = tmp_path / "pt.bin"
    pt_file.write_bytes(plaintext)
    ct_b64 = coffer.aws("kms", "encrypt", "--key-id", key["KeyId"], "--plaintext", f"fileb://{pt_file}",
                        "--encryption-context", "purpose=cli", "--output", "text",
                        "--query", "CiphertextBlob").stdout.strip()
    blob = base64.b64decode(ct_b64)
    # boto3 can read what the CLI wrote
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"purpose": "cli"})["Plaintext"] == plaintext
    ct_file = tmp_path / "ct.bin"
    ct_file.write_bytes(blob)
    out_b64 = coffer.aws("kms", "decrypt", "--ciphertext-blob", f"fileb://{ct_file}",
                         "--encryption-context", "purpose=cli", "--output", "text",
                         "--query", "Plaintext").stdout.strip()
    assert base64.b64decode(out_b64) == plaintext
    # wrong context: the CLI exits non-zero with the AWS error code
    bad = coffer.aws("kms", "decrypt", "--ciphertext-blob", f"fileb://{ct_file}",
                     "--encryption-context", "purpose=other", check=False)
    assert bad.returncode != 0
    assert "InvalidCiphertextException" in bad.stderr, bad.stderr


def test_cli_encrypt_by_alias(coffer, kms, new_key, unique, tmp_path):
    key = new_key()
    alias = f"alias/{unique('cli')}"
    coffer.aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", key["KeyId"])
    aliases = json.loads(coffer.aws("kms", "list-aliases", "--key-id", key["KeyId"], "--output", "json").stdout)
    assert [a["AliasName"] for a in aliases["Aliases"]] == [alias]
    pt = tmp_path / "pt.txt"
    pt.write_bytes(b"by alias")
    out = json.loads(coffer.aws("kms", "encrypt", "--key-id", alias, "--plaintext", f"fileb://{pt}",
                                "--output", "json").stdout)
    assert out["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=base64.b64decode(out["CiphertextBlob"]))["Plaintext"] == b"by alias"


def test_cli_generate_data_key(coffer, kms, new_key):
    key = new_key()
    out = json.loads(coffer.aws("kms", "generate-data-key", "--key-id", key["KeyId"], "--key-spec", "AES_256",
                                "--output", "json").stdout)
    assert out["KeyId"] == key["Arn"]
    plain = base64.b64decode(out["Plaintext"])
    assert len(plain) == 32
    assert kms.decrypt(CiphertextBlob=base64.b64decode(out["CiphertextBlob"]))["Plaintext"] == plain


def test_cli_generate_random(coffer):
    out = coffer.aws("kms", "generate-random", "--number-of-bytes", "24", "--output", "text",
                     "--query", "Plaintext").stdout.strip()
    assert len(base64.b64decode(out)) == 24


def test_cli_bad_secret_fails(coffer):
    res = coffer.aws("kms", "list-keys", check=False, secret_key="definitely-wrong")
    assert res.returncode != 0
    assert "InvalidSignatureException" in res.stderr, res.stderr


# ----------------------------------------------------------------- coffer subcommands

def test_coffer_version(coffer):
    res = coffer.coffer("version")
    text = (res.stdout + res.stderr).strip()
    assert text, "coffer version printed nothing"
    assert re.search(r"\d+\.\d+", text) or re.search(r"[0-9a-f]{7,}", text), text


def test_access_keys_list_shows_default_key(coffer):
    res = coffer.coffer("access-keys", "list", "--data-dir", str(coffer.data_dir))
    assert coffer.access_key in res.stdout
    assert coffer.secret_key not in res.stdout, "list must not print secrets"


def test_access_keys_create_is_usable_immediately(coffer, kms, new_key):
    existing = new_key()
    res = coffer.coffer("access-keys", "create", "--data-dir", str(coffer.data_dir))
    creds = parse_ini_lines(res.stdout)
    assert set(creds) == {"aws_access_key_id", "aws_secret_access_key"}, res.stdout
    ak, sk = creds["aws_access_key_id"], creds["aws_secret_access_key"]
    assert ak != coffer.access_key
    other = coffer.client(access_key=ak, secret_key=sk)
    md = other.create_key(Description="made with a new access key")["KeyMetadata"]
    blob = other.encrypt(KeyId=md["KeyId"], Plaintext=b"new creds")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"new creds"
    # same account: the new key sees keys made with the default credentials
    assert other.describe_key(KeyId=existing["KeyId"])["KeyMetadata"]["Arn"] == existing["Arn"]
    listed = coffer.coffer("access-keys", "list", "--data-dir", str(coffer.data_dir)).stdout
    assert ak in listed and coffer.access_key in listed
    # and the new secret is really checked
    wrong = coffer.client(access_key=ak, secret_key=sk + "x")
    with pytest.raises(ClientError) as ei:
        wrong.list_keys()
    assert ei.value.response["Error"]["Code"] == "InvalidSignatureException"


# ----------------------------------------------------------------- coffer serve

def _exports(stdout: str) -> dict:
    out = {}
    for m in re.finditer(r"\b(AWS_[A-Z_]+)=(\"[^\"]*\"|'[^']*'|\S+)", stdout):
        out[m.group(1)] = m.group(2).strip("\"'")
    return out


def test_serve_prints_endpoint_and_exports(server_factory):
    srv = server_factory.new(name="exports")
    srv.client().list_keys()
    assert srv.stop() == 0
    stdout = srv.stdout_path.read_text()
    ex = _exports(stdout)
    assert ex.get("AWS_ENDPOINT_URL") == srv.endpoint, stdout
    assert ex.get("AWS_ACCESS_KEY_ID") == srv.access_key, stdout
    assert ex.get("AWS_SECRET_ACCESS_KEY") == srv.secret_key, stdout
    assert ex.get("AWS_DEFAULT_REGION") == "us-east-1", stdout
    assert "AWS_CA_BUNDLE" in ex, stdout
    assert os.path.samefile(ex["AWS_CA_BUNDLE"], srv.ca), (ex["AWS_CA_BUNDLE"], srv.ca)
    assert re.search(r"^\s*export\s+AWS_ENDPOINT_URL=", stdout, re.M), stdout


def test_serve_with_env_vars(server_factory):
    srv = server_factory.new(name="envvars", via_env=True)
    assert (srv.data_dir / "credentials").exists()
    kms = srv.client()
    md = kms.create_key()["KeyMetadata"]
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


def test_data_dir_layout(coffer):
    d = coffer.data_dir
    for rel in ("tls/ca.pem", "credentials", "coffer.sqlite", "root.key"):
        assert (d / rel).is_file(), rel
    assert "BEGIN CERTIFICATE" in (d / "tls" / "ca.pem").read_text()
