import CofferKMS
import CofferWire

/// ListRetirableGrants: the grants (of keys in any account) a principal may retire.
enum ListRetirableGrants {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let principal = try call.fields.string("RetiringPrincipal", required: true, length: GrantShapes.principalLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let grants = try await call.kms.listRetirableGrants(retiringPrincipal: principal!, caller: call.caller)
        return try GrantShapes.page(grants, &call.fields)
    }
}
