import CofferCore
import CofferKMS
import CofferWire

/// GetKeyPolicy: a key's policy document.
enum GetKeyPolicy {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let policyName = try call.fields.string("PolicyName", length: 1...128)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let policy = try await call.kms.keyPolicy(keyID!, policyName: policyName, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("Policy"); json.string(policy)
        json.key("PolicyName"); json.string(KMSService.defaultPolicyName)
        json.endObject()
        return json.bytes
    }
}
