import CofferCore
import CofferKMS
import CofferWire

/// GetPublicKey: an asymmetric key's public key as DER SubjectPublicKeyInfo.
enum GetPublicKey {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        try KMSShapes.grantTokens(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (der, key) = try await call.kms.publicKey(keyID: keyID!, caller: call.caller)
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("PublicKey"); json.base64(der)
        json.key("CustomerMasterKeySpec"); json.string(key.keySpec.rawValue)
        json.key("KeySpec"); json.string(key.keySpec.rawValue)
        json.key("KeyUsage"); json.string(key.keyUsage.rawValue)
        KMSShapes.writeAlgorithmLists(key, to: &json)
        json.endObject()
        return json.bytes
    }
}
