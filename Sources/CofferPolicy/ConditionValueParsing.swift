import CofferCore

/// Parsers for the typed condition operators. Each returns nil for text AWS would not accept,
/// which makes the comparison fail rather than trap.
enum ConditionValueParsing {
    /// A decimal number: optional sign, digits with an optional fraction, optional exponent.
    /// Rejects `inf`, `nan`, hexadecimal and empty text, which `Double.init` would take.
    static func number(_ text: String) -> Double? {
        var chars = text.utf8[...]
        if let first = chars.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { chars = chars.dropFirst() }
        let mantissa = chars.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
        let exponent = chars.dropFirst(mantissa.count)
        let pieces = mantissa.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard !mantissa.isEmpty, pieces.allSatisfy({ $0.allSatisfy(isDigit) }), pieces.contains(where: { !$0.isEmpty }) else {
            return nil
        }
        if !exponent.isEmpty {
            var digits = exponent.dropFirst()
            if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Seconds since 1970-01-01T00:00:00Z for an ISO 8601 date (`2026-11-24`, `2026-11-24T10:00Z`,
    /// `2026-11-24T10:00:00.250+01:00`, zone defaulting to UTC) or for epoch seconds (`1795514400`).
    static func date(_ text: String) -> Double? {
        if text.contains("-") && !text.hasPrefix("-") || text.contains("T") || text.contains("t") {
            return isoDate(Array(text.utf8))
        }
        return number(text)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isoDate(_ bytes: [UInt8]) -> Double? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func take(_ byte: Character) -> Bool {
            guard index < bytes.count, let ascii = byte.asciiValue, bytes[index] == ascii else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day))) * 86_400
        guard index < bytes.count else { return seconds }
        guard take("T") || take("t") || take(" "), let hour = digits(2), take(":"), let minute = digits(2),
            hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if take(":") {
            guard let second = digits(2), second < 60 else { return nil }
            seconds += Double(second)
            if take(".") || take(",") {
                var scale = 0.1
                var fraction = 0.0
                let start = index
                while index < bytes.count, isDigit(bytes[index]) {
                    fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
                seconds += fraction
            }
        }
        guard index < bytes.count else { return seconds }
        if take("Z") || take("z") {
            return index == bytes.count ? seconds : nil
        }
        let sign: Double
        if take("+") {
            sign = 1
        } else if take("-") {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = digits(2), offsetHours < 24 else { return nil }
        var offsetMinutes = 0
        if index < bytes.count {
            _ = take(":")
            guard let minutes = digits(2), minutes < 60 else { return nil }
            offsetMinutes = minutes
        }
        guard index == bytes.count else { return nil }
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Standard base64 (padding optional); nil if the text is not base64.
    static func base64(_ text: String) -> [UInt8]? {
        var bits: UInt32 = 0
        var bitCount = 0
        var output: [UInt8] = []
        var padding = 0
        for byte in text.utf8 {
            let value: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="):
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }
            bits = bits << 6 | value
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: bits >> UInt32(bitCount)))
                bits &= (1 << UInt32(bitCount)) - 1
            }
        }
        let symbols = text.utf8.count - padding
        guard padding <= 2, symbols % 4 != 1, padding == 0 || (symbols + padding) % 4 == 0 else { return nil }
        return output
    }
}
