import Synchronization

/// Injected failures for tests of the fail-closed paths.
final class FaultInjection: Sendable {
    enum Point: Sendable, Hashable {
        case segmentPreallocate
        case segmentWrite
        case segmentSync
    }

    private let remaining = Mutex<[Point: Int]>([:])

    /// Makes the next `count` operations at `point` fail.
    func fail(_ point: Point, times count: Int = 1) {
        remaining.withLock { $0[point, default: 0] += count }
    }

    func check(_ point: Point) throws {
        let fail = remaining.withLock { state -> Bool in
            guard let count = state[point], count > 0 else { return false }
            state[point] = count - 1
            return true
        }
        if fail { throw AuditError(.io, "injected failure at \(point)") }
    }
}
