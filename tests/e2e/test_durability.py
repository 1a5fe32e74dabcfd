"""Acknowledged writes survive kill -9; the root key is checked and can come from elsewhere."""

import base64
import os
import subprocess

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from conftest import coffer_bin, error_code, free_port


def test_acknowledged_writes_survive_kill_9(server_factory, unique):
    srv = server_factory.new(name="kill9")
    kms = srv.client()
    key = kms.create_key(Description="acknowledged before the crash")["KeyMetadata"]
    alias = f"alias/{unique('kill9')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    kms.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "k", "TagValue": "v"}])
    blob = kms.encrypt(KeyId=alias, Plaintext=b"still here", EncryptionContext={"c": "1"})["CiphertextBlob"]
    kms.disable_key(KeyId=key["KeyId"])

    srv.kill()  # SIGKILL: no shutdown path runs
    srv.start()
    kms = srv.client()
    described = kms.describe_key(KeyId=alias)["KeyMetadata"]
    assert described["KeyId"] == key["KeyId"]
    assert described["KeyState"] == "Disabled"
    assert kms.list_resource_tags(KeyId=key["KeyId"])["Tags"] == [{"TagKey": "k", "TagValue": "v"}]
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"c": "1"})["Plaintext"] == b"still here"


def write_key_file(path, mode=0o600):
    path.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    os.chmod(path, mode)
    return path


def run_serve(data_dir, *args, timeout=60):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COFFER_"))}
    return subprocess.run(
        [str(coffer_bin()), "serve", "--data-dir", str(data_dir), "--port", str(free_port()), *args],
        capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL,
    )


def test_wrong_root_key_refuses_to_start(server_factory, tmp_path):
    srv = server_factory.new(name="rootkey")
    srv.client().create_key(Description="made under the original root key")
    assert srv.stop() == 0
    other = write_key_file(tmp_path / "other.key")
    result = run_serve(srv.data_dir, "--root-key-file", str(other))
    assert result.returncode != 0
    assert "root key does not match" in result.stderr
    # The original key still works.
    srv.start()
    assert srv.client().list_keys()["Keys"]


def test_root_key_from_a_file_outside_the_data_directory(server_factory, tmp_path):
    key_file = write_key_file(tmp_path / "root.key")
    srv = server_factory.new(name="keyfile", extra_args=["--root-key-file", str(key_file)])
    kms = srv.client()
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    blob = kms.encrypt(KeyId=key_id, Plaintext=b"x")["CiphertextBlob"]
    assert not (srv.data_dir / "root.key").exists(), "the root key was copied into the data directory"
    assert srv.stop() == 0
    srv.start()
    assert srv.client().decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_group_readable_root_key_file_is_refused(tmp_path):
    key_file = write_key_file(tmp_path / "loose.key", mode=0o644)
    result = run_serve(tmp_path / "data", "--root-key-file", str(key_file))
    assert result.returncode != 0
    assert "chmod 600" in result.stderr


def test_session_tokens_are_not_accepted_yet(coffer):
    session_kms = boto3.client(
        "kms", endpoint_url=coffer.endpoint, verify=coffer.ca, region_name="us-east-1",
        aws_access_key_id=coffer.access_key, aws_secret_access_key=coffer.secret_key,
        aws_session_token="not-a-real-session-token",
    )
    with pytest.raises(ClientError) as info:
        session_kms.list_keys()
    assert error_code(info.value) == "UnrecognizedClientException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_health_needs_no_credentials(coffer):
    response = requests.get(coffer.endpoint + "/health", verify=coffer.ca, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_reset_is_not_available_outside_test_mode(coffer):
    response = requests.post(coffer.endpoint + "/moto-api/reset", verify=coffer.ca, timeout=10)
    assert response.status_code == 400
    assert response.json()["__type"] == "MissingAuthenticationTokenException"
