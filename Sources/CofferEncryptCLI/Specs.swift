import CofferEncryptionSDK
import Foundation

/// A CLI usage or runtime failure: its message is printed as `error: …` and the command exits
/// with `exitCode`. Messages never contain key material or plaintext.
public struct CLIError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A bad option or option value (exit code 2, as for parse errors).
    public static func usage(_ message: String) -> CLIError { CLIError(message, exitCode: 2) }

    public var description: String { message }
}

/// Splits `key=value` arguments; values may contain `=`.
func splitPair(_ token: String) -> (key: String, value: String)? {
    guard let equals = token.firstIndex(of: "=") else { return nil }
    return (String(token[..<equals]), String(token[token.index(after: equals)...]))
}

// MARK: Wrapping keys

/// RSA padding names of the `raw-rsa` provider.
public enum RSAPaddingName: String, Sendable, CaseIterable {
    case pkcs1
    case oaepSHA1 = "oaep-sha1"
    case oaepSHA256 = "oaep-sha256"
    case oaepSHA384 = "oaep-sha384"
    case oaepSHA512 = "oaep-sha512"

    public var padding: RSAPadding {
        switch self {
        case .pkcs1: return .pkcs1v15
        case .oaepSHA1: return .oaepSHA1MGF1
        case .oaepSHA256: return .oaepSHA256MGF1
        case .oaepSHA384: return .oaepSHA384MGF1
        case .oaepSHA512: return .oaepSHA512MGF1
        }
    }
}

/// One `-w/--wrapping-keys` specification.
public enum WrappingKeySpec: Sendable, Equatable {
    /// `provider=aws-kms key=ARN [key=ARN…]`, or on decrypt `discovery=true
    /// [discovery-account=ID… discovery-partition=P]`.
    case awsKMS(keys: [String], discovery: Bool, discoveryAccounts: [String], discoveryPartition: String?)
    /// `provider=raw-aes namespace=NS name=NAME key=file:PATH`.
    case rawAES(namespace: String, name: String, keyFile: String)
    /// `provider=raw-rsa namespace=NS name=NAME key=file:PEM padding=…`.
    case rawRSA(namespace: String, name: String, keyFile: String, padding: RSAPaddingName)

    /// Joins the tokens of one `-w` occurrence made by `joiningOccurrences`.
    public static let occurrenceSeparator: Character = "\u{1F}"

    /// Rewrites a command line so that the tokens following each `-w`/`--wrapping-keys` become one
    /// argument (joined with `occurrenceSeparator`); `groups` then treats each occurrence as one
    /// specification whatever the order of its tokens. ArgumentParser concatenates the values of
    /// a repeated `.upToNextOption` option, so the occurrence boundaries are only visible in the
    /// raw arguments: a host executable calls this before parsing (`coffer-esdk` does).
    ///
    /// An occurrence ends at the next argument starting with `-`; nothing after `--` is touched.
    /// Occurrences with a single token, or with a token holding whitespace (a quoted
    /// specification), are left as they are.
    public static func joiningOccurrences(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                result.append(contentsOf: arguments[(index - 1)...])
                break
            }
            var option = argument
            var values: [String] = []
            if argument == "-w" || argument == "--wrapping-keys" {
            } else if argument.hasPrefix("--wrapping-keys=") {
                option = "--wrapping-keys"
                values.append(String(argument.dropFirst("--wrapping-keys=".count)))
            } else {
                result.append(argument)
                continue
            }
            while index < arguments.count, !arguments[index].hasPrefix("-") {
                values.append(arguments[index])
                index += 1
            }
            let quoted = values.contains { $0.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) }
            if values.count > 1, !quoted, !values.contains(where: { $0.contains(occurrenceSeparator) }) {
                result.append(option)
                result.append(values.joined(separator: String(occurrenceSeparator)))
            } else if argument.hasPrefix("--wrapping-keys=") {
                result.append(argument)
                result.append(contentsOf: values.dropFirst())
            } else {
                result.append(option)
                result.append(contentsOf: values)
            }
        }
        return result
    }

    /// Groups the tokens of all `-w` options into specifications.
    ///
    /// - A token made by `joiningOccurrences` (one whole `-w` occurrence) is one specification, its
    ///   tokens in any order, if it holds at most one `provider=` token; with several, each
    ///   `provider=` token within it starts a new specification.
    /// - A token holding whitespace is a whole specification by itself (`-w "provider=aws-kms key=…"`).
    /// - Other tokens: each `provider=` token starts a new specification; tokens before the first
    ///   one form a specification of the default provider `aws-kms` (so `-w key=ARN` works).
    public static func groups(_ tokens: [String]) -> [[String]] {
        var groups: [[String]] = []
        var current: [String] = []
        func splitByProvider(_ tokens: [String]) {
            for token in tokens {
                if token.hasPrefix("provider="), !current.isEmpty {
                    groups.append(current)
                    current = []
                }
                current.append(token)
            }
        }
        for token in tokens {
            if token.contains(occurrenceSeparator) {
                if !current.isEmpty { groups.append(current) }
                current = []
                let parts = token.split(separator: occurrenceSeparator).map(String.init)
                if parts.filter({ $0.hasPrefix("provider=") }).count <= 1 {
                    groups.append(parts)
                } else {
                    splitByProvider(parts)
                    if !current.isEmpty { groups.append(current) }
                    current = []
                }
                continue
            }
            let parts = token.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
            if parts.count > 1 {
                if !current.isEmpty { groups.append(current) }
                current = []
                groups.append(parts)
                continue
            }
            splitByProvider([token])
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }

    /// Parses every `-w` token into specifications.
    public static func parseAll(_ tokens: [String], decrypting: Bool) throws(CLIError) -> [WrappingKeySpec] {
        let groups = groups(tokens)
        guard !groups.isEmpty else { throw .usage("at least one -w/--wrapping-keys specification is required") }
        var specs: [WrappingKeySpec] = []
        for group in groups { specs.append(try parse(group, decrypting: decrypting)) }
        return specs
    }

    /// Parses one specification (`name=value` tokens).
    public static func parse(_ tokens: [String], decrypting: Bool) throws(CLIError) -> WrappingKeySpec {
        var values: [String: [String]] = [:]
        var order: [String] = []
        for token in tokens {
            guard let (key, value) = splitPair(token), !key.isEmpty else {
                throw .usage("wrapping key setting '\(token)' is not of the form name=value")
            }
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(value)
        }
        func single(_ name: String, required: Bool = true) throws(CLIError) -> String? {
            guard let list = values[name] else {
                if required { throw .usage("wrapping key setting '\(name)=' is required for this provider") }
                return nil
            }
            guard list.count == 1 else { throw .usage("wrapping key setting '\(name)=' may appear only once") }
            guard !list[0].isEmpty else { throw .usage("wrapping key setting '\(name)=' has an empty value") }
            return list[0]
        }
        func allow(_ names: Set<String>, provider: String) throws(CLIError) {
            for key in order where !names.contains(key) {
                throw .usage("unknown setting '\(key)=' for provider \(provider) (allowed: \(names.sorted().joined(separator: ", ")))")
            }
        }
        let provider = try single("provider", required: false) ?? "aws-kms"
        switch provider {
        case "aws-kms":
            try allow(["provider", "key", "discovery", "discovery-account", "discovery-partition"], provider: provider)
            let keys = values["key"] ?? []
            if keys.contains("") { throw .usage("wrapping key setting 'key=' has an empty value") }
            let discoveryText = try single("discovery", required: false)
            let discovery = try discoveryText.map { (text) throws(CLIError) -> Bool in try parseBool(text) } ?? false
            let accounts = values["discovery-account"] ?? []
            let partition = try single("discovery-partition", required: false)
            if !decrypting {
                if discoveryText != nil || !accounts.isEmpty || partition != nil {
                    throw .usage("discovery settings are valid only when decrypting")
                }
                guard !keys.isEmpty else { throw .usage("provider aws-kms needs at least one key=ARN to encrypt") }
                return .awsKMS(keys: keys, discovery: false, discoveryAccounts: [], discoveryPartition: nil)
            }
            if discoveryText == nil, !accounts.isEmpty || partition != nil {
                throw .usage("discovery-account and discovery-partition are valid only with discovery=true")
            }
            if discovery {
                guard keys.isEmpty else { throw .usage("with discovery=true, key= may not be given") }
                if accounts.contains("") { throw .usage("discovery-account may not be empty") }
                if !accounts.isEmpty && partition == nil { throw .usage("discovery-account requires discovery-partition") }
                if partition != nil && accounts.isEmpty { throw .usage("discovery-partition requires at least one discovery-account") }
            } else {
                if !accounts.isEmpty || partition != nil {
                    throw .usage("discovery-account and discovery-partition are valid only with discovery=true")
                }
                guard !keys.isEmpty else { throw .usage("provider aws-kms needs key=ARN, or discovery=true to decrypt") }
            }
            return .awsKMS(keys: keys, discovery: discovery, discoveryAccounts: accounts, discoveryPartition: partition)
        case "raw-aes":
            try allow(["provider", "namespace", "name", "key"], provider: provider)
            let namespace = try single("namespace")!
            let name = try single("name")!
            return .rawAES(namespace: namespace, name: name, keyFile: try keyFile(try single("key")!))
        case "raw-rsa":
            try allow(["provider", "namespace", "name", "key", "padding"], provider: provider)
            let namespace = try single("namespace")!
            let name = try single("name")!
            let paddingText = try single("padding")!
            guard let padding = RSAPaddingName(rawValue: paddingText.lowercased()) else {
                throw .usage("unknown RSA padding '\(paddingText)' (use \(RSAPaddingName.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .rawRSA(namespace: namespace, name: name, keyFile: try keyFile(try single("key")!), padding: padding)
        default:
            throw .usage("unknown wrapping key provider '\(provider)' (use aws-kms, raw-aes or raw-rsa)")
        }
    }

    private static func keyFile(_ value: String) throws(CLIError) -> String {
        guard value.hasPrefix("file:"), value.count > 5 else {
            throw .usage("raw key must be given as key=file:PATH")
        }
        return String(value.dropFirst(5))
    }

    static func parseBool(_ text: String) throws(CLIError) -> Bool {
        switch text.lowercased() {
        case "true", "t", "1", "yes", "y": return true
        case "false", "f", "0", "no", "n": return false
        default: throw .usage("'\(text)' is not true or false")
        }
    }
}

// MARK: Encryption context

/// The `-c/--encryption-context` arguments.
public struct EncryptionContextArguments: Sendable, Equatable {
    /// `k=v` pairs.
    public var pairs: [String: String]
    /// Bare `k` arguments (decrypt only): the key must be in the message's encryption context.
    public var requiredKeys: [String]

    public init(pairs: [String: String] = [:], requiredKeys: [String] = []) {
        self.pairs = pairs
        self.requiredKeys = requiredKeys
    }

    public static func parse(_ tokens: [String], decrypting: Bool) throws(CLIError) -> EncryptionContextArguments {
        var result = EncryptionContextArguments()
        for token in tokens {
            if let (key, value) = splitPair(token) {
                guard !key.isEmpty else { throw .usage("encryption context entry '\(token)' has an empty key") }
                if let existing = result.pairs[key], existing != value {
                    throw .usage("encryption context key '\(key)' is given twice with different values")
                }
                result.pairs[key] = value
            } else {
                guard decrypting else { throw .usage("encryption context entry '\(token)' is not of the form key=value") }
                guard !token.isEmpty else { throw .usage("empty encryption context entry") }
                result.requiredKeys.append(token)
            }
        }
        for key in result.pairs.keys where key.hasPrefix(reservedEncryptionContextPrefix) {
            throw .usage("encryption context key '\(key)' uses the reserved prefix '\(reservedEncryptionContextPrefix)'")
        }
        return result
    }
}

// MARK: Caching

/// `--caching capacity=N max_age=S [max_messages_encrypted=N] [max_bytes_encrypted=N]`.
public struct CachingSpec: Sendable, Equatable {
    public var capacity: Int
    public var maxAge: Double
    public var maxMessagesEncrypted: Int?
    public var maxBytesEncrypted: Int?

    public init(capacity: Int, maxAge: Double, maxMessagesEncrypted: Int? = nil, maxBytesEncrypted: Int? = nil) {
        self.capacity = capacity
        self.maxAge = maxAge
        self.maxMessagesEncrypted = maxMessagesEncrypted
        self.maxBytesEncrypted = maxBytesEncrypted
    }

    public static func parse(_ tokens: [String]) throws(CLIError) -> CachingSpec {
        var values: [String: String] = [:]
        for token in tokens {
            guard let (key, value) = splitPair(token) else { throw .usage("caching setting '\(token)' is not of the form name=value") }
            guard ["capacity", "max_age", "max_messages_encrypted", "max_bytes_encrypted"].contains(key) else {
                throw .usage("unknown caching setting '\(key)' (use capacity, max_age, max_messages_encrypted, max_bytes_encrypted)")
            }
            guard values[key] == nil else { throw .usage("caching setting '\(key)' is given twice") }
            values[key] = value
        }
        guard let capacityText = values["capacity"], let ageText = values["max_age"] else {
            throw .usage("--caching needs both capacity and max_age")
        }
        func positiveInt(_ name: String, _ text: String) throws(CLIError) -> Int {
            guard let value = Int(text), value > 0 else { throw .usage("caching setting \(name) must be a positive integer") }
            return value
        }
        guard let age = Double(ageText), age > 0, age.isFinite else { throw .usage("caching setting max_age must be a positive number of seconds") }
        let messages = try values["max_messages_encrypted"].map { (text) throws(CLIError) -> Int in try positiveInt("max_messages_encrypted", text) }
        if let messages, messages > 1 << 32 { throw .usage("caching setting max_messages_encrypted may be at most 2^32") }
        return CachingSpec(capacity: try positiveInt("capacity", capacityText), maxAge: age, maxMessagesEncrypted: messages,
                           maxBytesEncrypted: try values["max_bytes_encrypted"].map { (text) throws(CLIError) -> Int in
                               try positiveInt("max_bytes_encrypted", text) })
    }
}

// MARK: Algorithm suites and policies

public enum AlgorithmSuiteNames {
    /// The names aws-encryption-cli accepts (the Python SDK's `Algorithm` members).
    public static let byName: [String: AlgorithmSuite] = [
        "AES_128_GCM_IV12_TAG16": .aes128GcmIv12Tag16NoKdf,
        "AES_192_GCM_IV12_TAG16": .aes192GcmIv12Tag16NoKdf,
        "AES_256_GCM_IV12_TAG16": .aes256GcmIv12Tag16NoKdf,
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256": .aes128GcmIv12Tag16HkdfSha256,
        "AES_192_GCM_IV12_TAG16_HKDF_SHA256": .aes192GcmIv12Tag16HkdfSha256,
        "AES_256_GCM_IV12_TAG16_HKDF_SHA256": .aes256GcmIv12Tag16HkdfSha256,
        "AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256": .aes128GcmIv12Tag16HkdfSha256EcdsaP256,
        "AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384": .aes192GcmIv12Tag16HkdfSha384EcdsaP384,
        "AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384": .aes256GcmIv12Tag16HkdfSha384EcdsaP384,
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY": .aes256GcmHkdfSha512CommitKey,
        "AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384": .aes256GcmHkdfSha512CommitKeyEcdsaP384,
    ]

    /// The aws-encryption-cli name of `suite`.
    public static func name(of suite: AlgorithmSuite) -> String {
        byName.first { $0.value == suite }?.key ?? suite.description
    }

    /// Parses a suite name (case-insensitive) or a hex ID (`0x0578`, `0578`, `578`).
    public static func parse(_ text: String) throws(CLIError) -> AlgorithmSuite {
        if let suite = byName[text.uppercased()] { return suite }
        var hex = Substring(text.lowercased())
        if hex.hasPrefix("0x") { hex = hex.dropFirst(2) }
        if !hex.isEmpty, hex.count <= 4, let id = UInt16(hex, radix: 16), let suite = AlgorithmSuite.suite(id: id) {
            return suite
        }
        throw .usage("unknown algorithm suite '\(text)' (use a name such as AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384 or a hex ID such as 0x0578)")
    }
}

public enum CommitmentPolicyNames {
    public static func parse(_ text: String) throws(CLIError) -> CommitmentPolicy {
        switch text.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "forbid-encrypt-allow-decrypt": return .forbidEncryptAllowDecrypt
        case "require-encrypt-allow-decrypt": return .requireEncryptAllowDecrypt
        case "require-encrypt-require-decrypt": return .requireEncryptRequireDecrypt
        default:
            throw .usage("unknown commitment policy '\(text)' (use forbid-encrypt-allow-decrypt, require-encrypt-allow-decrypt or require-encrypt-require-decrypt)")
        }
    }
}
