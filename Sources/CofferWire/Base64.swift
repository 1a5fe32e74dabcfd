/// Standard base64 (RFC 4648 §4, with padding), strict on decode.
///
/// Foundation offers base64 on `Data`, but blob members are encoded and decoded on every KMS call
/// and this version writes straight into the response buffer without intermediate copies.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode<D: Collection>(_ data: D, into out: inout [UInt8]) where D.Element == UInt8 {
        out.reserveCapacity(out.count + (data.count + 2) / 3 * 4)
        var iterator = data.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next(), b2 = iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(alphabet[Int((b1 & 0x0f) << 2 | (b2 ?? 0) >> 6)])
            } else {
                out.append(UInt8(ascii: "="))
            }
            if let b2 { out.append(alphabet[Int(b2 & 0x3f)]) } else { out.append(UInt8(ascii: "=")) }
        }
    }

    public static func encode<D: Collection>(_ data: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        encode(data, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded base64; returns nil on any character outside the alphabet or bad padding.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(bytes: $0) }
    }

    public static func decode<C: Collection>(bytes input: C) -> [UInt8]? where C.Element == UInt8, C.Index == Int {
        let count = input.count
        guard count % 4 == 0 else { return nil }
        if count == 0 { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(count / 4 * 3)
        var index = input.startIndex
        let end = input.endIndex
        while index < end {
            let c0 = input[index], c1 = input[index + 1], c2 = input[index + 2], c3 = input[index + 3]
            let isLast = index + 4 == end
            let v0 = decodeTable[Int(c0)], v1 = decodeTable[Int(c1)]
            guard v0 != 0xff, v1 != 0xff else { return nil }
            out.append(v0 << 2 | v1 >> 4)
            if c2 == UInt8(ascii: "=") {
                guard isLast, c3 == UInt8(ascii: "="), v1 & 0x0f == 0 else { return nil }
                break
            }
            let v2 = decodeTable[Int(c2)]
            guard v2 != 0xff else { return nil }
            out.append((v1 & 0x0f) << 4 | v2 >> 2)
            if c3 == UInt8(ascii: "=") {
                guard isLast, v2 & 0x03 == 0 else { return nil }
                break
            }
            let v3 = decodeTable[Int(c3)]
            guard v3 != 0xff else { return nil }
            out.append((v2 & 0x03) << 6 | v3)
            index += 4
        }
        return out
    }
}
