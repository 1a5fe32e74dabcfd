"""S3 listings and batch deletes through boto3 and the AWS CLI: ListObjectsV2 and ListObjects (v1) with
Prefix, Delimiter (CommonPrefixes), MaxKeys and their continuation (ContinuationToken / StartAfter, and
v1's Marker with NextMarker only when a delimiter is given), KeyCount, keys in UTF-8 byte order and
never merged by Unicode normalization, EncodingType=url (which boto3 asks for and decodes on its own),
XML escaping of keys, paginators over 2,500 keys, empty buckets, `aws s3 ls` / `aws s3api list-objects-v2`
/ `aws s3 rm --recursive`, and DeleteObjects (Quiet, 1,000 keys at most, missing keys reported as Deleted)."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_plus

import pytest
from botocore.exceptions import ClientError
from botocore.handlers import set_list_objects_encoding_type_url

from conftest import error_code
from s3_helpers import bucket_name, md5_etag, s3_client

TREE = [
    "Zed", "a.txt", "a.b.c", "b/1.txt", "b/2.txt", "b/c/3.txt", "c d/ü.txt", "d/", "e", "~tilde",
    "é", "\uff46ullwidth", "\U0001F600/smile", "plus+sign", "sp ace",
]


def byte_order(keys):
    return sorted(keys, key=lambda k: k.encode())


def expected(keys, prefix: str = "", delimiter: str | None = None, after: str | None = None):
    """What S3 lists: (keys, common prefixes), both in UTF-8 byte order."""
    contents, prefixes = [], []
    for key in byte_order(keys):
        if not key.startswith(prefix) or (after is not None and key.encode() <= after.encode()):
            continue
        if delimiter:
            at = key.find(delimiter, len(prefix))
            if at >= 0:
                common = key[:at + len(delimiter)]
                if common not in prefixes:
                    prefixes.append(common)
                continue
        contents.append(key)
    return contents, prefixes


def listed(page) -> tuple[list[str], list[str]]:
    return [o["Key"] for o in page.get("Contents", [])], [p["Prefix"] for p in page.get("CommonPrefixes", [])]


@pytest.fixture(scope="module")
def s3(coffer):
    return s3_client(coffer)


@pytest.fixture(scope="module")
def tree(s3):
    name = bucket_name("tree")
    s3.create_bucket(Bucket=name)
    for key in TREE:
        s3.put_object(Bucket=name, Key=key, Body=key.encode())
    return name


@pytest.fixture()
def bucket(s3):
    name = bucket_name("list")
    s3.create_bucket(Bucket=name)
    return name


def test_list_v2_everything(s3, tree):
    page = s3.list_objects_v2(Bucket=tree)
    assert page["Name"] == tree
    assert page["Prefix"] == ""
    assert page["MaxKeys"] == 1000
    assert page["IsTruncated"] is False
    assert page["KeyCount"] == len(TREE)
    assert "NextContinuationToken" not in page
    assert [o["Key"] for o in page["Contents"]] == byte_order(TREE)
    for obj in page["Contents"]:
        assert obj["Size"] == len(obj["Key"].encode())
        assert obj["ETag"] == md5_etag(obj["Key"].encode())
        assert obj["StorageClass"] == "STANDARD"
        assert obj["LastModified"].year >= 2024
        # ListObjectsV2 leaves the owner out unless FetchOwner is true.
        assert "Owner" not in obj
    owned = s3.list_objects_v2(Bucket=tree, FetchOwner=True)["Contents"]
    assert all(o["Owner"]["ID"] for o in owned)


def test_keys_are_in_utf8_byte_order(s3, tree):
    """U+FF46 (EF BD 86) sorts before U+1F600 (F0 9F 98 80) in UTF-8, though not in UTF-16."""
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=tree)["Contents"]]
    assert keys.index("\uff46ullwidth") < keys.index("\U0001F600/smile")
    assert keys.index("Zed") < keys.index("a.b.c") < keys.index("~tilde") < keys.index("é")
    assert keys == [o["Key"] for o in s3.list_objects(Bucket=tree)["Contents"]]


def test_keys_differing_only_in_unicode_normalization_are_distinct(s3, bucket):
    """Keys are byte strings: "café" precomposed (U+00E9) and decomposed (e + U+0301) are two objects."""
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    s3.put_object(Bucket=bucket, Key=composed, Body=b"composed")
    s3.put_object(Bucket=bucket, Key=decomposed, Body=b"decomposed")
    assert s3.get_object(Bucket=bucket, Key=composed)["Body"].read() == b"composed"
    assert s3.get_object(Bucket=bucket, Key=decomposed)["Body"].read() == b"decomposed"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == [decomposed, composed]
    s3.delete_object(Bucket=bucket, Key=composed)
    assert s3.get_object(Bucket=bucket, Key=decomposed)["Body"].read() == b"decomposed"


@pytest.mark.parametrize("prefix,delimiter", [
    ("", "/"), ("b/", "/"), ("b", "/"), ("b/", None), ("d/", "/"), ("", "."), ("a", "."), ("c d/", "/"),
    ("nothing-here", "/"), ("\U0001F600", "/"), ("", "/c/"),
])
def test_prefix_and_delimiter(s3, tree, prefix, delimiter):
    want_keys, want_prefixes = expected(TREE, prefix, delimiter)
    args = {"Bucket": tree, "Prefix": prefix}
    if delimiter:
        args["Delimiter"] = delimiter
    v2 = s3.list_objects_v2(**args)
    assert listed(v2) == (want_keys, want_prefixes)
    assert v2["KeyCount"] == len(want_keys) + len(want_prefixes)
    assert v2["Prefix"] == prefix
    assert v2.get("Delimiter") == delimiter
    v1 = s3.list_objects(**args)
    assert listed(v1) == (want_keys, want_prefixes)
    assert v1["IsTruncated"] is False


@pytest.mark.parametrize("delimiter", [None, "/"])
def test_v2_max_keys_and_continuation(s3, tree, delimiter):
    want_keys, want_prefixes = expected(TREE, "", delimiter)
    args = {"Bucket": tree, "MaxKeys": 2}
    if delimiter:
        args["Delimiter"] = delimiter
    keys, prefixes, token, pages = [], [], None, 0
    while True:
        page = s3.list_objects_v2(**args, **({"ContinuationToken": token} if token else {}))
        pages += 1
        got_keys, got_prefixes = listed(page)
        assert page["MaxKeys"] == 2
        assert page["KeyCount"] == len(got_keys) + len(got_prefixes) <= 2
        if token:
            assert page["ContinuationToken"] == token
        keys += got_keys
        prefixes += got_prefixes
        if not page["IsTruncated"]:
            assert "NextContinuationToken" not in page
            break
        assert page["KeyCount"] == 2
        token = page["NextContinuationToken"]
    assert keys == want_keys
    assert prefixes == want_prefixes  # each common prefix once, though its keys span pages
    assert pages == -(-(len(want_keys) + len(want_prefixes)) // 2)


def test_v2_start_after(s3, tree):
    page = s3.list_objects_v2(Bucket=tree, StartAfter="b/2.txt")
    assert page["StartAfter"] == "b/2.txt"
    assert listed(page)[0] == expected(TREE, after="b/2.txt")[0]
    # StartAfter need not be an existing key.
    assert listed(s3.list_objects_v2(Bucket=tree, StartAfter="b/0"))[0] == expected(TREE, after="b/0")[0]
    with_prefix = s3.list_objects_v2(Bucket=tree, Prefix="b/", StartAfter="b/1.txt")
    assert listed(with_prefix)[0] == ["b/2.txt", "b/c/3.txt"]
    assert s3.list_objects_v2(Bucket=tree, StartAfter="\U0010FFFF")["KeyCount"] == 0


def test_v1_marker_and_next_marker(s3, tree):
    first = s3.list_objects(Bucket=tree, MaxKeys=3)
    assert first["IsTruncated"] is True
    assert first["MaxKeys"] == 3
    # Without a delimiter there is no NextMarker: the last key is the next marker.
    assert "NextMarker" not in first
    keys = [o["Key"] for o in first["Contents"]]
    assert keys == byte_order(TREE)[:3]
    second = s3.list_objects(Bucket=tree, MaxKeys=3, Marker=keys[-1])
    assert second["Marker"] == keys[-1]
    assert [o["Key"] for o in second["Contents"]] == byte_order(TREE)[3:6]

    # With a delimiter, a truncated page names its NextMarker (a key or a common prefix).
    want_keys, want_prefixes = expected(TREE, "", "/")
    keys, prefixes, marker = [], [], None
    while True:
        page = s3.list_objects(Bucket=tree, Delimiter="/", MaxKeys=2, **({"Marker": marker} if marker else {}))
        got_keys, got_prefixes = listed(page)
        keys += got_keys
        prefixes += got_prefixes
        if not page["IsTruncated"]:
            break
        marker = page["NextMarker"]
        assert marker == byte_order(got_keys + got_prefixes)[-1]
    assert keys == want_keys
    assert prefixes == want_prefixes


def test_encoding_type_url(s3, bucket):
    keys = ["sp ace/ü+plus.txt", "amp&lt<gt>.txt", "pct%41", "tab\tnl", "ключ/значение", "q?x=1#frag"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    # boto3 asks for url encoding by itself and decodes what comes back.
    auto = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in auto["Contents"]] == byte_order(keys)
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == byte_order(keys)
    prefixed = s3.list_objects_v2(Bucket=bucket, Prefix="sp ace/", Delimiter="+")
    assert prefixed["Prefix"] == "sp ace/"
    assert prefixed["Delimiter"] == "+"
    assert [p["Prefix"] for p in prefixed["CommonPrefixes"]] == ["sp ace/ü+"]
    # Asked for explicitly, the encoded names are handed over as they are.
    explicit = s3.list_objects_v2(Bucket=bucket, EncodingType="url", StartAfter="a b")
    assert explicit["EncodingType"] == "url"
    assert explicit["StartAfter"] in ("a+b", "a%20b")
    encoded = [o["Key"] for o in explicit["Contents"]]
    for name in encoded:
        assert name.isascii() and " " not in name and "\t" not in name, name
    assert [unquote_plus(k) for k in encoded] == byte_order(keys)
    v1 = s3.list_objects(Bucket=bucket, EncodingType="url", Prefix="sp ace/")
    assert v1["EncodingType"] == "url"
    assert unquote_plus(v1["Prefix"]) == "sp ace/"
    assert [unquote_plus(o["Key"]) for o in v1["Contents"]] == ["sp ace/ü+plus.txt"]


def test_keys_without_url_encoding_are_xml_escaped(coffer, bucket):
    """Without EncodingType the keys travel as UTF-8 text in the XML, escaped where XML needs it."""
    plain = s3_client(coffer)
    plain.meta.events.unregister("before-parameter-build.s3.ListObjectsV2", set_list_objects_encoding_type_url)
    plain.meta.events.unregister("before-parameter-build.s3.ListObjects", set_list_objects_encoding_type_url)
    keys = ["amp&lt<gt>\"'.txt", "ü/ключ", "plus+sign", "sp ace"]
    for key in keys:
        plain.put_object(Bucket=bucket, Key=key, Body=b"x")
    page = plain.list_objects_v2(Bucket=bucket)
    assert "EncodingType" not in page
    assert [o["Key"] for o in page["Contents"]] == byte_order(keys)
    assert [o["Key"] for o in plain.list_objects(Bucket=bucket, Prefix="amp&")["Contents"]] == ["amp&lt<gt>\"'.txt"]


def test_invalid_listing_arguments(coffer, s3, bucket):
    raw = s3_client(coffer, validate=False)
    with pytest.raises(ClientError) as encoding:
        raw.list_objects_v2(Bucket=bucket, EncodingType="base64")
    assert error_code(encoding.value) == "InvalidArgument"
    with pytest.raises(ClientError) as negative:
        raw.list_objects_v2(Bucket=bucket, MaxKeys=-1)
    assert error_code(negative.value) == "InvalidArgument"
    with pytest.raises(ClientError) as token:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="not-a-token")
    assert error_code(token.value) == "InvalidArgument"
    with pytest.raises(ClientError) as missing:
        s3.list_objects_v2(Bucket=bucket_name("missing"))
    assert error_code(missing.value) == "NoSuchBucket"
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_empty_bucket(s3, bucket):
    v2 = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert v2["KeyCount"] == 0
    assert v2["IsTruncated"] is False
    assert "Contents" not in v2 and "CommonPrefixes" not in v2
    v1 = s3.list_objects(Bucket=bucket)
    assert v1["IsTruncated"] is False
    assert "Contents" not in v1
    assert [page.get("KeyCount") for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)] == [0]


def test_paginators_over_2500_keys(coffer, s3, bucket):
    keys = [f"many/{i:05d}" for i in range(2500)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=b""), keys))
    v2_pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket))
    assert [p["KeyCount"] for p in v2_pages] == [1000, 1000, 500]
    assert [o["Key"] for p in v2_pages for o in p["Contents"]] == keys
    v1_pages = list(s3.get_paginator("list_objects").paginate(Bucket=bucket))
    assert [len(p["Contents"]) for p in v1_pages] == [1000, 1000, 500]
    assert [o["Key"] for p in v1_pages for o in p["Contents"]] == keys
    small = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="many/01",
                                                               PaginationConfig={"PageSize": 300}))
    assert [p["KeyCount"] for p in small] == [300, 300, 300, 100]
    # MaxKeys above 1000 still returns at most 1000.
    capped = s3.list_objects_v2(Bucket=bucket, MaxKeys=5000)
    assert len(capped["Contents"]) == 1000
    assert capped["IsTruncated"] is True
    # The CLI pages through everything on its own.
    out = coffer.aws("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "many/", "--output", "json").stdout
    assert [o["Key"] for o in json.loads(out)["Contents"]] == keys
    # DeleteObjects takes up to 1000 keys.
    with pytest.raises(ClientError) as too_many:
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[:1001]]})
    assert error_code(too_many.value) == "MalformedXML"
    for start in range(0, 2500, 1000):
        batch = keys[start:start + 1000]
        done = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True})
        assert not done.get("Errors")
        assert not done.get("Deleted")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_delete_objects(s3, bucket):
    for key in ("one", "two", "amp&<key>", "keep"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    loud = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "one"}, {"Key": "amp&<key>"}, {"Key": "never-was"}]})
    assert loud["ResponseMetadata"]["HTTPStatusCode"] == 200
    # A key that does not exist is reported as deleted, as DeleteObject answers 204 for it.
    assert sorted(d["Key"] for d in loud["Deleted"]) == ["amp&<key>", "never-was", "one"]
    assert not loud.get("Errors")
    quiet = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "two"}, {"Key": "also-never"}], "Quiet": True})
    assert "Deleted" not in quiet
    assert not quiet.get("Errors")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["keep"]
    with pytest.raises(ClientError) as missing:
        s3.delete_objects(Bucket=bucket_name("missing"), Delete={"Objects": [{"Key": "k"}]})
    assert error_code(missing.value) == "NoSuchBucket"


def test_aws_cli_ls_and_recursive_rm(coffer, s3, bucket):
    objects = {"top.txt": b"12345", "dir/a.txt": b"a", "dir/sub/b.txt": b"bb", "other/c.txt": b"ccc"}
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    line = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +"
    top = coffer.aws("s3", "ls", f"s3://{bucket}/").stdout.splitlines()
    assert len(top) == 3, top
    assert re.fullmatch(r" +PRE dir/", top[0]) and re.fullmatch(r" +PRE other/", top[1]), top
    assert re.fullmatch(line + r"5 top\.txt", top[2]), top
    inside = coffer.aws("s3", "ls", f"s3://{bucket}/dir/").stdout.splitlines()
    assert re.fullmatch(r" +PRE sub/", inside[0]) and re.fullmatch(line + r"1 a\.txt", inside[1]), inside
    recursive = coffer.aws("s3", "ls", "--recursive", f"s3://{bucket}").stdout.splitlines()
    assert [re.fullmatch(line + r"(\d+) (.+)", r).groups() for r in recursive] == [
        (str(len(objects[k])), k) for k in byte_order(objects)]
    assert bucket in coffer.aws("s3", "ls").stdout
    removed = coffer.aws("s3", "rm", "--recursive", f"s3://{bucket}/dir/").stdout
    assert f"delete: s3://{bucket}/dir/a.txt" in removed
    assert f"delete: s3://{bucket}/dir/sub/b.txt" in removed
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["other/c.txt", "top.txt"]
