import CofferCore
import CofferKMS
import CofferWire

/// UpdatePrimaryRegion: makes the replica in another region the primary of a multi-Region key.
enum UpdatePrimaryRegion {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let region = try call.fields.string("PrimaryRegion", required: true, length: 1...32)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.updatePrimaryRegion(keyID!, primaryRegion: region!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
