import CofferCore
import CofferCrypto
import CofferIdentity
import CofferKMS
import CofferStorageSQLite
import Foundation

/// Identity and KMS services over one store kind, sharing a clock, with two accounts' roots.
struct AccessFixture {
    let identity: IdentityService
    let kms: KMSService
    let clock: AdjustableWallClock
    let directory: URL?
    let rootA = Caller(account: AccountID("111122223333")!, principalARN: "arn:aws:iam::111122223333:root", accessKeyID: "AKIAROOTA", region: .usEast1)
    let rootB = Caller(account: AccountID("444455556666")!, principalARN: "arn:aws:iam::444455556666:root", accessKeyID: "AKIAROOTB", region: .usEast1)

    init(_ kind: StoreKind) throws {
        let rootKey = RootKey.generate()
        clock = AdjustableWallClock()
        let identityStore: any IdentityStore, keyStore: any KeyStore
        switch kind {
        case .memory:
            identityStore = InMemoryIdentityStore()
            keyStore = InMemoryKeyStore()
            directory = nil
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-access-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("coffer.sqlite").path)
            identityStore = SQLiteIdentityStore(database: database)
            keyStore = SQLiteKeyStore(database: database)
            self.directory = directory
        }
        identity = IdentityService(store: identityStore, rootKey: rootKey, clock: clock)
        kms = KMSService(store: keyStore, rootKey: rootKey, clock: clock, identityPolicies: identity)
    }

    /// The caller a user's access key authenticates as (what the server builds from a signature).
    func caller(accessKeyID: String, sessionToken: String? = nil) async throws -> Caller {
        guard let (_, principal) = try await identity.credential(accessKeyID: accessKeyID, sessionToken: sessionToken) else {
            throw IdentityError(.notFound, "unknown access key \(accessKeyID)")
        }
        return Caller(
            account: principal.account, principalARN: principal.arn, accessKeyID: accessKeyID, region: .usEast1, kind: principal.kind,
            userID: principal.userID, userName: principal.userName, roleARN: principal.roleARN, principalTags: principal.tags
        )
    }

    /// Creates an IAM user in the root's account with an access key and the given inline policy.
    func user(_ name: String, of root: Caller, policy: String? = nil) async throws -> Caller {
        try await identity.ensureAccount(root.account)
        _ = try await identity.createUser(root, name: name, path: nil, tags: [])
        if let policy { try await identity.putPolicy(root, owner: .user(name), name: "inline", document: policy) }
        let (key, _) = try await identity.createAccessKey(root, userName: name)
        return try await caller(accessKeyID: key.accessKeyID)
    }

    func cleanUp() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// An identity-based policy allowing `actions` on every resource.
func allowPolicy(_ actions: String...) -> String {
    let list = actions.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[\#(list)],"Resource":"*"}]}"#
}
