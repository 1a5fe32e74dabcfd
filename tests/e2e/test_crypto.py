"""Encrypt, Decrypt, ReEncrypt, GenerateDataKey(WithoutPlaintext), GenerateRandom."""

import os

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


@pytest.fixture
def key(new_key):
    return new_key()


def alias_arn_of(key_arn: str, alias: str) -> str:
    return key_arn.split(":key/")[0] + ":" + alias


# ----------------------------------------------------------------- Encrypt/Decrypt

def test_encrypt_decrypt_round_trip(kms, key):
    pt = b"hello coffer"
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=pt)
    assert enc["KeyId"] == key["Arn"], "Encrypt returns the key ARN"
    assert enc["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    blob = enc["CiphertextBlob"]
    assert isinstance(blob, bytes) and len(blob) > len(pt)
    assert pt not in blob
    dec = kms.decrypt(CiphertextBlob=blob, KeyId=key["KeyId"])
    assert dec["Plaintext"] == pt
    assert dec["KeyId"] == key["Arn"]
    assert dec["EncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"


def test_decrypt_without_key_id(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"no key id needed")["CiphertextBlob"]
    dec = kms.decrypt(CiphertextBlob=blob)
    assert dec["Plaintext"] == b"no key id needed"
    assert dec["KeyId"] == key["Arn"]


def test_decrypt_with_every_key_identifier(kms, key, unique):
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    for ident in (key["KeyId"], key["Arn"], alias, alias_arn_of(key["Arn"], alias)):
        assert kms.decrypt(CiphertextBlob=blob, KeyId=ident)["Plaintext"] == b"x", ident


def test_encrypt_by_key_arn_alias_name_and_alias_arn(kms, key, unique):
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    for i, ident in enumerate((key["Arn"], alias, alias_arn_of(key["Arn"], alias))):
        pt = f"via {i}".encode()
        enc = kms.encrypt(KeyId=ident, Plaintext=pt)
        assert enc["KeyId"] == key["Arn"], ident
        assert kms.decrypt(CiphertextBlob=enc["CiphertextBlob"])["Plaintext"] == pt


def test_ciphertext_differs_each_time(kms, key):
    blobs = {kms.encrypt(KeyId=key["KeyId"], Plaintext=b"same")["CiphertextBlob"] for _ in range(4)}
    assert len(blobs) == 4
    for b in blobs:
        assert kms.decrypt(CiphertextBlob=b)["Plaintext"] == b"same"


@pytest.mark.parametrize("size", [1, 15, 16, 17, 1000, 4096])
def test_round_trip_sizes(kms, key, size):
    pt = os.urandom(size)
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=pt)["CiphertextBlob"]
    assert len(blob) <= 6144
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == pt


def test_all_byte_values(kms, key):
    pt = bytes(range(256)) * 4
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=pt)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == pt


def test_blob_from_one_key_does_not_decrypt_as_another(kms, new_key):
    a, b = new_key(), new_key()
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"for a")["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob, KeyId=b["KeyId"])
    assert error_code(ei.value) == "IncorrectKeyException"


def test_plaintext_too_large(kms_raw, key):
    with pytest.raises(ClientError) as ei:
        kms_raw.encrypt(KeyId=key["KeyId"], Plaintext=b"a" * 4097)
    assert error_code(ei.value) == "ValidationException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_plaintext_empty(kms_raw, key):
    with pytest.raises(ClientError) as ei:
        kms_raw.encrypt(KeyId=key["KeyId"], Plaintext=b"")
    assert error_code(ei.value) == "ValidationException"


def test_encrypt_unknown_key(kms):
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId="11111111-2222-3333-4444-555555555555", Plaintext=b"x")
    assert error_code(ei.value) == "NotFoundException"


def test_encrypt_unknown_alias(kms):
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId="alias/e2e-never-created", Plaintext=b"x")
    assert error_code(ei.value) == "NotFoundException"


# ----------------------------------------------------------------- disabled keys

def test_disabled_key_refuses_crypto_and_reenable_works(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"before")["CiphertextBlob"]
    kms.disable_key(KeyId=key["KeyId"])
    calls = {
        "encrypt": lambda: kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x"),
        "decrypt": lambda: kms.decrypt(CiphertextBlob=blob),
        "generate_data_key": lambda: kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256"),
        "generate_data_key_without_plaintext":
            lambda: kms.generate_data_key_without_plaintext(KeyId=key["KeyId"], KeySpec="AES_256"),
    }
    for name, call in calls.items():
        with pytest.raises(ClientError) as ei:
            call()
        assert error_code(ei.value) == "DisabledException", name
    kms.enable_key(KeyId=key["KeyId"])
    assert kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"before"
    blob2 = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"after")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob2)["Plaintext"] == b"after"


# ----------------------------------------------------------------- encryption context

def test_encryption_context_round_trip(kms, key):
    ctx = {"purpose": "test", "tenant": "ünïcødé ✓", "with space": "a=b&c"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"ctx", EncryptionContext=ctx)["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=ctx)["Plaintext"] == b"ctx"


def test_encryption_context_order_does_not_matter(kms, key):
    ctx = {"a": "1", "b": "2", "c": "3"}
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"ord", EncryptionContext=ctx)["CiphertextBlob"]
    reordered = {"c": "3", "a": "1", "b": "2"}
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=reordered)["Plaintext"] == b"ord"


@pytest.mark.parametrize("wrong", [
    None,                                   # context omitted
    {},                                     # empty
    {"purpose": "other"},                   # wrong value
    {"Purpose": "test"},                    # keys are case-sensitive
    {"purpose": "test", "extra": "1"},      # superset
])
def test_wrong_encryption_context_fails(kms, key, wrong):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"ctx", EncryptionContext={"purpose": "test"})["CiphertextBlob"]
    kw = {} if wrong is None else {"EncryptionContext": wrong}
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob, **kw)
    assert error_code(ei.value) == "InvalidCiphertextException"


def test_context_given_on_decrypt_but_not_encrypt_fails(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"plain")["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=blob, EncryptionContext={"a": "b"})
    assert error_code(ei.value) == "InvalidCiphertextException"


@pytest.mark.parametrize("ctx_a,ctx_b", [
    ({"ab": "c"}, {"a": "bc"}),
    ({"a": "b", "c": "d"}, {"a": "bcd"}),
    ({"a": "b", "c": "d"}, {"ab": "cd"}),
    ({"a=b": "c"}, {"a": "b=c"}),
    ({"a": "b", "bc": "d"}, {"ab": "b", "c": "d"}),
    ({"a": "b,c=d"}, {"a": "b", "c": "d"}),
])
def test_encryption_context_no_canonicalisation_collisions(kms, key, ctx_a, ctx_b):
    for enc_ctx, dec_ctx in ((ctx_a, ctx_b), (ctx_b, ctx_a)):
        blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"c", EncryptionContext=enc_ctx)["CiphertextBlob"]
        with pytest.raises(ClientError) as ei:
            kms.decrypt(CiphertextBlob=blob, EncryptionContext=dec_ctx)
        assert error_code(ei.value) == "InvalidCiphertextException", (enc_ctx, dec_ctx)
        assert kms.decrypt(CiphertextBlob=blob, EncryptionContext=enc_ctx)["Plaintext"] == b"c"


# ----------------------------------------------------------------- tampering

def test_tampered_blob_every_byte(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"do not touch", EncryptionContext={"k": "v"})["CiphertextBlob"]
    bad = []
    for i in range(len(blob)):
        t = bytearray(blob)
        t[i] ^= 0x01 if i % 2 else 0x80
        try:
            kms.decrypt(CiphertextBlob=bytes(t), EncryptionContext={"k": "v"})
            bad.append((i, "decrypted"))
        except ClientError as e:
            if error_code(e) != "InvalidCiphertextException":
                bad.append((i, error_code(e)))
    assert not bad, f"flipping these byte positions of a {len(blob)}-byte blob did not give InvalidCiphertextException: {bad}"
    # the original still works
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"k": "v"})["Plaintext"] == b"do not touch"


@pytest.mark.parametrize("how", ["truncate1", "truncate_half", "extend", "garbage", "single_byte"])
def test_malformed_blob(kms, key, how):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"abc")["CiphertextBlob"]
    bad = {
        "truncate1": blob[:-1],
        "truncate_half": blob[: len(blob) // 2],
        "extend": blob + b"\x00",
        "garbage": os.urandom(len(blob)),
        "single_byte": b"\x01",
    }[how]
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=bad)
    assert error_code(ei.value) == "InvalidCiphertextException"


def test_empty_ciphertext_blob(kms_raw):
    with pytest.raises(ClientError) as ei:
        kms_raw.decrypt(CiphertextBlob=b"")
    assert error_code(ei.value) == "ValidationException"


# ----------------------------------------------------------------- ReEncrypt

def test_reencrypt_to_another_key(kms, new_key):
    a, b = new_key(), new_key()
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"move me")["CiphertextBlob"]
    re_ = kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b["KeyId"])
    assert re_["KeyId"] == b["Arn"]
    assert re_["SourceKeyId"] == a["Arn"]
    assert re_["SourceEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    assert re_["DestinationEncryptionAlgorithm"] == "SYMMETRIC_DEFAULT"
    new_blob = re_["CiphertextBlob"]
    assert new_blob != blob
    dec = kms.decrypt(CiphertextBlob=new_blob)
    assert dec["Plaintext"] == b"move me"
    assert dec["KeyId"] == b["Arn"]
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=new_blob, KeyId=a["KeyId"])
    assert error_code(ei.value) == "IncorrectKeyException"


def test_reencrypt_same_key_new_context(kms, key):
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"ctx move", EncryptionContext={"v": "1"})["CiphertextBlob"]
    out = kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"v": "1"},
                         DestinationKeyId=key["Arn"], DestinationEncryptionContext={"v": "2"})
    assert out["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"v": "2"})["Plaintext"] == b"ctx move"
    with pytest.raises(ClientError) as ei:
        kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"v": "1"})
    assert error_code(ei.value) == "InvalidCiphertextException"


def test_reencrypt_wrong_source_context(kms, new_key):
    a, b = new_key(), new_key()
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"x", EncryptionContext={"v": "1"})["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        kms.re_encrypt(CiphertextBlob=blob, SourceEncryptionContext={"v": "2"}, DestinationKeyId=b["KeyId"])
    assert error_code(ei.value) == "InvalidCiphertextException"


def test_reencrypt_with_source_key_id_and_alias_destination(kms, new_key, unique):
    a, b = new_key(), new_key()
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=b["KeyId"])
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"y")["CiphertextBlob"]
    out = kms.re_encrypt(CiphertextBlob=blob, SourceKeyId=a["Arn"], DestinationKeyId=alias)
    assert out["KeyId"] == b["Arn"]
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"], KeyId=b["KeyId"])["Plaintext"] == b"y"


def test_reencrypt_wrong_source_key_id(kms, new_key):
    a, b, c = new_key(), new_key(), new_key()
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"z")["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        kms.re_encrypt(CiphertextBlob=blob, SourceKeyId=c["KeyId"], DestinationKeyId=b["KeyId"])
    assert error_code(ei.value) == "IncorrectKeyException"


def test_reencrypt_to_disabled_or_unknown_destination(kms, new_key):
    a, b = new_key(), new_key()
    blob = kms.encrypt(KeyId=a["KeyId"], Plaintext=b"z")["CiphertextBlob"]
    kms.disable_key(KeyId=b["KeyId"])
    with pytest.raises(ClientError) as ei:
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=b["KeyId"])
    assert error_code(ei.value) == "DisabledException"
    with pytest.raises(ClientError) as ei:
        kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId="alias/e2e-nope-never")
    assert error_code(ei.value) == "NotFoundException"


def test_reencrypt_tampered_source(kms, new_key):
    a, b = new_key(), new_key()
    blob = bytearray(kms.encrypt(KeyId=a["KeyId"], Plaintext=b"z")["CiphertextBlob"])
    blob[-1] ^= 0xFF
    with pytest.raises(ClientError) as ei:
        kms.re_encrypt(CiphertextBlob=bytes(blob), DestinationKeyId=b["KeyId"])
    assert error_code(ei.value) == "InvalidCiphertextException"


# ----------------------------------------------------------------- GenerateDataKey

@pytest.mark.parametrize("kw,length", [
    ({"KeySpec": "AES_256"}, 32),
    ({"KeySpec": "AES_128"}, 16),
    ({"NumberOfBytes": 1}, 1),
    ({"NumberOfBytes": 64}, 64),
    ({"NumberOfBytes": 1024}, 1024),
])
def test_generate_data_key(kms, key, kw, length):
    ctx = {"dk": "1"}
    out = kms.generate_data_key(KeyId=key["KeyId"], EncryptionContext=ctx, **kw)
    assert out["KeyId"] == key["Arn"]
    assert len(out["Plaintext"]) == length
    dec = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext=ctx)
    assert dec["Plaintext"] == out["Plaintext"]
    assert dec["KeyId"] == key["Arn"]


def test_generate_data_key_is_random(kms, key):
    a = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")["Plaintext"]
    b = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")["Plaintext"]
    assert a != b
    assert a != bytes(32)


def test_generate_data_key_by_alias(kms, key, unique):
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    out = kms.generate_data_key(KeyId=alias, KeySpec="AES_256")
    assert out["KeyId"] == key["Arn"]
    assert kms.decrypt(CiphertextBlob=out["CiphertextBlob"])["Plaintext"] == out["Plaintext"]


@pytest.mark.parametrize("kw", [
    {},                                             # neither KeySpec nor NumberOfBytes
    {"KeySpec": "AES_256", "NumberOfBytes": 32},    # both
    {"NumberOfBytes": 0},
    {"NumberOfBytes": 1025},
    {"KeySpec": "AES_512"},
])
def test_generate_data_key_invalid(kms_raw, key, kw):
    with pytest.raises(ClientError) as ei:
        kms_raw.generate_data_key(KeyId=key["KeyId"], **kw)
    assert error_code(ei.value) == "ValidationException"


def test_generate_data_key_unknown_key(kms):
    with pytest.raises(ClientError) as ei:
        kms.generate_data_key(KeyId="alias/e2e-nope-never", KeySpec="AES_256")
    assert error_code(ei.value) == "NotFoundException"


@pytest.mark.parametrize("kw,length", [({"KeySpec": "AES_256"}, 32), ({"KeySpec": "AES_128"}, 16),
                                       ({"NumberOfBytes": 7}, 7)])
def test_generate_data_key_without_plaintext(kms, key, kw, length):
    out = kms.generate_data_key_without_plaintext(KeyId=key["KeyId"], EncryptionContext={"w": "p"}, **kw)
    assert "Plaintext" not in out
    assert out["KeyId"] == key["Arn"]
    dec = kms.decrypt(CiphertextBlob=out["CiphertextBlob"], EncryptionContext={"w": "p"})
    assert len(dec["Plaintext"]) == length


def test_generate_data_key_without_plaintext_invalid(kms_raw, key):
    with pytest.raises(ClientError) as ei:
        kms_raw.generate_data_key_without_plaintext(KeyId=key["KeyId"], NumberOfBytes=1025)
    assert error_code(ei.value) == "ValidationException"


# ----------------------------------------------------------------- GenerateRandom

@pytest.mark.parametrize("n", [1, 16, 32, 1024])
def test_generate_random_lengths(kms, n):
    assert len(kms.generate_random(NumberOfBytes=n)["Plaintext"]) == n


def test_generate_random_differs(kms):
    a = kms.generate_random(NumberOfBytes=32)["Plaintext"]
    b = kms.generate_random(NumberOfBytes=32)["Plaintext"]
    assert a != b
    assert a != bytes(32)


@pytest.mark.parametrize("n", [0, 1025])
def test_generate_random_out_of_range(kms_raw, n):
    with pytest.raises(ClientError) as ei:
        kms_raw.generate_random(NumberOfBytes=n)
    assert error_code(ei.value) == "ValidationException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# ----------------------------------------------------------------- concurrency

def test_concurrent_encrypt_decrypt(coffer, key):
    """A bounded burst of parallel requests, each with its own client/connection."""
    from concurrent.futures import ThreadPoolExecutor

    def worker(n):
        client = coffer.client()
        for i in range(8):
            pt = f"worker {n} msg {i}".encode()
            blob = client.encrypt(KeyId=key["KeyId"], Plaintext=pt)["CiphertextBlob"]
            assert client.decrypt(CiphertextBlob=blob)["Plaintext"] == pt
        return n

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(worker, range(6))) == list(range(6))
