import CofferCore
import Foundation
import Synchronization

/// A per-account, per-region request quota (token bucket): `ratePerSecond` requests a second on
/// average, with bursts of up to one second's worth. Over quota is ThrottlingException, as in AWS.
public final class RequestQuota: Sendable {
    public let ratePerSecond: Double

    private struct Bucket {
        var tokens: Double
        var updatedNanoseconds: UInt64
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    public init(ratePerSecond: Double) {
        self.ratePerSecond = ratePerSecond
    }

    /// Takes one request from the caller's bucket or throws ThrottlingException.
    public func admit(_ caller: Caller, nowNanoseconds: UInt64 = DispatchTime.now().uptimeNanoseconds) throws {
        let slot = "\(caller.account.rawValue)/\(caller.region.rawValue)"
        let admitted = buckets.withLock { buckets -> Bool in
            var bucket = buckets[slot] ?? Bucket(tokens: ratePerSecond, updatedNanoseconds: nowNanoseconds)
            let elapsed = Double(nowNanoseconds &- bucket.updatedNanoseconds) / 1e9
            bucket.tokens = min(ratePerSecond, bucket.tokens + max(0, elapsed) * ratePerSecond)
            bucket.updatedNanoseconds = nowNanoseconds
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            buckets[slot] = bucket
            return admitted
        }
        guard admitted else {
            throw KMSError(.throttling, "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.")
        }
    }
}
