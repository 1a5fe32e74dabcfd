import CofferCore
import CofferKMS
import CofferWire

/// DescribeKey: a key's metadata, by key id, key ARN, alias name or alias ARN.
enum DescribeKey {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try KMSShapes.grantTokens(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let key = try await call.kms.describeKey(keyID!, caller: call.caller)
        return KMSShapes.keyMetadataResponse(key, copies: try await call.kms.multiRegionCopies(of: key))
    }
}
