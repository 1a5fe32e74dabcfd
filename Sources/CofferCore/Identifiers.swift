import Foundation

/// Generators for the random identifiers AWS APIs hand out.
public enum Identifiers {
    private static let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// A lowercase UUID, the form of KMS key ids.
    public static func uuid() -> String {
        var rng = SystemRandomNumberGenerator()
        return uuid(high: rng.next(), low: rng.next())
    }

    /// A lowercase version-4 UUID made from 16 random bytes (extra bytes are ignored, missing ones are zero).
    public static func uuid(randomBytes bytes: [UInt8]) -> String {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<16 {
            let byte = UInt64(index < bytes.count ? bytes[index] : 0)
            if index < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
        }
        return uuid(high: high, low: low)
    }

    private static func uuid(high: UInt64, low: UInt64) -> String {
        var high = high
        var low = low
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC000 << 48)) | (0x8000 << 48)  // RFC 4122 variant
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? high : low
                let shift = UInt64(60 - 4 * (nibble % 16))
                buffer[position] = digits.utf8Start[Int((word >> shift) & 0xF)]
                position += 1
            }
            return position
        }
    }

    /// An access key id: `AKIA` (long-term) or `ASIA` (temporary) followed by 16 base32 characters, as AWS issues them.
    public static func accessKeyID(prefix: String = "AKIA") -> String { uniqueID(prefix: prefix, length: 16) }

    /// An IAM unique id: a prefix such as `AIDA` (user) or `AROA` (role) and 17 base32 characters.
    public static func uniqueID(prefix: String, length: Int = 17) -> String {
        var rng = SystemRandomNumberGenerator()
        return prefix + String(decoding: (0..<length).map { _ in base32[Int.random(in: 0..<32, using: &rng)] }, as: UTF8.self)
    }

    /// A 40-character secret access key drawn from the system's cryptographic generator.
    public static func secretAccessKey() -> String {
        var rng = SystemRandomNumberGenerator()
        return String(decoding: (0..<40).map { _ in secretAlphabet[Int.random(in: 0..<64, using: &rng)] }, as: UTF8.self)
    }

    /// Whether a string is a lowercase UUID in the 8-4-4-4-12 form.
    public static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                if byte != 0x2d { return false }
            } else if !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)) {
                return false
            }
        }
        return true
    }
}
