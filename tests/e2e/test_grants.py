"""KMS grants through boto3: what a grant allows (operations, encryption-context constraints), retiring
and revoking, ListGrants/ListRetirableGrants, Name idempotency, and grants to roles. Grantees are IAM
users with no policies of their own in a fresh account, so only the grant can let them in."""

from __future__ import annotations

import datetime as dt

import pytest
from botocore.exceptions import ClientError

from conftest import error_code
from iam_helpers import Account, allow, assume, deny, denied_message, unique_name


@pytest.fixture(scope="module")
def acct(coffer) -> Account:
    return Account.create(coffer)


@pytest.fixture
def key(acct) -> dict:
    """A fresh symmetric key of the module's account (default key policy: delegates to the account)."""
    return acct.root.kms.create_key(Description="grant tests")["KeyMetadata"]


def assert_denied(info, caller_arn: str, action: str, resource: str, why: str = "no-identity") -> None:
    assert error_code(info.value) == "AccessDeniedException", info.value.response
    assert info.value.response["Error"]["Message"] == denied_message(caller_arn, action, resource, why)


def encrypt(acct: Account, key: dict, context: dict | None, data: bytes = b"granted data") -> bytes:
    kw = {"EncryptionContext": context} if context is not None else {}
    return acct.root.kms.encrypt(KeyId=key["KeyId"], Plaintext=data, **kw)["CiphertextBlob"]


def decrypt(who, blob: bytes, context: dict | None, **kw) -> bytes:
    if context is not None:
        kw["EncryptionContext"] = context
    return who.kms.decrypt(CiphertextBlob=blob, **kw)["Plaintext"]


def test_grant_with_encryption_context_equals(acct, key):
    """Decrypt granted with EncryptionContextEquals {app: x}: the grantee decrypts data under exactly that context, nothing else."""
    grantee = acct.user()
    exact = encrypt(acct, key, {"app": "x"})
    with pytest.raises(ClientError) as ei:
        decrypt(grantee, exact, {"app": "x"})
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"],
                                       Constraints={"EncryptionContextEquals": {"app": "x"}})
    assert len(grant["GrantId"]) >= 1 and grant["GrantToken"]
    assert decrypt(grantee, exact, {"app": "x"}) == b"granted data"
    cases = {
        "superset": encrypt(acct, key, {"app": "x", "extra": "y"}),
        "other value": encrypt(acct, key, {"app": "y"}),
        "none": encrypt(acct, key, None),
    }
    contexts = {"superset": {"app": "x", "extra": "y"}, "other value": {"app": "y"}, "none": None}
    for case, blob in cases.items():
        with pytest.raises(ClientError) as ei:
            decrypt(grantee, blob, contexts[case])
        assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])


def test_grant_with_encryption_context_subset(acct, key):
    """Decrypt granted with EncryptionContextSubset {app: x}: contexts containing app=x work (with more pairs too); others are denied."""
    grantee = acct.user()
    acct.root.kms.create_grant(KeyId=key["Arn"], GranteePrincipal=grantee.arn, Operations=["Decrypt"],
                               Constraints={"EncryptionContextSubset": {"app": "x"}})
    for context in ({"app": "x"}, {"app": "x", "extra": "y"}):
        assert decrypt(grantee, encrypt(acct, key, context), context) == b"granted data"
    for context in ({"app": "y"}, {"extra": "y"}, None):
        with pytest.raises(ClientError) as ei:
            decrypt(grantee, encrypt(acct, key, context), context)
        assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])


def test_grant_constraint_keys_are_case_insensitive(acct, key):
    """AWS (GrantConstraints in botocore/API reference): in a grant constraint the context key is not case sensitive, the value is."""
    grantee = acct.user()
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"],
                               Constraints={"EncryptionContextSubset": {"app": "x"}})
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"],
                               Constraints={"EncryptionContextEquals": {"team": "t"}})
    for context in ({"APP": "x"}, {"App": "x", "more": "y"}, {"TEAM": "t"}):
        assert decrypt(grantee, encrypt(acct, key, context), context) == b"granted data"
    for context in ({"app": "X"}, {"Team": "T"}):
        with pytest.raises(ClientError) as ei:
            decrypt(grantee, encrypt(acct, key, context), context)
        assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])


def test_grant_allows_only_the_named_operations(acct, key):
    """A grant of Encrypt and GenerateDataKey: those work; Decrypt, DescribeKey and ReEncrypt are denied."""
    grantee = acct.user()
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Encrypt", "GenerateDataKey"])
    blob = grantee.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"mine", EncryptionContext={"any": "thing"})["CiphertextBlob"]
    assert acct.root.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"any": "thing"})["Plaintext"] == b"mine"
    data_key = grantee.kms.generate_data_key(KeyId=key["Arn"], KeySpec="AES_256")
    assert len(data_key["Plaintext"]) == 32
    with pytest.raises(ClientError) as ei:
        grantee.kms.decrypt(CiphertextBlob=blob, EncryptionContext={"any": "thing"})
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])
    with pytest.raises(ClientError) as ei:
        grantee.kms.describe_key(KeyId=key["KeyId"])
    assert_denied(ei, grantee.arn, "kms:DescribeKey", key["Arn"])
    with pytest.raises(ClientError) as ei:
        grantee.kms.generate_data_key_without_plaintext(KeyId=key["KeyId"], KeySpec="AES_256")
    assert_denied(ei, grantee.arn, "kms:GenerateDataKeyWithoutPlaintext", key["Arn"])
    # The grant is on this key only.
    other = acct.root.kms.create_key()["KeyMetadata"]
    with pytest.raises(ClientError) as ei:
        grantee.kms.encrypt(KeyId=other["KeyId"], Plaintext=b"x")
    assert_denied(ei, grantee.arn, "kms:Encrypt", other["Arn"])


def test_explicit_deny_beats_a_grant(acct, key):
    """A grantee whose IAM policy denies kms:Decrypt cannot use a Decrypt grant."""
    grantee = acct.user(deny("kms:Decrypt"))
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    with pytest.raises(ClientError) as ei:
        decrypt(grantee, encrypt(acct, key, None), None)
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"], "deny-identity")


def test_retire_by_token_by_the_retiring_principal(acct, key):
    """The retiring principal (a user with no policies) retires a grant by its token; the grantee loses access at once."""
    grantee, retirer = acct.user(), acct.user()
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, RetiringPrincipal=retirer.arn,
                                       Operations=["Decrypt"])
    blob = encrypt(acct, key, None)
    assert decrypt(grantee, blob, None, GrantTokens=[grant["GrantToken"]]) == b"granted data"
    retirer.kms.retire_grant(GrantToken=grant["GrantToken"])
    with pytest.raises(ClientError) as ei:
        decrypt(grantee, blob, None)
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])
    assert grant["GrantId"] not in [g["GrantId"] for g in acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"]]


def test_retire_by_key_and_grant_id(acct, key):
    """RetireGrant by KeyId+GrantId: by the creating account's root, and by a grantee whose grant includes RetireGrant."""
    grantee = acct.user()
    blob = encrypt(acct, key, None)
    g1 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    assert decrypt(grantee, blob, None) == b"granted data"
    acct.root.kms.retire_grant(KeyId=key["Arn"], GrantId=g1["GrantId"])
    with pytest.raises(ClientError) as ei:
        decrypt(grantee, blob, None)
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])

    g2 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt", "RetireGrant"])
    assert decrypt(grantee, blob, None) == b"granted data"
    grantee.kms.retire_grant(KeyId=key["KeyId"], GrantId=g2["GrantId"])
    with pytest.raises(ClientError) as ei:
        decrypt(grantee, blob, None)
    assert_denied(ei, grantee.arn, "kms:Decrypt", key["Arn"])
    assert acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"] == []


def test_retire_by_an_unrelated_user_is_denied(acct, key):
    """A user who is neither retiring principal, grantee with RetireGrant, nor the creating account's root: AccessDeniedException; the grant keeps working."""
    grantee, retirer, stranger = acct.user(), acct.user(), acct.user()
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, RetiringPrincipal=retirer.arn,
                                       Operations=["Decrypt"])
    for call in (lambda: stranger.kms.retire_grant(GrantToken=grant["GrantToken"]),
                 lambda: stranger.kms.retire_grant(KeyId=key["Arn"], GrantId=grant["GrantId"]),
                 # The grantee, without RetireGrant in the grant, may not either.
                 lambda: grantee.kms.retire_grant(GrantToken=grant["GrantToken"])):
        with pytest.raises(ClientError) as ei:
            call()
        assert error_code(ei.value) == "AccessDeniedException"
    assert decrypt(grantee, encrypt(acct, key, None), None) == b"granted data"


def test_revoke_grant(acct, key):
    """RevokeGrant by the key's account: the grantee loses access; revoking again is NotFoundException 'Grant ID X not found'."""
    grantee = acct.user()
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt", "Encrypt"])
    blob = grantee.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x")["CiphertextBlob"]
    acct.root.kms.revoke_grant(KeyId=key["KeyId"], GrantId=grant["GrantId"])
    for call, action in ((lambda: grantee.kms.decrypt(CiphertextBlob=blob), "kms:Decrypt"),
                         (lambda: grantee.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"x"), "kms:Encrypt")):
        with pytest.raises(ClientError) as ei:
            call()
        assert_denied(ei, grantee.arn, action, key["Arn"])
    with pytest.raises(ClientError) as ei:
        acct.root.kms.revoke_grant(KeyId=key["KeyId"], GrantId=grant["GrantId"])
    assert error_code(ei.value) == "NotFoundException"
    assert ei.value.response["Error"]["Message"] == f"Grant ID {grant['GrantId']} not found"
    # RetireGrant of a revoked grant by id: NotFoundException too.
    with pytest.raises(ClientError) as ei:
        acct.root.kms.retire_grant(KeyId=key["KeyId"], GrantId=grant["GrantId"])
    assert error_code(ei.value) == "NotFoundException"


def test_revoke_needs_permission(acct, key):
    """RevokeGrant by a user with no IAM allow: AccessDeniedException for kms:RevokeGrant."""
    grantee, user = acct.user(), acct.user()
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    with pytest.raises(ClientError) as ei:
        user.kms.revoke_grant(KeyId=key["KeyId"], GrantId=grant["GrantId"])
    assert_denied(ei, user.arn, "kms:RevokeGrant", key["Arn"])


def test_list_grants_contents_and_paging(acct, key):
    """ListGrants: every field of each grant (KeyId as key ARN, IssuingAccount as root ARN, Constraints); Limit/NextMarker paging; filters."""
    grantee, retirer = acct.user(), acct.user()
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=5)
    name = unique_name("g")
    g1 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, RetiringPrincipal=retirer.arn,
                                    Operations=["Decrypt", "Encrypt"], Name=name,
                                    Constraints={"EncryptionContextSubset": {"team": "a"}})
    g2 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=retirer.arn, Operations=["DescribeKey"])
    g3 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["GenerateDataKey"],
                                    Constraints={"EncryptionContextEquals": {"k": "v", "a": "b"}})
    grants = {g["GrantId"]: g for g in acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"]}
    assert set(grants) == {g1["GrantId"], g2["GrantId"], g3["GrantId"]}
    e1 = grants[g1["GrantId"]]
    assert e1["KeyId"] == key["Arn"]
    assert e1["Name"] == name
    assert e1["GranteePrincipal"] == grantee.arn
    assert e1["RetiringPrincipal"] == retirer.arn
    assert e1["IssuingAccount"] == acct.root_arn
    assert sorted(e1["Operations"]) == ["Decrypt", "Encrypt"]
    assert e1["Constraints"] == {"EncryptionContextSubset": {"team": "a"}}
    assert e1["CreationDate"] > before
    e2 = grants[g2["GrantId"]]
    assert "RetiringPrincipal" not in e2 and "Constraints" not in e2
    assert e2["Operations"] == ["DescribeKey"]
    assert grants[g3["GrantId"]]["Constraints"] == {"EncryptionContextEquals": {"k": "v", "a": "b"}}

    seen, kw, pages = [], {"KeyId": key["Arn"], "Limit": 1}, 0
    while True:
        page = acct.root.kms.list_grants(**kw)
        pages += 1
        assert len(page["Grants"]) == 1
        seen += [g["GrantId"] for g in page["Grants"]]
        if not page["Truncated"]:
            assert "NextMarker" not in page
            break
        kw["Marker"] = page["NextMarker"]
        assert pages < 10
    assert sorted(seen) == sorted(grants) and pages == 3

    only = acct.root.kms.list_grants(KeyId=key["KeyId"], GrantId=g2["GrantId"])["Grants"]
    assert [g["GrantId"] for g in only] == [g2["GrantId"]]
    mine = acct.root.kms.list_grants(KeyId=key["KeyId"], GranteePrincipal=grantee.arn)["Grants"]
    assert sorted(g["GrantId"] for g in mine) == sorted([g1["GrantId"], g3["GrantId"]])


def test_list_retirable_grants(acct, key):
    """ListRetirableGrants(RetiringPrincipal) lists the grants, on any key, that principal may retire, with full entries."""
    grantee, retirer = acct.user(), acct.user()
    other_key = acct.root.kms.create_key()["KeyMetadata"]
    g1 = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, RetiringPrincipal=retirer.arn,
                                    Operations=["Decrypt"])
    g2 = acct.root.kms.create_grant(KeyId=other_key["KeyId"], GranteePrincipal=grantee.arn, RetiringPrincipal=retirer.arn,
                                    Operations=["Encrypt"])
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Encrypt"])  # not retirable by retirer
    listed = acct.root.kms.list_retirable_grants(RetiringPrincipal=retirer.arn)["Grants"]
    by_id = {g["GrantId"]: g for g in listed}
    assert set(by_id) == {g1["GrantId"], g2["GrantId"]}
    assert by_id[g1["GrantId"]]["KeyId"] == key["Arn"]
    assert by_id[g2["GrantId"]]["KeyId"] == other_key["Arn"]
    assert by_id[g1["GrantId"]]["RetiringPrincipal"] == retirer.arn
    assert by_id[g1["GrantId"]]["IssuingAccount"] == acct.root_arn
    retirer.kms.retire_grant(GrantToken=g2["GrantToken"])
    listed = acct.root.kms.list_retirable_grants(RetiringPrincipal=retirer.arn)["Grants"]
    assert [g["GrantId"] for g in listed] == [g1["GrantId"]]
    # A user needs an IAM allow for ListRetirableGrants.
    with pytest.raises(ClientError) as ei:
        grantee.kms.list_retirable_grants(RetiringPrincipal=retirer.arn)
    assert_denied(ei, grantee.arn, "kms:ListRetirableGrants", "*")


def test_grant_name_idempotency(acct, key):
    """Same Name and parameters: the same GrantId and no second grant; without a Name identical requests make new grants."""
    grantee = acct.user()
    name = unique_name("idem")
    params = dict(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt", "Encrypt"],
                  Constraints={"EncryptionContextSubset": {"a": "1"}})
    first = acct.root.kms.create_grant(Name=name, **params)
    again = acct.root.kms.create_grant(Name=name, **params)
    assert again["GrantId"] == first["GrantId"]
    named = [g for g in acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"] if g.get("Name") == name]
    assert len(named) == 1
    unnamed1 = acct.root.kms.create_grant(**params)
    unnamed2 = acct.root.kms.create_grant(**params)
    assert len({first["GrantId"], unnamed1["GrantId"], unnamed2["GrantId"]}) == 3
    assert len(acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"]) == 3


def test_grant_name_retry_returns_a_fresh_usable_token(acct, key):
    """AWS (botocore CreateGrant Name doc): a retried named CreateGrant returns the original GrantId but a new grant token; all tokens of a grant are interchangeable."""
    grantee = acct.user()
    name = unique_name("tok")
    params = dict(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"], RetiringPrincipal=grantee.arn, Name=name)
    first = acct.root.kms.create_grant(**params)
    again = acct.root.kms.create_grant(**params)
    assert again["GrantId"] == first["GrantId"]
    assert again["GrantToken"] != first["GrantToken"]
    grantee.kms.retire_grant(GrantToken=again["GrantToken"])
    assert acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"] == []


@pytest.mark.parametrize("operations", [["Dance"], ["Decrypt", "decrypt"], ["CreateKey"]], ids=["unknown", "wrong-case", "not-grantable"])
def test_invalid_grant_operations(acct, key, operations):
    """CreateGrant with an operation outside AWS's GrantOperation enum: ValidationException, no grant created."""
    grantee = acct.user()
    kms = acct.root.client("kms", validate=False)
    with pytest.raises(ClientError) as ei:
        kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=operations)
    assert error_code(ei.value) == "ValidationException"
    assert acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"] == []


def test_create_grant_needs_permission(acct, key):
    """CreateGrant by a user without kms:CreateGrant: AccessDeniedException; with an IAM allow it works (default key policy delegates)."""
    grantee = acct.user()
    nobody = acct.user()
    with pytest.raises(ClientError) as ei:
        nobody.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    assert_denied(ei, nobody.arn, "kms:CreateGrant", key["Arn"])
    admin = acct.user(allow("kms:CreateGrant"))
    grant = admin.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    entry = acct.root.kms.list_grants(KeyId=key["KeyId"], GrantId=grant["GrantId"])["Grants"][0]
    assert entry["IssuingAccount"] == acct.root_arn
    assert decrypt(grantee, encrypt(acct, key, None), None) == b"granted data"


def test_grant_to_a_role_works_for_its_sessions(acct, key):
    """A grant whose grantee is a role ARN lets any session of that role (which has no policies) use the key; revoking stops it."""
    user = acct.user()
    role = acct.role(user.arn)
    session = assume(user, role["Arn"], session_name="granted")
    blob = encrypt(acct, key, {"app": "r"})
    with pytest.raises(ClientError) as ei:
        decrypt(session, blob, {"app": "r"})
    assert_denied(ei, session.arn, "kms:Decrypt", key["Arn"])
    grant = acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=role["Arn"], Operations=["Decrypt", "Encrypt"])
    assert decrypt(session, blob, {"app": "r"}) == b"granted data"
    mine = session.kms.encrypt(KeyId=key["KeyId"], Plaintext=b"by role")["CiphertextBlob"]
    assert acct.root.kms.decrypt(CiphertextBlob=mine)["Plaintext"] == b"by role"
    # Another session of the same role works too; the user behind it, by itself, does not.
    other = assume(user, role["Arn"], session_name="second")
    assert decrypt(other, blob, {"app": "r"}) == b"granted data"
    with pytest.raises(ClientError) as ei:
        decrypt(user, blob, {"app": "r"})
    assert_denied(ei, user.arn, "kms:Decrypt", key["Arn"])
    acct.root.kms.revoke_grant(KeyId=key["KeyId"], GrantId=grant["GrantId"])
    with pytest.raises(ClientError) as ei:
        decrypt(session, blob, {"app": "r"})
    assert_denied(ei, session.arn, "kms:Decrypt", key["Arn"])


def test_create_grant_condition_keys(acct, key):
    """IAM conditions on CreateGrant: kms:GrantOperations (ForAllValues), kms:GranteePrincipal, kms:GrantIsForAWSResource."""
    grantee, someone_else = acct.user(), acct.user()
    ops_limited = acct.user(allow("kms:CreateGrant", condition={
        "ForAllValues:StringEquals": {"kms:GrantOperations": ["Decrypt", "Encrypt"]}}))
    ops_limited.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt"])
    with pytest.raises(ClientError) as ei:
        ops_limited.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Decrypt", "CreateGrant"])
    assert_denied(ei, ops_limited.arn, "kms:CreateGrant", key["Arn"])
    grantee_limited = acct.user(allow("kms:CreateGrant", condition={"StringEquals": {"kms:GranteePrincipal": grantee.arn}}))
    grantee_limited.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Encrypt"])
    with pytest.raises(ClientError) as ei:
        grantee_limited.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=someone_else.arn, Operations=["Encrypt"])
    assert_denied(ei, grantee_limited.arn, "kms:CreateGrant", key["Arn"])
    # Direct calls are not made by an AWS service on the caller's behalf.
    for_services = acct.user(allow("kms:CreateGrant", condition={"Bool": {"kms:GrantIsForAWSResource": "true"}}))
    with pytest.raises(ClientError) as ei:
        for_services.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["Encrypt"])
    assert_denied(ei, for_services.arn, "kms:CreateGrant", key["Arn"])
    assert len(acct.root.kms.list_grants(KeyId=key["KeyId"])["Grants"]) == 2


def test_list_grants_needs_permission_and_bad_token_is_rejected(acct, key):
    """ListGrants by a user without kms:ListGrants: AccessDeniedException; RetireGrant with a token that is no grant's: InvalidGrantTokenException."""
    user = acct.user()
    with pytest.raises(ClientError) as ei:
        user.kms.list_grants(KeyId=key["KeyId"])
    assert_denied(ei, user.arn, "kms:ListGrants", key["Arn"])
    with pytest.raises(ClientError) as ei:
        acct.root.kms.retire_grant(GrantToken="AQpAM2RhZTk1MGMyNTk2ZmZmMzEyYWVhOWViN2I1MWM4Mzc0MWFiYjc5ZjAwZWMzNjlkN2Y5NjlkNGJlNDQ0ZmY5ZQ")
    assert error_code(ei.value) == "InvalidGrantTokenException"


def test_describe_key_grant(acct, key):
    """A grant of DescribeKey lets the grantee describe the key (by id and ARN) and nothing else."""
    grantee = acct.user()
    acct.root.kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee.arn, Operations=["DescribeKey"])
    assert grantee.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["Arn"] == key["Arn"]
    assert grantee.kms.describe_key(KeyId=key["Arn"])["KeyMetadata"]["KeyId"] == key["KeyId"]
    with pytest.raises(ClientError) as ei:
        grantee.kms.get_key_policy(KeyId=key["KeyId"])
    assert_denied(ei, grantee.arn, "kms:GetKeyPolicy", key["Arn"])
