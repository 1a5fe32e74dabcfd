import CCofferBoringSSLShim
import CofferCore
import Crypto
import Foundation

extension KMSService {
    /// Computes an HMAC with the algorithm of an HMAC key spec.
    public static func computeMac(spec: KeySpec, key: SymmetricKey, message: [UInt8]) throws -> [UInt8] {
        switch spec {
        case .hmac224:
            // swift-crypto has no SHA-224: BoringSSL's HMAC through the package's C shim.
            var mac = [UInt8](repeating: 0, count: 28)
            let ok = key.withUnsafeBytes { keyBytes in
                message.withUnsafeBytes { messageBytes in
                    coffer_hmac_sha224(keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), keyBytes.count,
                                       messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count, &mac)
                }
            }
            guard ok == 1 else { throw KMSError(.internal, "HMAC-SHA-224 failed.") }
            return mac
        case .hmac256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .hmac384: return Array(HMAC<SHA384>.authenticationCode(for: message, using: key))
        case .hmac512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        default: throw KMSError(.invalidKeyUsage, "KeySpec \(spec.rawValue) does not compute MACs.")
        }
    }

    /// Resolves an HMAC key and checks its state and that `algorithm` is the one it computes.
    private func macKey(_ keyID: String, operation: String, algorithm: String, caller: Caller) async throws -> (KMSKey, SymmetricKey) {
        let key = try await resolve(keyID, forms: .keyOrAlias, caller: caller, for: KeyAccess(operation, conditions: ["kms:MacAlgorithm": [algorithm]]))
        try checkUsable(key, caller: caller)
        guard key.keyUsage == .generateVerifyMAC, let expected = key.keySpec.macAlgorithm else {
            throw KMSError(.invalidKeyUsage, "\(key.arn) key usage is \(key.keyUsage.rawValue) which is not valid for this operation.")
        }
        guard expected.name == algorithm else {
            throw KMSError(.invalidKeyUsage, "Algorithm \(algorithm) is incompatible with key spec \(key.keySpec.rawValue).")
        }
        return (key, try await material(for: key, version: key.currentVersion))
    }

    /// GenerateMac.
    public func generateMac(keyID: String, message: [UInt8], algorithm: String, caller: Caller) async throws -> (mac: [UInt8], key: KMSKey) {
        let (key, material) = try await macKey(keyID, operation: "GenerateMac", algorithm: algorithm, caller: caller)
        return (try Self.computeMac(spec: key.keySpec, key: material, message: message), key)
    }

    /// VerifyMac: compares in constant time; a mismatch is KMSInvalidMacException, as in AWS.
    public func verifyMac(keyID: String, message: [UInt8], mac: [UInt8], algorithm: String, caller: Caller) async throws -> KMSKey {
        let (key, material) = try await macKey(keyID, operation: "VerifyMac", algorithm: algorithm, caller: caller)
        let expected = try Self.computeMac(spec: key.keySpec, key: material, message: message)
        guard Bytes.constantTimeEquals(expected, mac) else { throw KMSError(.invalidMac, "") }
        return key
    }
}
