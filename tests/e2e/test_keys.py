"""CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, UpdateKeyDescription."""

import datetime as dt
import re
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import error_code

UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
KEY_ARN_RE = re.compile(rf"^arn:aws:kms:us-east-1:(\d{{12}}):key/({UUID_RE})$")


def test_create_key_core_metadata(kms):
    md = kms.create_key()["KeyMetadata"]
    assert re.fullmatch(UUID_RE, md["KeyId"]), md["KeyId"]
    m = KEY_ARN_RE.match(md["Arn"])
    assert m, md["Arn"]
    assert m.group(2) == md["KeyId"]
    assert re.fullmatch(r"\d{12}", md["AWSAccountId"])
    assert m.group(1) == md["AWSAccountId"]
    assert md["Enabled"] is True
    assert md["KeyState"] == "Enabled"
    assert md["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert md["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert md["EncryptionAlgorithms"] == ["SYMMETRIC_DEFAULT"]


def test_create_key_aws_default_fields(kms):
    """Fields real AWS KMS always returns for a default customer key."""
    before = dt.datetime.now(dt.timezone.utc)
    md = kms.create_key()["KeyMetadata"]
    assert md["CustomerMasterKeySpec"] == "SYMMETRIC_DEFAULT"
    assert md["KeyManager"] == "CUSTOMER"
    assert md["Origin"] == "AWS_KMS"
    assert md["Description"] == ""
    assert md.get("MultiRegion") is False
    created = md["CreationDate"]
    assert isinstance(created, dt.datetime)
    assert abs((created - before).total_seconds()) < 300, (created, before)


def test_create_key_ids_are_unique(kms):
    ids = {kms.create_key()["KeyMetadata"]["KeyId"] for _ in range(3)}
    assert len(ids) == 3


def test_create_key_explicit_symmetric_spec_and_usage(kms):
    md = kms.create_key(KeyUsage="ENCRYPT_DECRYPT", KeySpec="SYMMETRIC_DEFAULT", Description="explicit")["KeyMetadata"]
    assert md["KeySpec"] == "SYMMETRIC_DEFAULT"
    assert md["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert md["Description"] == "explicit"


def test_create_key_with_description_and_tags(kms):
    md = kms.create_key(
        Description="with tags",
        Tags=[{"TagKey": "team", "TagValue": "core"}, {"TagKey": "env", "TagValue": ""}],
    )["KeyMetadata"]
    got = kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]
    assert got["Description"] == "with tags"
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=md["KeyId"])["Tags"]}
    assert tags == {"team": "core", "env": ""}


def test_create_key_unsupported_spec_is_not_silently_symmetric(kms):
    """Asymmetric keys are not implemented yet: either a 4xx AWS error, or (once
    implemented) a key that really has the asked-for spec. Never a symmetric key
    labelled otherwise, never a 500."""
    try:
        md = kms.create_key(KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]
    except ClientError as e:
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response
        assert error_code(e) != "InternalFailure"
        return
    assert md["KeySpec"] == "RSA_2048"
    assert "SYMMETRIC_DEFAULT" not in md["EncryptionAlgorithms"]


def test_create_key_symmetric_with_sign_verify_rejected(kms):
    with pytest.raises(ClientError) as ei:
        kms.create_key(KeySpec="SYMMETRIC_DEFAULT", KeyUsage="SIGN_VERIFY")
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error_code(ei.value) in {"ValidationException", "UnsupportedOperationException"}


def test_create_key_bogus_key_usage_is_validation_error(kms_raw):
    with pytest.raises(ClientError) as ei:
        kms_raw.create_key(KeyUsage="BOGUS")
    assert error_code(ei.value) == "ValidationException"


def test_create_key_description_too_long(kms_raw):
    with pytest.raises(ClientError) as ei:
        kms_raw.create_key(Description="x" * 8193)
    assert error_code(ei.value) == "ValidationException"


def test_describe_key_by_every_identifier(kms, new_key, unique):
    md = new_key()
    alias = f"alias/{unique()}"
    kms.create_alias(AliasName=alias, TargetKeyId=md["KeyId"])
    alias_arn = md["Arn"].split(":key/")[0] + ":" + alias
    for ident in (md["KeyId"], md["Arn"], alias, alias_arn):
        got = kms.describe_key(KeyId=ident)["KeyMetadata"]
        assert got["KeyId"] == md["KeyId"], ident
        assert got["Arn"] == md["Arn"], ident


def test_describe_key_returns_same_metadata_as_create(kms, new_key):
    md = new_key(Description="same")
    got = kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]
    for field in ("KeyId", "Arn", "AWSAccountId", "Enabled", "KeyState", "KeyUsage", "KeySpec",
                  "EncryptionAlgorithms", "Description", "CreationDate"):
        assert got[field] == md[field], field


def test_describe_unknown_key_is_not_found(kms, account_id):
    kid = str(uuid.uuid4())
    for ident in (kid, f"arn:aws:kms:us-east-1:{account_id}:key/{kid}", "alias/does-not-exist-e2e",
                  f"arn:aws:kms:us-east-1:{account_id}:alias/does-not-exist-e2e"):
        with pytest.raises(ClientError) as ei:
            kms.describe_key(KeyId=ident)
        assert error_code(ei.value) == "NotFoundException", ident
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_list_keys_contains_created_keys(kms, new_key):
    made = {new_key()["KeyId"]: None for _ in range(2)}
    entries = []
    marker = None
    while True:
        kw = {"Marker": marker} if marker else {}
        page = kms.list_keys(**kw)
        entries += page["Keys"]
        if not page.get("Truncated"):
            break
        marker = page["NextMarker"]
    by_id = {e["KeyId"]: e["KeyArn"] for e in entries}
    for kid in made:
        assert kid in by_id
        assert by_id[kid] == kms.describe_key(KeyId=kid)["KeyMetadata"]["Arn"]


def _all_keys_paged(kms, limit):
    seen, pages = [], 0
    marker = None
    while True:
        kw = {"Limit": limit}
        if marker:
            kw["Marker"] = marker
        page = kms.list_keys(**kw)
        pages += 1
        assert len(page["Keys"]) <= limit
        if page["Truncated"]:
            assert page.get("NextMarker"), page
            assert len(page["Keys"]) >= 1, "a truncated page must make progress"
            assert page["NextMarker"] != marker
            marker = page["NextMarker"]
        else:
            assert "NextMarker" not in page or not page["NextMarker"], page
        seen += [k["KeyId"] for k in page["Keys"]]
        if not page["Truncated"]:
            return seen, pages
        assert pages < 10000, "pagination does not terminate"


@pytest.mark.parametrize("limit", [1, 2])
def test_list_keys_pagination_visits_every_key_once(kms, new_key, limit):
    for _ in range(3):
        new_key()
    full = kms.list_keys(Limit=1000)
    assert full["Truncated"] is False
    everything = [k["KeyId"] for k in full["Keys"]]
    assert len(everything) >= 3
    seen, pages = _all_keys_paged(kms, limit)
    assert len(seen) == len(set(seen)), "a key was listed twice"
    assert set(seen) == set(everything)
    assert pages >= len(everything) // limit


def test_list_keys_paginator(kms, new_key):
    new_key()
    new_key()
    ids = [k["KeyId"] for p in kms.get_paginator("list_keys").paginate(PaginationConfig={"PageSize": 1})
           for k in p["Keys"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == {k["KeyId"] for k in kms.list_keys(Limit=1000)["Keys"]}


@pytest.mark.parametrize("limit", [0, 1001])
def test_list_keys_limit_out_of_range(kms_raw, limit):
    with pytest.raises(ClientError) as ei:
        kms_raw.list_keys(Limit=limit)
    assert error_code(ei.value) == "ValidationException"


def test_disable_and_enable_key(kms, new_key):
    kid = new_key()["KeyId"]
    kms.disable_key(KeyId=kid)
    md = kms.describe_key(KeyId=kid)["KeyMetadata"]
    assert md["Enabled"] is False
    assert md["KeyState"] == "Disabled"
    # Disabling twice is fine in AWS.
    kms.disable_key(KeyId=kid)
    kms.enable_key(KeyId=kid)
    md = kms.describe_key(KeyId=kid)["KeyMetadata"]
    assert md["Enabled"] is True
    assert md["KeyState"] == "Enabled"
    kms.enable_key(KeyId=kid)
    assert kms.describe_key(KeyId=kid)["KeyMetadata"]["KeyState"] == "Enabled"


def test_disable_enable_by_arn(kms, new_key):
    md = new_key()
    kms.disable_key(KeyId=md["Arn"])
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "Disabled"
    kms.enable_key(KeyId=md["Arn"])
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["KeyState"] == "Enabled"


@pytest.mark.parametrize("op", ["enable_key", "disable_key"])
def test_enable_disable_unknown_key(kms, op):
    with pytest.raises(ClientError) as ei:
        getattr(kms, op)(KeyId=str(uuid.uuid4()))
    assert error_code(ei.value) == "NotFoundException"


def test_disabled_key_still_listed_and_describable(kms, new_key):
    kid = new_key()["KeyId"]
    kms.disable_key(KeyId=kid)
    assert kid in {k["KeyId"] for k in kms.list_keys(Limit=1000)["Keys"]}


def test_update_key_description(kms, new_key):
    kid = new_key(Description="old")["KeyId"]
    kms.update_key_description(KeyId=kid, Description="new description ✓")
    assert kms.describe_key(KeyId=kid)["KeyMetadata"]["Description"] == "new description ✓"
    kms.update_key_description(KeyId=kid, Description="")
    assert kms.describe_key(KeyId=kid)["KeyMetadata"]["Description"] == ""


def test_update_key_description_by_arn(kms, new_key):
    md = new_key(Description="old")
    kms.update_key_description(KeyId=md["Arn"], Description="via arn")
    assert kms.describe_key(KeyId=md["KeyId"])["KeyMetadata"]["Description"] == "via arn"


def test_update_key_description_unknown_key(kms):
    with pytest.raises(ClientError) as ei:
        kms.update_key_description(KeyId=str(uuid.uuid4()), Description="x")
    assert error_code(ei.value) == "NotFoundException"


def test_update_key_description_too_long(kms_raw, new_key):
    kid = new_key(Description="keep")["KeyId"]
    with pytest.raises(ClientError) as ei:
        kms_raw.update_key_description(KeyId=kid, Description="y" * 8193)
    assert error_code(ei.value) == "ValidationException"
    assert kms_raw.describe_key(KeyId=kid)["KeyMetadata"]["Description"] == "keep"
