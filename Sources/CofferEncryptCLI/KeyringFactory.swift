import CofferEncryptionSDK
import CofferKMSClient
import CofferRSAOAEP
import Foundation

/// Builds keyrings and the materials manager from parsed CLI specifications.
public struct KeyringFactory: Sendable {
    /// Makes the KMS client; called at most once, and only when an aws-kms specification is used.
    public var makeKMSClient: @Sendable () throws -> any KMSClient

    public init(makeKMSClient: @escaping @Sendable () throws -> any KMSClient = { try AWSKMSClient.fromEnvironment() }) {
        self.makeKMSClient = makeKMSClient
    }

    /// One keyring for all specifications: a multi-keyring whose generator is the first key.
    public func keyring(for specs: [WrappingKeySpec], decrypting: Bool) throws(CLIError) -> any Keyring {
        var client: (any KMSClient)?
        func kms() throws(CLIError) -> any KMSClient {
            if let client { return client }
            do {
                let made = try makeKMSClient()
                client = made
                return made
            } catch {
                throw CLIError("cannot set up the AWS KMS client: \(describe(error))")
            }
        }
        var keyrings: [any Keyring] = []
        do {
            for spec in specs {
                switch spec {
                case let .awsKMS(keys, discovery, accounts, partition):
                    if discovery {
                        let filter = try partition.map { (partition) throws(ESDKError) -> KMSDiscoveryFilter in
                            try KMSDiscoveryFilter(partition: partition, accountIDs: Set(accounts))
                        }
                        keyrings.append(AwsKmsDiscoveryKeyring(client: try kms(), discoveryFilter: filter))
                    } else {
                        for key in keys {
                            if decrypting, KMSKeyARN(key)?.isKey != true {
                                throw CLIError.usage("to decrypt, AWS KMS keys must be key ARNs (arn:aws:kms:REGION:ACCOUNT:key/ID); '\(key)' is not")
                            }
                            keyrings.append(try AwsKmsKeyring(keyId: key, client: try kms()))
                        }
                    }
                case let .rawAES(namespace, name, keyFile):
                    let bytes = try readFile(keyFile, what: "raw AES key")
                    guard [16, 24, 32].contains(bytes.count) else {
                        throw CLIError.usage("raw AES key file \(keyFile) holds \(bytes.count) bytes; it must hold exactly 16, 24 or 32 raw key bytes")
                    }
                    keyrings.append(try RawAESKeyring(keyNamespace: namespace, keyName: name, wrappingKey: bytes))
                case let .rawRSA(namespace, name, keyFile, padding):
                    let bytes = try readFile(keyFile, what: "RSA key")
                    guard let pem = String(bytes: bytes, encoding: .utf8), pem.contains("-----BEGIN") else {
                        throw CLIError.usage("RSA key file \(keyFile) is not a PEM file")
                    }
                    let isPrivate = pem.contains("PRIVATE KEY-----")
                    if decrypting && !isPrivate {
                        throw CLIError.usage("decrypting with raw-rsa needs a private key PEM; \(keyFile) holds a public key")
                    }
                    let provider: (any RSAPaddingProvider)? = padding.padding == .oaepSHA384MGF1 || padding.padding == .oaepSHA512MGF1
                        ? BoringSSLOAEPProvider() : nil
                    keyrings.append(try RawRSAKeyring(
                        keyNamespace: namespace, keyName: name, padding: padding.padding,
                        publicKeyPEM: isPrivate ? nil : pem, privateKeyPEM: isPrivate ? pem : nil, provider: provider))
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("invalid wrapping key: \(describe(error))")
        }
        guard let first = keyrings.first else { throw CLIError.usage("no wrapping keys given") }
        if keyrings.count == 1 { return first }
        do {
            return try MultiKeyring(generator: first, children: Array(keyrings.dropFirst()))
        } catch {
            throw CLIError("invalid wrapping key configuration: \(describe(error))")
        }
    }

    /// The materials manager: default, or caching over default.
    public func materialsManager(keyring: any Keyring, caching: CachingSpec?) throws(CLIError) -> any CryptographicMaterialsManager {
        let base = DefaultCryptographicMaterialsManager(keyring: keyring)
        guard let caching else { return base }
        do {
            return try CachingCryptographicMaterialsManager(
                underlying: base, maxAge: .milliseconds(Int64((caching.maxAge * 1000).rounded(.up))),
                maxMessagesEncrypted: caching.maxMessagesEncrypted ?? 1 << 32,
                maxBytesEncrypted: caching.maxBytesEncrypted ?? Int.max, capacity: caching.capacity)
        } catch {
            throw CLIError.usage("invalid --caching settings: \(describe(error))")
        }
    }

    private func readFile(_ path: String, what: String) throws(CLIError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.usage("cannot read \(what) file \(path)")
        }
        return Array(data)
    }
}

/// Renders an error and its causes on one line, without key material.
func describe(_ error: any Error) -> String {
    var parts: [String] = []
    var current: (any Error)? = error
    var depth = 0
    while let error = current, depth < 6 {
        depth += 1
        if let esdk = error as? ESDKError {
            parts.append("\(esdk.message) [\(esdk.code)]")
            current = esdk.cause
        } else if let cli = error as? CLIError {
            parts.append(cli.message)
            current = nil
        } else if let kms = error as? KMSClientError {
            parts.append(kms.description)
            current = nil
        } else {
            parts.append(String(describing: error))
            current = nil
        }
    }
    return parts.joined(separator: ": ")
}
