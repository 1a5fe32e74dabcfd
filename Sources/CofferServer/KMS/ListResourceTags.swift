import CofferCore
import CofferKMS
import CofferWire

/// ListResourceTags: a key's tags, ordered by tag key, in pages.
enum ListResourceTags {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let limit = try call.fields.integer("Limit", range: 1...1000) ?? 50
        let marker = try call.fields.string("Marker", length: 1...1024)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (tags, nextMarker) = try await call.kms.listResourceTags(keyID: keyID!, limit: limit, marker: marker, caller: call.caller)
        return KMSShapes.pageResponse("Tags", tags, nextMarker: nextMarker, write: KMSShapes.writeTagMembers)
    }
}
