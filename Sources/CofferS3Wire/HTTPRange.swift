/// The outcome of a `Range` header on GetObject / HeadObject, decided the way S3 decides it.
public enum HTTPRange: Sendable, Hashable {
    /// Serve these bytes with 206 and `Content-Range`.
    case satisfiable(Range<Int>)
    /// Answer 416 `InvalidRange` with `Content-Range: bytes */size`.
    case unsatisfiable
    /// The header is not one valid byte range (bad syntax, `last < first`, several ranges):
    /// S3 ignores it and serves the whole object with 200.
    case ignored

    /// Evaluates a `Range` header against an object of `size` bytes.
    ///
    /// Accepted forms are `bytes=first-last`, `bytes=first-` and `bytes=-suffix` (unit
    /// case-insensitive, whitespace around the range allowed). `last` is clamped to `size - 1`;
    /// numbers too large for `Int` are handled without overflow. A first byte at or past the end,
    /// a zero suffix, or any range on an empty object is unsatisfiable.
    public static func parse(_ header: String, size: Int) -> HTTPRange {
        let size = max(size, 0)
        let bytes = trimmingSpaces(Array(header.utf8)[...])
        let unit = Array("bytes=".utf8)
        guard bytes.count > unit.count,
              zip(bytes, unit).allSatisfy({ ($0 | ($0 >= 0x41 && $0 <= 0x5a ? 0x20 : 0)) == $1 })
        else { return .ignored }
        let specs = bytes.dropFirst(unit.count)
            .split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            .map(trimmingSpaces)
            .filter { !$0.isEmpty }
        guard specs.count == 1, let spec = specs.first,
              let dash = spec.firstIndex(of: UInt8(ascii: "-"))
        else { return .ignored }
        let firstDigits = spec[spec.startIndex..<dash]
        let lastDigits = spec[(dash + 1)...]
        if firstDigits.isEmpty {
            guard let suffix = Decimal(lastDigits) else { return .ignored }
            guard size > 0, !suffix.isZero else { return .unsatisfiable }
            let length = min(suffix.saturated, size)
            return .satisfiable((size - length)..<size)
        }
        guard let first = Decimal(firstDigits) else { return .ignored }
        var end = size  // exclusive
        if !lastDigits.isEmpty {
            guard let last = Decimal(lastDigits) else { return .ignored }
            guard !(last < first) else { return .ignored }
            if last.saturated < size - 1 { end = last.saturated + 1 }
        }
        guard first.saturated < size else { return .unsatisfiable }
        return .satisfiable(first.saturated..<end)
    }

    /// The `Content-Range` value of a 206 answer, e.g. `bytes 0-9/100`
    /// (`bytes */size` for an empty range).
    public static func contentRange(_ range: Range<Int>, size: Int) -> String {
        guard !range.isEmpty else { return unsatisfiedContentRange(size: size) }
        return "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
    }

    /// The `Content-Range` value of a 416 answer: `bytes */size`.
    public static func unsatisfiedContentRange(size: Int) -> String { "bytes */\(size)" }

    private static func trimmingSpaces(_ slice: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = slice
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }

    /// A non-negative decimal of any length: its value saturated at `Int.max`, and its digits
    /// without leading zeros so that huge values still compare exactly.
    private struct Decimal {
        let digits: ArraySlice<UInt8>
        let saturated: Int

        init?(_ text: ArraySlice<UInt8>) {
            guard !text.isEmpty, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            var significant = text
            while significant.count > 1, significant.first == 0x30 { significant = significant.dropFirst() }
            digits = significant
            var value = 0
            for digit in significant {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - 0x30))
                if overflow1 || overflow2 { value = .max; break }
                value = sum
            }
            saturated = value
        }

        var isZero: Bool { saturated == 0 }

        static func < (lhs: Decimal, rhs: Decimal) -> Bool {
            if lhs.digits.count != rhs.digits.count { return lhs.digits.count < rhs.digits.count }
            return lhs.digits.lexicographicallyPrecedes(rhs.digits)
        }
    }
}
