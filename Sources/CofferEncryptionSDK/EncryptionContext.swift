/// An encryption context: non-secret key-value pairs bound to a message as authenticated data.
public typealias EncryptionContext = [String: String]

/// The encryption context key that carries the message's signature verification key.
public let publicKeyEncryptionContextKey = "aws-crypto-public-key"

/// Keys with this prefix are reserved for the SDK.
public let reservedEncryptionContextPrefix = "aws-crypto-"

enum EncryptionContextCodec {
    /// Serializes per the spec: count, then entries sorted by the UTF-8 bytes of their keys.
    /// An empty context serializes to no bytes.
    static func serialize(_ context: EncryptionContext) throws(ESDKError) -> [UInt8] {
        guard !context.isEmpty else { return [] }
        guard context.count <= Int(UInt16.max) else {
            throw ESDKError(.invalidEncryptionContext, "encryption context has more than 65535 entries")
        }
        let entries = context.map { (key: Array($0.key.utf8), value: Array($0.value.utf8)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }
        var writer = ByteWriter()
        writer.write(UInt16(entries.count))
        for entry in entries {
            guard entry.key.count <= Int(UInt16.max), entry.value.count <= Int(UInt16.max) else {
                throw ESDKError(.invalidEncryptionContext, "an encryption context key or value is longer than 65535 bytes")
            }
            writer.write(UInt16(entry.key.count))
            writer.write(entry.key)
            writer.write(UInt16(entry.value.count))
            writer.write(entry.value)
        }
        guard writer.bytes.count <= Int(UInt16.max) else {
            throw ESDKError(.invalidEncryptionContext, "serialized encryption context is longer than 65535 bytes")
        }
        return writer.bytes
    }

    /// Parses the key-value pairs field (without the outer length).
    static func deserialize(_ bytes: UnsafeRawBufferPointer) throws(ESDKError) -> EncryptionContext {
        guard bytes.count > 0 else { return [:] }
        var reader = ByteReader(bytes)
        let count: UInt16
        do { count = try reader.readUInt16("encryption context count") } catch { throw invalid("count is missing") }
        guard count > 0 else { throw invalid("entry count is zero but the field is not empty") }
        var context: EncryptionContext = [:]
        for _ in 0..<count {
            let key: [UInt8]
            let value: [UInt8]
            do {
                key = try reader.readShortLengthPrefixed("encryption context key")
                value = try reader.readShortLengthPrefixed("encryption context value")
            } catch {
                throw invalid("an entry runs past the end of the field")
            }
            guard let keyString = String(validating: key, as: UTF8.self),
                  let valueString = String(validating: value, as: UTF8.self) else {
                throw invalid("an entry is not valid UTF-8")
            }
            guard context.updateValue(valueString, forKey: keyString) == nil else {
                throw invalid("duplicate key")
            }
        }
        guard reader.remaining == 0 else { throw invalid("bytes follow the last entry") }
        return context
    }

    private static func invalid(_ why: String) -> ESDKError {
        ESDKError(.malformedMessage, "malformed encryption context in header: \(why)")
    }

    /// Throws if a caller-supplied context uses the reserved prefix.
    static func validateUserContext(_ context: EncryptionContext) throws(ESDKError) {
        for key in context.keys where key.hasPrefix(reservedEncryptionContextPrefix) {
            throw ESDKError(.reservedEncryptionContextKey, "encryption context key uses the reserved prefix '\(reservedEncryptionContextPrefix)'")
        }
    }
}
