import CofferCore
import Foundation

/// UTC calendar arithmetic for file names and digest timestamps, independent of locale and time zone settings.
struct UTCTime: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// The UTC fields of `date`, truncated to whole seconds.
    init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let total = interval.isFinite ? Int64(max(min(interval, 253_402_300_799), -62_135_596_800).rounded(.down)) : 0
        var days = total / 86_400
        var seconds = total % 86_400
        if seconds < 0 {
            seconds += 86_400
            days -= 1
        }
        (year, month, day) = UTCTime.civil(fromDays: days)
        hour = Int(seconds / 3600)
        minute = Int(seconds % 3600 / 60)
        second = Int(seconds % 60)
    }

    init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    var date: Date {
        let days = UTCTime.days(fromCivil: year, month, day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// `2024-01-31T23:59:59Z`
    var iso8601: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))Z"
    }

    /// `20240131T2359Z` (CloudTrail log file names).
    var compactMinutes: String {
        "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))T\(pad(hour, 2))\(pad(minute, 2))Z"
    }

    /// `20240131T235959Z` (digest file names).
    var compactSeconds: String {
        "\(pad(year, 4))\(pad(month, 2))\(pad(day, 2))T\(pad(hour, 2))\(pad(minute, 2))\(pad(second, 2))Z"
    }

    /// `2024/01/31`
    var datePath: String { "\(pad(year, 4))/\(pad(month, 2))/\(pad(day, 2))" }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ`.
    static func parseISO8601(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A,
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2)
        else { return nil }
        return UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)?.date
    }

    /// Parses `YYYYMMDDTHHmmZ`.
    static func parseCompactMinutes(_ text: Substring) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 14, b[8] == 0x54, b[13] == 0x5A, let year = number(b, 0, 4), let month = number(b, 4, 2),
            let day = number(b, 6, 2), let hour = number(b, 9, 2), let minute = number(b, 11, 2)
        else { return nil }
        return UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: 0)?.date
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for index in start..<(start + length) {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Days since 1970-01-01 to (year, month, day), via the shared calendar.
    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let date = CivilDate.date(days: days)
        return (Int(date.year), Int(date.month), Int(date.day))
    }

    /// The inverse of `civil(fromDays:)`.
    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int64 {
        CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day))
    }
}
