import CofferCore
import CofferKMS
import CofferWire

/// CancelKeyDeletion: a key pending deletion returns, Disabled.
enum CancelKeyDeletion {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let key = try await call.kms.cancelKeyDeletion(keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.endObject()
        return json.bytes
    }
}
