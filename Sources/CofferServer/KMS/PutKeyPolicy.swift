import CofferCore
import CofferKMS
import CofferWire

/// PutKeyPolicy: replaces a key's policy document.
enum PutKeyPolicy {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let policyName = try call.fields.string("PolicyName", length: 1...128)
        let policy = try call.fields.string("Policy", required: true, length: 1...KMSService.maximumPolicyLength)
        let bypass = try call.fields.boolean("BypassPolicyLockoutSafetyCheck") ?? false
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        try await call.kms.putKeyPolicy(keyID!, policyName: policyName, policy: policy!, bypassLockoutCheck: bypass, caller: call.caller)
        return KMSShapes.emptyResponse
    }
}
