import CofferKMS
import CofferWire

/// RevokeGrant: deletes a grant of a key (needs kms:RevokeGrant on the key).
enum RevokeGrant {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let grantID = try call.fields.string("GrantId", required: true, length: 1...128)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.revokeGrant(keyID: keyID!, grantID: grantID!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
