import Crypto
import _CryptoExtras

/// AES Key Wrap with Padding (RFC 5649), unwrapping only: the second layer of the
/// RSA_AES_KEY_WRAP_SHA_* import wrapping algorithms.
///
/// swift-crypto provides RFC 3394 key wrap (without padding, fixed IV) and the AES block function,
/// but not RFC 5649; this composes the RFC's unwrapping process from the block function.
enum AESKeyWrapPadding {
    private static let alternativeIV: [UInt8] = [0xA6, 0x59, 0x59, 0xA6]

    /// The plaintext key, or nil when the ciphertext fails RFC 5649's integrity checks.
    static func unwrap(_ wrapped: [UInt8], kek: SymmetricKey) -> [UInt8]? {
        guard wrapped.count >= 16, wrapped.count % 8 == 0, wrapped.count <= 1 << 16 else { return nil }
        let n = wrapped.count / 8 - 1
        var a = Array(wrapped[0..<8])
        var r = Array(wrapped[8...])
        do {
            if n == 1 {
                var block = wrapped
                try AES.inversePermute(&block, key: kek)
                a = Array(block[0..<8])
                r = Array(block[8..<16])
            } else {
                var block = [UInt8](repeating: 0, count: 16)
                for j in stride(from: 5, through: 0, by: -1) {
                    for i in stride(from: n, through: 1, by: -1) {
                        var t = UInt64(n * j + i)
                        for index in stride(from: 7, through: 0, by: -1) {
                            a[index] ^= UInt8(truncatingIfNeeded: t)
                            t >>= 8
                        }
                        block.replaceSubrange(0..<8, with: a)
                        block.replaceSubrange(8..<16, with: r[(i - 1) * 8..<i * 8])
                        try AES.inversePermute(&block, key: kek)
                        a = Array(block[0..<8])
                        r.replaceSubrange((i - 1) * 8..<i * 8, with: block[8..<16])
                    }
                }
            }
        } catch {
            return nil
        }
        // Integrity: the alternative IV, a message length within the last semiblock, zero padding.
        let length = a[4...].reduce(0) { $0 << 8 | Int($1) }
        var mismatch: UInt8 = 0
        for index in 0..<4 { mismatch |= a[index] ^ alternativeIV[index] }
        guard length > 8 * (n - 1), length <= 8 * n else { return nil }
        for byte in r[length...] { mismatch |= byte }
        guard mismatch == 0 else { return nil }
        return Array(r[..<length])
    }
}
