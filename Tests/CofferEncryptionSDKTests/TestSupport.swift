import CofferEncryptionSDK
import Foundation
import Testing

/// Shared fixtures: keyrings with fixed keys and helpers to expect a given error code.
enum Fixtures {
    static let aesKey256: [UInt8] = Array(0..<32)
    static let aesKey128: [UInt8] = Array(100..<116)

    static func aesKeyring(_ name: String = "key-256", key: [UInt8] = aesKey256) -> RawAESKeyring {
        // Invariant: the fixed keys have valid lengths.
        try! RawAESKeyring(keyNamespace: "coffer-tests", keyName: name, wrappingKey: key)
    }

    static func plaintext(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static let nonCommittingSuites = AlgorithmSuite.allSuites.filter { !$0.isCommitting }
    static let committingSuites = AlgorithmSuite.allSuites.filter(\.isCommitting)

    static func sdk(for suite: AlgorithmSuite) -> EncryptionSDK {
        EncryptionSDK(commitmentPolicy: suite.isCommitting ? .requireEncryptRequireDecrypt : .forbidEncryptAllowDecrypt)
    }
}

/// Runs `body` and checks it throws an `ESDKError` with `code`.
func expectESDKError<T>(_ code: ESDKError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                        _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected \(code), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as ESDKError {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected ESDKError \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
