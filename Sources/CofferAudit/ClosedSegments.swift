import Synchronization

/// Sequences of segments the writer closed that still need delivery.
final class ClosedSegments: Sendable {
    private let sequences = Mutex<[UInt64]>([])

    func add(_ sequence: UInt64) {
        sequences.withLock { $0.append(sequence) }
    }

    func take() -> [UInt64] {
        sequences.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }

    /// Puts back sequences whose delivery failed.
    func restore(_ list: [UInt64]) {
        sequences.withLock { $0 = (list + $0).sorted() }
    }
}
