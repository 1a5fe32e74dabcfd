import CofferKMS
import CofferWire

/// ListGrants: the grants of a key, optionally only one grant id or one grantee.
enum ListGrants {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let grantID = try call.fields.string("GrantId", length: 1...128)
        let grantee = try call.fields.string("GranteePrincipal", length: GrantShapes.principalLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let grants = try await call.kms.listGrants(keyID: keyID!, grantID: grantID, granteePrincipal: grantee, caller: call.caller)
        return try GrantShapes.page(grants, &call.fields)
    }
}
