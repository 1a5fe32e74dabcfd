import CofferCore
import CofferCrypto
import CofferIdentity
import CofferStorageSQLite
import Foundation
import Testing

struct IdentityServiceTests {
    @Test func accessKeysResolveUntilUnknown() async throws {
        let identity = IdentityService(store: InMemoryIdentityStore(), rootKey: RootKey.generate())
        let account = try await identity.createAccount()
        let (key, secret) = try await identity.createAccessKey(account: account.id)
        let resolved = try #require(try await identity.credential(accessKeyID: key.accessKeyID))
        #expect(resolved.secret == secret && resolved.principal.account == account.id)
        #expect(resolved.principal.arn == "arn:aws:iam::\(account.id.rawValue):root")
        #expect(try await identity.credential(accessKeyID: "AKIAUNKNOWN") == nil)
    }

    @Test func aDatabaseDumpDoesNotRevealSecrets() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-id-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("coffer.sqlite").path
        let rootKey = RootKey.generate()
        let identity = IdentityService(store: SQLiteIdentityStore(database: try SQLiteDatabase(path: path)), rootKey: rootKey)
        let account = try await identity.createAccount()
        let (key, secret) = try await identity.createAccessKey(account: account.id)
        var everything = Data()
        for suffix in ["", "-wal"] {
            everything.append(FileManager.default.contents(atPath: path + suffix) ?? Data())
        }
        #expect(everything.range(of: Data(key.accessKeyID.utf8)) != nil)
        #expect(everything.range(of: Data(secret.utf8)) == nil)
        // A fresh service over the same file resolves the key (the secret unseals).
        let reopened = IdentityService(store: SQLiteIdentityStore(database: try SQLiteDatabase(path: path)), rootKey: rootKey)
        #expect(try await reopened.credential(accessKeyID: key.accessKeyID)?.secret == secret)
        // Under another root key the secret does not unseal.
        let wrongRoot = IdentityService(store: SQLiteIdentityStore(database: try SQLiteDatabase(path: path)), rootKey: RootKey.generate())
        await #expect(throws: IdentityError.self) { _ = try await wrongRoot.credential(accessKeyID: key.accessKeyID) }
    }
}
