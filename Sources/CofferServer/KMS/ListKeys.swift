import CofferCore
import CofferKMS
import CofferWire


/// ListKeys: the caller's keys in the region, in pages of `Limit` (default 100).
enum ListKeys {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let limit = try call.fields.integer("Limit", range: 1...1000) ?? 100
        let marker = try call.fields.string("Marker", length: 1...1024)
        try call.fields.validate()
        let (keys, nextMarker) = try await call.kms.listKeys(caller: call.caller, limit: limit, marker: marker)
        var json = JSONWriter(capacity: 128 * keys.count + 64)
        json.beginObject()
        json.key("Keys")
        json.beginArray()
        for key in keys {
            json.beginObject()
            json.key("KeyId"); json.string(key.id)
            json.key("KeyArn"); json.string(key.arn)
            json.endObject()
        }
        json.endArray()
        if let nextMarker {
            json.key("NextMarker"); json.string(nextMarker)
        }
        json.key("Truncated"); json.bool(nextMarker != nil)
        json.endObject()
        return json.bytes
    }
}
