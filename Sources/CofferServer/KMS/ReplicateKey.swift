import CofferCore
import CofferKMS
import CofferWire

/// ReplicateKey: copies a multi-Region primary key into another region of the account.
enum ReplicateKey {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let region = try call.fields.string("ReplicaRegion", required: true, length: 1...32)
        let policy = try call.fields.string("Policy", length: 1...KMSService.maximumPolicyLength)
        _ = try call.fields.boolean("BypassPolicyLockoutSafetyCheck")
        let description = try call.fields.string("Description", length: 0...8192)
        let tags = try KMSShapes.tags(&call.fields, required: false)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        var parameters = ReplicateKeyParameters(keyID: keyID!, replicaRegion: region!)
        parameters.policy = policy
        parameters.description = description ?? ""
        parameters.tags = tags
        let replica = try await call.kms.replicateKey(parameters, caller: call.caller)
        let copies = try await call.kms.multiRegionCopies(of: replica)
        var json = JSONWriter(capacity: 2048)
        json.beginObject()
        json.key("ReplicaKeyMetadata")
        KMSShapes.writeKeyMetadata(replica, copies: copies, to: &json)
        json.key("ReplicaPolicy"); json.string(replica.policy ?? KMSService.defaultKeyPolicy(account: replica.account))
        json.key("ReplicaTags")
        json.beginArray()
        for tag in replica.tags {
            json.beginObject()
            KMSShapes.writeTagMembers(tag, to: &json)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
