import CofferCrypto
import Foundation

/// The algorithms GetParametersForImport offers for wrapping key material in transit.
public enum WrappingAlgorithm: String, Sendable, Hashable, CaseIterable {
    case rsaesOAEPSHA1 = "RSAES_OAEP_SHA_1"
    case rsaesOAEPSHA256 = "RSAES_OAEP_SHA_256"
    case rsaAESKeyWrapSHA1 = "RSA_AES_KEY_WRAP_SHA_1"
    case rsaAESKeyWrapSHA256 = "RSA_AES_KEY_WRAP_SHA_256"
}

/// An import token: the wrapping private key and its terms, sealed under the root key with a label
/// naming the KMS key, so it works for that key only, and only until it expires (24 hours).
/// Nothing is stored server-side: the token carries everything ImportKeyMaterial needs.
struct ImportToken {
    static let lifetime: TimeInterval = 86_400
    private static let formatVersion: UInt8 = 1

    var algorithm: WrappingAlgorithm
    var validTo: Date
    /// The wrapping RSA private key, DER.
    var privateKeyDER: [UInt8]

    private static func label(keyARN: String) -> String { "kms-import-token:v1:\(keyARN)" }

    func sealed(rootKey: RootKey, keyARN: String) throws -> [UInt8] {
        guard let algorithmIndex = WrappingAlgorithm.allCases.firstIndex(of: algorithm) else {
            throw KMSError(.internal, "unknown wrapping algorithm")
        }
        var payload: [UInt8] = [Self.formatVersion, UInt8(algorithmIndex)]
        let seconds = UInt64(max(0, validTo.timeIntervalSince1970.rounded(.down)))
        payload += (0..<8).reversed().map { UInt8(truncatingIfNeeded: seconds >> (UInt64($0) * 8)) }
        payload += privateKeyDER
        return try rootKey.seal(payload, label: Self.label(keyARN: keyARN))
    }

    /// Opens a token for `keyARN`; a token for another key, or altered, is InvalidImportToken.
    static func open(_ token: [UInt8], rootKey: RootKey, keyARN: String) throws -> ImportToken {
        let invalid = KMSError(.invalidImportToken, "The import token is not valid for \(keyARN).")
        guard let payload = try? rootKey.open(token, label: label(keyARN: keyARN)),
              payload.count > 10, payload[0] == formatVersion, Int(payload[1]) < WrappingAlgorithm.allCases.count
        else { throw invalid }
        let seconds = payload[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return ImportToken(
            algorithm: WrappingAlgorithm.allCases[Int(payload[1])],
            validTo: Date(timeIntervalSince1970: TimeInterval(seconds)),
            privateKeyDER: Array(payload[10...])
        )
    }
}
