import CofferCore
import CofferKMS
import CofferWire

/// Encrypt: up to 4096 bytes under a symmetric key, bound to the encryption context, or with
/// RSAES-OAEP under an RSA key.
enum Encrypt {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let plaintext = try call.fields.blob("Plaintext", required: true, length: 1...KMSService.maximumPlaintextLength)
        let context = try KMSShapes.encryptionContext(&call.fields)
        try KMSShapes.grantTokens(&call.fields)
        let algorithm = try call.fields.enumeration("EncryptionAlgorithm", allowed: KMSShapes.encryptionAlgorithms)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let (ciphertext, key) = try await call.kms.encrypt(keyID: keyID!, plaintext: plaintext!, context: context, algorithm: algorithm, caller: call.caller)
        call.usedKeys = [key]
        var json = JSONWriter(capacity: ciphertext.count * 4 / 3 + 200)
        json.beginObject()
        json.key("CiphertextBlob"); json.base64(ciphertext)
        json.key("KeyId"); json.string(key.arn)
        json.key("EncryptionAlgorithm"); json.string(algorithm ?? "SYMMETRIC_DEFAULT")
        json.endObject()
        return json.bytes
    }
}
