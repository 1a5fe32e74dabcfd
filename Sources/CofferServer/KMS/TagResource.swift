import CofferCore
import CofferKMS
import CofferWire

/// TagResource: adds or overwrites tags on a key.
enum TagResource {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let tags = try KMSShapes.tags(&call.fields, required: true)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.tagResource(keyID: keyID!, tags: tags, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
