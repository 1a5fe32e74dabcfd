/// A bounded, non-allocating JSON scanner that finds the exact bytes of values without re-serializing them,
/// so the verifier can hash records byte-for-byte as they were stored. Depth is limited; malformed input throws.
struct RawJSON {
    struct Malformed: Error {}

    static let maxDepth = 256

    private let bytes: ArraySlice<UInt8>
    private var position: Int

    private init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// The byte ranges of the elements of the top-level object's `Records` array.
    static func recordRanges(in bytes: [UInt8]) throws -> [Range<Int>] {
        var scanner = RawJSON(bytes[...])
        var ranges: [Range<Int>]?
        try scanner.members { scanner, key in
            guard key.elementsEqual("Records".utf8), ranges == nil else {
                try scanner.skipValue(depth: 1)
                return
            }
            ranges = try scanner.arrayElements()
        }
        guard let ranges else { throw Malformed() }
        return ranges
    }

    /// The value of a top-level string member of the object in `bytes`, or nil.
    static func topLevelString(_ name: String, in bytes: ArraySlice<UInt8>) -> String? {
        var scanner = RawJSON(bytes)
        var result: String?
        do {
            try scanner.members { scanner, key in
                scanner.skipWhitespace()
                if result == nil, key.elementsEqual(name.utf8), scanner.peek() == UInt8(ascii: "\"") {
                    let range = try scanner.string()
                    result = RawJSON.decodeString(scanner.bytes[range])
                } else {
                    try scanner.skipValue(depth: 1)
                }
            }
        } catch {
            return nil
        }
        return result
    }

    /// Iterates the members of the single top-level object; `body` must consume the value.
    private mutating func members(_ body: (inout RawJSON, ArraySlice<UInt8>) throws -> Void) throws {
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                let key = bytes[try string()]
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                try body(&self, key)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                break
            }
        }
        skipWhitespace()
        guard position == bytes.endIndex else { throw Malformed() }
    }

    /// The ranges of an array's elements (whitespace excluded).
    private mutating func arrayElements() throws -> [Range<Int>] {
        skipWhitespace()
        try expect(UInt8(ascii: "["))
        var ranges: [Range<Int>] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return ranges
        }
        while true {
            skipWhitespace()
            let start = position
            try skipValue(depth: 2)
            ranges.append(start..<position)
            skipWhitespace()
            if peek() == UInt8(ascii: ",") {
                position += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return ranges
        }
    }

    private mutating func skipValue(depth: Int) throws {
        guard depth <= RawJSON.maxDepth else { throw Malformed() }
        skipWhitespace()
        guard let first = peek() else { throw Malformed() }
        switch first {
        case UInt8(ascii: "{"):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                skipWhitespace()
                _ = try string()
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "}"))
                return
            }
        case UInt8(ascii: "["):
            position += 1
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                if peek() == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                try expect(UInt8(ascii: "]"))
                return
            }
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"):
            try literal("true")
        case UInt8(ascii: "f"):
            try literal("false")
        case UInt8(ascii: "n"):
            try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
        default:
            throw Malformed()
        }
    }

    /// Consumes a string and returns the range of its contents (between the quotes).
    private mutating func string() throws -> Range<Int> {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.endIndex {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return start..<(position - 1)
            case UInt8(ascii: "\\"):
                guard position + 1 < bytes.endIndex else { throw Malformed() }
                let escaped = bytes[position + 1]
                if escaped == UInt8(ascii: "u") {
                    guard position + 5 < bytes.endIndex else { throw Malformed() }
                    for offset in 2...5 where Hex.value(of: bytes[position + offset]) == nil { throw Malformed() }
                    position += 6
                } else {
                    guard "\"\\/bfnrt".utf8.contains(escaped) else { throw Malformed() }
                    position += 2
                }
            case 0..<0x20:
                throw Malformed()
            default:
                position += 1
            }
        }
        throw Malformed()
    }

    private mutating func number() throws {
        let start = position
        while let byte = peek(), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        {
            position += 1
        }
        guard position > start else { throw Malformed() }
    }

    private mutating func literal(_ word: String) throws {
        for expected in word.utf8 {
            guard peek() == expected else { throw Malformed() }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw Malformed() }
        position += 1
    }

    private func peek() -> UInt8? {
        position < bytes.endIndex ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    /// Decodes the contents of a JSON string (escapes included); nil if invalid.
    static func decodeString(_ content: ArraySlice<UInt8>) -> String? {
        guard content.contains(UInt8(ascii: "\\")) else { return String(validating: content, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = content.startIndex
        func flush() -> Bool {
            guard !utf8.isEmpty else { return true }
            guard let text = String(validating: utf8, as: UTF8.self) else { return false }
            scalars.append(contentsOf: text.unicodeScalars)
            utf8.removeAll()
            return true
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= content.endIndex else { return nil }
            var value: UInt32 = 0
            for offset in 0..<4 {
                guard let nibble = Hex.value(of: content[at + offset]) else { return nil }
                value = value << 4 | UInt32(nibble)
            }
            return value
        }
        while index < content.endIndex {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            guard flush(), index + 1 < content.endIndex else { return nil }
            let escaped = content[index + 1]
            index += 2
            let simple: UInt8?
            switch escaped {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"): simple = nil
            default: return nil
            }
            if let simple {
                utf8.append(simple)
                continue
            }
            guard var code = hex4(index) else { return nil }
            index += 4
            if (0xD800...0xDBFF).contains(code) {
                guard index + 6 <= content.endIndex, content[index] == UInt8(ascii: "\\"), content[index + 1] == UInt8(ascii: "u"),
                    let low = hex4(index + 2), (0xDC00...0xDFFF).contains(low)
                else { return nil }
                index += 6
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { return nil }
            scalars.append(scalar)
        }
        guard flush() else { return nil }
        return String(scalars)
    }
}
