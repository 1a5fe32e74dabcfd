"""KMS authorization as AWS does it: key policies, IAM (identity-based) policies, delegation to the
account, explicit denies, cross-account use, condition keys, the lockout safety check, and
operations that name no key. Two fresh accounts (A and B) on the shared server, several users."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from iam_helpers import Account, allow, assume, deny, denied_message, policy, unique_name

LOCKOUT_MESSAGE = "The new key policy will not allow you to update the key policy in the future."


@pytest.fixture(scope="module")
def a(coffer) -> Account:
    return Account.create(coffer)


@pytest.fixture(scope="module")
def b(coffer) -> Account:
    return Account.create(coffer)


def root_statement(account: Account, action="kms:*") -> dict:
    """The default key policy's statement: delegate to the account (its IAM policies)."""
    return {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": account.root_arn},
            "Action": action, "Resource": "*"}


def principal_statement(effect: str, principal, action, **extra) -> dict:
    statement = {"Effect": effect, "Principal": {"AWS": principal}, "Action": action, "Resource": "*"}
    statement.update(extra)
    return statement


def assert_denied(info, caller_arn: str, action: str, resource: str, why: str) -> None:
    assert error_code(info.value) == "AccessDeniedException", info.value.response
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert info.value.response["Error"]["Message"] == denied_message(caller_arn, action, resource, why)


def test_user_without_permission_is_denied_with_awss_message(a):
    """A user with no IAM policy on a key with the default policy: AccessDeniedException naming the user, kms:<Action>, the key ARN, and 'no identity-based policy'."""
    key = a.root.kms.create_key()["KeyMetadata"]
    user = a.user()
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"nope")
    assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-identity")
    with pytest.raises(ClientError) as ei:
        user.kms.describe_key(KeyId=key["Arn"])
    assert_denied(ei, user.arn, "kms:DescribeKey", key["Arn"], "no-identity")
    blob = a.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"secret")["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        user.kms.decrypt(CiphertextBlob=blob)
    assert_denied(ei, user.arn, "kms:Decrypt", key["Arn"], "no-identity")
    # The same user with an IAM allow (the default key policy delegates to the account) may.
    a.root.iam.put_user_policy(UserName=user.name, PolicyName="kms", PolicyDocument=policy(allow(["kms:Decrypt", "kms:DescribeKey"])))
    assert user.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"secret"
    assert user.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Arn"] == key["Arn"]
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"nope")
    assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-identity")


def test_iam_allow_is_limited_to_the_named_key(a):
    """An IAM policy whose Resource is one key's ARN allows that key only."""
    k1 = a.root.kms.create_key()["KeyMetadata"]
    k2 = a.root.kms.create_key()["KeyMetadata"]
    user = a.user(allow(["kms:Encrypt"], k1["Arn"]))
    user.kms.encrypt(KeyId=k1["KeyId"], Plaintext=b"ok")
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=k2["KeyId"], Plaintext=b"nope")
    assert_denied(ei, user.arn, "kms:Encrypt", k2["Arn"], "no-identity")


def test_key_policy_deny_beats_iam_allow(a):
    """Key policy: delegate to the account, but Deny kms:Decrypt to one user; that user's IAM kms:* allow does not help."""
    user = a.user(allow("kms:*"))
    key_policy = policy(root_statement(a), principal_statement("Deny", user.arn, "kms:Decrypt", Sid="NoDecrypt"))
    key = a.root.kms.create_key(Policy=key_policy)["KeyMetadata"]
    blob = user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"p")["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        user.kms.decrypt(CiphertextBlob=blob)
    assert_denied(ei, user.arn, "kms:Decrypt", key["Arn"], "deny-resource")
    # Someone else with the same IAM policy is unaffected.
    other = a.user(allow("kms:*"))
    assert other.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"p"


def test_explicit_iam_deny_beats_key_policy_allow(a):
    """Key policy allows the user directly (kms:*); the user's IAM policy denies kms:Encrypt: Encrypt is denied, Decrypt still works."""
    user = a.user(deny("kms:Encrypt"))
    key_policy = policy(root_statement(a), principal_statement("Allow", user.arn, "kms:*", Sid="User"))
    key = a.root.kms.create_key(Policy=key_policy)["KeyMetadata"]
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "deny-identity")
    blob = a.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    # A key policy naming the user directly needs no IAM allow in the same account.
    assert user.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_iam_policy_works_only_when_key_policy_delegates_to_the_account(a):
    """A key whose policy names only an admin user (put bypassing the lockout check) denies another user with an IAM kms:* allow, and the root; once the admin puts a policy naming the account root, the user works."""
    admin = a.user()
    user = a.user(allow("kms:*"))
    admin_only = policy(principal_statement("Allow", admin.arn, "kms:*", Sid="AdminOnly"))
    key = a.root.kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as ei:
        a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=admin_only)
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=admin_only, BypassPolicyLockoutSafetyCheck=True)
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-resource")
    # Not even the account root is allowed by a key policy that does not name it.
    with pytest.raises(ClientError) as ei:
        a.root.kms.describe_key(KeyId=key["KeyId"])
    assert_denied(ei, a.root_arn, "kms:DescribeKey", key["Arn"], "no-resource")
    # The admin is named directly: no IAM policy needed.
    blob = admin.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"admin data")["CiphertextBlob"]
    admin.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                             Policy=policy(root_statement(a), principal_statement("Allow", admin.arn, "kms:*")))
    assert user.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"admin data"
    user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    a.root.kms.describe_key(KeyId=key["KeyId"])
    # A user with no IAM policy is still denied (delegation means the IAM policy decides).
    nobody = a.user()
    with pytest.raises(ClientError) as ei:
        nobody.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, nobody.arn, "kms:Encrypt", key["Arn"], "no-identity")


def test_cross_account_decrypt_needs_both_key_policy_and_iam_policy(a, b):
    """Account B's user reads account A's encrypted data only when A's key policy grants kms:Decrypt to B and B's IAM policy allows it; each half alone is denied."""
    key = a.root.kms.create_key()["KeyMetadata"]
    blob = a.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"account A data", EncryptionContext={"app": "x"})["CiphertextBlob"]
    reader = b.user(allow("kms:Decrypt", key["Arn"]))
    no_iam = b.user()

    # Only B's IAM half: A's default key policy names A's root only.
    with pytest.raises(ClientError) as ei:
        reader.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})
    assert_denied(ei, reader.arn, "kms:Decrypt", key["Arn"], "no-resource")
    with pytest.raises(ClientError) as ei:
        b.root.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})
    assert_denied(ei, b.root_arn, "kms:Decrypt", key["Arn"], "no-resource")

    # A's key policy grants kms:Decrypt to account B.
    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=policy(
        root_statement(a), principal_statement("Allow", b.root_arn, "kms:Decrypt", Sid="AccountB")))
    # Only A's half: the B user without an IAM allow is still denied.
    with pytest.raises(ClientError) as ei:
        no_iam.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})
    assert_denied(ei, no_iam.arn, "kms:Decrypt", key["Arn"], "no-identity")
    # Both halves.
    out = reader.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})
    assert out["Plaintext"] == b"account A data"
    assert out["KeyId"] == key["Arn"]
    out = reader.kms.decrypt(CiphertextBlob=blob, KeyId=key["Arn"], EncryptionContext={"app": "x"})
    assert out["Plaintext"] == b"account A data"
    # B's root needs no IAM policy.
    assert b.root.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"app": "x"})["Plaintext"] == b"account A data"
    # The key policy grants Decrypt only.
    with pytest.raises(ClientError) as ei:
        b.root.kms.encrypt(KeyId=key["Arn"], Plaintext=b"x")
    assert_denied(ei, b.root_arn, "kms:Encrypt", key["Arn"], "no-resource")


def test_cross_account_key_is_named_by_arn_only(a, b):
    """From account B, A's key is reachable by its key ARN; its bare key id and A's alias are NotFoundException in B."""
    key = a.root.kms.create_key()["KeyMetadata"]
    alias = f"alias/{unique_name('xacct')}"
    a.root.kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=policy(
        root_statement(a), principal_statement("Allow", b.root_arn, ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"])))
    user = b.user(allow(["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]))
    assert user.kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]["AWSAccountId"] == a.id
    blob = user.kms.encrypt(KeyId=key["Arn"], Plaintext=b"from B")["CiphertextBlob"]
    assert a.root.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"from B"
    for key_id in (key["KeyId"], alias):
        with pytest.raises(ClientError) as ei:
            user.kms.encrypt(KeyId=key_id, Plaintext=b"x")
        assert error_code(ei.value) == "NotFoundException"


def test_cross_account_user_principal_in_key_policy(a, b):
    """A's key policy naming one B user directly: that user still needs B's IAM allow; another B user with an IAM allow is denied."""
    key = a.root.kms.create_key()["KeyMetadata"]
    named = b.user(allow("kms:Encrypt"))
    named_no_iam = b.user()
    other = b.user(allow("kms:Encrypt"))
    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=policy(
        root_statement(a), principal_statement("Allow", [named.arn, named_no_iam.arn], "kms:Encrypt")))
    named.kms.encrypt(KeyId=key["Arn"], Plaintext=b"x")
    with pytest.raises(ClientError) as ei:
        named_no_iam.kms.encrypt(KeyId=key["Arn"], Plaintext=b"x")
    assert_denied(ei, named_no_iam.arn, "kms:Encrypt", key["Arn"], "no-identity")
    with pytest.raises(ClientError) as ei:
        other.kms.encrypt(KeyId=key["Arn"], Plaintext=b"x")
    assert_denied(ei, other.arn, "kms:Encrypt", key["Arn"], "no-resource")


def test_condition_encryption_context_in_iam_policy(a):
    """IAM allow with StringEquals kms:EncryptionContext:project = alpha: Encrypt/Decrypt with that pair work; another value or none is denied."""
    key = a.root.kms.create_key()["KeyMetadata"]
    user = a.user(allow(["kms:Encrypt", "kms:Decrypt"], condition={"StringEquals": {"kms:EncryptionContext:project": "alpha"}}))
    blob = user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"a", EncryptionContext={"project": "alpha", "other": "z"})["CiphertextBlob"]
    assert user.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"project": "alpha", "other": "z"})["Plaintext"] == b"a"
    for context in ({"project": "beta"}, {}, {"project": "Alpha"}, {"other": "alpha"}):
        with pytest.raises(ClientError) as ei:
            user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"a", EncryptionContext=context)
        assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-identity")
    # Condition key names are not case-sensitive (IAM User Guide, Condition element), so the
    # context key matches in any case; StringEquals keeps the value case-sensitive (above).
    user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"a", EncryptionContext={"Project": "alpha"})
    beta = a.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"b", EncryptionContext={"project": "beta"})["CiphertextBlob"]
    with pytest.raises(ClientError) as ei:
        user.kms.decrypt(CiphertextBlob=beta, EncryptionContext={"project": "beta"})
    assert_denied(ei, user.arn, "kms:Decrypt", key["Arn"], "no-identity")


def test_condition_encryption_context_keys_in_key_policy(a):
    """Key policy (no delegation) allowing a user kms:Encrypt only with ForAllValues:StringEquals kms:EncryptionContextKeys [tenant] and Null=false."""
    user = a.user()
    key_policy = policy(
        root_statement(a, ["kms:PutKeyPolicy", "kms:DescribeKey", "kms:Decrypt"]),
        principal_statement("Allow", user.arn, "kms:Encrypt", Condition={
            "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["tenant"]},
            "Null": {"kms:EncryptionContextKeys": "false"}}))
    key = a.root.kms.create_key(Policy=key_policy)["KeyMetadata"]
    user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext={"tenant": "t1"})
    for context in ({}, {"tenant": "t1", "extra": "y"}, {"other": "t1"}):
        with pytest.raises(ClientError) as ei:
            user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x", EncryptionContext=context)
        assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-resource")


def test_condition_source_ip(a):
    """aws:SourceIp is 127.0.0.1: NotIpAddress 10.0.0.0/8 allows, IpAddress 10.0.0.0/8 denies, IpAddress 127.0.0.0/8 allows."""
    key = a.root.kms.create_key()["KeyMetadata"]
    outside = a.user(allow("kms:Encrypt", condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    inside10 = a.user(allow("kms:Encrypt", condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    loopback = a.user(allow("kms:Encrypt", condition={"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "127.0.0.0/8"]}}))
    outside.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    loopback.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    with pytest.raises(ClientError) as ei:
        inside10.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, inside10.arn, "kms:Encrypt", key["Arn"], "no-identity")
    # As a deny: Deny when not from 10/8 blocks loopback callers even with an allow.
    blocked = a.user(allow("kms:Encrypt"), deny("kms:Encrypt", condition={"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    with pytest.raises(ClientError) as ei:
        blocked.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, blocked.arn, "kms:Encrypt", key["Arn"], "deny-identity")


def test_condition_resource_tag(a):
    """IAM allow with aws:ResourceTag/Project = alpha: keys tagged alpha work; beta and untagged are denied; retagging takes effect at once."""
    alpha = a.root.kms.create_key(Tags=[{"TagKey": "Project", "TagValue": "alpha"}])["KeyMetadata"]
    beta = a.root.kms.create_key(Tags=[{"TagKey": "Project", "TagValue": "beta"}])["KeyMetadata"]
    untagged = a.root.kms.create_key()["KeyMetadata"]
    user = a.user(allow("kms:Encrypt", condition={"StringEquals": {"aws:ResourceTag/Project": "alpha"}}))
    user.kms.encrypt(KeyId=alpha["KeyId"], Plaintext=b"x")
    for key in (beta, untagged):
        with pytest.raises(ClientError) as ei:
            user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
        assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-identity")
    a.root.kms.tag_resource(KeyId=beta["KeyId"], Tags=[{"TagKey": "Project", "TagValue": "alpha"}])
    user.kms.encrypt(KeyId=beta["KeyId"], Plaintext=b"x")
    a.root.kms.untag_resource(KeyId=alpha["KeyId"], TagKeys=["Project"])
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=alpha["KeyId"], Plaintext=b"x")
    assert_denied(ei, user.arn, "kms:Encrypt", alpha["Arn"], "no-identity")


def test_condition_request_alias_and_resource_aliases(a):
    """kms:RequestAlias: allowed only when the request names the key by that alias; kms:ResourceAliases: allowed by key id while the alias points at the key."""
    key = a.root.kms.create_key()["KeyMetadata"]
    alias = f"alias/{unique_name('req')}"
    a.root.kms.create_alias(AliasName=alias, TargetKeyId=key["KeyId"])
    by_alias = a.user(allow("kms:Encrypt", condition={"StringEquals": {"kms:RequestAlias": alias}}))
    by_alias.kms.encrypt(KeyId=alias, Plaintext=b"x")
    for key_id in (key["KeyId"], key["Arn"]):
        with pytest.raises(ClientError) as ei:
            by_alias.kms.encrypt(KeyId=key_id, Plaintext=b"x")
        assert_denied(ei, by_alias.arn, "kms:Encrypt", key["Arn"], "no-identity")

    aliased = a.user(allow("kms:Encrypt", condition={"ForAnyValue:StringEquals": {"kms:ResourceAliases": alias}}))
    aliased.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    a.root.kms.delete_alias(AliasName=alias)
    with pytest.raises(ClientError) as ei:
        aliased.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, aliased.arn, "kms:Encrypt", key["Arn"], "no-identity")


def test_condition_principal_tag(a):
    """The same IAM policy requiring aws:PrincipalTag/team = blue: the user tagged blue may, the one tagged red may not."""
    key = a.root.kms.create_key()["KeyMetadata"]
    statement = allow("kms:Encrypt", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}})
    blue = a.user(statement, tags={"team": "blue"})
    red = a.user(statement, tags={"team": "red"})
    blue.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    with pytest.raises(ClientError) as ei:
        red.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, red.arn, "kms:Encrypt", key["Arn"], "no-identity")


def test_condition_caller_account_with_wildcard_principal(a, b):
    """Key policy Principal "*" limited by kms:CallerAccount = B: B's root may decrypt, A's users (no IAM policy) may not."""
    key = a.root.kms.create_key(Policy=policy(
        root_statement(a),
        principal_statement("Allow", "*", "kms:Decrypt", Condition={"StringEquals": {"kms:CallerAccount": b.id}})))["KeyMetadata"]
    blob = a.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    assert b.root.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"
    local = a.user()
    with pytest.raises(ClientError) as ei:
        local.kms.decrypt(CiphertextBlob=blob)
    assert_denied(ei, local.arn, "kms:Decrypt", key["Arn"], "no-identity")


def test_lockout_safety_check_and_bypass(a):
    """CreateKey/PutKeyPolicy with a policy that would lock the caller out: MalformedPolicyDocumentException with AWS's message; BypassPolicyLockoutSafetyCheck lets it through."""
    someone = a.user()
    locked = policy(principal_statement("Allow", someone.arn, ["kms:Encrypt", "kms:Decrypt"]))
    with pytest.raises(ClientError) as ei:
        a.root.kms.create_key(Policy=locked)
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    assert ei.value.response["Error"]["Message"] == LOCKOUT_MESSAGE

    key = a.root.kms.create_key()["KeyMetadata"]
    before = a.root.kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"]
    with pytest.raises(ClientError) as ei:
        a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=locked)
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    assert ei.value.response["Error"]["Message"] == LOCKOUT_MESSAGE
    assert a.root.kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"] == before
    # A policy that still lets the root call PutKeyPolicy passes.
    keeps = policy(root_statement(a, ["kms:PutKeyPolicy", "kms:GetKeyPolicy"]))
    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=keeps)
    # A Deny of PutKeyPolicy for the caller is a lockout too.
    denies = policy(root_statement(a), principal_statement("Deny", a.root_arn, "kms:PutKeyPolicy"))
    with pytest.raises(ClientError) as ei:
        a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=denies)
    assert error_code(ei.value) == "MalformedPolicyDocumentException"

    a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=locked, BypassPolicyLockoutSafetyCheck=True)
    with pytest.raises(ClientError) as ei:
        a.root.kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")
    assert_denied(ei, a.root_arn, "kms:GetKeyPolicy", key["Arn"], "no-resource")
    blob = someone.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    assert someone.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_create_key_with_lockout_bypass(a):
    """CreateKey(Policy=<policy not naming the caller>, BypassPolicyLockoutSafetyCheck=True) creates the key (botocore CreateKey: the flag skips the check); the named user can use it."""
    someone = a.user()
    locked = policy(principal_statement("Allow", someone.arn, ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]))
    with pytest.raises(ClientError) as ei:
        a.root.kms.create_key(Policy=locked)
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    created = a.root.kms.create_key(Policy=locked, BypassPolicyLockoutSafetyCheck=True)["KeyMetadata"]
    assert someone.kms.describe_key(KeyId=created["KeyId"])["KeyMetadata"]["Arn"] == created["Arn"]
    blob = someone.kms.encrypt(KeyId=created["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    assert someone.kms.decrypt(CiphertextBlob=blob)["Plaintext"] == b"x"


def test_lockout_check_for_a_user_caller(a):
    """A user allowed by IAM to manage a key: putting a policy that no longer delegates to the account (or name the user) is refused; naming the user directly passes."""
    admin = a.user(allow("kms:*"))
    key = admin.kms.create_key()["KeyMetadata"]
    other = a.user()
    with pytest.raises(ClientError) as ei:
        admin.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                                 Policy=policy(principal_statement("Allow", other.arn, "kms:*")))
    assert error_code(ei.value) == "MalformedPolicyDocumentException"
    assert ei.value.response["Error"]["Message"] == LOCKOUT_MESSAGE
    admin.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default",
                             Policy=policy(principal_statement("Allow", admin.arn, "kms:*")))
    # The root is no longer named: it is locked out of this key, the admin is not.
    admin.kms.describe_key(KeyId=key["KeyId"])
    with pytest.raises(ClientError) as ei:
        a.root.kms.describe_key(KeyId=key["KeyId"])
    assert_denied(ei, a.root_arn, "kms:DescribeKey", key["Arn"], "no-resource")


def test_malformed_key_policy(a):
    """Key policies that are not valid documents: MalformedPolicyDocumentException (even with the bypass flag)."""
    bad = [
        "not json",
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}),  # no Principal
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Perhaps", "Principal": {"AWS": a.root_arn},
                                                            "Action": "kms:*", "Resource": "*"}]}),
    ]
    key = a.root.kms.create_key()["KeyMetadata"]
    for document in bad:
        with pytest.raises(ClientError) as ei:
            a.root.kms.create_key(Policy=document, BypassPolicyLockoutSafetyCheck=True)
        assert error_code(ei.value) == "MalformedPolicyDocumentException", document
        with pytest.raises(ClientError) as ei:
            a.root.kms.put_key_policy(KeyId=key["KeyId"], PolicyName="default", Policy=document, BypassPolicyLockoutSafetyCheck=True)
        assert error_code(ei.value) == "MalformedPolicyDocumentException", document


def test_keyless_operations_need_an_iam_allow(a):
    """ListKeys, ListAliases, CreateKey and GenerateRandom: a user with an IAM allow on "*" may call them; a user without is denied with resource "*"."""
    allowed = a.user(allow(["kms:ListKeys", "kms:ListAliases", "kms:CreateKey", "kms:GenerateRandom"]))
    assert len(allowed.kms.generate_random(NumberOfBytes=16)["Plaintext"]) == 16
    made = allowed.kms.create_key(Description="made by a user")["KeyMetadata"]
    assert made["AWSAccountId"] == a.id
    assert made["KeyId"] in [k["KeyId"] for k in allowed.kms.list_keys(Limit=1000)["Keys"]]
    allowed.kms.list_aliases()
    # The key got the default policy: it delegates to the account.
    assert json.loads(a.root.kms.get_key_policy(KeyId=made["KeyId"])["Policy"])["Statement"][0]["Principal"] == {"AWS": a.root_arn}

    nobody = a.user()
    calls = {
        "kms:ListKeys": lambda: nobody.kms.list_keys(),
        "kms:ListAliases": lambda: nobody.kms.list_aliases(),
        "kms:CreateKey": lambda: nobody.kms.create_key(),
        "kms:GenerateRandom": lambda: nobody.kms.generate_random(NumberOfBytes=16),
    }
    for action, call in calls.items():
        with pytest.raises(ClientError) as ei:
            call()
        assert_denied(ei, nobody.arn, action, "*", "no-identity")
    # An allow on a specific key ARN is not an allow on "*".
    scoped = a.user(allow("kms:ListKeys", made["Arn"]))
    with pytest.raises(ClientError) as ei:
        scoped.kms.list_keys()
    assert_denied(ei, scoped.arn, "kms:ListKeys", "*", "no-identity")
    # An explicit deny wins.
    denied = a.user(allow("kms:*"), deny("kms:GenerateRandom"))
    with pytest.raises(ClientError) as ei:
        denied.kms.generate_random(NumberOfBytes=16)
    assert_denied(ei, denied.arn, "kms:GenerateRandom", "*", "deny-identity")
    denied.kms.list_keys()


def test_reencrypt_needs_reencrypt_from_and_to(a):
    """ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key."""
    source = a.root.kms.create_key()["KeyMetadata"]
    dest = a.root.kms.create_key()["KeyMetadata"]
    blob = a.root.kms.encrypt(KeyId=source["KeyId"], Plaintext=b"move me")["CiphertextBlob"]
    from_only = a.user(allow("kms:ReEncryptFrom", source["Arn"]))
    with pytest.raises(ClientError) as ei:
        from_only.kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=dest["KeyId"])
    assert_denied(ei, from_only.arn, "kms:ReEncryptTo", dest["Arn"], "no-identity")
    to_only = a.user(allow("kms:ReEncryptTo", dest["Arn"]))
    with pytest.raises(ClientError) as ei:
        to_only.kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=dest["KeyId"])
    assert_denied(ei, to_only.arn, "kms:ReEncryptFrom", source["Arn"], "no-identity")
    both = a.user(allow("kms:ReEncrypt*"))
    moved = both.kms.re_encrypt(CiphertextBlob=blob, DestinationKeyId=dest["KeyId"])
    assert moved["KeyId"] == dest["Arn"] and moved["SourceKeyId"] == source["Arn"]
    assert a.root.kms.decrypt(CiphertextBlob=moved["CiphertextBlob"])["Plaintext"] == b"move me"


def test_create_alias_needs_permission_on_alias_and_key(a):
    """CreateAlias is authorized on the alias ARN (IAM) and on the key; an IAM allow on the key ARN alone is not enough."""
    key = a.root.kms.create_key()["KeyMetadata"]
    prefix = unique_name("team")
    alias_arn = f"arn:aws:kms:us-east-1:{a.id}:alias/{prefix}-ok"
    key_only = a.user(allow("kms:CreateAlias", key["Arn"]))
    with pytest.raises(ClientError) as ei:
        key_only.kms.create_alias(AliasName=f"alias/{prefix}-ok", TargetKeyId=key["KeyId"])
    assert_denied(ei, key_only.arn, "kms:CreateAlias", alias_arn, "no-identity")
    scoped = a.user(allow("kms:CreateAlias", [key["Arn"], f"arn:aws:kms:*:{a.id}:alias/{prefix}-*"]))
    scoped.kms.create_alias(AliasName=f"alias/{prefix}-ok", TargetKeyId=key["KeyId"])
    with pytest.raises(ClientError) as ei:
        scoped.kms.create_alias(AliasName=f"alias/other-{prefix}", TargetKeyId=key["KeyId"])
    assert_denied(ei, scoped.arn, "kms:CreateAlias", f"arn:aws:kms:us-east-1:{a.id}:alias/other-{prefix}", "no-identity")
    alias_only = a.user(allow("kms:CreateAlias", f"arn:aws:kms:*:{a.id}:alias/*"))
    with pytest.raises(ClientError) as ei:
        alias_only.kms.create_alias(AliasName=f"alias/{prefix}-two", TargetKeyId=key["KeyId"])
    assert_denied(ei, alias_only.arn, "kms:CreateAlias", key["Arn"], "no-identity")
    aliases = a.root.kms.list_aliases(KeyId=key["KeyId"])["Aliases"]
    assert [x["AliasName"] for x in aliases] == [f"alias/{prefix}-ok"]


def test_role_sessions_in_key_policies(a):
    """Key policy Principal "*" with ArnEquals aws:PrincipalArn = a role ARN admits that role's sessions only; role tags are aws:PrincipalTag for sessions."""
    user = a.user()
    role = a.role(user.arn, tags={"team": "blue"})
    other_role = a.role(user.arn, tags={"team": "red"})
    key = a.root.kms.create_key(Policy=policy(
        root_statement(a),
        principal_statement("Allow", "*", "kms:Encrypt", Condition={"ArnEquals": {"aws:PrincipalArn": role["Arn"]}}),
        principal_statement("Allow", "*", "kms:DescribeKey", Condition={"StringEquals": {"aws:PrincipalTag/team": "blue",
                                                                                          "aws:PrincipalAccount": a.id}}),
    ))["KeyMetadata"]
    session = assume(user, role["Arn"])
    session.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    session.kms.describe_key(KeyId=key["KeyId"])
    other = assume(user, other_role["Arn"], session_name="other")
    with pytest.raises(ClientError) as ei:
        other.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, other.arn, "kms:Encrypt", key["Arn"], "no-identity")
    with pytest.raises(ClientError) as ei:
        other.kms.describe_key(KeyId=key["KeyId"])
    assert_denied(ei, other.arn, "kms:DescribeKey", key["Arn"], "no-identity")
    # The user itself (aws:PrincipalArn is the user ARN) is not admitted.
    with pytest.raises(ClientError) as ei:
        user.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")
    assert_denied(ei, user.arn, "kms:Encrypt", key["Arn"], "no-identity")
