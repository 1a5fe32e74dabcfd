import ArgumentParser
import CofferEncryptionSDK
import CofferKMSClient
import Foundation

/// Options shared by `encrypt` and `decrypt` (modelled on aws-encryption-cli).
public struct CommonCryptoOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("i"), .customLong("input")], help: "Input file or directory, or - for standard input.")
    public var input: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output file or directory, or - for standard output.")
    public var output: String

    @Option(name: [.customShort("w"), .customLong("wrapping-keys")], parsing: .upToNextOption,
            help: ArgumentHelp("Wrapping key specification (repeatable).", discussion: """
                provider=aws-kms key=ARN [key=ARN…]; on decrypt also discovery=true [discovery-account=ID… discovery-partition=P]
                provider=raw-aes namespace=NS name=NAME key=file:PATH (16, 24 or 32 raw key bytes)
                provider=raw-rsa namespace=NS name=NAME key=file:PEM padding=pkcs1|oaep-sha1|oaep-sha256|oaep-sha384|oaep-sha512
                In coffer-esdk each -w is one specification, its tokens in any order (unless it holds several provider= tokens).
                Hosts that do not group by -w: each provider= token starts a new specification, or quote it as one argument.
                """))
    public var wrappingKeys: [String] = []

    @Option(name: [.customShort("c"), .customLong("encryption-context")], parsing: .upToNextOption,
            help: "Encryption context k=v pairs (repeatable). On decrypt: pairs the message must match (or, for pairs not stored in the message, supply); a bare key only requires that key.")
    public var encryptionContext: [String] = []

    @Option(name: .long, help: "forbid-encrypt-allow-decrypt | require-encrypt-allow-decrypt | require-encrypt-require-decrypt (default).")
    public var commitmentPolicy: String = "require-encrypt-require-decrypt"

    @Option(name: .long, help: "Maximum number of encrypted data keys to wrap or to accept.")
    public var maxEncryptedDataKeys: Int?

    @Option(name: .long, help: "Write JSON-lines metadata to this file (appended), or - for standard output.")
    public var metadataOutput: String?

    @Flag(name: .long, help: "Overwrite the metadata output file instead of appending.")
    public var overwriteMetadata: Bool = false

    @Option(name: .long, parsing: .upToNextOption,
            help: "Data key caching: capacity=N max_age=SECONDS [max_messages_encrypted=N] [max_bytes_encrypted=N].")
    public var caching: [String] = []

    @Flag(name: [.customShort("r"), .customShort("R"), .customLong("recursive")], help: "Process a directory tree.")
    public var recursive: Bool = false

    @Option(name: .long, help: "Suffix for output file names when the output is a directory (default .encrypted / .decrypted).")
    public var suffix: String?

    @Flag(name: .long, help: "Never overwrite existing output files.")
    public var noOverwrite: Bool = false

    @Flag(name: .long, help: "Do not draw a progress bar.")
    public var noProgress: Bool = false

    public init() {}

    /// Checks and converts the shared options.
    func plan(mode: OperationMode, algorithm: String?, frameLength: Int?) throws(CLIError) -> (OperationPlan, [WrappingKeySpec], CachingSpec?) {
        let decrypting = mode == .decrypt
        let specs = try WrappingKeySpec.parseAll(wrappingKeys, decrypting: decrypting)
        let context = try EncryptionContextArguments.parse(encryptionContext, decrypting: decrypting)
        let policy = try CommitmentPolicyNames.parse(commitmentPolicy)
        if let maxEncryptedDataKeys, maxEncryptedDataKeys < 1 {
            throw .usage("--max-encrypted-data-keys must be at least 1")
        }
        let caching = caching.isEmpty ? nil : try CachingSpec.parse(caching)
        var suite: AlgorithmSuite?
        if let algorithm {
            let parsed = try AlgorithmSuiteNames.parse(algorithm)
            do {
                try policy.validateForEncrypt(parsed)
            } catch {
                throw .usage("--algorithm \(AlgorithmSuiteNames.name(of: parsed)) is not allowed under --commitment-policy \(commitmentPolicy): \(error.message)")
            }
            suite = parsed
        }
        let frame = frameLength ?? EncryptionSDK.defaultFrameLength
        guard frame >= 1, frame <= MessageHeader.maximumFrameLength else {
            throw .usage("--frame-length must be between 1 and \(MessageHeader.maximumFrameLength)")
        }
        if let maxEncryptedDataKeys, !decrypting {
            let count = specs.reduce(0) { total, spec in
                if case let .awsKMS(keys, _, _, _) = spec { return total + keys.count }
                return total + 1
            }
            if count > maxEncryptedDataKeys {
                throw .usage("\(count) wrapping keys would create more encrypted data keys than --max-encrypted-data-keys \(maxEncryptedDataKeys)")
            }
        }
        if input.isEmpty || output.isEmpty { throw .usage("-i/--input and -o/--output may not be empty") }
        let plan = OperationPlan(
            mode: mode, input: input, output: output, recursive: recursive, suffix: suffix, noOverwrite: noOverwrite,
            sdk: EncryptionSDK(commitmentPolicy: policy, maxEncryptedDataKeys: maxEncryptedDataKeys),
            encryptionContext: context, algorithmSuite: suite, frameLength: frame,
            metadataOutput: metadataOutput, overwriteMetadata: overwriteMetadata, progress: !noProgress)
        return (plan, specs, caching)
    }
}

/// Runs a parsed command; shared by both commands. Returns the exit code.
func execute(mode: OperationMode, options: CommonCryptoOptions, algorithm: String?, frameLength: Int?,
             factory: KeyringFactory) async -> Int32 {
    do {
        let (plan, specs, caching) = try options.plan(mode: mode, algorithm: algorithm, frameLength: frameLength)
        _ = try OperationRunner.jobs(for: plan)
        let keyring = try factory.keyring(for: specs, decrypting: mode == .decrypt)
        let cmm = try factory.materialsManager(keyring: keyring, caching: caching)
        let failures = try await OperationRunner(plan: plan, materialsManager: cmm).run()
        return failures == 0 ? 0 : 1
    } catch {
        printError("error: \(error.message)")
        return error.exitCode
    }
}

/// `encrypt`: encrypts files, directory trees or standard input into AWS Encryption SDK messages.
public struct EncryptCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt data into AWS Encryption SDK messages (compatible with aws-encryption-cli).")

    @OptionGroup public var options: CommonCryptoOptions

    @Option(name: .long, help: "Algorithm suite name (e.g. AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384) or hex ID (e.g. 0x0578).")
    public var algorithm: String?

    @Option(name: .long, help: "Frame length in bytes (default 4096).")
    public var frameLength: Int?

    public init() {}

    /// The KMS client factory; replaced in tests.
    public var factory = KeyringFactory()

    private enum CodingKeys: String, CodingKey { case options, algorithm, frameLength }

    public mutating func run() async throws {
        let code = await execute(mode: .encrypt, options: options, algorithm: algorithm, frameLength: frameLength, factory: factory)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `decrypt`: decrypts AWS Encryption SDK messages.
public struct DecryptCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt AWS Encryption SDK messages (compatible with aws-encryption-cli).")

    @OptionGroup public var options: CommonCryptoOptions

    public init() {}

    /// The KMS client factory; replaced in tests.
    public var factory = KeyringFactory()

    private enum CodingKeys: String, CodingKey { case options }

    public mutating func run() async throws {
        let code = await execute(mode: .decrypt, options: options, algorithm: nil, frameLength: nil, factory: factory)
        if code != 0 { throw ExitCode(code) }
    }
}
