import CofferEncryptionSDK
import Foundation

/// Counts of a manifest run.
public struct VectorSummary: Sendable, CustomStringConvertible {
    public var passed = 0
    public var failed = 0
    public var skipped = 0
    public var failures: [String] = []

    public var description: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }
}

/// Runs an `awses-decrypt` manifest (versions 1 to 4) over raw-key tests.
public struct DecryptManifestRunner {
    public var manifestURL: URL
    /// Used for OAEP with SHA-384/512, which swift-crypto lacks.
    public var rsaProvider: (any RSAPaddingProvider)?
    public var verbose: Bool

    public init(manifestURL: URL, rsaProvider: (any RSAPaddingProvider)? = nil, verbose: Bool = false) {
        self.manifestURL = manifestURL
        self.rsaProvider = rsaProvider
        self.verbose = verbose
    }

    public func run() async throws -> VectorSummary {
        let file = try ManifestFile(manifestURL, type: "awses-decrypt", versions: 1...4)
        let (root, base, version) = (file.root, file.base, file.version)
        let keys = try KeysManifest(url: file.keysURL)
        let tests = try root.object("tests")
        let sdk = EncryptionSDK(commitmentPolicy: .requireEncryptAllowDecrypt)
        var summary = VectorSummary()
        for name in tests.raw.keys.sorted() {
            let test = try tests.object(name)
            let masterKeys = try test.array("master-keys").map { try MasterKeySpec(JSONObject($0, path: "\(name).master-keys")) }
            guard !masterKeys.isEmpty, masterKeys.allSatisfy(\.isRaw) else {
                summary.skipped += 1
                continue
            }
            let outcome = await runTest(name: name, test: test, masterKeys: masterKeys, keys: keys, base: base, version: version, sdk: sdk)
            switch outcome {
            case .passed: summary.passed += 1
            case .skipped(let why):
                summary.skipped += 1
                if verbose { print("SKIP \(name): \(why)") }
            case .failed(let why):
                summary.failed += 1
                summary.failures.append("\(name): \(why)")
                if verbose { print("FAIL \(name): \(why)") }
            }
        }
        return summary
    }

    enum Outcome {
        case passed
        case failed(String)
        case skipped(String)
    }

    private func runTest(name: String, test: JSONObject, masterKeys: [MasterKeySpec], keys: KeysManifest, base: URL,
                         version: Int, sdk: EncryptionSDK) async -> Outcome {
        do {
            let ciphertext = try Data(contentsOf: try resolve(try test.string("ciphertext"), relativeTo: base))
            var expectedPlaintext: URL?
            var expectedError: String?
            if let result = test.optionalObject("result") {
                if let output = result.optionalObject("output") {
                    expectedPlaintext = try resolve(try output.string("plaintext"), relativeTo: base)
                } else if let error = result.optionalObject("error") {
                    expectedError = error.optionalString("error-description") ?? "error"
                }
            } else if let plaintext = test.optionalString("plaintext") {
                expectedPlaintext = try resolve(plaintext, relativeTo: base)
            }
            guard expectedPlaintext != nil || expectedError != nil else { return .failed("test has no expected result") }

            var keyrings: [any Keyring] = []
            for spec in masterKeys {
                if let padding = spec.rsaPadding, !padding.isAvailableInSwiftCrypto, rsaProvider == nil {
                    return .skipped("RSA \(padding.rawValue) needs an RSAPaddingProvider")
                }
                guard let entry = keys.keys[spec.key] else { return .failed("unknown key \(spec.key)") }
                if !entry.decrypt && expectedError == nil { return .skipped("key \(spec.key) cannot decrypt") }
                keyrings.append(try spec.keyring(keys: keys, rsaProvider: rsaProvider))
            }
            let keyring: any Keyring = keyrings.count == 1 ? keyrings[0] : try MultiKeyring(generator: nil, children: keyrings)
            let reproduced = version >= 4 ? try test.stringMap("encryption-context") : [:]
            let cmm: any CryptographicMaterialsManager
            if test.optionalString("cmm") == "RequiredEncryptionContext" {
                cmm = RequiredEncryptionContextCMM(keyring: keyring, requiredEncryptionContextKeys: Set(reproduced.keys))
            } else {
                cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
            }
            let unsignedOnly = test.optionalString("decryption-method") == "streaming-unsigned-only"
            do {
                let result = try await sdk.decrypt(Array(ciphertext), materialsManager: cmm, encryptionContext: reproduced.isEmpty ? nil : reproduced)
                if unsignedOnly && result.header.algorithmSuite.signature != nil {
                    throw ESDKError(.invalidArgument, "unsigned-only decryption of a signed message")
                }
                if let expectedError { return .failed("decrypted, but an error was expected: \(expectedError)") }
                guard let expectedPlaintext else { return .failed("test has no expected plaintext") }
                let expected = try Data(contentsOf: expectedPlaintext)
                return Array(expected) == result.plaintext ? .passed : .failed("plaintext differs")
            } catch {
                if expectedError != nil { return .passed }
                return .failed("decrypt failed: \(error)")
            }
        } catch {
            return .failed("setup failed: \(error)")
        }
    }
}
