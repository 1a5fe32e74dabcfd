/// Combines keyrings (spec: framework/multi-keyring): the generator makes the data key, every
/// child wraps it too; on decrypt the first keyring that succeeds wins.
public struct MultiKeyring: Keyring {
    public let generator: (any Keyring)?
    public let children: [any Keyring]

    public init(generator: (any Keyring)?, children: [any Keyring] = []) throws(ESDKError) {
        guard generator != nil || !children.isEmpty else {
            throw ESDKError(.invalidArgument, "multi-keyring needs a generator or at least one child")
        }
        self.generator = generator
        self.children = children
    }

    public func onEncrypt(_ materials: EncryptionMaterials) async throws -> EncryptionMaterials {
        var materials = materials
        if let generator {
            materials = try await generator.onEncrypt(materials)
            guard materials.plaintextDataKey != nil else {
                throw ESDKError(.keyringFailure, "generator keyring produced no data key")
            }
        } else if materials.plaintextDataKey == nil {
            throw ESDKError(.keyringFailure, "multi-keyring without generator needs materials that already hold a data key")
        }
        for child in children {
            materials = try await child.onEncrypt(materials)
        }
        return materials
    }

    public func onDecrypt(_ materials: DecryptionMaterials, encryptedDataKeys: [EncryptedDataKey]) async throws -> DecryptionMaterials {
        guard materials.plaintextDataKey == nil else { return materials }
        var failures: [any Error & Sendable] = []
        for keyring in (generator.map { [$0] } ?? []) + children {
            do {
                let result = try await keyring.onDecrypt(materials, encryptedDataKeys: encryptedDataKeys)
                if result.plaintextDataKey != nil { return result }
            } catch {
                failures.append(error)
            }
        }
        throw ESDKError(.unableToDecryptDataKey, "none of \(failures.count) keyrings could decrypt a data key",
                        cause: failures.first { ($0 as? ESDKError)?.cause != nil } ?? failures.first)
    }
}
