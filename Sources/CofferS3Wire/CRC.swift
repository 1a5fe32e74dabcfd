// Table-driven reflected CRCs used by S3's flexible checksums.
//
// All three are "reflected" CRCs with an all-ones initial value and an
// all-ones final XOR, so they share one shape:
//   CRC32     (ISO-HDLC / IEEE 802.3)  reflected polynomial 0xEDB88320
//   CRC32C    (Castagnoli / iSCSI)     reflected polynomial 0x82F63B78
//   CRC64NVME (NVM Express)            reflected polynomial 0x9A6C9329AC4BC9B5
//
// Updates use slicing-by-8 tables (8 * 256 entries) computed once.

/// A reflected CRC whose register is a `Word` (32 or 64 bits), with init = xorout = all ones.
struct CRCEngine<Word: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    let tables: [Word]  // 8 * 256
    let reflectedPolynomial: Word
    /// x^0 in the reflected representation.
    private static var one: Word { Word(1) << (Word.bitWidth - 1) }

    init(reflectedPolynomial poly: Word) {
        self.reflectedPolynomial = poly
        var t = [Word](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = Word(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1
            }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(truncatingIfNeeded: c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        self.tables = t
    }

    /// Advances a *raw* (not yet final-XORed) register over `bytes`.
    @inline(__always)
    func advance(_ register: Word, _ bytes: UnsafeRawBufferPointer) -> Word {
        var c = register
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                // Eight input bytes, little-endian; the register covers the first Word.bitWidth / 8 of them.
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
                let x = UInt64(c) ^ word
                var next: Word = 0
                for k in 0..<8 { next ^= t[(7 - k) * 256 + Int((x >> (8 * UInt64(k))) & 0xFF)] }
                c = next
                i += 8
            }
            while i < n {
                c = t[Int(truncatingIfNeeded: (c ^ Word(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }

    /// (a * b) mod P, both in the reflected representation where the highest bit stands for x^0.
    func multiplyModP(_ a: Word, _ b: Word) -> Word {
        var a = a
        var b = b
        var product: Word = 0
        var m = Self.one
        while m != 0 {
            if a & m != 0 {
                product ^= b
                a &= ~m
                if a == 0 { break }
            }
            m >>= 1
            b = (b & 1) != 0 ? (b >> 1) ^ reflectedPolynomial : b >> 1
        }
        return product
    }

    /// x^(8 * byteCount) mod P, by square-and-multiply.
    func xPow8n(_ byteCount: UInt64) -> Word {
        var result = Self.one  // x^0
        var square = Self.one >> 8  // x^8
        var n = byteCount
        while n != 0 {
            if n & 1 != 0 { result = multiplyModP(result, square) }
            square = multiplyModP(square, square)
            n >>= 1
        }
        return result
    }

    /// CRC(A || B) from CRC(A), CRC(B) and |B| (final, conditioned values).
    func combine(_ crcA: Word, _ crcB: Word, lengthB: UInt64) -> Word {
        multiplyModP(xPow8n(lengthB), crcA) ^ crcB
    }
}

enum CRCEngines {
    static let crc32 = CRCEngine<UInt32>(reflectedPolynomial: 0xEDB8_8320)
    static let crc32c = CRCEngine<UInt32>(reflectedPolynomial: 0x82F6_3B78)
    static let crc64nvme = CRCEngine<UInt64>(reflectedPolynomial: 0x9A6C_9329_AC4B_C9B5)
}
