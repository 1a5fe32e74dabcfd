/// The URI encoding rules of SigV4 canonical requests.
public enum SigV4Encoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x2d || byte == 0x2e || byte == 0x5f || byte == 0x7e
    }

    /// Percent-encodes every byte outside the unreserved set (and `/` when `keepSlash`).
    static func encode<S: Sequence>(_ bytes: S, keepSlash: Bool, into out: inout [UInt8]) where S.Element == UInt8 {
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == 0x2f) {
                out.append(byte)
            } else {
                out.append(0x25)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
    }

    /// Decodes `%XX` escapes; other bytes, `+` included, stay as they are.
    static func percentDecode(_ text: Substring) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Query parameters split and percent-decoded (a `+` stays a `+`), in order.
    public static func parseQuery(_ rawQuery: String) -> [(name: String, value: String)] {
        guard !rawQuery.isEmpty else { return [] }
        return rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: percentDecode(parts[0]), as: UTF8.self)
            let value = parts.count > 1 ? String(decoding: percentDecode(parts[1]), as: UTF8.self) : ""
            return (name, value)
        }
    }

    /// The canonical URI. For every service but S3 the path is normalised and encoded once more
    /// (clients sign the already-encoded path); S3 signs the path as sent.
    static func canonicalURI(rawPath: String, service: String) -> String {
        let path = rawPath.isEmpty ? "/" : rawPath
        if service == "s3" { return path }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = segments.popLast(); continue }
            segments.append(segment)
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.hasSuffix("/") && normalized != "/" { normalized += "/" }
        var out: [UInt8] = []
        out.reserveCapacity(normalized.utf8.count + 8)
        encode(normalized.utf8, keepSlash: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical query string: each name and value encoded, sorted by name then value.
    static func canonicalQuery(_ parameters: [(name: String, value: String)], excluding excluded: String? = nil) -> String {
        var encoded: [(String, String)] = []
        encoded.reserveCapacity(parameters.count)
        for (name, value) in parameters where name != excluded {
            var n: [UInt8] = [], v: [UInt8] = []
            encode(name.utf8, keepSlash: false, into: &n)
            encode(value.utf8, keepSlash: false, into: &v)
            encoded.append((String(decoding: n, as: UTF8.self), String(decoding: v, as: UTF8.self)))
        }
        encoded.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return encoded.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Appends a header value as SigV4 canonicalises it: trimmed, inner runs of spaces folded to one.
    static func appendCanonicalHeaderValue(_ value: String, to out: inout [UInt8]) {
        var pendingSpace = false
        var wroteAny = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = wroteAny
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(byte)
            wroteAny = true
        }
    }
}
