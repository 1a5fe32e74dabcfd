import CofferCore
import CofferKMS
import CofferWire

/// GenerateDataKey: a random data key, returned in plaintext and encrypted under a KMS key.
enum GenerateDataKey {
    /// Reads the members both data-key operations share and returns the key id, size and context.
    static func readRequest(_ call: inout KMSCall) throws -> (keyID: String, byteCount: Int, context: EncryptionContext) {
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let context = try KMSShapes.encryptionContext(&call.fields)
        let numberOfBytes = try call.fields.integer("NumberOfBytes", range: 1...1024)
        let keySpec = try call.fields.enumeration("KeySpec", allowed: ["AES_256", "AES_128"])
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        if try call.fields.stringMap("Recipient") != nil {
            throw KMSError(.unsupportedOperation, "Recipient (Nitro Enclaves attestation) is not supported by this server.")
        }
        try call.fields.validate()
        let byteCount: Int
        switch (numberOfBytes, keySpec) {
        case (let count?, nil): byteCount = count
        case (nil, "AES_128"?): byteCount = 16
        case (nil, "AES_256"?): byteCount = 32
        default: throw KMSError(.validation, "Please specify either number of bytes or key spec.")
        }
        // Invariant: validate() throws when a required member is missing.
        return (keyID!, byteCount, context)
    }

    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let (keyID, byteCount, context) = try readRequest(&call)
        let result = try await call.kms.generateDataKey(keyID: keyID, byteCount: byteCount, context: context, caller: call.caller)
        call.usedKeys = [result.key]
        var json = JSONWriter(capacity: result.ciphertext.count * 4 / 3 + byteCount * 2 + 200)
        json.beginObject()
        json.key("CiphertextBlob"); json.base64(result.ciphertext)
        json.key("Plaintext"); json.base64(result.plaintext)
        json.key("KeyId"); json.string(result.key.arn)
        json.endObject()
        return json.bytes
    }
}

