import CofferAudit
import CofferCore
import CofferIdentity
import CofferWire

/// One CloudTrail request on its way through a handler.
struct CloudTrailCall {
    let caller: Caller
    var fields: RequestFields
    let trail: AuditTrail
    let identity: IdentityService
}

/// A CloudTrail operation: reads its members, queries the trail, writes the response body.
typealias CloudTrailOperation = @Sendable (inout CloudTrailCall) async throws -> [UInt8]

/// The action table for `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Action>`.
enum CloudTrailOperations {
    static let targetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."

    static let table: [String: CloudTrailOperation] = [
        "LookupEvents": LookupEvents.handle,
    ]
}
