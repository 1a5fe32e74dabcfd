import CofferCore
import Foundation

/// The last successful cryptographic operation with one key copy (GetKeyLastUsage).
public struct KeyLastUse: Sendable, Hashable {
    public var keyID: String
    public var region: Region
    public var operation: String
    public var date: Date
    public var requestID: String

    public init(keyID: String, region: Region, operation: String, date: Date, requestID: String) {
        self.keyID = keyID
        self.region = region
        self.operation = operation
        self.date = date
        self.requestID = requestID
    }
}
