import CofferEncryptionSDK
import CofferRSAOAEP
import Foundation

/// Encrypts every raw-key test of an `awses-encrypt` manifest (versions 1 to 3) and writes an
/// `awses-decrypt` (version 2) manifest with keys, plaintexts and ciphertexts under `outputDirectory`.
///
/// Non-committing suites are encrypted under FORBID_ENCRYPT_ALLOW_DECRYPT, committing ones under
/// the default policy. Plaintexts are random bytes of the sizes the manifest names.
public struct EncryptManifestRunner {
    public var manifestURL: URL
    public var outputDirectory: URL
    public var rsaProvider: (any RSAPaddingProvider)?
    public var verbose: Bool

    public init(manifestURL: URL, outputDirectory: URL, rsaProvider: (any RSAPaddingProvider)? = nil, verbose: Bool = false) {
        self.manifestURL = manifestURL
        self.outputDirectory = outputDirectory
        self.rsaProvider = rsaProvider
        self.verbose = verbose
    }

    public func run() async throws -> VectorSummary {
        let file = try ManifestFile(manifestURL, type: "awses-encrypt", versions: 1...3)
        let (root, keysURL) = (file.root, file.keysURL)
        let keys = try KeysManifest(url: keysURL)

        let files = FileManager.default
        try files.createDirectory(at: outputDirectory.appendingPathComponent("plaintexts"), withIntermediateDirectories: true)
        try files.createDirectory(at: outputDirectory.appendingPathComponent("ciphertexts"), withIntermediateDirectories: true)
        let keysCopy = outputDirectory.appendingPathComponent("keys.json")
        if files.fileExists(atPath: keysCopy.path) { try files.removeItem(at: keysCopy) }
        try files.copyItem(at: keysURL, to: keysCopy)

        var plaintexts: [String: [UInt8]] = [:]
        let sizes = try root.object("plaintexts")
        for name in sizes.raw.keys {
            let size = try sizes.int(name)
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            plaintexts[name] = bytes
            try Data(bytes).write(to: outputDirectory.appendingPathComponent("plaintexts/\(name)"))
        }

        var summary = VectorSummary()
        var outputTests: [String: Any] = [:]
        let tests = try root.object("tests")
        for name in tests.raw.keys.sorted() {
            do {
                let test = try tests.object(name)
                let masterKeys = try test.array("master-keys").map { try MasterKeySpec(JSONObject($0, path: "\(name).master-keys")) }
                guard !masterKeys.isEmpty, masterKeys.allSatisfy(\.isRaw) else {
                    summary.skipped += 1
                    continue
                }
                if masterKeys.contains(where: { ($0.rsaPadding.map { !$0.isAvailableInSwiftCrypto } ?? false) && rsaProvider == nil }) {
                    summary.skipped += 1
                    if verbose { print("SKIP \(name): RSA padding needs an RSAPaddingProvider") }
                    continue
                }
                let plaintextName = try test.string("plaintext")
                guard let plaintext = plaintexts[plaintextName] else { throw VectorError("unknown plaintext \(plaintextName)") }
                guard let suiteID = UInt16(try test.string("algorithm"), radix: 16), let suite = AlgorithmSuite.suite(id: suiteID) else {
                    throw VectorError("unknown algorithm suite")
                }
                let frameLength = test.optionalInt("frame-size") ?? EncryptionSDK.defaultFrameLength
                let context = try test.stringMap("encryption-context")
                let keyrings = try masterKeys.map { try $0.keyring(keys: keys, rsaProvider: rsaProvider) }
                let keyring: any Keyring = keyrings.count == 1
                    ? keyrings[0] : try MultiKeyring(generator: keyrings[0], children: Array(keyrings.dropFirst()))
                let sdk = EncryptionSDK(commitmentPolicy: suite.isCommitting ? .requireEncryptRequireDecrypt : .forbidEncryptAllowDecrypt)
                let result = try await sdk.encrypt(plaintext, keyring: keyring, encryptionContext: context, algorithmSuite: suite, frameLength: frameLength)
                try Data(result.ciphertext).write(to: outputDirectory.appendingPathComponent("ciphertexts/\(name)"))
                outputTests[name] = [
                    "description": test.optionalString("description") ?? name,
                    "ciphertext": "file://ciphertexts/\(name)",
                    "master-keys": masterKeys.map { $0.jsonObject() },
                    "result": ["output": ["plaintext": "file://plaintexts/\(plaintextName)"]],
                ] as [String: Any]
                summary.passed += 1
            } catch {
                summary.failed += 1
                summary.failures.append("\(name): \(error)")
                if verbose { print("FAIL \(name): \(error)") }
            }
        }
        let decryptManifest: [String: Any] = [
            "manifest": ["type": "awses-decrypt", "version": 2],
            "client": ["name": "coffer/esdk-swift", "version": "0.1.0"],
            "keys": "file://keys.json",
            "tests": outputTests,
        ]
        let data = try JSONSerialization.data(withJSONObject: decryptManifest, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: outputDirectory.appendingPathComponent("manifest.json"))
        return summary
    }
}

/// The RSA provider used by the command line for OAEP with SHA-384/512.
let defaultRSAProvider: (any RSAPaddingProvider)? = BoringSSLOAEPProvider()
