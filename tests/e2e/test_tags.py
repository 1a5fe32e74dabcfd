"""TagResource, UntagResource, ListResourceTags."""

import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def tags_of(kms, key_id):
    out, marker = {}, None
    while True:
        kw = {"KeyId": key_id}
        if marker:
            kw["Marker"] = marker
        page = kms.list_resource_tags(**kw)
        for t in page["Tags"]:
            assert t["TagKey"] not in out, f"tag {t['TagKey']} listed twice"
            out[t["TagKey"]] = t["TagValue"]
        if not page.get("Truncated"):
            return out
        marker = page["NextMarker"]


def test_new_key_has_no_tags(kms, new_key):
    md = new_key()
    resp = kms.list_resource_tags(KeyId=md["KeyId"])
    assert resp["Tags"] == []
    assert resp.get("Truncated", False) is False


def test_tag_add_overwrite_remove(kms, new_key):
    kid = new_key()["KeyId"]
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "a", "TagValue": "1"}, {"TagKey": "b", "TagValue": "2"}])
    assert tags_of(kms, kid) == {"a": "1", "b": "2"}
    # overwrite one, add one
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "a", "TagValue": "one"}, {"TagKey": "c", "TagValue": ""}])
    assert tags_of(kms, kid) == {"a": "one", "b": "2", "c": ""}
    kms.untag_resource(KeyId=kid, TagKeys=["b", "c"])
    assert tags_of(kms, kid) == {"a": "one"}
    # removing a tag that is not there is not an error in AWS
    kms.untag_resource(KeyId=kid, TagKeys=["never-there"])
    assert tags_of(kms, kid) == {"a": "one"}
    kms.untag_resource(KeyId=kid, TagKeys=["a"])
    assert tags_of(kms, kid) == {}


def test_tag_keys_are_case_sensitive(kms, new_key):
    kid = new_key()["KeyId"]
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "Env", "TagValue": "x"}, {"TagKey": "env", "TagValue": "y"}])
    assert tags_of(kms, kid) == {"Env": "x", "env": "y"}


def test_tags_by_key_arn(kms, new_key):
    md = new_key()
    kms.tag_resource(KeyId=md["Arn"], Tags=[{"TagKey": "via", "TagValue": "arn"}])
    assert tags_of(kms, md["KeyId"]) == {"via": "arn"}
    assert tags_of(kms, md["Arn"]) == {"via": "arn"}
    kms.untag_resource(KeyId=md["Arn"], TagKeys=["via"])
    assert tags_of(kms, md["KeyId"]) == {}


def test_tags_are_per_key(kms, new_key):
    a, b = new_key()["KeyId"], new_key()["KeyId"]
    kms.tag_resource(KeyId=a, Tags=[{"TagKey": "owner", "TagValue": "a"}])
    kms.tag_resource(KeyId=b, Tags=[{"TagKey": "owner", "TagValue": "b"}])
    assert tags_of(kms, a) == {"owner": "a"}
    assert tags_of(kms, b) == {"owner": "b"}


def test_list_resource_tags_pagination(kms, new_key):
    kid = new_key()["KeyId"]
    want = {f"k{i}": f"v{i}" for i in range(5)}
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": k, "TagValue": v} for k, v in want.items()])
    seen, marker, pages = {}, None, 0
    while True:
        kw = {"KeyId": kid, "Limit": 2}
        if marker:
            kw["Marker"] = marker
        page = kms.list_resource_tags(**kw)
        pages += 1
        assert 1 <= len(page["Tags"]) <= 2
        for t in page["Tags"]:
            assert t["TagKey"] not in seen
            seen[t["TagKey"]] = t["TagValue"]
        if not page["Truncated"]:
            break
        marker = page["NextMarker"]
        assert pages < 10
    assert seen == want
    assert pages >= 3


def test_tags_on_disabled_key(kms, new_key):
    kid = new_key()["KeyId"]
    kms.disable_key(KeyId=kid)
    kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "state", "TagValue": "disabled"}])
    assert tags_of(kms, kid) == {"state": "disabled"}


@pytest.mark.parametrize("op", ["tag", "untag", "list"])
def test_tags_unknown_key(kms, op):
    kid = str(uuid.uuid4())
    with pytest.raises(ClientError) as ei:
        if op == "tag":
            kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "a", "TagValue": "b"}])
        elif op == "untag":
            kms.untag_resource(KeyId=kid, TagKeys=["a"])
        else:
            kms.list_resource_tags(KeyId=kid)
    assert error_code(ei.value) == "NotFoundException"


def test_reserved_aws_tag_prefix_rejected(kms, new_key):
    kid = new_key()["KeyId"]
    with pytest.raises(ClientError) as ei:
        kms.tag_resource(KeyId=kid, Tags=[{"TagKey": "aws:reserved", "TagValue": "x"}])
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error_code(ei.value) in {"TagException", "ValidationException"}
    assert tags_of(kms, kid) == {}


def test_tag_value_too_long(kms_raw, new_key):
    kid = new_key()["KeyId"]
    with pytest.raises(ClientError) as ei:
        kms_raw.tag_resource(KeyId=kid, Tags=[{"TagKey": "long", "TagValue": "v" * 257}])
    assert error_code(ei.value) in {"ValidationException", "TagException"}
    assert tags_of(kms_raw, kid) == {}
