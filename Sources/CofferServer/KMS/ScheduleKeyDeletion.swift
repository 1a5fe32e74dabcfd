import CofferCore
import CofferKMS
import CofferWire

/// ScheduleKeyDeletion: PendingDeletion for 7–30 days (default 30), then the key is deleted.
enum ScheduleKeyDeletion {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let window = try call.fields.integer("PendingWindowInDays", range: KMSService.pendingWindowDays)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let key = try await call.kms.scheduleKeyDeletion(keyID!, windowDays: window, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        if let date = key.deletionDate {
            json.key("DeletionDate"); json.timestamp(date)
        }
        json.key("KeyState"); json.string(key.state.rawValue)
        if let days = key.pendingWindowDays {
            json.key("PendingWindowInDays"); json.int(days)
        }
        json.endObject()
        return json.bytes
    }
}
