import CofferCore

/// The four ways a request can name a key: key id, key ARN, alias name, alias ARN.
public enum KeyReference: Sendable, Hashable {
    case keyID(String)
    case keyARN(account: String, region: String, keyID: String)
    case aliasName(String)
    case aliasARN(account: String, region: String, aliasName: String)

    /// Which forms an operation accepts.
    public enum Forms: Sendable {
        /// Key id or key ARN only (EnableKey, TagResource, CreateAlias's target, ...).
        case keyOnly
        /// Any of the four forms (Encrypt, DescribeKey, GenerateDataKey, ...).
        case keyOrAlias
    }

    /// Parses a `KeyId` member; unparseable input is NotFound, as AWS answers it.
    public init(parsing text: String, forms: Forms) throws {
        if text.hasPrefix("arn:") {
            guard let arn = ARN(parsing: text), arn.service == "kms" else {
                throw KMSError(.notFound, "Invalid arn \(text)")
            }
            if arn.resource.hasPrefix("key/") {
                self = .keyARN(account: arn.account, region: arn.region, keyID: String(arn.resource.dropFirst(4)))
                return
            }
            if arn.resource.hasPrefix("alias/"), forms == .keyOrAlias {
                self = .aliasARN(account: arn.account, region: arn.region, aliasName: arn.resource)
                return
            }
            throw KMSError(.notFound, "Invalid keyId \(text)")
        }
        if text.hasPrefix("alias/") {
            guard forms == .keyOrAlias else { throw KMSError(.notFound, "Invalid keyId \(text)") }
            self = .aliasName(text)
            return
        }
        guard Self.isKeyID(text) else { throw KMSError(.notFound, "Invalid keyId \(text)") }
        self = .keyID(text)
    }

    /// Key ids are UUIDs; multi-Region key ids are `mrk-` followed by 32 hex digits.
    public static func isKeyID(_ text: String) -> Bool {
        if Identifiers.isUUID(text) { return true }
        guard text.hasPrefix("mrk-"), text.utf8.count == 36 else { return false }
        return text.utf8.dropFirst(4).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
