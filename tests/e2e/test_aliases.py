"""CreateAlias, UpdateAlias, DeleteAlias, ListAliases."""

import datetime as dt
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def all_aliases(kms, **kw):
    out, marker = [], None
    while True:
        args = dict(kw)
        if marker:
            args["Marker"] = marker
        page = kms.list_aliases(**args)
        out += page["Aliases"]
        if not page.get("Truncated"):
            return out
        marker = page["NextMarker"]


def find_alias(kms, name):
    hits = [a for a in all_aliases(kms) if a["AliasName"] == name]
    assert len(hits) <= 1, hits
    return hits[0] if hits else None


def test_create_alias_and_list(kms, new_key, account_id, unique):
    md = new_key()
    name = f"alias/{unique()}"
    assert kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])["ResponseMetadata"]["HTTPStatusCode"] == 200
    entry = find_alias(kms, name)
    assert entry is not None
    assert entry["AliasArn"] == f"arn:aws:kms:us-east-1:{account_id}:{name}"
    assert entry["TargetKeyId"] == md["KeyId"], "TargetKeyId is the key id, not the ARN"
    if "CreationDate" in entry:
        assert isinstance(entry["CreationDate"], dt.datetime)


def test_create_alias_target_by_arn(kms, new_key, unique):
    md = new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=md["Arn"])
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == md["KeyId"]
    assert find_alias(kms, name)["TargetKeyId"] == md["KeyId"]


def test_list_aliases_key_id_filter(kms, new_key, unique):
    a, b = new_key(), new_key()
    a_names = {f"alias/{unique('a')}" for _ in range(2)}
    b_name = f"alias/{unique('b')}"
    for n in a_names:
        kms.create_alias(AliasName=n, TargetKeyId=a["KeyId"])
    kms.create_alias(AliasName=b_name, TargetKeyId=b["KeyId"])
    for ident in (a["KeyId"], a["Arn"]):
        listed = kms.list_aliases(KeyId=ident)["Aliases"]
        assert {x["AliasName"] for x in listed} == a_names, ident
        assert all(x["TargetKeyId"] == a["KeyId"] for x in listed)
    assert [x["AliasName"] for x in kms.list_aliases(KeyId=b["KeyId"])["Aliases"]] == [b_name]
    fresh = new_key()
    assert kms.list_aliases(KeyId=fresh["KeyId"])["Aliases"] == []


def test_list_aliases_unknown_key_filter(kms):
    with pytest.raises(ClientError) as ei:
        kms.list_aliases(KeyId=str(uuid.uuid4()))
    assert error_code(ei.value) == "NotFoundException"


def test_list_aliases_pagination(kms, new_key, unique):
    md = new_key()
    names = {f"alias/{unique('pg')}" for _ in range(3)}
    for n in names:
        kms.create_alias(AliasName=n, TargetKeyId=md["KeyId"])
    everything = [a["AliasName"] for a in all_aliases(kms)]
    paged = [a["AliasName"] for a in all_aliases(kms, Limit=1)]
    assert len(paged) == len(set(paged)), "an alias was listed twice"
    assert set(paged) == set(everything)
    assert names <= set(paged)
    first = kms.list_aliases(Limit=1)
    assert len(first["Aliases"]) == 1
    assert first["Truncated"] is True and first["NextMarker"]


def test_update_alias_retargets(kms, new_key, unique):
    a, b = new_key(), new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=a["KeyId"])
    old_blob = kms.encrypt(KeyId=name, Plaintext=b"old")["CiphertextBlob"]
    kms.update_alias(AliasName=name, TargetKeyId=b["KeyId"])
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == b["KeyId"]
    assert find_alias(kms, name)["TargetKeyId"] == b["KeyId"]
    enc = kms.encrypt(KeyId=name, Plaintext=b"new")
    assert enc["KeyId"] == b["Arn"]
    # A blob is bound to the key, not to the alias.
    dec = kms.decrypt(CiphertextBlob=old_blob)
    assert dec["Plaintext"] == b"old" and dec["KeyId"] == a["Arn"]
    assert kms.list_aliases(KeyId=a["KeyId"])["Aliases"] == []
    assert [x["AliasName"] for x in kms.list_aliases(KeyId=b["KeyId"])["Aliases"]] == [name]


def test_update_alias_by_target_arn(kms, new_key, unique):
    a, b = new_key(), new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=a["KeyId"])
    kms.update_alias(AliasName=name, TargetKeyId=b["Arn"])
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == b["KeyId"]


def test_update_missing_alias(kms, new_key, unique):
    md = new_key()
    with pytest.raises(ClientError) as ei:
        kms.update_alias(AliasName=f"alias/{unique('missing')}", TargetKeyId=md["KeyId"])
    assert error_code(ei.value) == "NotFoundException"


def test_update_alias_to_unknown_key(kms, new_key, unique):
    md = new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])
    with pytest.raises(ClientError) as ei:
        kms.update_alias(AliasName=name, TargetKeyId=str(uuid.uuid4()))
    assert error_code(ei.value) == "NotFoundException"
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == md["KeyId"]


def test_delete_alias(kms, new_key, unique):
    md = new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])
    kms.delete_alias(AliasName=name)
    assert find_alias(kms, name) is None
    with pytest.raises(ClientError) as ei:
        kms.describe_key(KeyId=name)
    assert error_code(ei.value) == "NotFoundException"
    with pytest.raises(ClientError) as ei:
        kms.encrypt(KeyId=name, Plaintext=b"x")
    assert error_code(ei.value) == "NotFoundException"
    with pytest.raises(ClientError) as ei:
        kms.delete_alias(AliasName=name)
    assert error_code(ei.value) == "NotFoundException"
    # The key itself is untouched, and the name can be reused.
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"
    kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == md["KeyId"]


def test_create_existing_alias(kms, new_key, unique):
    a, b = new_key(), new_key()
    name = f"alias/{unique()}"
    kms.create_alias(AliasName=name, TargetKeyId=a["KeyId"])
    with pytest.raises(ClientError) as ei:
        kms.create_alias(AliasName=name, TargetKeyId=b["KeyId"])
    assert error_code(ei.value) == "AlreadyExistsException"
    assert kms.describe_key(KeyId=name)["KeyMetadata"]["KeyId"] == a["KeyId"]


def test_alias_name_without_prefix(kms, new_key, unique):
    md = new_key()
    name = unique("noprefix")
    with pytest.raises(ClientError) as ei:
        kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])
    # AWS answers ValidationException "Invalid identifier".
    assert error_code(ei.value) == "ValidationException"
    assert ei.value.response["Error"]["Message"] == "Invalid identifier"
    assert kms.list_aliases(KeyId=md["KeyId"])["Aliases"] == []


def test_reserved_aws_alias_prefix(kms, new_key, unique):
    md = new_key()
    name = f"alias/aws/{unique()}"
    with pytest.raises(ClientError) as ei:
        kms.create_alias(AliasName=name, TargetKeyId=md["KeyId"])
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # AWS refuses the reserved prefix with NotAuthorizedException.
    assert error_code(ei.value) == "NotAuthorizedException"
    assert kms.list_aliases(KeyId=md["KeyId"])["Aliases"] == []


def test_alias_name_bad_characters(kms_raw, new_key):
    md = new_key()
    with pytest.raises(ClientError) as ei:
        kms_raw.create_alias(AliasName="alias/has space", TargetKeyId=md["KeyId"])
    assert error_code(ei.value) in {"ValidationException", "InvalidAliasNameException"}


def test_create_alias_unknown_target(kms, unique):
    with pytest.raises(ClientError) as ei:
        kms.create_alias(AliasName=f"alias/{unique()}", TargetKeyId=str(uuid.uuid4()))
    assert error_code(ei.value) == "NotFoundException"


def test_delete_alias_leaves_other_aliases(kms, new_key, unique):
    md = new_key()
    keep, drop = f"alias/{unique('keep')}", f"alias/{unique('drop')}"
    kms.create_alias(AliasName=keep, TargetKeyId=md["KeyId"])
    kms.create_alias(AliasName=drop, TargetKeyId=md["KeyId"])
    kms.delete_alias(AliasName=drop)
    assert [a["AliasName"] for a in kms.list_aliases(KeyId=md["KeyId"])["Aliases"]] == [keep]
