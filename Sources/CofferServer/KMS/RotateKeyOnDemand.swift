import CofferCore
import CofferKMS
import CofferWire

/// RotateKeyOnDemand: new key material now (at most 25 times per key).
enum RotateKeyOnDemand {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let key = try await call.kms.rotateKeyOnDemand(keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.endObject()
        return json.bytes
    }
}
