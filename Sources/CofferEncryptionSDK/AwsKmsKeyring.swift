/// Wraps data keys under one AWS KMS key (spec: framework/aws-kms/aws-kms-keyring).
///
/// Encrypted data keys carry provider ID `aws-kms` and the full key ARN that KMS returned as
/// provider info; that ARN is checked on every response.
public struct AwsKmsKeyring: Keyring {
    public static let providerID = "aws-kms"

    public let keyId: String
    public let client: any KMSClient
    public let grantTokens: [String]

    /// - Parameter keyId: a key ID, key ARN, alias name or alias ARN, as KMS accepts it.
    public init(keyId: String, client: any KMSClient, grantTokens: [String] = []) throws(ESDKError) {
        guard !keyId.isEmpty else { throw ESDKError(.invalidArgument, "KMS key ID is empty") }
        self.keyId = keyId
        self.client = client
        self.grantTokens = grantTokens
    }

    public func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials {
        var materials = materials
        let length = materials.algorithmSuite.dataKeyLength
        if materials.plaintextDataKey == nil {
            let response: KMSGenerateDataKeyResponse
            do {
                response = try await client.generateDataKey(KMSGenerateDataKeyRequest(
                    keyId: keyId, numberOfBytes: length, encryptionContext: materials.encryptionContext, grantTokens: grantTokens))
            } catch {
                throw ESDKError(.keyringFailure, "KMS GenerateDataKey failed", cause: error)
            }
            guard KMSKeyARN(response.keyId)?.isKey == true else {
                throw ESDKError(.kmsResponseInvalid, "GenerateDataKey returned a KeyId that is not a key ARN")
            }
            guard response.plaintext.count == length else {
                throw ESDKError(.kmsResponseInvalid, "GenerateDataKey returned a data key of the wrong length")
            }
            materials.plaintextDataKey = response.plaintext
            materials.encryptedDataKeys.append(EncryptedDataKey(
                providerID: Self.providerID, providerInfo: Array(response.keyId.utf8), ciphertext: response.ciphertextBlob))
        } else if let dataKey = materials.plaintextDataKey {
            let response: KMSEncryptResponse
            do {
                response = try await client.encrypt(KMSEncryptRequest(
                    keyId: keyId, plaintext: dataKey, encryptionContext: materials.encryptionContext, grantTokens: grantTokens))
            } catch {
                throw ESDKError(.keyringFailure, "KMS Encrypt failed", cause: error)
            }
            guard KMSKeyARN(response.keyId)?.isKey == true else {
                throw ESDKError(.kmsResponseInvalid, "Encrypt returned a KeyId that is not a key ARN")
            }
            materials.encryptedDataKeys.append(EncryptedDataKey(
                providerID: Self.providerID, providerInfo: Array(response.keyId.utf8), ciphertext: response.ciphertextBlob))
        }
        return materials
    }

    public func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials {
        guard materials.plaintextDataKey == nil else { return materials }
        var failures = 0
        var lastError: (any Error & Sendable)?
        for key in encryptedDataKeys where key.providerID == Self.providerID {
            guard let info = String(validating: key.providerInfo, as: UTF8.self), KMSKeyARN(info)?.isKey == true, info == keyId else {
                continue
            }
            switch await AwsKmsKeyring.tryDecrypt(key, keyId: keyId, materials: materials, client: client, grantTokens: grantTokens) {
            case .success(let result): return result
            case .failure(let error): lastError = error
            }
            failures += 1
        }
        if failures == 0 {
            throw ESDKError(.unableToDecryptDataKey, "AWS KMS keyring for \(keyId) found no encrypted data key wrapped by that key")
        }
        throw ESDKError(.unableToDecryptDataKey, "AWS KMS keyring could not decrypt any encrypted data key (\(failures) attempts)",
                        cause: lastError)
    }

    /// Calls Decrypt for one encrypted data key and validates the response; the error on failure.
    static func tryDecrypt(_ key: EncryptedDataKey, keyId: String, materials: DecryptionMaterials, client: any KMSClient,
                           grantTokens: [String]) async -> Result<DecryptionMaterials, any Error> {
        do {
            let response = try await client.decrypt(KMSDecryptRequest(
                keyId: keyId, ciphertextBlob: key.ciphertext, encryptionContext: materials.encryptionContext, grantTokens: grantTokens))
            guard response.keyId == keyId else {
                return .failure(ESDKError(.kmsResponseInvalid, "Decrypt returned a different KeyId than requested"))
            }
            guard response.plaintext.count == materials.algorithmSuite.dataKeyLength else {
                return .failure(ESDKError(.kmsResponseInvalid, "Decrypt returned a data key of the wrong length"))
            }
            var result = materials
            result.plaintextDataKey = response.plaintext
            return .success(result)
        } catch {
            return .failure(error)
        }
    }
}

/// Decrypts with whatever KMS key an encrypted data key names, optionally limited by a
/// discovery filter (spec: framework/aws-kms/aws-kms-discovery-keyring). It cannot encrypt.
public struct AwsKmsDiscoveryKeyring: Keyring {
    public let client: any KMSClient
    public let discoveryFilter: KMSDiscoveryFilter?
    public let grantTokens: [String]

    public init(client: any KMSClient, discoveryFilter: KMSDiscoveryFilter? = nil, grantTokens: [String] = []) {
        self.client = client
        self.discoveryFilter = discoveryFilter
        self.grantTokens = grantTokens
    }

    public func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials {
        throw ESDKError(.keyringFailure, "an AWS KMS discovery keyring cannot encrypt")
    }

    public func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials {
        guard materials.plaintextDataKey == nil else { return materials }
        var lastError: (any Error & Sendable)?
        var attempts = 0
        var filtered = 0
        for key in encryptedDataKeys where key.providerID == AwsKmsKeyring.providerID {
            guard let info = String(validating: key.providerInfo, as: UTF8.self), let arn = KMSKeyARN(info), arn.isKey else { continue }
            if let discoveryFilter, !discoveryFilter.allows(arn) {
                filtered += 1
                continue
            }
            attempts += 1
            switch await AwsKmsKeyring.tryDecrypt(key, keyId: info, materials: materials, client: client, grantTokens: grantTokens) {
            case .success(let result): return result
            case .failure(let error): lastError = error
            }
        }
        let detail = filtered > 0 ? "; \(filtered) skipped by the discovery filter" : ""
        throw ESDKError(.unableToDecryptDataKey,
                        "AWS KMS discovery keyring could not decrypt any encrypted data key (\(attempts) attempts\(detail))",
                        cause: lastError)
    }
}
