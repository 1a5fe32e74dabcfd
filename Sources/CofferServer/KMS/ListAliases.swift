import CofferCore
import CofferKMS
import CofferWire


/// ListAliases: the caller's aliases in the region, optionally only those of one key.
enum ListAliases {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", length: KMSShapes.keyIDLength)
        let limit = try call.fields.integer("Limit", range: 1...1000) ?? 100
        let marker = try call.fields.string("Marker", length: 1...1024)
        try call.fields.validate()
        let (aliases, nextMarker) = try await call.kms.listAliases(keyID: keyID, limit: limit, marker: marker, caller: call.caller)
        var json = JSONWriter(capacity: 256 * aliases.count + 64)
        json.beginObject()
        json.key("Aliases")
        json.beginArray()
        for alias in aliases {
            json.beginObject()
            json.key("AliasName"); json.string(alias.name)
            json.key("AliasArn"); json.string(alias.arn)
            json.key("TargetKeyId"); json.string(alias.targetKeyID)
            json.key("CreationDate"); json.timestamp(alias.creationDate)
            json.key("LastUpdatedDate"); json.timestamp(alias.lastUpdatedDate)
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
