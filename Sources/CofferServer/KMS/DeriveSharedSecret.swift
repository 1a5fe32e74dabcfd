import CofferCore
import CofferKMS
import CofferWire

/// DeriveSharedSecret: ECDH between a KEY_AGREEMENT key and the caller's public key.
enum DeriveSharedSecret {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        _ = try call.fields.enumeration("KeyAgreementAlgorithm", allowed: ["ECDH"], required: true)
        let publicKey = try call.fields.blob("PublicKey", required: true, length: 1...8192)
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        if try call.fields.stringMap("Recipient") != nil {
            throw KMSError(.unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")
        }
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (secret, key) = try await call.kms.deriveSharedSecret(keyID: keyID!, peerPublicKey: publicKey!, caller: call.caller)
        call.usedKeys = [key]
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("SharedSecret"); json.base64(secret)
        json.key("KeyAgreementAlgorithm"); json.string("ECDH")
        json.key("KeyOrigin"); json.string(key.origin.rawValue)
        json.endObject()
        return json.bytes
    }
}
