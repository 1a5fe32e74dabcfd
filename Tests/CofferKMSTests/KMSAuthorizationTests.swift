import CofferCore
import CofferIdentity
@testable import CofferKMS
import Foundation
import Testing

/// KMS authorization over both stores: key policies, IAM policies, grants, cross-account use,
/// and the lockout safety check (the e2e suites repeat the scenarios through boto3).
struct KMSAuthorizationTests {
    @Test(arguments: StoreKind.allCases)
    func aUserNeedsAnIAMPolicyWhenTheKeyPolicyDelegatesToTheAccount(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        let nobody = try await fixture.user("nobody", of: fixture.rootA)
        let encrypter = try await fixture.user("encrypter", of: fixture.rootA, policy: allowPolicy("kms:Encrypt"))
        let denied = await #expect(throws: KMSError.self) {
            _ = try await fixture.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: nobody)
        }
        #expect(denied?.code == .accessDenied)
        #expect(denied?.message == "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: kms:Encrypt on resource: \(key.arn) because no identity-based policy allows the kms:Encrypt action")
        _ = try await fixture.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: encrypter)
        // The encrypter's policy names Encrypt only.
        #expect(await code { _ = try await fixture.kms.describeKey(key.id, caller: encrypter) } == .accessDenied)
    }

    @Test(arguments: StoreKind.allCases)
    func aKeyPolicyDenyBeatsAnIAMAllow(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let user = try await fixture.user("alice", of: fixture.rootA, policy: allowPolicy("kms:*"))
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
              {"Sid":"no-alice","Effect":"Deny","Principal":{"AWS":"\(user.principalARN)"},"Action":"kms:Decrypt","Resource":"*"}]}
            """
        try await fixture.kms.putKeyPolicy(key.id, policyName: nil, policy: policy, caller: fixture.rootA)
        let (blob, _) = try await fixture.kms.encrypt(keyID: key.id, plaintext: [7], context: EncryptionContext(), caller: user)
        let denied = await #expect(throws: KMSError.self) {
            _ = try await fixture.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: nil, caller: user)
        }
        #expect(denied?.message.hasSuffix("with an explicit deny in a resource-based policy") == true)
    }

    @Test(arguments: StoreKind.allCases)
    func crossAccountUseNeedsBothTheKeyPolicyAndTheCallersIAMPolicy(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        let (blob, _) = try await fixture.kms.encrypt(keyID: key.id, plaintext: [9], context: EncryptionContext(), caller: fixture.rootA)
        let reader = try await fixture.user("reader", of: fixture.rootB, policy: allowPolicy("kms:Decrypt"))
        let idle = try await fixture.user("idle", of: fixture.rootB)
        let decrypt = { (caller: Caller) in
            await code { _ = try await fixture.kms.decrypt(ciphertext: blob, context: EncryptionContext(), keyID: key.arn, caller: caller) }
        }
        #expect(await decrypt(reader) == .accessDenied)
        let policy = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:Decrypt","Resource":"*"}]}
            """
        try await fixture.kms.putKeyPolicy(key.id, policyName: nil, policy: policy, caller: fixture.rootA)
        #expect(await decrypt(reader) == nil)
        #expect(await decrypt(idle) == .accessDenied)
        #expect(await decrypt(fixture.rootB) == nil)
        // Only what A's key policy names crosses the boundary.
        #expect(await code { _ = try await fixture.kms.encrypt(keyID: key.arn, plaintext: [1], context: EncryptionContext(), caller: fixture.rootB) } == .accessDenied)
    }

    @Test(arguments: StoreKind.allCases)
    func aGrantAllowsOnlyItsOperationsAndConstraintsUntilRetired(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        let grantee = try await fixture.user("grantee", of: fixture.rootA)
        let context = EncryptionContext(["case": "42"])
        let (blob, _) = try await fixture.kms.encrypt(keyID: key.id, plaintext: [5], context: context, caller: fixture.rootA)
        let (other, _) = try await fixture.kms.encrypt(keyID: key.id, plaintext: [5], context: EncryptionContext(["case": "7"]), caller: fixture.rootA)
        let (grantID, token) = try await fixture.kms.createGrant(
            GrantParameters(
                keyID: key.id, granteePrincipal: grantee.principalARN, retiringPrincipal: nil, operations: ["Decrypt"],
                constraints: KMSGrant.Constraints(equals: ["case": "42"]), name: "case-42"
            ), caller: fixture.rootA
        )
        #expect(try await fixture.kms.decrypt(ciphertext: blob, context: context, keyID: nil, caller: grantee).plaintext == [5])
        #expect(await code { _ = try await fixture.kms.decrypt(ciphertext: other, context: EncryptionContext(["case": "7"]), keyID: nil, caller: grantee) } == .accessDenied)
        #expect(await code { _ = try await fixture.kms.encrypt(keyID: key.id, plaintext: [1], context: context, caller: grantee) } == .accessDenied)
        // The same name and parameters give back the same grant.
        let again = try await fixture.kms.createGrant(
            GrantParameters(
                keyID: key.id, granteePrincipal: grantee.principalARN, retiringPrincipal: nil, operations: ["Decrypt"],
                constraints: KMSGrant.Constraints(equals: ["case": "42"]), name: "case-42"
            ), caller: fixture.rootA
        )
        #expect(again.grantID == grantID)
        #expect(await code { try await fixture.kms.retireGrant(token: token, keyID: nil, grantID: nil, caller: grantee) } == .accessDenied)
        try await fixture.kms.retireGrant(token: token, keyID: nil, grantID: nil, caller: fixture.rootA)
        #expect(await code { _ = try await fixture.kms.decrypt(ciphertext: blob, context: context, keyID: nil, caller: grantee) } == .accessDenied)
        #expect(try await fixture.kms.listGrants(keyID: key.id, grantID: nil, granteePrincipal: nil, caller: fixture.rootA).isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func theLockoutSafetyCheckRefusesAPolicyThatLocksTheCallerOut(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        let lockout = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}]}"#
        let refused = await #expect(throws: KMSError.self) {
            try await fixture.kms.putKeyPolicy(key.id, policyName: nil, policy: lockout, caller: fixture.rootA)
        }
        #expect(refused?.code == .malformedPolicyDocument)
        try await fixture.kms.putKeyPolicy(key.id, policyName: nil, policy: lockout, bypassLockoutCheck: true, caller: fixture.rootA)
        #expect(await code { _ = try await fixture.kms.describeKey(key.id, caller: fixture.rootA) } == .accessDenied)
        #expect(await code { _ = try await fixture.kms.createKey({ var p = CreateKeyParameters(); p.policy = "not json"; return p }(), caller: fixture.rootA) } == .malformedPolicyDocument)
    }

    @Test(arguments: StoreKind.allCases)
    func roleSessionsUseTheRolesPoliciesAndExpire(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let alice = try await fixture.user("alice", of: fixture.rootA)
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}"#
        let role = try await fixture.identity.createRole(fixture.rootA, name: "keyuser", path: nil, trustPolicy: trust, description: nil, maxSessionDuration: nil, tags: [])
        try await fixture.identity.putPolicy(fixture.rootA, owner: .role("keyuser"), name: "kms", document: allowPolicy("kms:Encrypt"))
        let credentials = try await fixture.identity.assumeRole(alice, roleARN: role.arn, sessionName: "s1", durationSeconds: 900, externalID: nil)
        let session = try await fixture.caller(accessKeyID: credentials.accessKeyID, sessionToken: credentials.sessionToken)
        #expect(session.principalARN == "arn:aws:sts::111122223333:assumed-role/keyuser/s1")
        let key = try await fixture.kms.createKey(CreateKeyParameters(), caller: fixture.rootA)
        _ = try await fixture.kms.encrypt(keyID: key.id, plaintext: [1], context: EncryptionContext(), caller: session)
        // Someone the trust policy does not name cannot assume the role; the root never can.
        let bob = try await fixture.user("bob", of: fixture.rootA, policy: allowPolicy("sts:AssumeRole"))
        await #expect(throws: IdentityError.self) { _ = try await fixture.identity.assumeRole(bob, roleARN: role.arn, sessionName: "s2", durationSeconds: nil, externalID: nil) }
        await #expect(throws: IdentityError.self) { _ = try await fixture.identity.assumeRole(fixture.rootA, roleARN: role.arn, sessionName: "s3", durationSeconds: nil, externalID: nil) }
        // A token does not work with another access key id, and stops at its expiry.
        #expect(try await fixture.identity.credential(accessKeyID: "ASIAOTHER", sessionToken: credentials.sessionToken) == nil)
        fixture.clock.advance(by: 901)
        let expired = await #expect(throws: IdentityError.self) {
            _ = try await fixture.identity.credential(accessKeyID: credentials.accessKeyID, sessionToken: credentials.sessionToken)
        }
        #expect(expired?.code == .expiredToken)
    }

    @Test(arguments: StoreKind.allCases)
    func inactiveAndDeletedAccessKeysStopAuthenticating(_ kind: StoreKind) async throws {
        let fixture = try AccessFixture(kind)
        defer { fixture.cleanUp() }
        let alice = try await fixture.user("alice", of: fixture.rootA)
        #expect(try await fixture.identity.credential(accessKeyID: alice.accessKeyID) != nil)
        try await fixture.identity.updateAccessKey(fixture.rootA, id: alice.accessKeyID, userName: "alice", status: .inactive)
        #expect(try await fixture.identity.credential(accessKeyID: alice.accessKeyID) == nil)
        try await fixture.identity.updateAccessKey(fixture.rootA, id: alice.accessKeyID, userName: "alice", status: .active)
        #expect(try await fixture.identity.credential(accessKeyID: alice.accessKeyID) != nil)
        await #expect(throws: IdentityError.self) { try await fixture.identity.deleteUser(fixture.rootA, name: "alice") }
        try await fixture.identity.deleteAccessKey(fixture.rootA, id: alice.accessKeyID, userName: "alice")
        #expect(try await fixture.identity.credential(accessKeyID: alice.accessKeyID) == nil)
        try await fixture.identity.deleteUser(fixture.rootA, name: "alice")
        // Users without IAM permissions cannot administer IAM.
        let bob = try await fixture.user("bob", of: fixture.rootA)
        let denied = await #expect(throws: IdentityError.self) { _ = try await fixture.identity.createUser(bob, name: "carol", path: nil, tags: []) }
        #expect(denied?.code == .accessDenied)
    }
}
