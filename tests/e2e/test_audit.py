"""The audit trail (CloudTrail's role): every call recorded before it is answered, queryable with
LookupEvents and `coffer audit search/tail`, free of secrets, and durable across kill -9."""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
import uuid
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from iam_helpers import Account, make_client


def events(server, access_key=None, secret_key=None, **kw):
    """Every event LookupEvents returns for the filter (all pages), newest first, decoded."""
    ct = server.client(service="cloudtrail", access_key=access_key, secret_key=secret_key)
    out, token = [], None
    while True:
        args = dict(kw, MaxResults=50)
        if token:
            args["NextToken"] = token
        page = ct.lookup_events(**args)
        out += page["Events"]
        token = page.get("NextToken")
        if not token:
            return out


def by_request_id(server, event_name, request_id):
    for entry in events(server, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": event_name}]):
        record = json.loads(entry["CloudTrailEvent"])
        if record["requestID"] == request_id:
            return entry, record
    raise AssertionError(f"no {event_name} event with request id {request_id}")


def test_kms_calls_appear_in_lookup_events_with_cloudtrail_fields(coffer, kms, account_id):
    """Encrypt, Decrypt, GenerateDataKey, CreateKey, DescribeKey: one event each, CloudTrail's record format, newest first."""
    key = kms.create_key(Description="audited")["KeyMetadata"]
    created_rid = kms.describe_key(KeyId=key["KeyId"])["ResponseMetadata"]["RequestId"]
    enc = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"audit me", EncryptionContext={"purpose": "audit-test"})
    dec = kms.decrypt(CiphertextBlob=enc["CiphertextBlob"], EncryptionContext={"purpose": "audit-test"})
    gdk = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
    entry, record = by_request_id(coffer, "Encrypt", enc["ResponseMetadata"]["RequestId"])
    assert entry["EventSource"] == "kms.amazonaws.com" and entry["ReadOnly"] == "true"
    assert entry["Username"] == "root" and entry["AccessKeyId"] == coffer.access_key
    assert entry["Resources"] == [{"ResourceType": "AWS::KMS::Key", "ResourceName": key["Arn"]}]
    assert record["eventVersion"] and record["eventSource"] == "kms.amazonaws.com" and record["eventName"] == "Encrypt"
    assert record["awsRegion"] == "us-east-1" and record["recipientAccountId"] == account_id
    assert record["userIdentity"] == {
        "type": "Root", "principalId": account_id, "arn": f"arn:aws:iam::{account_id}:root",
        "accountId": account_id, "accessKeyId": coffer.access_key,
    }
    assert record["requestParameters"]["keyId"] == key["KeyId"]
    assert record["requestParameters"]["encryptionContext"] == {"purpose": "audit-test"}
    assert "plaintext" not in record["requestParameters"]
    assert record["resources"] == [{"accountId": account_id, "type": "AWS::KMS::Key", "ARN": key["Arn"]}]
    assert record["readOnly"] is True and record["eventType"] == "AwsApiCall" and record["managementEvent"] is True
    assert record["eventCategory"] == "Management" and record["sourceIPAddress"] == "127.0.0.1"
    assert record["tlsDetails"]["tlsVersion"] in ("TLSv1.2", "TLSv1.3")
    assert "Boto3" in record["userAgent"] or "botocore" in record["userAgent"]
    assert "errorCode" not in record
    uuid.UUID(record["eventID"])
    _, record = by_request_id(coffer, "Decrypt", dec["ResponseMetadata"]["RequestId"])
    assert record["resources"][0]["ARN"] == key["Arn"] and "ciphertextBlob" not in record["requestParameters"]
    _, record = by_request_id(coffer, "GenerateDataKey", gdk["ResponseMetadata"]["RequestId"])
    assert record["requestParameters"] == {"keyId": key["KeyId"], "keySpec": "AES_256"}
    _, record = by_request_id(coffer, "DescribeKey", created_rid)
    assert record["readOnly"] is True
    created = [json.loads(e["CloudTrailEvent"]) for e in events(coffer, LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "CreateKey"}])]
    assert any(r["requestParameters"] == {"description": "audited"} and r["readOnly"] is False for r in created)


def test_lookup_attributes_time_range_and_paging(coffer, kms):
    """Each attribute filters; StartTime/EndTime bound; MaxResults/NextToken pages newest first without repeats."""
    key = kms.create_key(Description="paging")["KeyMetadata"]
    before = time.time() - 1
    for _ in range(7):
        kms.encrypt(KeyId=key["KeyId"], Plaintext=b"p")
    by_resource = events(coffer, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}])
    assert [e["EventName"] for e in by_resource].count("Encrypt") == 7
    ct = coffer.client(service="cloudtrail")
    first = ct.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}], MaxResults=3)
    second = ct.lookup_events(LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}], MaxResults=3,
                              NextToken=first["NextToken"])
    ids = [e["EventId"] for e in first["Events"] + second["Events"]]
    assert len(ids) == 6 == len(set(ids))
    times = [e["EventTime"] for e in first["Events"] + second["Events"]]
    assert times == sorted(times, reverse=True)
    one = first["Events"][0]
    assert [e["EventId"] for e in events(coffer, LookupAttributes=[{"AttributeKey": "EventId", "AttributeValue": one["EventId"]}])] == [one["EventId"]]
    assert all(e["ReadOnly"] == "false" for e in events(coffer, LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "false"}]))
    assert all(e["EventSource"] == "kms.amazonaws.com" for e in events(coffer, LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": "kms.amazonaws.com"}], StartTime=before))
    recent = events(coffer, StartTime=before, LookupAttributes=[{"AttributeKey": "ResourceType", "AttributeValue": "AWS::KMS::Key"}])
    assert sum(1 for e in recent if e["EventName"] == "Encrypt" and e["Resources"][0]["ResourceName"] == key["Arn"]) == 7
    assert events(coffer, EndTime=before - 3600, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}]) == []
    for bad, code in [
        (dict(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "a"}, {"AttributeKey": "Username", "AttributeValue": "b"}]), "InvalidLookupAttributesException"),
        (dict(StartTime=time.time(), EndTime=time.time() - 60), "InvalidTimeRangeException"),
        (dict(NextToken="not-a-token"), "InvalidNextTokenException"),
    ]:
        with pytest.raises(ClientError) as ei:
            ct.lookup_events(**bad)
        assert error_code(ei.value) == code
    raw = coffer.client(service="cloudtrail", validate=False)
    with pytest.raises(ClientError) as ei:
        raw.lookup_events(MaxResults=51)
    assert error_code(ei.value) == "InvalidMaxResultsException"


def test_denied_and_bad_signature_calls_are_recorded(coffer, kms):
    """A denied call (AccessDeniedException) and a call with a bad signature (InvalidSignatureException) both become events."""
    acct = Account.create(coffer)
    user = acct.user()
    key = acct.root.kms.create_key(Description="not yours")["KeyMetadata"]
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    denied_rid = ei.value.response["ResponseMetadata"]["RequestId"]
    bad = make_client(coffer, "kms", user.access_key, "wrong" + user.secret_key[5:])
    with pytest.raises(ClientError) as ei:
        bad.list_keys()
    assert error_code(ei.value) == "InvalidSignatureException"
    bad_rid = ei.value.response["ResponseMetadata"]["RequestId"]
    found = {}
    for entry in events(coffer, access_key=acct.root.access_key, secret_key=acct.root.secret_key):
        record = json.loads(entry["CloudTrailEvent"])
        found[record["requestID"]] = record
    denied = found[denied_rid]
    assert denied["errorCode"] == "AccessDeniedException" and "kms:Encrypt" in denied["errorMessage"]
    assert denied["userIdentity"]["type"] == "IAMUser" and denied["userIdentity"]["arn"] == user.arn
    assert denied["resources"][0]["ARN"] == key["Arn"]
    forged = found[bad_rid]
    assert forged["errorCode"] == "InvalidSignatureException" and forged["eventName"] == "ListKeys"
    assert forged["userIdentity"]["accessKeyId"] == user.access_key and forged["recipientAccountId"] == acct.id


def _audit_bytes(data_dir: Path) -> bytes:
    """Every byte the trail keeps: files under audit/ (gzip members expanded) and the SQLite files."""
    blob = bytearray()
    for path in sorted((data_dir / "audit").rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        blob += raw
        if raw[:2] == b"\x1f\x8b":
            try:
                blob += gzip.decompress(raw)
            except OSError:
                pass
    for name in ("coffer.sqlite", "coffer.sqlite-wal"):
        if (data_dir / name).exists():
            blob += (data_dir / name).read_bytes()
    return bytes(blob)


def test_no_secret_reaches_the_audit_files(server_factory):
    """Plaintexts, data keys, MACs, signatures and secret keys used in the test appear nowhere in the trail or its index."""
    srv = server_factory.new(name="audit-secrets", extra_args=["--audit-segment-interval", "1", "--audit-digest-interval", "1"])
    kms = srv.client()
    marker = b"TOP-SECRET-" + uuid.uuid4().hex.encode()
    key = kms.create_key()["KeyMetadata"]
    blob = kms.encrypt(KeyId=key["KeyId"], Plaintext=marker, EncryptionContext={"visible": "context-value"})["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=blob, EncryptionContext={"visible": "context-value"})["Plaintext"] == marker
    data_key = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
    mac_key = kms.create_key(KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
    mac = kms.generate_mac(KeyId=mac_key["KeyId"], Message=marker, MacAlgorithm="HMAC_SHA_256")["Mac"]
    iam = srv.client(service="iam")
    iam.create_user(UserName="secretive")
    secret = iam.create_access_key(UserName="secretive")["AccessKey"]["SecretAccessKey"]
    time.sleep(2.5)  # let a segment close and a digest be written
    assert srv.stop() == 0
    everything = _audit_bytes(srv.data_dir)
    assert b"context-value" in everything, "the encryption context is logged, as AWS does"
    for needle in (marker, base64.b64encode(marker), data_key["Plaintext"], base64.b64encode(data_key["Plaintext"]),
                   blob, base64.b64encode(blob), mac, base64.b64encode(mac), secret.encode(), srv.secret_key.encode()):
        assert needle not in everything


def test_cli_search_and_tail(coffer, kms):
    """`coffer audit search --event-name` and `coffer audit tail --json` show the same events LookupEvents does."""
    key = kms.create_key(Description="cli")["KeyMetadata"]
    rid = kms.encrypt(KeyId=key["KeyId"], Plaintext=b"cli")["ResponseMetadata"]["RequestId"]
    out = coffer.coffer("audit", "search", "--data-dir", str(coffer.data_dir), "--resource-name", key["Arn"], "--json").stdout
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert rid in [r["requestID"] for r in records]
    table = coffer.coffer("audit", "search", "--data-dir", str(coffer.data_dir), "--resource-name", key["Arn"]).stdout
    assert "Encrypt" in table and key["Arn"] in table and table.splitlines()[0].startswith("TIME")
    tail = coffer.coffer("audit", "tail", "--data-dir", str(coffer.data_dir), "-n", "400", "--json").stdout
    tailed = [json.loads(line) for line in tail.splitlines() if line.strip()]
    assert rid in [r["requestID"] for r in tailed]
    times = [r["eventTime"] for r in tailed]
    assert times == sorted(times), "tail prints oldest first"


def test_kill_9_during_load_loses_no_answered_event(server_factory):
    """Concurrent Encrypt calls; SIGKILL mid-run; after restart every answered request's event is in the trail."""
    srv = server_factory.new(name="audit-kill9")
    kms = srv.client()
    key = kms.create_key()["KeyMetadata"]
    answered, lock, stop = [], threading.Lock(), threading.Event()

    def worker():
        client = srv.client()
        while not stop.is_set():
            try:
                rid = client.encrypt(KeyId=key["KeyId"], Plaintext=b"load")["ResponseMetadata"]["RequestId"]
            except Exception:  # noqa: BLE001 - the server dies under us
                return
            with lock:
                answered.append(rid)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    srv.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(answered) > 20
    srv.start()
    recorded = set()
    for entry in events(srv, LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": key["Arn"]}]):
        recorded.add(json.loads(entry["CloudTrailEvent"])["requestID"])
    missing = [rid for rid in answered if rid not in recorded]
    assert not missing, f"{len(missing)} answered requests have no event"
    assert srv.stop() == 0
    verified = srv.coffer("audit", "verify", "--data-dir", str(srv.data_dir), check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr
