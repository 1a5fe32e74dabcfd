import CofferWire

/// The opaque `ContinuationToken` of ListObjectsV2: the marker (the last key or common prefix
/// of the previous page) as unpadded base64url of its UTF-8 bytes.
public enum ContinuationToken {
    /// The longest marker a token may carry, in UTF-8 bytes (the longest key).
    public static let maxMarkerLength = S3Names.maxKeyLength

    /// The token for a marker.
    public static func encode(_ marker: String) -> String {
        var text = Base64.encode(Array(marker.utf8))
        while text.last == "=" { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// The marker of a token; anything this server could not have issued is `InvalidArgument`.
    public static func decode(_ token: String) throws(S3WireError) -> String {
        let length = token.utf8.count
        guard length > 0, length % 4 != 1, length <= (maxMarkerLength + 2) / 3 * 4 else {
            throw .invalidContinuationToken
        }
        var standard: [UInt8] = []
        standard.reserveCapacity(length + 3)
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "-"): standard.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): standard.append(UInt8(ascii: "/"))
            case UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="): throw .invalidContinuationToken
            default: standard.append(byte)
            }
        }
        while standard.count % 4 != 0 { standard.append(UInt8(ascii: "=")) }
        guard let bytes = standard.withUnsafeBytes({ Base64.decode(bytes: $0) }), !bytes.isEmpty,
              bytes.count <= maxMarkerLength, let marker = String(validating: bytes, as: UTF8.self)
        else { throw .invalidContinuationToken }
        return marker
    }
}
