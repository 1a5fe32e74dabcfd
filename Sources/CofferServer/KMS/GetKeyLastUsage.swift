import CofferCore
import CofferKMS
import CofferWire

/// GetKeyLastUsage: the last successful cryptographic operation with a key.
enum GetKeyLastUsage {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let usage = try await call.kms.keyLastUsage(keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(usage.key.arn)
        json.key("KeyLastUsage")
        json.beginObject()
        if let use = usage.lastUse {
            json.key("Operation"); json.string(use.operation)
            json.key("Timestamp"); json.timestamp(use.date)
            json.key("KmsRequestId"); json.string(use.requestID)
        }
        json.endObject()
        json.key("TrackingStartDate"); json.timestamp(usage.trackingStartDate)
        json.key("KeyCreationDate"); json.timestamp(usage.key.creationDate)
        json.endObject()
        return json.bytes
    }
}
