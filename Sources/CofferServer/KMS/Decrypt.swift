import CofferCore
import CofferKMS
import CofferWire

/// Decrypt: recovers the plaintext; the key comes from the blob, and a given KeyId must match it.
enum Decrypt {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let ciphertext = try call.fields.blob("CiphertextBlob", required: true, length: 1...KMSService.maximumCiphertextLength)
        let context = try KMSShapes.encryptionContext(&call.fields)
        try KMSShapes.grantTokens(&call.fields)
        let keyID = try call.fields.string("KeyId", length: KMSShapes.keyIDLength)
        let algorithm = try call.fields.enumeration("EncryptionAlgorithm", allowed: KMSShapes.encryptionAlgorithms)
        try KMSShapes.checkDryRun(&call.fields)
        if try call.fields.stringMap("Recipient") != nil {
            throw KMSError(.unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")
        }
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (plaintext, key) = try await call.kms.decrypt(ciphertext: ciphertext!, context: context, keyID: keyID, algorithm: algorithm, caller: call.caller)
        call.usedKeys = [key]
        var json = JSONWriter(capacity: plaintext.count * 4 / 3 + 200)
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("Plaintext"); json.base64(plaintext)
        json.key("EncryptionAlgorithm"); json.string(algorithm ?? "SYMMETRIC_DEFAULT")
        json.endObject()
        return json.bytes
    }
}
