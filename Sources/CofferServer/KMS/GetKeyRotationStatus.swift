import CofferCore
import CofferKMS
import CofferWire

/// GetKeyRotationStatus: whether automatic rotation is on, its period and next date.
enum GetKeyRotationStatus {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let key = try await call.kms.keyRotationStatus(keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyRotationEnabled"); json.bool(key.rotationPeriodDays != nil)
        json.key("KeyId"); json.string(key.arn)
        if let period = key.rotationPeriodDays {
            json.key("RotationPeriodInDays"); json.int(period)
        }
        if let next = key.nextRotationDate {
            json.key("NextRotationDate"); json.timestamp(next)
        }
        json.endObject()
        return json.bytes
    }
}
