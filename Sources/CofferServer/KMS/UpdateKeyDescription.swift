import CofferCore
import CofferKMS
import CofferWire

/// UpdateKeyDescription: replaces a key's description.
enum UpdateKeyDescription {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let description = try call.fields.string("Description", required: true, length: 0...8192)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.updateKeyDescription(keyID!, description: description!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
