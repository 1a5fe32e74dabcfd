/// A set of non-secret key-value pairs bound to a ciphertext as authenticated data.
public struct EncryptionContext: Hashable, Sendable {
    public private(set) var pairs: [String: String]

    public init(_ pairs: [String: String] = [:]) { self.pairs = pairs }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The canonical, unambiguous byte form used as authenticated data.
    ///
    /// Layout: a 4-byte big-endian pair count, then for each pair in ascending order of the key's
    /// UTF-8 bytes a 4-byte big-endian key length, the key, a 4-byte big-endian value length and the
    /// value. Length prefixes make `{"ab":"c"}` and `{"a":"bc"}` encode differently, and sorting
    /// makes the encoding independent of the order the caller sent the pairs in.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        var total = 4
        for (key, value) in pairs { total += 8 + key.utf8.count + value.utf8.count }
        out.reserveCapacity(total)
        Self.appendLength(pairs.count, to: &out)
        let sortedKeys = pairs.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for key in sortedKeys {
            // Invariant: the key comes from `pairs.keys`.
            let value = pairs[key]!
            Self.appendLength(key.utf8.count, to: &out)
            out.append(contentsOf: key.utf8)
            Self.appendLength(value.utf8.count, to: &out)
            out.append(contentsOf: value.utf8)
        }
        return out
    }

    private static func appendLength(_ length: Int, to out: inout [UInt8]) {
        let value = UInt32(truncatingIfNeeded: length)
        out.append(UInt8(truncatingIfNeeded: value >> 24))
        out.append(UInt8(truncatingIfNeeded: value >> 16))
        out.append(UInt8(truncatingIfNeeded: value >> 8))
        out.append(UInt8(truncatingIfNeeded: value))
    }
}
