import CofferCore
import CofferKMS
import CofferWire

/// ListKeyPolicies: a key's policy names (always just "default").
enum ListKeyPolicies {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        _ = try call.fields.integer("Limit", range: 1...1000)
        _ = try call.fields.string("Marker", length: 1...1024)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let names = try await call.kms.listKeyPolicies(keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("PolicyNames"); json.stringArray(names)
        json.key("Truncated"); json.bool(false)
        json.endObject()
        return json.bytes
    }
}
