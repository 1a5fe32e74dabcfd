/// Appends big-endian fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func write(_ value: UInt8) { bytes.append(value) }

    mutating func write(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    mutating func write(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func write(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func write<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }

    /// Writes a UInt16 length followed by the bytes; throws when too long.
    mutating func writeShortLengthPrefixed<C: Collection>(_ data: C, field: String) throws(ESDKError) where C.Element == UInt8 {
        guard data.count <= Int(UInt16.max) else {
            throw ESDKError(.invalidArgument, "\(field) is longer than 65535 bytes")
        }
        write(UInt16(data.count))
        write(data)
    }
}

/// Reads big-endian fields from a byte buffer, checking every length before use.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func readUInt8(_ field: String) throws(ESDKError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(field) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16(_ field: String) throws(ESDKError) -> UInt16 {
        guard remaining >= 2 else { throw .truncated(field) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32(_ field: String) throws(ESDKError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(field) }
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 8 | UInt32(bytes[offset + index]) }
        offset += 4
        return value
    }

    mutating func readUInt64(_ field: String) throws(ESDKError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated(field) }
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return value
    }

    mutating func readBytes(_ count: Int, _ field: String) throws(ESDKError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .truncated(field) }
        defer { offset += count }
        return Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
    }

    /// Returns a view of the next `count` bytes without copying.
    mutating func readView(_ count: Int, _ field: String) throws(ESDKError) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw .truncated(field) }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    mutating func readShortLengthPrefixed(_ field: String) throws(ESDKError) -> [UInt8] {
        let length = try readUInt16("\(field) length")
        return try readBytes(Int(length), field)
    }
}

/// Constant-time equality for MAC-like values (commitment keys).
func constantTimeEquals<A: Collection, B: Collection>(_ lhs: A, _ rhs: B) -> Bool where A.Element == UInt8, B.Element == UInt8 {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
    return difference == 0
}

/// Cryptographically secure random bytes.
func secureRandomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var out = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
        var word = generator.next() as UInt64
        for _ in 0..<8 where index < count {
            out[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return out
}
