import CofferCore
import CofferKMS
import CofferWire

/// CreateAlias: a new alias for a key.
enum CreateAlias {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let name = try AliasShapes.aliasName(&call.fields)
        let target = try call.fields.string("TargetKeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.createAlias(name: name!, targetKeyID: target!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
