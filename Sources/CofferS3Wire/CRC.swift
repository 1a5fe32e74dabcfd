// Table-driven reflected CRCs used by S3's flexible checksums.
//
// All three are "reflected" CRCs with an all-ones initial value and an
// all-ones final XOR, so they share one shape:
//   CRC32     (ISO-HDLC / IEEE 802.3)  reflected polynomial 0xEDB88320
//   CRC32C    (Castagnoli / iSCSI)     reflected polynomial 0x82F63B78
//   CRC64NVME (NVM Express)            reflected polynomial 0x9A6C9329AC4BC9B5
//
// Updates use slicing-by-8 tables (8 * 256 entries) computed once.

/// A reflected CRC of width 32 bits with init = xorout = all ones.
struct CRC32Engine: Sendable {
    let tables: [UInt32]  // 8 * 256
    let reflectedPolynomial: UInt32

    init(reflectedPolynomial poly: UInt32) {
        self.reflectedPolynomial = poly
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1
            }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        self.tables = t
    }

    /// Advances a *raw* (not yet final-XORed) register over `bytes`.
    @inline(__always)
    func advance(_ register: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c = register
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                let lo = c ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
                    | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
                c = t[7 * 256 + Int(lo & 0xFF)]
                    ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(bytes[i + 4])]
                    ^ t[2 * 256 + Int(bytes[i + 5])]
                    ^ t[1 * 256 + Int(bytes[i + 6])]
                    ^ t[0 * 256 + Int(bytes[i + 7])]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }

    /// (a * b) mod P, both in the reflected representation where the
    /// highest bit stands for x^0.
    func multiplyModP(_ a: UInt32, _ b: UInt32) -> UInt32 {
        var a = a
        var b = b
        var product: UInt32 = 0
        var m: UInt32 = 1 << 31
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
    func xPow8n(_ byteCount: UInt64) -> UInt32 {
        var result: UInt32 = 1 << 31  // x^0
        var square: UInt32 = 1 << 23  // x^8
        var n = byteCount
        while n != 0 {
            if n & 1 != 0 { result = multiplyModP(result, square) }
            square = multiplyModP(square, square)
            n >>= 1
        }
        return result
    }

    /// CRC(A || B) from CRC(A), CRC(B) and |B| (final, conditioned values).
    func combine(_ crcA: UInt32, _ crcB: UInt32, lengthB: UInt64) -> UInt32 {
        multiplyModP(xPow8n(lengthB), crcA) ^ crcB
    }
}

/// A reflected CRC of width 64 bits with init = xorout = all ones.
struct CRC64Engine: Sendable {
    let tables: [UInt64]
    let reflectedPolynomial: UInt64

    init(reflectedPolynomial poly: UInt64) {
        self.reflectedPolynomial = poly
        var t = [UInt64](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt64(i)
            for _ in 0..<8 {
                c = (c & 1) != 0 ? (c >> 1) ^ poly : c >> 1
            }
            t[i] = c
        }
        for i in 0..<256 {
            var c = t[i]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + i] = c
            }
        }
        self.tables = t
    }

    @inline(__always)
    func advance(_ register: UInt64, _ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var c = register
        var i = 0
        let n = bytes.count
        tables.withUnsafeBufferPointer { t in
            while n - i >= 8 {
                var word: UInt64 = 0
                for k in 0..<8 { word |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
                let x = c ^ word
                c = t[7 * 256 + Int(x & 0xFF)]
                    ^ t[6 * 256 + Int((x >> 8) & 0xFF)]
                    ^ t[5 * 256 + Int((x >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int((x >> 24) & 0xFF)]
                    ^ t[3 * 256 + Int((x >> 32) & 0xFF)]
                    ^ t[2 * 256 + Int((x >> 40) & 0xFF)]
                    ^ t[1 * 256 + Int((x >> 48) & 0xFF)]
                    ^ t[0 * 256 + Int(x >> 56)]
                i += 8
            }
            while i < n {
                c = t[Int((c ^ UInt64(bytes[i])) & 0xFF)] ^ (c >> 8)
                i += 1
            }
        }
        return c
    }

    func multiplyModP(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var a = a
        var b = b
        var product: UInt64 = 0
        var m: UInt64 = 1 << 63
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

    func xPow8n(_ byteCount: UInt64) -> UInt64 {
        var result: UInt64 = 1 << 63
        var square: UInt64 = 1 << 55
        var n = byteCount
        while n != 0 {
            if n & 1 != 0 { result = multiplyModP(result, square) }
            square = multiplyModP(square, square)
            n >>= 1
        }
        return result
    }

    func combine(_ crcA: UInt64, _ crcB: UInt64, lengthB: UInt64) -> UInt64 {
        multiplyModP(xPow8n(lengthB), crcA) ^ crcB
    }
}

enum CRCEngines {
    static let crc32 = CRC32Engine(reflectedPolynomial: 0xEDB8_8320)
    static let crc32c = CRC32Engine(reflectedPolynomial: 0x82F6_3B78)
    static let crc64nvme = CRC64Engine(reflectedPolynomial: 0x9A6C_9329_AC4B_C9B5)
}
