import CofferCore
import CofferKMS
import CofferWire
import Foundation
import Synchronization

/// What the responder learns about one API call as it handles it, turned into a CloudTrail
/// record once the answer is known. A reference type so the handler path can fill it in.
final class AuditDraft: Sendable {
    struct State: Sendable {
        /// `kms`, `iam`, `sts`, `cloudtrail`; nil until the request names its service.
        var service: String?
        var eventName = "Unknown"
        var caller: Caller?
        /// The access key of a request whose authentication failed (from its credential scope).
        var unverifiedAccessKeyID: String?
        var unverifiedAccount: AccountID?
        var region: String?
        var requestMembers: [String: JSONValue]?
        var formParameters: FormParameters?
        var error: AWSErrorDescription?
    }

    let requestID: String
    let eventTime: Date
    let sourceIP: String?
    let userAgent: String?
    let host: String?
    let tlsVersion: String?
    let touchedKeys = TouchedKeys()
    private let state = Mutex(State())

    init(requestID: String, eventTime: Date, sourceIP: String?, userAgent: String?, host: String?, tlsVersion: String?) {
        self.requestID = requestID
        self.eventTime = eventTime
        self.sourceIP = sourceIP
        self.userAgent = userAgent
        self.host = host
        self.tlsVersion = tlsVersion
    }

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }
    var snapshot: State { state.withLock { $0 } }
}
