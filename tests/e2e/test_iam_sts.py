"""IAM users, access keys, inline policies and roles, and STS (GetCallerIdentity, AssumeRole,
session credentials), through boto3 and the aws CLI against a real server."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import requests
from botocore.exceptions import ClientError

from conftest import TEST_ACCOUNT_ID, error_code
from iam_helpers import Account, Principal, allow, assume, deny, make_client, policy, unique_name


@pytest.fixture(scope="module")
def acct(coffer) -> Account:
    """A fresh account on the shared server, so listings only show this module's entities."""
    return Account.create(coffer)


def status(info) -> int:
    """The HTTP status of a pytest.raises(ClientError) result."""
    return info.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_accounts_create_prints_working_root_credentials(coffer, acct):
    """`coffer accounts create --json` (while the server runs) gives a new account whose root key works at once."""
    assert acct.id != coffer.account_id()
    ident = acct.root.sts.get_caller_identity()
    assert ident["Account"] == acct.id
    assert ident["Arn"] == f"arn:aws:iam::{acct.id}:root"
    assert ident["UserId"] == acct.id
    md = acct.root.kms.create_key()["KeyMetadata"]
    assert md["AWSAccountId"] == acct.id


def test_user_create_get_and_duplicate(acct):
    """CreateUser with a path and tags; GetUser returns it; a second CreateUser of the same name is EntityAlreadyExists (409)."""
    iam = acct.root.iam
    name = unique_name("alice")
    created = iam.create_user(UserName=name, Path="/team/", Tags=[{"Key": "team", "Value": "blue"}])["User"]
    assert created["UserName"] == name
    assert created["Path"] == "/team/"
    assert created["Arn"] == f"arn:aws:iam::{acct.id}:user/team/{name}"
    assert created["UserId"].startswith("AIDA")
    assert isinstance(created["CreateDate"], dt.datetime)
    got = iam.get_user(UserName=name)["User"]
    assert got["Arn"] == created["Arn"] and got["UserId"] == created["UserId"]
    assert {t["Key"]: t["Value"] for t in got.get("Tags", [])} == {"team": "blue"}
    with pytest.raises(ClientError) as ei:
        iam.create_user(UserName=name)
    assert error_code(ei.value) == "EntityAlreadyExists"
    assert status(ei) == 409


def test_list_users_paging_with_max_items_and_marker(acct):
    """ListUsers with PathPrefix and MaxItems=1 pages through every user exactly once via Marker/IsTruncated."""
    iam = acct.root.iam
    prefix = f"/{unique_name('p')}/"
    names = sorted(unique_name("pager") for _ in range(3))
    for n in names:
        iam.create_user(UserName=n, Path=prefix)
    iam.create_user(UserName=unique_name("elsewhere"), Path="/other/")
    seen: list[str] = []
    kw: dict = {"PathPrefix": prefix, "MaxItems": 1}
    pages = 0
    while True:
        page = iam.list_users(**kw)
        pages += 1
        assert len(page["Users"]) <= 1
        seen += [u["UserName"] for u in page["Users"]]
        if not page.get("IsTruncated"):
            assert "Marker" not in page
            break
        assert page["Marker"]
        kw["Marker"] = page["Marker"]
        assert pages < 10
    assert sorted(seen) == names
    assert pages == 3
    # Without a prefix every user of the account is listed, the others included.
    everyone = [u["UserName"] for u in iam.get_paginator("list_users").paginate().build_full_result()["Users"]]
    assert set(names) <= set(everyone) and len(everyone) >= 4


def test_access_key_lifecycle_limit_and_delete_conflict(acct):
    """Two keys per user (third: LimitExceeded); the secret only in CreateAccessKey; DeleteUser needs keys and policies gone first."""
    iam = acct.root.iam
    name = unique_name("keys")
    iam.create_user(UserName=name)
    k1 = iam.create_access_key(UserName=name)["AccessKey"]
    k2 = iam.create_access_key(UserName=name)["AccessKey"]
    for k in (k1, k2):
        assert k["UserName"] == name and k["Status"] == "Active"
        assert k["AccessKeyId"].startswith("AKIA") and len(k["AccessKeyId"]) == 20
        assert len(k["SecretAccessKey"]) == 40
    with pytest.raises(ClientError) as ei:
        iam.create_access_key(UserName=name)
    assert error_code(ei.value) == "LimitExceeded"
    listed = iam.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert sorted(m["AccessKeyId"] for m in listed) == sorted([k1["AccessKeyId"], k2["AccessKeyId"]])
    for m in listed:
        assert "SecretAccessKey" not in m
        assert m["UserName"] == name and m["Status"] == "Active"
    # Both keys authenticate as the user.
    for k in (k1, k2):
        sts = make_client(acct.server, "sts", k["AccessKeyId"], k["SecretAccessKey"])
        assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{acct.id}:user/{name}"

    with pytest.raises(ClientError) as ei:
        iam.delete_user(UserName=name)
    assert error_code(ei.value) == "DeleteConflict"
    iam.delete_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"])
    iam.delete_access_key(UserName=name, AccessKeyId=k2["AccessKeyId"])
    assert iam.list_access_keys(UserName=name)["AccessKeyMetadata"] == []
    # A deleted key stops working at once.
    sts = make_client(acct.server, "sts", k1["AccessKeyId"], k1["SecretAccessKey"])
    with pytest.raises(ClientError) as ei:
        sts.get_caller_identity()
    assert error_code(ei.value) == "InvalidClientTokenId"
    with pytest.raises(ClientError) as ei:
        iam.delete_access_key(UserName=name, AccessKeyId=k1["AccessKeyId"])
    assert error_code(ei.value) == "NoSuchEntity"

    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy(allow("kms:ListKeys")))
    with pytest.raises(ClientError) as ei:
        iam.delete_user(UserName=name)
    assert error_code(ei.value) == "DeleteConflict"
    iam.delete_user_policy(UserName=name, PolicyName="p")
    iam.delete_user(UserName=name)
    with pytest.raises(ClientError) as ei:
        iam.get_user(UserName=name)
    assert error_code(ei.value) == "NoSuchEntity"
    assert status(ei) == 404


def test_update_access_key_inactive_stops_authentication_and_active_restores_it(acct):
    """UpdateAccessKey Inactive: the key fails at once for IAM/STS (InvalidClientTokenId) and KMS (UnrecognizedClientException); Active again: works."""
    user = acct.user(allow(["kms:ListKeys", "iam:GetUser"]))
    assert user.sts.get_caller_identity()["Arn"] == user.arn
    user.kms.list_keys()
    acct.root.iam.update_access_key(UserName=user.name, AccessKeyId=user.access_key, Status="Inactive")
    meta = acct.root.iam.list_access_keys(UserName=user.name)["AccessKeyMetadata"]
    assert [m["Status"] for m in meta] == ["Inactive"]
    for call, code in ((user.sts.get_caller_identity, "InvalidClientTokenId"),
                       (lambda: user.iam.get_user(), "InvalidClientTokenId"),
                       (user.kms.list_keys, "UnrecognizedClientException")):
        with pytest.raises(ClientError) as ei:
            call()
        assert error_code(ei.value) == code
    acct.root.iam.update_access_key(UserName=user.name, AccessKeyId=user.access_key, Status="Active")
    assert user.sts.get_caller_identity()["Arn"] == user.arn
    assert user.iam.get_user()["User"]["UserName"] == user.name
    user.kms.list_keys()


def test_inline_user_policies_round_trip(acct):
    """Put/Get/List/DeleteUserPolicy: the document comes back as a dict equal to the one put; Put replaces."""
    iam = acct.root.iam
    name = unique_name("pol")
    iam.create_user(UserName=name)
    doc1 = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]}
    doc2 = {"Version": "2012-10-17", "Statement": [{"Sid": "S", "Effect": "Deny", "Action": ["kms:Decrypt"], "Resource": "*",
                                                    "Condition": {"StringEquals": {"kms:EncryptionContext:a": "b c/d"}}}]}
    iam.put_user_policy(UserName=name, PolicyName="one", PolicyDocument=json.dumps(doc1))
    iam.put_user_policy(UserName=name, PolicyName="two", PolicyDocument=json.dumps(doc2))
    assert sorted(iam.list_user_policies(UserName=name)["PolicyNames"]) == ["one", "two"]
    got = iam.get_user_policy(UserName=name, PolicyName="two")
    assert got["UserName"] == name and got["PolicyName"] == "two"
    assert got["PolicyDocument"] == doc2
    iam.put_user_policy(UserName=name, PolicyName="one", PolicyDocument=json.dumps(doc2))
    assert iam.get_user_policy(UserName=name, PolicyName="one")["PolicyDocument"] == doc2
    iam.delete_user_policy(UserName=name, PolicyName="one")
    assert iam.list_user_policies(UserName=name)["PolicyNames"] == ["two"]
    with pytest.raises(ClientError) as ei:
        iam.get_user_policy(UserName=name, PolicyName="one")
    assert error_code(ei.value) == "NoSuchEntity"


def test_roles_and_inline_role_policies_round_trip(acct):
    """CreateRole/GetRole/ListRoles/DeleteRole and Put/Get/List/DeleteRolePolicy; trust and inline documents come back as dicts."""
    iam = acct.root.iam
    name = unique_name("role")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct.id}:root"},
                                                     "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=7200,
                           Path="/svc/")["Role"]
    assert role["Arn"] == f"arn:aws:iam::{acct.id}:role/svc/{name}"
    assert role["RoleId"].startswith("AROA")
    got = iam.get_role(RoleName=name)["Role"]
    assert got["AssumeRolePolicyDocument"] == trust
    assert got["MaxSessionDuration"] == 7200
    assert got["Arn"] == role["Arn"]
    assert name in [r["RoleName"] for r in iam.list_roles(PathPrefix="/svc/")["Roles"]]
    assert name not in [r["RoleName"] for r in iam.list_roles(PathPrefix="/nothing-here/")["Roles"]]
    with pytest.raises(ClientError) as ei:
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))
    assert error_code(ei.value) == "EntityAlreadyExists"

    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt"], "Resource": "*"}]}
    iam.put_role_policy(RoleName=name, PolicyName="kms", PolicyDocument=json.dumps(doc))
    assert iam.list_role_policies(RoleName=name)["PolicyNames"] == ["kms"]
    got = iam.get_role_policy(RoleName=name, PolicyName="kms")
    assert got["RoleName"] == name and got["PolicyDocument"] == doc
    with pytest.raises(ClientError) as ei:
        iam.delete_role(RoleName=name)
    assert error_code(ei.value) == "DeleteConflict"
    iam.delete_role_policy(RoleName=name, PolicyName="kms")
    with pytest.raises(ClientError) as ei:
        iam.get_role_policy(RoleName=name, PolicyName="kms")
    assert error_code(ei.value) == "NoSuchEntity"
    iam.delete_role(RoleName=name)
    with pytest.raises(ClientError) as ei:
        iam.get_role(RoleName=name)
    assert error_code(ei.value) == "NoSuchEntity"


@pytest.mark.parametrize("document", [
    "not json at all",
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "kms:Encrypt", "Resource": "*"}]}),
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}),
    # An identity-based policy has no Principal.
    json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}]}),
], ids=["not-json", "bad-effect", "no-action", "principal-in-identity-policy"])
def test_malformed_policy_document(acct, document):
    """PutUserPolicy and PutRolePolicy with an invalid document: MalformedPolicyDocument, nothing stored."""
    iam = acct.root.iam
    user = unique_name("bad")
    iam.create_user(UserName=user)
    with pytest.raises(ClientError) as ei:
        iam.put_user_policy(UserName=user, PolicyName="bad", PolicyDocument=document)
    assert error_code(ei.value) == "MalformedPolicyDocument"
    assert iam.list_user_policies(UserName=user)["PolicyNames"] == []
    role = acct.role(acct.root_arn)["RoleName"]
    with pytest.raises(ClientError) as ei:
        iam.put_role_policy(RoleName=role, PolicyName="bad", PolicyDocument=document)
    assert error_code(ei.value) == "MalformedPolicyDocument"


def test_malformed_trust_policy(acct):
    """CreateRole with a trust policy that is not a policy: MalformedPolicyDocument."""
    with pytest.raises(ClientError) as ei:
        acct.root.iam.create_role(RoleName=unique_name("r"), AssumeRolePolicyDocument="{nope")
    assert error_code(ei.value) == "MalformedPolicyDocument"


def test_no_such_entity(acct):
    """Operations on users, roles, keys and policies that do not exist: NoSuchEntity (404)."""
    iam = acct.root.iam
    missing = unique_name("ghost")
    calls = [
        lambda: iam.get_user(UserName=missing),
        lambda: iam.delete_user(UserName=missing),
        lambda: iam.create_access_key(UserName=missing),
        lambda: iam.list_access_keys(UserName=missing),
        lambda: iam.put_user_policy(UserName=missing, PolicyName="p", PolicyDocument=policy(allow("kms:*"))),
        lambda: iam.get_role(RoleName=missing),
        lambda: iam.delete_role(RoleName=missing),
        lambda: iam.get_role_policy(RoleName=missing, PolicyName="p"),
    ]
    for call in calls:
        with pytest.raises(ClientError) as ei:
            call()
        assert error_code(ei.value) == "NoSuchEntity"
        assert status(ei) == 404
    existing = unique_name("real")
    iam.create_user(UserName=existing)
    with pytest.raises(ClientError) as ei:
        iam.delete_user_policy(UserName=existing, PolicyName="never-put")
    assert error_code(ei.value) == "NoSuchEntity"
    with pytest.raises(ClientError) as ei:
        iam.update_access_key(UserName=existing, AccessKeyId="AKIAIOSFODNN7EXAMPLE", Status="Inactive")
    assert error_code(ei.value) == "NoSuchEntity"


def test_user_without_policies_is_denied_iam_and_kms(acct):
    """A user with no policies: iam:CreateUser → AccessDenied (403); kms:ListKeys → AccessDeniedException; GetCallerIdentity still works."""
    user = acct.user()
    assert user.sts.get_caller_identity()["Arn"] == user.arn
    wanted = unique_name("nope")
    with pytest.raises(ClientError) as ei:
        user.iam.create_user(UserName=wanted)
    assert error_code(ei.value) == "AccessDenied"
    assert status(ei) == 403
    assert ei.value.response["Error"]["Message"] == (
        f"User: {user.arn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::{acct.id}:user/{wanted} "
        f"because no identity-based policy allows the iam:CreateUser action")
    with pytest.raises(ClientError) as ei:
        user.kms.list_keys()
    assert error_code(ei.value) == "AccessDeniedException"
    assert ei.value.response["Error"]["Message"] == (
        f"User: {user.arn} is not authorized to perform: kms:ListKeys on resource: * "
        f"because no identity-based policy allows the kms:ListKeys action")


def test_user_with_iam_policy_manages_users(acct):
    """A user whose inline policy allows iam:CreateUser/iam:GetUser may call them, but not DeleteUser."""
    admin = acct.user(allow(["iam:CreateUser", "iam:GetUser"]))
    name = unique_name("made")
    made = admin.iam.create_user(UserName=name)["User"]
    assert made["Arn"] == f"arn:aws:iam::{acct.id}:user/{name}"
    assert admin.iam.get_user(UserName=name)["User"]["UserName"] == name
    # GetUser without a name is the caller.
    assert admin.iam.get_user()["User"]["Arn"] == admin.arn
    with pytest.raises(ClientError) as ei:
        admin.iam.delete_user(UserName=name)
    assert error_code(ei.value) == "AccessDenied"


def test_get_caller_identity_for_root_user_and_session(acct):
    """GetCallerIdentity: root (UserId = account id), user (AIDA id, user ARN), role session (AROA:session, assumed-role ARN)."""
    root = acct.root.sts.get_caller_identity()
    assert (root["Account"], root["Arn"], root["UserId"]) == (acct.id, acct.root_arn, acct.id)
    user = acct.user()
    uid = user.sts.get_caller_identity()
    user_id = acct.root.iam.get_user(UserName=user.name)["User"]["UserId"]
    assert (uid["Account"], uid["Arn"], uid["UserId"]) == (acct.id, user.arn, user_id)
    role = acct.role(user.arn)
    session = assume(user, role["Arn"], session_name="who-am-i")
    sid = session.sts.get_caller_identity()
    assert sid["Account"] == acct.id
    assert sid["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/{role['RoleName']}/who-am-i"
    assert sid["UserId"] == f"{role['RoleId']}:who-am-i"


def test_get_user_without_a_name_by_the_root_describes_the_root(acct):
    """GetUser with no UserName by the account root describes the root (its ARN and account id, no user name)."""
    me = acct.root.iam.get_user()["User"]
    assert me["Arn"] == acct.root_arn and me["UserId"] == acct.id
    assert "UserName" not in me


def test_assume_role_allowed_by_trust_policy_naming_the_user(acct):
    """A trust policy naming the user's ARN admits it (no IAM policy needed); the response has ASIA key, token, Expiration, assumed-role ARN."""
    user = acct.user()
    role = acct.role(user.arn)
    before = dt.datetime.now(dt.timezone.utc)
    out = user.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="sess-1", DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and len(creds["AccessKeyId"]) == 20
    assert creds["SecretAccessKey"] and creds["SessionToken"]
    expires = creds["Expiration"]
    assert dt.timedelta(seconds=850) < expires - before < dt.timedelta(seconds=960)
    assert out["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/{role['RoleName']}/sess-1"
    assert out["AssumedRoleUser"]["AssumedRoleId"] == f"{role['RoleId']}:sess-1"


def test_assume_role_denied_when_trust_policy_names_someone_else(acct):
    """A trust policy naming another user: AccessDenied for this user; the named one succeeds."""
    named = acct.user()
    other = acct.user(allow("sts:AssumeRole"))
    role = acct.role(named.arn)
    with pytest.raises(ClientError) as ei:
        other.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="nope")
    assert error_code(ei.value) == "AccessDenied"
    assert status(ei) == 403
    assert other.arn in ei.value.response["Error"]["Message"]
    assume(named, role["Arn"])


def test_assume_role_via_account_root_needs_iam_allow(acct):
    """Trust policy naming the account root: a user needs an IAM policy allowing sts:AssumeRole on the role."""
    role = acct.role(acct.root_arn)
    without = acct.user()
    with pytest.raises(ClientError) as ei:
        without.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="nope")
    assert error_code(ei.value) == "AccessDenied"
    with_allow = acct.user(allow("sts:AssumeRole", role["Arn"]))
    session = assume(with_allow, role["Arn"])
    assert session.sts.get_caller_identity()["Arn"].startswith(f"arn:aws:sts::{acct.id}:assumed-role/{role['RoleName']}/")
    # An explicit deny in the user's policy wins over the trust policy.
    denied = acct.user(allow("sts:AssumeRole", role["Arn"]), deny("sts:AssumeRole", role["Arn"]))
    with pytest.raises(ClientError) as ei:
        denied.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="nope")
    assert error_code(ei.value) == "AccessDenied"


def test_root_cannot_assume_roles(acct):
    """The account root assuming a role (even one trusting the root): AccessDenied."""
    role = acct.role(acct.root_arn)
    with pytest.raises(ClientError) as ei:
        acct.root.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="root-try")
    assert error_code(ei.value) == "AccessDenied"
    assert ei.value.response["Error"]["Message"] == "Roles may not be assumed by root accounts."


def test_duration_above_max_session_duration(acct):
    """DurationSeconds above the role's MaxSessionDuration (and below 900): ValidationError; equal to it: fine."""
    user = acct.user()
    role = acct.role(user.arn, max_session=3600)
    with pytest.raises(ClientError) as ei:
        user.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="long", DurationSeconds=3601)
    assert error_code(ei.value) == "ValidationError"
    sts_raw = make_client(acct.server, "sts", user.access_key, user.secret_key, validate=False)
    with pytest.raises(ClientError) as ei:
        sts_raw.assume_role(RoleArn=role["Arn"], RoleSessionName="short", DurationSeconds=899)
    assert error_code(ei.value) == "ValidationError"
    assume(user, role["Arn"], DurationSeconds=3600)
    longer = acct.role(user.arn, max_session=7200)
    assume(user, longer["Arn"], DurationSeconds=7200)


def test_session_credentials_use_the_roles_policy_for_kms(acct):
    """A session of a role whose inline policy allows kms:* (default key policy delegates): Encrypt/Decrypt work; without: denied."""
    user = acct.user()
    allowed = acct.role(user.arn, allow("kms:*"))
    bare = acct.role(user.arn)
    key = acct.root.kms.create_key()["KeyMetadata"]
    session = assume(user, allowed["Arn"])
    blob = session.kms.encrypt(KeyId=key["Arn"], Plaintext=b"from a session")["CiphertextBlob"]
    assert session.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"from a session"
    assert acct.root.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"from a session"
    nothing = assume(user, bare["Arn"], session_name="bare-session")
    with pytest.raises(ClientError) as ei:
        nothing.kms.decrypt(CiphertextBlob=blob)
    assert error_code(ei.value) == "AccessDeniedException"
    assert ei.value.response["Error"]["Message"] == (
        f"User: arn:aws:sts::{acct.id}:assumed-role/{bare['RoleName']}/bare-session is not authorized to perform: "
        f"kms:Decrypt on resource: {key['Arn']} because no identity-based policy allows the kms:Decrypt action")


def test_session_token_is_required_and_bound(acct):
    """Temporary key without its token, or with a token of another session: rejected (not authenticated)."""
    user = acct.user()
    role = acct.role(user.arn, allow("kms:*"))
    s1 = assume(user, role["Arn"])
    s2 = assume(user, role["Arn"])
    no_token = make_client(acct.server, "kms", s1.access_key, s1.secret_key)
    with pytest.raises(ClientError) as ei:
        no_token.list_keys()
    assert error_code(ei.value) == "UnrecognizedClientException"
    swapped = make_client(acct.server, "kms", s1.access_key, s1.secret_key, s2.session_token)
    with pytest.raises(ClientError) as ei:
        swapped.list_keys()
    assert error_code(ei.value) in ("UnrecognizedClientException", "InvalidSignatureException")
    s1.kms.list_keys()


def advance_clock(server, seconds: int) -> None:
    r = requests.post(f"{server.endpoint}/coffer-test/advance-clock?seconds={seconds}", verify=server.ca, timeout=30)
    assert r.status_code == 200, r.text


def test_session_credentials_expire(server_factory):
    """Test mode: session credentials work until Expiration; after advancing the clock past it, KMS and STS say ExpiredTokenException."""
    server = server_factory.new(name="sts-clock", test_mode=True)
    acct = Account(server, TEST_ACCOUNT_ID, server.access_key, server.secret_key)
    assert acct.root.sts.get_caller_identity()["Account"] == TEST_ACCOUNT_ID
    user = acct.user()
    role = acct.role(user.arn, allow("kms:*"))
    key = acct.root.kms.create_key()["KeyMetadata"]["KeyId"]
    session = assume(user, role["Arn"], DurationSeconds=900)
    blob = session.kms.encrypt(KeyId=key, Plaintext=b"x")["CiphertextBlob"]
    advance_clock(server, 600)
    assert session.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    assert session.sts.get_caller_identity()["Arn"].endswith(f"/{role['RoleName']}/{session.name}")
    advance_clock(server, 301)
    with pytest.raises(ClientError) as ei:
        session.kms.decrypt(CiphertextBlob=blob)
    assert error_code(ei.value) == "ExpiredTokenException"
    with pytest.raises(ClientError) as ei:
        session.sts.get_caller_identity()
    assert error_code(ei.value) == "ExpiredTokenException"
    # Long-term credentials are unaffected, and a new session works again.
    assert acct.root.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    fresh = assume(user, role["Arn"])
    assert fresh.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    for p in (acct.root, user, session, fresh):
        p.close()


def test_aws_cli_iam_and_sts(acct):
    """The aws CLI: `aws iam create-user`, `aws iam get-user`, `aws sts get-caller-identity` (root and user)."""
    server = acct.server
    root_env = {"access_key": acct.root.access_key, "secret_key": acct.root.secret_key}
    name = unique_name("cli")
    out = json.loads(server.aws("iam", "create-user", "--user-name", name, "--output", "json", **root_env).stdout)
    assert out["User"]["UserName"] == name
    assert out["User"]["Arn"] == f"arn:aws:iam::{acct.id}:user/{name}"
    got = json.loads(server.aws("iam", "get-user", "--user-name", name, "--output", "json", **root_env).stdout)
    assert got["User"]["UserId"] == out["User"]["UserId"]
    ident = json.loads(server.aws("sts", "get-caller-identity", "--output", "json", **root_env).stdout)
    assert ident == {"UserId": acct.id, "Account": acct.id, "Arn": acct.root_arn}
    key = json.loads(server.aws("iam", "create-access-key", "--user-name", name, "--output", "json", **root_env).stdout)["AccessKey"]
    ident = json.loads(server.aws("sts", "get-caller-identity", "--output", "json",
                                  access_key=key["AccessKeyId"], secret_key=key["SecretAccessKey"]).stdout)
    assert ident["Arn"] == f"arn:aws:iam::{acct.id}:user/{name}"
    dup = server.aws("iam", "create-user", "--user-name", name, check=False, **root_env)
    assert dup.returncode != 0 and "EntityAlreadyExists" in dup.stderr


def test_user_secret_is_not_stored_in_plaintext(acct):
    """The secret access key of a user (and of a session) appears nowhere in coffer.sqlite, -wal or -shm bytes."""
    user = acct.user()
    role = acct.role(user.arn)
    session = assume(user, role["Arn"])
    user.sts.get_caller_identity()
    files = sorted(acct.server.data_dir.glob("coffer.sqlite*"))
    assert any(f.name == "coffer.sqlite" for f in files), files
    needles = [user.secret_key.encode(), session.secret_key.encode(), acct.root.secret_key.encode()]
    for f in files:
        data = f.read_bytes()
        for needle in needles:
            assert needle not in data, f"a secret access key is stored in plaintext in {f.name}"
            assert needle.hex().encode() not in data


@pytest.fixture(scope="module")
def other(coffer) -> Account:
    """A second fresh account."""
    return Account.create(coffer)


def test_accounts_are_isolated(acct, other):
    """Another account's root cannot see this account's users or roles (NoSuchEntity), and lists only its own."""
    user = acct.user()
    role = acct.role(user.arn)
    with pytest.raises(ClientError) as ei:
        other.root.iam.get_user(UserName=user.name)
    assert error_code(ei.value) == "NoSuchEntity"
    with pytest.raises(ClientError) as ei:
        other.root.iam.get_role(RoleName=role["RoleName"])
    assert error_code(ei.value) == "NoSuchEntity"
    assert user.name not in [u["UserName"] for u in other.root.iam.list_users()["Users"]]
    # The same name may exist in both accounts.
    other.root.iam.create_user(UserName=user.name)
    assert other.root.iam.get_user(UserName=user.name)["User"]["Arn"] == f"arn:aws:iam::{other.id}:user/{user.name}"


def test_cross_account_assume_role_needs_trust_and_iam_allow(acct, other):
    """A role of account A trusting account B's user: B's user needs its own IAM allow for sts:AssumeRole; the session belongs to A."""
    without = other.user()
    with_allow = other.user(allow("sts:AssumeRole"))
    role = acct.role([without.arn, with_allow.arn])
    with pytest.raises(ClientError) as ei:
        without.sts.assume_role(RoleArn=role["Arn"], RoleSessionName="xacct")
    assert error_code(ei.value) == "AccessDenied"
    session = assume(with_allow, role["Arn"], session_name="xacct")
    ident = session.sts.get_caller_identity()
    assert ident["Account"] == acct.id
    assert ident["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/{role['RoleName']}/xacct"
    # A role that trusts only account A's principals refuses B's user even with an IAM allow.
    local = acct.role(acct.root_arn)
    with pytest.raises(ClientError) as ei:
        with_allow.sts.assume_role(RoleArn=local["Arn"], RoleSessionName="xacct")
    assert error_code(ei.value) == "AccessDenied"


def test_assume_role_that_does_not_exist(acct):
    """AssumeRole of a role ARN that does not exist: AccessDenied (as AWS: not authorized to perform sts:AssumeRole)."""
    user = acct.user(allow("sts:AssumeRole"))
    with pytest.raises(ClientError) as ei:
        user.sts.assume_role(RoleArn=f"arn:aws:iam::{acct.id}:role/{unique_name('ghost')}", RoleSessionName="nope")
    assert error_code(ei.value) == "AccessDenied"
    assert "sts:AssumeRole" in ei.value.response["Error"]["Message"]


def test_role_chaining(acct):
    """A session assumes a second role whose trust policy names the first role: works for up to 1 hour; DurationSeconds above 3600 is ValidationError."""
    user = acct.user()
    first = acct.role(user.arn)
    second = acct.role(first["Arn"], max_session=7200)
    session = assume(user, first["Arn"])
    chained = assume(session, second["Arn"], session_name="chained", DurationSeconds=3600)
    assert chained.sts.get_caller_identity()["Arn"] == f"arn:aws:sts::{acct.id}:assumed-role/{second['RoleName']}/chained"
    with pytest.raises(ClientError) as ei:
        session.sts.assume_role(RoleArn=second["Arn"], RoleSessionName="too-long", DurationSeconds=7200)
    assert error_code(ei.value) == "ValidationError"


def test_policy_changes_take_effect_at_once(acct):
    """Deleting a user's or role's inline policy removes the permission for the very next request (user and existing session)."""
    key = acct.root.kms.create_key()["KeyMetadata"]
    user = acct.user(allow("kms:DescribeKey"))
    role = acct.role(user.arn, allow("kms:DescribeKey"))
    session = assume(user, role["Arn"])
    user.kms.describe_key(KeyId=key["KeyId"])
    session.kms.describe_key(KeyId=key["KeyId"])
    acct.root.iam.delete_user_policy(UserName=user.name, PolicyName="inline")
    acct.root.iam.delete_role_policy(RoleName=role["RoleName"], PolicyName="inline")
    for who in (user, session):
        with pytest.raises(ClientError) as ei:
            who.kms.describe_key(KeyId=key["KeyId"])
        assert error_code(ei.value) == "AccessDeniedException"
    acct.root.iam.put_role_policy(RoleName=role["RoleName"], PolicyName="again", PolicyDocument=policy(allow("kms:DescribeKey")))
    session.kms.describe_key(KeyId=key["KeyId"])
