import CofferCore
import CofferKMS
import CofferWire

/// DeleteAlias: removes an alias; the key it pointed to is unaffected.
enum DeleteAlias {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let name = try AliasShapes.aliasName(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.deleteAlias(name: name!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
