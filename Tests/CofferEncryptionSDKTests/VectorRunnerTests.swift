import CofferESDKVectors
import CofferEncryptionSDK
import Foundation
import Testing

@Suite("Test vectors")
struct VectorRunnerTests {
    @Test("the .NET 4.0.0 vectors all decrypt")
    func dotNetVectors() async throws {
        let manifest = try #require(Bundle.module.url(forResource: "Vectors/net-4.0.0/manifest", withExtension: "json"))
        let summary = try await DecryptManifestRunner(manifestURL: manifest).run()
        #expect(summary.passed == 5)
        #expect(summary.failed == 0)
        #expect(summary.skipped == 0)
    }
}

extension VectorRunnerTests {
    /// Writes a small manifest of the given version with an AES and an RSA test plus one expected failure.
    func writeManifest(version: Int, in directory: URL) async throws {
        let files = FileManager.default
        try files.createDirectory(at: directory.appendingPathComponent("c"), withIntermediateDirectories: true)
        let aesKey: [UInt8] = Array(repeating: 0x42, count: 32)
        let pem = try RSATestKey.privatePEM()
        let keys: [String: Any] = [
            "manifest": ["type": "keys", "version": 1],
            "keys": [
                "aes": ["encrypt": true, "decrypt": true, "type": "symmetric", "algorithm": "aes", "bits": 256,
                        "encoding": "base64", "material": [Data(aesKey).base64EncodedString()]],
                "rsa": ["encrypt": true, "decrypt": true, "type": "private", "algorithm": "rsa", "bits": 2048,
                        "encoding": "pem", "line-separator": "\n", "material": pem.split(separator: "\n").map(String.init)],
                "kms": ["encrypt": true, "decrypt": true, "type": "aws-kms", "key-id": "arn:aws:kms:us-west-2:111122223333:key/x"],
            ],
        ]
        try JSONSerialization.data(withJSONObject: keys).write(to: directory.appendingPathComponent("keys.json"))
        let plaintext = Fixtures.plaintext(777)
        try Data(plaintext).write(to: directory.appendingPathComponent("p"))
        let sdk = EncryptionSDK(commitmentPolicy: .forbidEncryptAllowDecrypt)
        let aes = try RawAESKeyring(keyNamespace: "prov", keyName: "aes", wrappingKey: aesKey)
        let rsa = try RawRSAKeyring(keyNamespace: "prov", keyName: "rsa", padding: .oaepSHA384MGF1, privateKeyPEM: pem, provider: RSATestKey.provider)
        try Data(try await sdk.encrypt(plaintext, keyring: aes, algorithmSuite: .aes256GcmIv12Tag16HkdfSha256).ciphertext)
            .write(to: directory.appendingPathComponent("c/aes"))
        try Data(try await sdk.encrypt(plaintext, keyring: rsa, algorithmSuite: .aes128GcmIv12Tag16HkdfSha256).ciphertext)
            .write(to: directory.appendingPathComponent("c/rsa"))
        var tampered = try await sdk.encrypt(plaintext, keyring: aes).ciphertext
        tampered[tampered.count - 20] ^= 1
        try Data(tampered).write(to: directory.appendingPathComponent("c/bad"))
        let aesKeySpec: [String: Any] = ["type": "raw", "key": "aes", "provider-id": "prov", "encryption-algorithm": "aes"]
        let rsaKeySpec: [String: Any] = ["type": "raw", "key": "rsa", "provider-id": "prov", "encryption-algorithm": "rsa",
                                         "padding-algorithm": "oaep-mgf1", "padding-hash": "sha384"]
        func test(_ ciphertext: String, _ keys: [[String: Any]], ok: Bool) -> [String: Any] {
            var entry: [String: Any] = ["ciphertext": "file://c/\(ciphertext)", "master-keys": keys]
            if version == 1 {
                entry["plaintext"] = "file://p"
            } else {
                entry["result"] = ok ? ["output": ["plaintext": "file://p"]] : ["error": ["error-description": "tampered"]]
            }
            if version >= 3 { entry["decryption-method"] = "streaming-unsigned-only" }
            return entry
        }
        var tests: [String: Any] = [
            "aes": test("aes", [aesKeySpec], ok: true),
            "rsa": test("rsa", [rsaKeySpec], ok: true),
            "multi": test("rsa", [aesKeySpec, rsaKeySpec], ok: true),
            "kms": test("aes", [["type": "aws-kms", "key": "kms"]], ok: true),
        ]
        if version > 1 { tests["bad"] = test("bad", [aesKeySpec], ok: false) }
        let manifest: [String: Any] = ["manifest": ["type": "awses-decrypt", "version": version], "keys": "file://keys.json", "tests": tests]
        try JSONSerialization.data(withJSONObject: manifest).write(to: directory.appendingPathComponent("manifest.json"))
    }

    @Test("manifest versions 1 to 3 with keys manifest v1 (material lists)", arguments: [1, 2, 3])
    func manifestVersions(_ version: Int) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("esdk-vectors-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await writeManifest(version: version, in: directory)
        let summary = try await DecryptManifestRunner(manifestURL: directory.appendingPathComponent("manifest.json"), rsaProvider: RSATestKey.provider).run()
        #expect(summary.failed == 0, "\(summary.failures)")
        #expect(summary.passed == (version == 1 ? 3 : 4))
        #expect(summary.skipped == 1)
    }
}
