/// Standard base64 (RFC 4648 §4, with padding), strict on decode.
///
/// Foundation offers base64 on `Data`, but blob members are encoded and decoded on every KMS call;
/// these loops work on raw buffers and write straight into the response without intermediate
/// copies.
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let invalid: UInt8 = 0xff
    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Appends the encoding of `data` to `out`.
    public static func encode(_ data: [UInt8], into out: inout [UInt8]) {
        let inputCount = data.count
        guard inputCount > 0 else { return }
        let outputCount = (inputCount + 2) / 3 * 4
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: outputCount))
        alphabet.withUnsafeBufferPointer { table in
            data.withUnsafeBufferPointer { input in
                out.withUnsafeMutableBufferPointer { output in
                    var i = 0, o = start
                    while i + 3 <= inputCount {
                        let b0 = input[i], b1 = input[i + 1], b2 = input[i + 2]
                        output[o] = table[Int(b0 >> 2)]
                        output[o + 1] = table[Int((b0 & 0x03) << 4 | b1 >> 4)]
                        output[o + 2] = table[Int((b1 & 0x0f) << 2 | b2 >> 6)]
                        output[o + 3] = table[Int(b2 & 0x3f)]
                        i += 3
                        o += 4
                    }
                    let remaining = inputCount - i
                    if remaining > 0 {
                        let b0 = input[i], b1: UInt8 = remaining > 1 ? input[i + 1] : 0
                        output[o] = table[Int(b0 >> 2)]
                        output[o + 1] = table[Int((b0 & 0x03) << 4 | b1 >> 4)]
                        output[o + 2] = remaining > 1 ? table[Int((b1 & 0x0f) << 2)] : UInt8(ascii: "=")
                        output[o + 3] = UInt8(ascii: "=")
                    }
                }
            }
        }
    }

    public static func encode(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(data, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes padded base64; returns nil on any character outside the alphabet or bad padding.
    public static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func decode(bytes input: UnsafeRawBufferPointer) -> [UInt8]? {
        let count = input.count
        guard count % 4 == 0 else { return nil }
        if count == 0 { return [] }
        var padding = 0
        if input[count - 1] == UInt8(ascii: "=") { padding += 1 }
        if input[count - 2] == UInt8(ascii: "=") { padding += 1 }
        let outputCount = count / 4 * 3 - padding
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: outputCount + 2) { output, initialized in
            decodeTable.withUnsafeBufferPointer { table in
                var i = 0, o = 0
                var accumulatedInvalid: UInt8 = 0
                let fullGroups = padding > 0 ? count - 4 : count
                while i < fullGroups {
                    let v0 = table[Int(input[i])], v1 = table[Int(input[i + 1])]
                    let v2 = table[Int(input[i + 2])], v3 = table[Int(input[i + 3])]
                    accumulatedInvalid |= (v0 | v1 | v2 | v3) & 0x80
                    output[o] = v0 << 2 | v1 >> 4
                    output[o + 1] = v1 << 4 | v2 >> 2
                    output[o + 2] = v2 << 6 | v3
                    i += 4
                    o += 3
                }
                if padding > 0 {
                    let v0 = table[Int(input[i])], v1 = table[Int(input[i + 1])]
                    accumulatedInvalid |= (v0 | v1) & 0x80
                    output[o] = v0 << 2 | v1 >> 4
                    if padding == 1 {
                        let v2 = table[Int(input[i + 2])]
                        accumulatedInvalid |= v2 & 0x80
                        output[o + 1] = v1 << 4 | v2 >> 2
                        if v2 & 0x03 != 0 { valid = false }
                    } else if v1 & 0x0f != 0 {
                        valid = false
                    }
                }
                if accumulatedInvalid != 0 { valid = false }
            }
            initialized = outputCount
        }
        return valid ? decoded : nil
    }
}
