import Foundation
import Synchronization

/// The source of the current time; injectable so tests can move time.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that returns a fixed time, for tests.
public struct FixedWallClock: WallClock {
    public var date: Date
    public init(_ date: Date) { self.date = date }
    public func now() -> Date { date }
}

/// A clock that can be moved forward, for test mode and tests: real time plus an offset.
public final class AdjustableWallClock: WallClock {
    private let offset = Mutex<TimeInterval>(0)
    public init() {}
    public func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    /// Moves the clock forward (or back, with a negative value) by `seconds`.
    public func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
}

extension Date {
    /// `YYYY-MM-DDThh:mm:ssZ` (UTC, whole seconds), as AWS writes `aws:CurrentTime` and IAM dates;
    /// computed arithmetically because a date formatter costs tens of microseconds per request.
    public var iso8601Seconds: String {
        let (days, rest) = CivilDate.split(seconds: Int64(timeIntervalSince1970.rounded(.down)))
        let (year, month, day) = CivilDate.date(days: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))Z"
    }
}
