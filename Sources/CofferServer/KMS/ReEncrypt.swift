import CofferCore
import CofferKMS
import CofferWire

/// ReEncrypt: decrypts under the source key and encrypts under the destination key, server-side.
enum ReEncrypt {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let ciphertext = try call.fields.blob("CiphertextBlob", required: true, length: 1...KMSService.maximumCiphertextLength)
        let sourceContext = try KMSShapes.encryptionContext(&call.fields, "SourceEncryptionContext")
        let sourceKeyID = try call.fields.string("SourceKeyId", length: KMSShapes.keyIDLength)
        let destinationKeyID = try call.fields.string("DestinationKeyId", required: true, length: KMSShapes.keyIDLength)
        let destinationContext = try KMSShapes.encryptionContext(&call.fields, "DestinationEncryptionContext")
        try KMSShapes.checkSymmetricAlgorithm(&call.fields, "SourceEncryptionAlgorithm")
        try KMSShapes.checkSymmetricAlgorithm(&call.fields, "DestinationEncryptionAlgorithm")
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing.
        let result = try await call.kms.reEncrypt(
            ciphertext: ciphertext!, sourceContext: sourceContext, sourceKeyID: sourceKeyID,
            destinationKeyID: destinationKeyID!, destinationContext: destinationContext, caller: call.caller
        )
        call.usedKeys = [result.sourceKey, result.destinationKey]
        var json = JSONWriter(capacity: result.ciphertext.count * 4 / 3 + 400)
        json.beginObject()
        json.key("CiphertextBlob"); json.base64(result.ciphertext)
        json.key("SourceKeyId"); json.string(result.sourceKey.arn)
        json.key("KeyId"); json.string(result.destinationKey.arn)
        json.key("SourceEncryptionAlgorithm"); json.string("SYMMETRIC_DEFAULT")
        json.key("DestinationEncryptionAlgorithm"); json.string("SYMMETRIC_DEFAULT")
        json.endObject()
        return json.bytes
    }
}
