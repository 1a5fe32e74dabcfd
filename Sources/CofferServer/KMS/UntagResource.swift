import CofferCore
import CofferKMS
import CofferWire

/// UntagResource: removes tags from a key by tag key.
enum UntagResource {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let tagKeys = try call.fields.stringList("TagKeys", required: true)
        for (index, tagKey) in (tagKeys ?? []).enumerated() where !(1...128).contains(tagKey.count) {
            call.fields.violate(path: "tagKeys.\(index + 1).member", value: tagKey, constraint: "must have length between 1 and 128")
        }
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.untagResource(keyID: keyID!, tagKeys: tagKeys!, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
