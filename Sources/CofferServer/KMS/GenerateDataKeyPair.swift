import CofferCore
import CofferKMS
import CofferWire

/// GenerateDataKeyPair: a key pair with its private key in plaintext and encrypted under a KMS key.
enum GenerateDataKeyPair {
    static let pairSpecs = [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2",
        "ECC_NIST_EDWARDS25519",
    ]

    /// Reads the members both operations share.
    static func readRequest(_ call: inout KMSCall) throws -> (keyID: String, spec: String, context: EncryptionContext) {
        let context = try KMSShapes.encryptionContext(&call.fields)
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let spec = try call.fields.enumeration("KeyPairSpec", allowed: pairSpecs, required: true)
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        if try call.fields.stringMap("Recipient") != nil {
            throw KMSError(.unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")
        }
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing or not in the enum.
        return (keyID!, spec!, context)
    }

    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let request = try readRequest(&call)
        let result = try await call.kms.generateDataKeyPair(keyID: request.keyID, keyPairSpec: request.spec, context: request.context, caller: call.caller)
        call.usedKeys = [result.key]
        var json = JSONWriter(capacity: 4 * (result.privateKey.count + result.publicKey.count) + 256)
        json.beginObject()
        json.key("PrivateKeyCiphertextBlob"); json.base64(result.privateKeyCiphertext)
        json.key("PrivateKeyPlaintext"); json.base64(result.privateKey)
        json.key("PublicKey"); json.base64(result.publicKey)
        json.key("KeyId"); json.string(result.key.arn)
        json.key("KeyPairSpec"); json.string(request.spec)
        json.endObject()
        return json.bytes
    }
}
