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
