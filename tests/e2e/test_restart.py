"""State survives a SIGTERM + restart on the same data dir and port."""

import stat
import time

import pytest
from botocore.exceptions import ClientError


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_restart_keeps_everything(server_factory, unique):
    srv = server_factory.new(name="restart")
    d = srv.data_dir
    kms = srv.client()

    key = kms.create_key(Description="survives restart",
                         Tags=[{"TagKey": "persist", "TagValue": "yes"}])["KeyMetadata"]
    other = kms.create_key(Description="disabled before restart")["KeyMetadata"]
    kms.disable_key(KeyId=other["KeyId"])
    alias = f"alias/{unique('restart')}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    blob = kms.encrypt(KeyId=alias, Plaintext=b"persisted secret",
                       EncryptionContext={"ctx": "restart"})["CiphertextBlob"]
    dk = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")

    creds_before = (d / "credentials").read_bytes()
    ca_before = (d / "tls" / "ca.pem").read_bytes()
    ak_before, sk_before = srv.access_key, srv.secret_key
    port_before = srv.port

    assert srv.stop() == 0, srv.logs()
    assert not srv.running

    srv.start()  # same data dir, same port
    assert srv.port == port_before
    assert (d / "credentials").read_bytes() == creds_before, "credentials file changed on restart"
    assert (srv.access_key, srv.secret_key) == (ak_before, sk_before)
    assert (d / "tls" / "ca.pem").read_bytes() == ca_before, "CA changed on restart: AWS_CA_BUNDLE users would break"

    kms = srv.client()
    dec = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"ctx": "restart"})
    assert dec["Plaintext"] == b"persisted secret"
    assert dec["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=dk["CiphertextBlob"])["Plaintext"] == dk["Plaintext"]

    listed = {k["KeyId"] for k in kms.list_keys(Limit=1000)["Keys"]}
    assert {key["KeyId"], other["KeyId"]} <= listed

    md = kms.describe_key(KeyId=alias)["KeyMetadata"]
    assert md["KeyId"] == key["KeyId"]
    assert md["Arn"] == key["Arn"]
    assert md["Description"] == "survives restart"
    assert md["CreationDate"] == key["CreationDate"]
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key["KeyId"])["Tags"]}
    assert tags == {"persist": "yes"}

    assert kms.describe_key(KeyId=other["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId=other["KeyId"], Plaintext=b"x")
    assert ei.value.response["Error"]["Code"] == "DisabledException"

    # and it still does new work after the restart
    blob2 = kms.encrypt(KeyId=alias, Plaintext=b"after restart")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob2)["Plaintext"] == b"after restart"

    assert srv.stop() == 0, srv.logs()


def test_secret_files_are_private(server_factory):
    srv = server_factory.new(name="perms")
    d = srv.data_dir
    assert mode(d / "credentials") == 0o600, oct(mode(d / "credentials"))
    assert mode(d / "root.key") == 0o600, oct(mode(d / "root.key"))
    assert srv.stop() == 0
    srv.start()
    assert mode(d / "credentials") == 0o600, oct(mode(d / "credentials"))
    assert mode(d / "root.key") == 0o600, oct(mode(d / "root.key"))


def test_sigterm_exits_zero_promptly(server_factory):
    srv = server_factory.new(name="sigterm")
    srv.client().generate_random(NumberOfBytes=8)
    t0 = time.monotonic()
    assert srv.stop(timeout=15) == 0
    assert time.monotonic() - t0 < 15
