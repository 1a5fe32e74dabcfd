import CofferCore
import CofferKMS
import CofferWire

/// EnableKeyRotation: automatic rotation every RotationPeriodInDays (90–2560, default 365).
enum EnableKeyRotation {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let period = try call.fields.integer("RotationPeriodInDays", range: KMSService.rotationPeriodDays)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.enableKeyRotation(keyID!, periodDays: period, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
