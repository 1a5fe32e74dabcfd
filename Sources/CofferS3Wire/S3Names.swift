/// S3's naming rules for general purpose buckets and for object keys.
public enum S3Names {
    /// The longest object key, in UTF-8 bytes.
    public static let maxKeyLength = 1024

    static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    /// Throws `InvalidBucketName` unless `name` follows the general purpose bucket rules:
    /// 3–63 characters of `a–z`, `0–9`, `.` and `-`; a letter or digit at each end; no `..`;
    /// not shaped like an IPv4 address; none of the reserved prefixes (`xn--`, `sthree-`,
    /// `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`, `--table-s3`).
    public static func validateBucketName(_ name: String) throws(S3WireError) {
        guard isValidBucketName(name) else { throw .invalidBucketName }
    }

    /// Whether `name` follows the general purpose bucket rules (see `validateBucketName`).
    public static func isValidBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count),
              let first = bytes.first, let last = bytes.last,
              isLowerAlphanumeric(first), isLowerAlphanumeric(last)
        else { return false }
        var previous: UInt8 = 0
        for byte in bytes {
            guard isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return false }
            previous = byte
        }
        guard !looksLikeIPv4(bytes),
              !reservedPrefixes.contains(where: { name.hasPrefix($0) }),
              !reservedSuffixes.contains(where: { name.hasSuffix($0) })
        else { return false }
        return true
    }

    /// Throws `KeyTooLongError` for a key longer than 1024 UTF-8 bytes. An empty key is the
    /// HTTP layer's to reject, with the error of the operation at hand.
    public static func validateObjectKey(_ key: String) throws(S3WireError) {
        guard key.utf8.count <= maxKeyLength else { throw .keyTooLong }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Four dot-separated groups of one to three digits, e.g. `192.168.5.4`.
    private static func looksLikeIPv4(_ bytes: [UInt8]) -> Bool {
        let groups = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return groups.count == 4 && groups.allSatisfy { group in
            (1...3).contains(group.count) && group.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }
}
