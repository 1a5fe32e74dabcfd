import CofferCore
import CofferKMS
import CofferWire

/// UpdateAlias: points an alias at a different key.
enum UpdateAlias {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let name = try AliasShapes.aliasName(&call.fields)
        let target = try call.fields.string("TargetKeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.updateAlias(name: name!, targetKeyID: target!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
