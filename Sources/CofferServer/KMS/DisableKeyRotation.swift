import CofferCore
import CofferKMS
import CofferWire

/// DisableKeyRotation: stops automatic rotation; existing versions stay.
enum DisableKeyRotation {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.disableKeyRotation(keyID!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
