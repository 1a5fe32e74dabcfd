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
        return KMSShapes.pageResponse("Aliases", aliases, nextMarker: nextMarker) { item, json in
            json.key("AliasName"); json.string(item.name)
            json.key("AliasArn"); json.string(item.arn)
            json.key("TargetKeyId"); json.string(item.targetKeyID)
            json.key("CreationDate"); json.timestamp(item.creationDate)
            json.key("LastUpdatedDate"); json.timestamp(item.lastUpdatedDate)
        }
    }
}
