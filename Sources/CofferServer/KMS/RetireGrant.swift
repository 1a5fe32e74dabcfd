import CofferKMS
import CofferWire

/// RetireGrant: ends a grant, named by its token or by key and grant id.
enum RetireGrant {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let token = try call.fields.string("GrantToken", length: 1...8192)
        let keyID = try call.fields.string("KeyId", length: KMSShapes.keyIDLength)
        let grantID = try call.fields.string("GrantId", length: 1...128)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        try await call.kms.retireGrant(token: token, keyID: keyID, grantID: grantID, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
