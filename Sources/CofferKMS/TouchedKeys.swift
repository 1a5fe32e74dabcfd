import Synchronization

/// The keys one request touched, in order and without repeats: the `resources` of its audit event.
/// The server sets one per request as ``KMSService/touchedKeys``; authorization records every key
/// it is asked about, so denied requests name their key too.
public final class TouchedKeys: Sendable {
    private let arns = Mutex<[String]>([])

    public init() {}

    func record(_ arn: String) {
        arns.withLock { list in
            if !list.contains(arn) { list.append(arn) }
        }
    }

    /// The key ARNs, first touched first.
    public var all: [String] { arns.withLock { $0 } }
}

extension KMSService {
    /// Where the current request's touched keys are collected, if anyone listens.
    @TaskLocal public static var touchedKeys: TouchedKeys?
}
