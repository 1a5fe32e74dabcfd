import CofferCore
import Foundation

/// HTTP dates and S3's XML timestamps, on the proleptic Gregorian calendar in UTC.
///
/// Hand-rolled rather than `DateFormatter`: stateless, so safe from any thread, and cheap.
/// Formatting clamps dates to the years 0001–9999 so the output always has its fixed shape.
public enum HTTPDate {
    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let longDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let minSeconds = CivilDate.days(year: 1, month: 1, day: 1) * 86_400
    private static let maxSeconds = CivilDate.days(year: 9999, month: 12, day: 31) * 86_400 + 86_399

    // MARK: Formatting

    /// IMF-fixdate, as in `Last-Modified`: `Tue, 24 Nov 2026 19:57:29 GMT` (sub-seconds dropped).
    public static func format(_ date: Date) -> String {
        format(epochSeconds: wholeSeconds(date))
    }

    /// IMF-fixdate of a count of seconds since 1970.
    public static func format(epochSeconds: Int64) -> String {
        let seconds = min(max(epochSeconds, minSeconds), maxSeconds)
        let (days, secondOfDay) = CivilDate.split(seconds: seconds)
        let (year, month, day) = CivilDate.date(days: days)
        let weekday = Int(((days % 7) + 11) % 7)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out += dayNames[weekday].utf8
        out += ", ".utf8
        appendDigits(day, width: 2, to: &out)
        out.append(0x20)
        out += monthNames[Int(month) - 1].utf8
        out.append(0x20)
        appendDigits(year, width: 4, to: &out)
        out.append(0x20)
        appendTime(secondOfDay, to: &out)
        out += " GMT".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// S3's XML timestamp, in UTC with milliseconds: `2026-11-24T19:57:29.000Z`.
    public static func formatXMLTimestamp(_ date: Date) -> String {
        let millis = epochMilliseconds(date)
        let seconds = floorDivide(millis, 1000)
        let (days, secondOfDay) = CivilDate.split(seconds: seconds)
        let (year, month, day) = CivilDate.date(days: days)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendTime(secondOfDay, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(millis - seconds * 1000, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole seconds since 1970 (rounded down), clamped to the formattable years.
    static func wholeSeconds(_ date: Date) -> Int64 {
        floorDivide(epochMilliseconds(date), 1000)
    }

    /// Milliseconds since 1970, rounded down, clamped to the years 0001–9999; NaN counts as 1970.
    /// `Date` keeps seconds since 2001 in a `Double`, so a value made from whole milliseconds
    /// reads back a little off; a value within a few ulps of a millisecond snaps to it.
    private static func epochMilliseconds(_ date: Date) -> Int64 {
        let interval = date.timeIntervalSince1970
        guard !interval.isNaN else { return 0 }
        let clamped = min(max(interval, Double(minSeconds)), Double(maxSeconds) + 0.999)
        let scaled = clamped * 1000
        let nearest = scaled.rounded()
        let slack = max(1e-3, 4000 * max(clamped.ulp, (clamped - 978_307_200).ulp))
        return Int64(abs(scaled - nearest) <= slack ? nearest : scaled.rounded(.down))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    private static func appendTime(_ secondOfDay: Int64, to out: inout [UInt8]) {
        appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 3600 / 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &out)
    }

    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(0x30 + rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width { out += repeatElement(0x30, count: width - digits.count) }
        out += digits.reversed()
    }

    // MARK: Parsing

    /// Parses IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850
    /// (`Sunday, 06-Nov-94 08:49:37 GMT`, two-digit years 70–99 as 19xx, else 20xx), asctime
    /// (`Sun Nov  6 08:49:37 1994`) and ISO 8601 (`2026-11-24T19:57:29Z`, with fractional
    /// seconds and a `Z` or `±hh:mm` offset). Nil for anything else or an impossible date.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        if bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[10] | 0x20 == UInt8(ascii: "t") {
            return parseISO8601(bytes)
        }
        guard let seconds = parseHTTP(bytes) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The three HTTP-date forms, as seconds since 1970.
    private static func parseHTTP(_ bytes: [UInt8]) -> Int64? {
        var fields = bytes.split(separator: 0x20, omittingEmptySubsequences: true)
        guard let dayName = fields.first else { return nil }
        if dayName.last == UInt8(ascii: ",") {
            guard isDayName(dayName.dropLast()), fields.last.map({ isZone($0) }) == true else { return nil }
            fields = Array(fields.dropFirst().dropLast())
            if fields.count == 4 {  // IMF-fixdate: 06 Nov 1994 08:49:37
                guard let day = number(fields[0], digits: 1...2), let month = monthNumber(fields[1]),
                      let year = number(fields[2], digits: 4...4)
                else { return nil }
                return epochSeconds(year: year, month: month, day: day, time: fields[3])
            }
            guard fields.count == 2 else { return nil }  // RFC 850: 06-Nov-94 08:49:37
            let parts = fields[0].split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
            guard parts.count == 3, let day = number(parts[0], digits: 1...2), let month = monthNumber(parts[1]),
                  var year = number(parts[2], digits: 2...4)
            else { return nil }
            if parts[2].count == 2 { year += year >= 70 ? 1900 : 2000 }
            return epochSeconds(year: year, month: month, day: day, time: fields[1])
        }
        // asctime: Sun Nov  6 08:49:37 1994
        guard fields.count == 5, isDayName(dayName), let month = monthNumber(fields[1]),
              let day = number(fields[2], digits: 1...2), let year = number(fields[4], digits: 4...4)
        else { return nil }
        return epochSeconds(year: year, month: month, day: day, time: fields[3])
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`.
    private static func parseISO8601(_ bytes: [UInt8]) -> Date? {
        guard bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4], digits: 4...4), let month = number(bytes[5..<7], digits: 2...2),
              let day = number(bytes[8..<10], digits: 2...2),
              let seconds = epochSeconds(year: year, month: month, day: day, time: bytes[11..<19])
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        let zone = bytes[index...]
        if zone.count == 1, zone.first.map({ $0 | 0x20 }) == UInt8(ascii: "z") {
            offset = 0
        } else if let sign = zone.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            let rest = Array(zone.dropFirst().filter { $0 != UInt8(ascii: ":") })
            let colons = zone.count - 1 - rest.count
            guard rest.count == 4, colons == 0 || (colons == 1 && zone[index + 3] == UInt8(ascii: ":")),
                  let hours = number(rest[0..<2], digits: 2...2), let minutes = number(rest[2..<4], digits: 2...2),
                  hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
        } else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds - offset) + fraction)
    }

    /// Seconds since 1970 of a date and an `HH:MM:SS` time; nil when out of range.
    private static func epochSeconds(year: Int64, month: Int64, day: Int64, time: ArraySlice<UInt8>) -> Int64? {
        guard time.count == 8, time[time.startIndex + 2] == UInt8(ascii: ":"), time[time.startIndex + 5] == UInt8(ascii: ":"),
              let hour = number(time.prefix(2), digits: 2...2),
              let minute = number(time.dropFirst(3).prefix(2), digits: 2...2),
              let second = number(time.suffix(2), digits: 2...2),
              (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second <= 60
        else { return nil }
        return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func number(_ text: ArraySlice<UInt8>, digits: ClosedRange<Int>) -> Int64? {
        guard digits.contains(text.count) else { return nil }
        var value: Int64 = 0
        for byte in text {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    private static func monthNumber(_ text: ArraySlice<UInt8>) -> Int64? {
        let lowered = String(decoding: text.map { $0 | 0x20 }, as: UTF8.self)
        guard text.count == 3, let index = monthNames.firstIndex(where: { $0.lowercased() == lowered }) else { return nil }
        return Int64(index + 1)
    }

    private static func isDayName(_ text: ArraySlice<UInt8>) -> Bool {
        let lowered = String(decoding: text.map { $0 | 0x20 }, as: UTF8.self)
        return dayNames.contains { $0.lowercased() == lowered } || longDayNames.contains { $0.lowercased() == lowered }
    }

    private static func isZone(_ text: ArraySlice<UInt8>) -> Bool {
        text.elementsEqual("GMT".utf8) || text.elementsEqual("UTC".utf8)
    }
}
