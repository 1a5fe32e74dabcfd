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
        return KMSShapes.pageResponse("Keys", keys, nextMarker: nextMarker) { item, json in
            json.key("KeyId"); json.string(item.id)
            json.key("KeyArn"); json.string(item.arn)
        }
    }
}
