import Foundation

/// S3's date forms: HTTP dates in headers, ISO 8601 with milliseconds in XML.
enum S3Dates {
    static func http(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .omitted, time: .omitted, locale: Locale(identifier: "en_US_POSIX"), timeZone: TimeZone(identifier: "GMT") ?? .gmt)
            .weekday(.abbreviated).day(.twoDigits).month(.abbreviated).year(.defaultDigits).hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
    }

    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// What a Range header asks of an object of a given size.
enum S3Ranges {
    enum Outcome: Equatable {
        case satisfiable(Range<Int>)
        case unsatisfiable
        case ignored
    }

    static func parse(_ header: String, size: Int) -> Outcome {
        guard header.hasPrefix("bytes="), !header.contains(",") else { return .ignored }
        let spec = header.dropFirst("bytes=".count)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .ignored }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix >= 0 else { return .ignored }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)..<size)
        }
        guard let start = Int(parts[0]), start >= 0 else { return .ignored }
        let end: Int
        if parts[1].isEmpty {
            end = size - 1
        } else {
            guard let last = Int(parts[1]), last >= start else { return .ignored }
            end = min(last, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .satisfiable(start..<(end + 1))
    }
}
