import ArgumentParser
import CofferEncryptCLI
import CofferEncryptionSDK
import Foundation
import Testing

@Suite struct WrappingKeySpecTests {
    static let arn = "arn:aws:kms:us-east-1:123456789012:key/abc"

    @Test func groupsByProvider() {
        #expect(WrappingKeySpec.groups(["provider=aws-kms", "key=a", "key=b", "provider=raw-aes", "namespace=n"])
                == [["provider=aws-kms", "key=a", "key=b"], ["provider=raw-aes", "namespace=n"]])
        #expect(WrappingKeySpec.groups(["key=a", "provider=raw-aes"]) == [["key=a"], ["provider=raw-aes"]])
        #expect(WrappingKeySpec.groups(["provider=aws-kms key=a", "key=b"]) == [["provider=aws-kms", "key=a"], ["key=b"]])
    }

    /// coffer-esdk marks each -w occurrence; its tokens may then come in any order.
    @Test func occurrencesGroupInAnyOrder() throws {
        let arguments = WrappingKeySpec.joiningOccurrences([
            "encrypt", "-i", "in", "-o", "out", "-w", "key=\(Self.arn)", "provider=aws-kms", "-c", "a=1",
            "--wrapping-keys", "namespace=n", "name=a", "key=file:/k", "provider=raw-aes",
            "-w", "key=\(Self.arn)", "-w", "provider=raw-aes namespace=q name=b key=file:/q",
            "--wrapping-keys=name=c", "key=file:/c", "namespace=m", "provider=raw-aes",
        ])
        let command = try EncryptCommand.parse(Array(arguments.dropFirst()))
        #expect(command.options.encryptionContext == ["a=1"])
        #expect(try WrappingKeySpec.parseAll(command.options.wrappingKeys, decrypting: false) == [
            .awsKMS(keys: [Self.arn], discovery: false, discoveryAccounts: [], discoveryPartition: nil),
            .rawAES(namespace: "n", name: "a", keyFile: "/k"),
            .awsKMS(keys: [Self.arn], discovery: false, discoveryAccounts: [], discoveryPartition: nil),
            .rawAES(namespace: "q", name: "b", keyFile: "/q"),
            .rawAES(namespace: "m", name: "c", keyFile: "/c"),
        ])
        // Several provider= tokens in one occurrence: each starts a new specification, as before.
        let two = WrappingKeySpec.joiningOccurrences(["-w", "provider=aws-kms", "key=a", "provider=raw-aes", "namespace=n"])
        #expect(WrappingKeySpec.groups(Array(two.dropFirst())) == [["provider=aws-kms", "key=a"], ["provider=raw-aes", "namespace=n"]])
        // Nothing after -- and no other option is touched.
        #expect(WrappingKeySpec.joiningOccurrences(["-c", "a=1", "b=2", "--", "-w", "x=1", "y=2"]) == ["-c", "a=1", "b=2", "--", "-w", "x=1", "y=2"])
        #expect(WrappingKeySpec.joiningOccurrences(["-w", "key=a", "-i", "x"]) == ["-w", "key=a", "-i", "x"])
    }

    @Test func kmsSpecs() throws {
        #expect(try WrappingKeySpec.parseAll(["key=\(Self.arn)"], decrypting: false)
                == [.awsKMS(keys: [Self.arn], discovery: false, discoveryAccounts: [], discoveryPartition: nil)])
        #expect(try WrappingKeySpec.parse(["provider=aws-kms", "discovery=true", "discovery-account=1", "discovery-account=2",
                                           "discovery-partition=aws"], decrypting: true)
                == .awsKMS(keys: [], discovery: true, discoveryAccounts: ["1", "2"], discoveryPartition: "aws"))
    }

    @Test(arguments: [
        (["provider=aws-kms"], false),                                        // no key to encrypt
        (["provider=aws-kms", "discovery=true"], false),                      // discovery on encrypt
        (["provider=aws-kms", "discovery=true", "key=x"], true),              // discovery with key
        (["provider=aws-kms", "discovery=maybe"], true),                      // not a boolean
        (["provider=aws-kms", "discovery=true", "discovery-account=1"], true), // account without partition
        (["provider=aws-kms", "discovery=true", "discovery-partition=aws"], true),
        (["provider=aws-kms", "key=a", "discovery-account=1"], true),         // filter without discovery
        (["provider=aws-kms"], true),                                         // neither key nor discovery
        (["provider=raw-aes", "namespace=n", "name=k", "key=/tmp/k"], false), // key not file:
        (["provider=raw-aes", "namespace=n", "key=file:/tmp/k"], false),      // name missing
        (["provider=raw-aes", "namespace=n", "name=k", "key=file:/k", "padding=pkcs1"], false), // unknown setting
        (["provider=raw-rsa", "namespace=n", "name=k", "key=file:/k", "padding=oaep-md5"], false),
        (["provider=raw-rsa", "namespace=n", "name=k", "key=file:/k"], false), // padding missing
        (["provider=pgp", "key=x"], false),
        (["provider=raw-aes", "provider=raw-rsa"], false),
        (["novalue"], false),
    ] as [([String], Bool)])
    func rejectsInvalidSpecs(tokens: [String], decrypting: Bool) {
        #expect(throws: CLIError.self) { try WrappingKeySpec.parse(tokens, decrypting: decrypting) }
    }

    @Test func rawSpecs() throws {
        #expect(try WrappingKeySpec.parse(["provider=raw-aes", "namespace=ns", "name=k1", "key=file:/keys/a.bin"], decrypting: false)
                == .rawAES(namespace: "ns", name: "k1", keyFile: "/keys/a.bin"))
        #expect(try WrappingKeySpec.parse(["provider=raw-rsa", "namespace=ns", "name=k1", "key=file:/k.pem", "padding=OAEP-SHA256"], decrypting: true)
                == .rawRSA(namespace: "ns", name: "k1", keyFile: "/k.pem", padding: .oaepSHA256))
    }
}

@Suite struct OptionTests {
    @Test func encryptionContext() throws {
        let encrypt = try EncryptionContextArguments.parse(["a=1", "b=x=y"], decrypting: false)
        #expect(encrypt.pairs == ["a": "1", "b": "x=y"])
        #expect(throws: CLIError.self) { try EncryptionContextArguments.parse(["bare"], decrypting: false) }
        let decrypt = try EncryptionContextArguments.parse(["a=1", "needed"], decrypting: true)
        #expect(decrypt.pairs == ["a": "1"])
        #expect(decrypt.requiredKeys == ["needed"])
        #expect(throws: CLIError.self) { try EncryptionContextArguments.parse(["a=1", "a=2"], decrypting: false) }
        #expect(throws: CLIError.self) { try EncryptionContextArguments.parse(["aws-crypto-x=1"], decrypting: false) }
        #expect(throws: CLIError.self) { try EncryptionContextArguments.parse(["=1"], decrypting: false) }
    }

    @Test func caching() throws {
        #expect(try CachingSpec.parse(["capacity=10", "max_age=2.5"]) == CachingSpec(capacity: 10, maxAge: 2.5))
        #expect(try CachingSpec.parse(["capacity=1", "max_age=1", "max_messages_encrypted=5", "max_bytes_encrypted=100"])
                == CachingSpec(capacity: 1, maxAge: 1, maxMessagesEncrypted: 5, maxBytesEncrypted: 100))
        for bad in [["capacity=10"], ["max_age=1"], ["capacity=0", "max_age=1"], ["capacity=1", "max_age=-1"],
                    ["capacity=1", "max_age=1", "size=3"], ["capacity=x", "max_age=1"]] {
            #expect(throws: CLIError.self) { try CachingSpec.parse(bad) }
        }
    }

    @Test func algorithmNamesAndIDs() throws {
        #expect(try AlgorithmSuiteNames.parse("AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384") == .aes256GcmHkdfSha512CommitKeyEcdsaP384)
        #expect(try AlgorithmSuiteNames.parse("aes_256_gcm_hkdf_sha512_commit_key") == .aes256GcmHkdfSha512CommitKey)
        #expect(try AlgorithmSuiteNames.parse("0x0378") == .aes256GcmIv12Tag16HkdfSha384EcdsaP384)
        #expect(try AlgorithmSuiteNames.parse("14") == .aes128GcmIv12Tag16NoKdf)
        #expect(AlgorithmSuiteNames.byName.count == 11)
        #expect(throws: CLIError.self) { try AlgorithmSuiteNames.parse("0x9999") }
        #expect(throws: CLIError.self) { try AlgorithmSuiteNames.parse("AES_512") }
        #expect(try CommitmentPolicyNames.parse("forbid-encrypt-allow-decrypt") == .forbidEncryptAllowDecrypt)
        #expect(try CommitmentPolicyNames.parse("REQUIRE_ENCRYPT_ALLOW_DECRYPT") == .requireEncryptAllowDecrypt)
        #expect(throws: CLIError.self) { try CommitmentPolicyNames.parse("allow-all") }
    }

    @Test func commandLineParsing() throws {
        let command = try EncryptCommand.parse([
            "-i", "in", "-o", "out", "-w", "provider=aws-kms", "key=k1", "key=k2", "-w", "provider=raw-aes", "namespace=n", "name=a",
            "key=file:/k", "-c", "a=1", "b=2", "-c", "c=3", "--algorithm", "0x0478", "--frame-length", "1024",
            "--caching", "capacity=5", "max_age=10", "-r",
        ])
        #expect(command.options.wrappingKeys.count == 7)
        #expect(command.options.encryptionContext == ["a=1", "b=2", "c=3"])
        #expect(command.algorithm == "0x0478")
        #expect(command.frameLength == 1024)
        #expect(command.options.recursive)
        #expect(try WrappingKeySpec.parseAll(command.options.wrappingKeys, decrypting: false).count == 2)
        #expect(throws: (any Error).self) { try DecryptCommand.parse(["-i", "x", "-o", "y", "--algorithm", "0x0478"]) }
        #expect(throws: (any Error).self) { try EncryptCommand.parse(["-o", "y", "-w", "key=k"]) }
    }

    @Test func metadataJSONMatchesPythonFormatting() {
        let json = MetadataJSON.object(["b": .array([.int(1), .null]), "a": .string("é\"\n"), "c": .bool(true)])
        #expect(json.serialized == #"{"a": "\u00e9\"\n", "b": [1, null], "c": true}"#)
    }
}

/// Runs the commands in-process on raw AES keys (no KMS).
@Suite struct CommandRunTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func rawAESRoundTripAndValidation() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("key.bin")
        try Data((0..<32).map { UInt8($0) }).write(to: key)
        let plain = dir.appendingPathComponent("plain.txt")
        try Data(repeating: 0x41, count: 10_000).write(to: plain)
        let spec = ["-w", "provider=raw-aes", "namespace=ns", "name=k", "key=file:\(key.path)"]
        var encrypt = try EncryptCommand.parse(["-i", plain.path, "-o", dir.path, "-c", "tenant=a", "--frame-length", "512"] + spec)
        try await encrypt.run()
        let encrypted = dir.appendingPathComponent("plain.txt.encrypted")
        #expect(FileManager.default.fileExists(atPath: encrypted.path))
        var decrypt = try DecryptCommand.parse(["-i", encrypted.path, "-o", dir.appendingPathComponent("out").path, "-c", "tenant=a", "tenant"] + spec)
        try await decrypt.run()
        #expect(try Data(contentsOf: dir.appendingPathComponent("out")) == Data(contentsOf: plain))

        // A mismatching context fails and leaves no output file behind.
        var mismatch = try DecryptCommand.parse(["-i", encrypted.path, "-o", dir.appendingPathComponent("bad").path, "-c", "tenant=b"] + spec)
        await #expect(throws: ExitCode.self) { try await mismatch.run() }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path))
        var missingKey = try DecryptCommand.parse(["-i", encrypted.path, "-o", dir.appendingPathComponent("bad").path, "-c", "other"] + spec)
        await #expect(throws: ExitCode.self) { try await missingKey.run() }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad").path))

        // Usage errors: short key file, policy/suite conflict, directory without -r.
        try Data([1, 2, 3]).write(to: dir.appendingPathComponent("short.bin"))
        var short = try EncryptCommand.parse(["-i", plain.path, "-o", "-", "-w", "provider=raw-aes", "namespace=ns", "name=k",
                                              "key=file:\(dir.appendingPathComponent("short.bin").path)"])
        await #expect(throws: ExitCode(2)) { try await short.run() }
        var conflict = try EncryptCommand.parse(["-i", plain.path, "-o", "-", "--algorithm", "AES_256_GCM_IV12_TAG16"] + spec)
        await #expect(throws: ExitCode(2)) { try await conflict.run() }
        var notRecursive = try EncryptCommand.parse(["-i", dir.path, "-o", dir.path] + spec)
        await #expect(throws: ExitCode(2)) { try await notRecursive.run() }
    }
}
