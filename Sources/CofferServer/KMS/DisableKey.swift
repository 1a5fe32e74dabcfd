import CofferCore
import CofferKMS
import CofferWire

/// DisableKey: stops a key from being used in cryptographic operations.
enum DisableKey {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.disableKey(keyID!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
